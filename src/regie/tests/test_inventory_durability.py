"""Killing the server with SIGKILL at any moment loses no acknowledged report.

A real ``regie serve`` (granian + worker) runs on its own SQLite file; a thread posts
inventories in a loop; the whole process group gets SIGKILL at a random moment; the server is
started again. Every report that was answered 2xx must be in the inbox, by SHA-256, and end
processed.
"""

import random
import sqlite3
import subprocess
import sys
import threading
import time
from http.client import HTTPConnection, HTTPException

import pytest

from regie.bench.benchmarks.ingest import (
    build_payloads,
    kill_server,
    post,
    start_server,
    stop_server,
)
from regie.core.testing import free_port

# Régie in processes of its own, on a SQLite database of its own: once per CI run.
pytestmark = pytest.mark.own_database

REPORTS = 60


def inbox(database) -> dict[str, str]:
    with sqlite3.connect(database, timeout=30) as connection:
        return dict(connection.execute("SELECT body_sha256, status FROM inventory_receivedreport"))


def wait_processed(database, expected: set[str], timeout: float) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    while True:
        rows = inbox(database)
        if all(rows.get(sha) in {"processed", "failed"} for sha in expected):
            return rows
        if time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


@pytest.fixture
def server_environment(monkeypatch, tmp_path):
    for name in ("DATABASE_URL", "DATABASE_URL_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REGIE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("REGIE_DEBUG", "false")
    monkeypatch.setenv("REGIE_INVENTORY_AUTH", "false")  # the door is test_trust's concern
    return tmp_path


def test_sigkill_at_a_random_moment_loses_no_acknowledged_report(server_environment):
    data_dir = server_environment
    database = data_dir / "regie.sqlite3"
    payloads = build_payloads(REPORTS)
    acknowledged: set[str] = set()
    stop = threading.Event()
    port = free_port()
    server = start_server(port, data_dir / "serve.log")

    def agent() -> None:
        connection = HTTPConnection("127.0.0.1", port, timeout=10)
        for payload in payloads:
            if stop.is_set():
                return
            try:
                status = post(connection, payload)
            except (OSError, HTTPException):
                return  # the server is gone: this report was never acknowledged
            if 200 <= status < 300:
                acknowledged.add(payload.sha256)

    sender = threading.Thread(target=agent, daemon=True)
    try:
        sender.start()
        # Wait for a few acknowledgements, then kill at a random moment in the next second.
        deadline = time.monotonic() + 30
        while len(acknowledged) < 5 and time.monotonic() < deadline and sender.is_alive():
            time.sleep(0.01)
        time.sleep(random.uniform(0, 1))  # noqa: S311  # a moment, not a secret
        kill_server(server)
        sender.join(timeout=15)
        stop.set()
        assert acknowledged, "no report was acknowledged before the kill"

        stored = inbox(database)
        assert acknowledged <= set(stored), "an acknowledged report is not in the inbox"

        server = start_server(port, data_dir / "serve.log")
        rows = wait_processed(database, acknowledged, timeout=40)
    finally:
        stop.set()
        stop_server(server)
    # A task the killed worker was running is not retried by the queue: such reports stay
    # "received" in the inbox (kept, never lost) until replayed.
    stuck = sorted(sha for sha in acknowledged if rows.get(sha) == "received")
    if stuck:
        with sqlite3.connect(database) as connection:
            marks = ",".join("?" * len(stuck))
            ids = [
                pk
                for (pk,) in connection.execute(
                    f"SELECT id FROM inventory_receivedreport WHERE body_sha256 IN ({marks})",  # noqa: S608
                    stuck,
                )
            ]
        assert len(ids) == len(stuck)
        replay_in_subprocess(data_dir, ids)
        rows = inbox(database)
    assert {rows[sha] for sha in acknowledged} == {"processed"}


def replay_in_subprocess(data_dir, ids: list[int]) -> None:
    """The documented recovery, ``regie inventory replay ID…``, against the server's data."""
    print(f"replaying {len(ids)} report(s) left received by the killed worker")  # noqa: T201
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "regie.cli", "inventory", "replay", *map(str, ids)],
        check=True,
        capture_output=True,
        timeout=60,
    )
