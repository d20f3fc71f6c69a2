"""Eight agents posting at once to a live server on SQLite: no 5xx, no lock error, none lost."""

import sqlite3
import threading
import time
from http.client import HTTPConnection

from regie.bench.benchmarks.ingest import (
    LOCKED,
    build_payloads,
    post,
    start_server,
    stop_server,
)
from regie.core.testing import free_port
from regie.tests.test_inventory_durability import server_environment, wait_processed

AGENTS = 8
PER_AGENT = 12  # three rounds (first, unchanged, 2 % churn) of four machines each
SECONDS = 15

__all__ = ["server_environment"]


def test_eight_agents_post_at_once_without_error_or_loss(server_environment):
    data_dir = server_environment
    payloads = build_payloads(AGENTS * PER_AGENT)
    # Agent k sends its machines' reports in order; agents interleave freely.
    machines = sorted({p.machine for p in payloads})
    queues = [
        [p for p in payloads if machines.index(p.machine) % AGENTS == k] for k in range(AGENTS)
    ]
    statuses: list[int] = []
    acknowledged: set[str] = set()
    lock = threading.Lock()
    port = free_port()
    server = start_server(port, data_dir / "serve.log")
    deadline = time.monotonic() + SECONDS

    def agent(own) -> None:
        connection = HTTPConnection("127.0.0.1", port, timeout=30)
        for payload in own:
            if time.monotonic() > deadline:
                return
            status = post(connection, payload)
            with lock:
                statuses.append(status)
                if 200 <= status < 300:
                    acknowledged.add(payload.sha256)

    threads = [threading.Thread(target=agent, args=(own,)) for own in queues]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=SECONDS + 30)
        rows = wait_processed(data_dir / "regie.sqlite3", acknowledged, timeout=40)
    finally:
        stop_server(server)

    assert len(statuses) >= AGENTS * 3  # every agent got through at least one round
    assert [s for s in statuses if s >= 500] == []
    assert set(statuses) == {200}
    assert acknowledged <= set(rows)
    assert {rows[sha] for sha in acknowledged} == {"processed"}
    log = (data_dir / "serve.log").read_text(encoding="utf-8", errors="replace")
    assert LOCKED not in log
    assert "Traceback" not in log
    with sqlite3.connect(data_dir / "regie.sqlite3") as connection:
        (assets,) = connection.execute("SELECT count(*) FROM assets_asset").fetchone()
    assert assets == len({(p.protocol, p.machine) for p in payloads if p.sha256 in acknowledged})
