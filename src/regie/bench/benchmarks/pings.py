"""The ping endpoint of the checks under load (DESIGN §4: ≥ 1,000 pings/s on SQLite, 2 cores).

Runs in a throw-away database (see the ``bench`` command). Starts a real ``regie serve
--workers 2`` on a free loopback port, creates ``checks`` checks, then for ``seconds``
seconds several client processes ping them over keep-alive connections (success pings,
one start in ten, a small log body on a POST in four). Then, in the same run against the
same server, the same clients fetch ``/health/live`` (200 "ok", no database) for the bare
baseline. Reports pings/s, p50 and p95 latency and the ratio to the baseline.
"""

from __future__ import annotations

import http.client
import math
import multiprocessing
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from regie.bench.benchmarks.ingest import start_server, stop_server
from regie.core.testing import free_port
from regie.operations.checks.models import Check, Ping

DESCRIPTION = "pings to checks over HTTP against a live server, versus a bare 200"
TARGET_PER_SECOND = 1000
CLIENTS = 8

Output = Callable[[str], None]


def _client(args: tuple[int, list[str], float, int]) -> tuple[int, int, list[float]]:
    """Request ``paths`` round-robin for ``seconds``; (ok, errors, latencies in ms)."""
    port, paths, seconds, offset = args
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies: list[float] = []
    errors = 0
    index = offset
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        path = paths[index % len(paths)]
        index += 1
        started = time.perf_counter()
        try:
            if index % 4 == 0 and not path.endswith("live"):
                connection.request(
                    "POST", path, body=b"backup done: 1234 files\n", headers={"User-Agent": "bench"}
                )
            else:
                connection.request("GET", path, headers={"User-Agent": "bench"})
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        if response.status == 200:
            latencies.append((time.perf_counter() - started) * 1000)
        else:
            errors += 1
    connection.close()
    return len(latencies), errors, latencies


def _load(port: int, paths: list[str], seconds: float, clients: int) -> dict[str, Any]:
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        started = time.perf_counter()
        results = pool.map(_client, [(port, paths, seconds, n * 7) for n in range(clients)])
        elapsed = time.perf_counter() - started
    latencies = sorted(value for _ok, _errors, values in results for value in values)
    ok = sum(result[0] for result in results)
    return {
        "requests": ok,
        "errors": sum(result[1] for result in results),
        "per_second": round(ok / elapsed, 1),
        "p50_ms": _p(latencies, 0.5),
        "p95_ms": _p(latencies, 0.95),
    }


def _p(values: list[float], share: float) -> float:
    return round(values[max(math.ceil(share * len(values)) - 1, 0)], 2) if values else 0.0


def run(*, checks: int, seconds: int, out: Output, progress: Output) -> dict[str, Any]:
    data_dir = Path(settings.DATA_DIR)
    Check.objects.bulk_create(
        Check(name=f"Bench {n}", period_minutes=1440, grace_minutes=60) for n in range(checks)
    )
    codes = list(Check.objects.values_list("ping_uuid", flat=True))
    paths = [f"/ping/{code}" if n % 10 else f"/ping/{code}/start" for n, code in enumerate(codes)]
    connection.close()  # the client processes are forked: no shared database connection
    port = free_port()
    progress(f"starting regie serve on 127.0.0.1:{port}")
    server = start_server(port, data_dir / "serve.log")
    try:
        _load(port, paths[:50], 1.0, 2)  # warm-up: every worker has loaded the app
        progress(f"pinging {checks} checks for {seconds} s with {CLIENTS} clients")
        pings = _load(port, paths, seconds, CLIENTS)
        progress(f"bare /health/live for {seconds} s")
        bare = _load(port, ["/health/live"], seconds, CLIENTS)
    finally:
        stop_server(server)
    stored = Ping.objects.count()
    ratio = round(pings["per_second"] / bare["per_second"], 3) if bare["per_second"] else 0.0
    out(
        f"{'pings':<14} {pings['per_second']:8.1f} /s  p50 {pings['p50_ms']:6.2f} ms  "
        f"p95 {pings['p95_ms']:6.2f} ms  errors {pings['errors']}"
    )
    out(
        f"{'bare 200':<14} {bare['per_second']:8.1f} /s  p50 {bare['p50_ms']:6.2f} ms  "
        f"p95 {bare['p95_ms']:6.2f} ms"
    )
    out(f"{'ratio':<14} {ratio:8.3f} of the bare response")
    return {
        "bench": "pings",
        "ok": pings["errors"] == 0 and bare["errors"] == 0,
        "database": "sqlite",
        "checks": checks,
        "seconds": seconds,
        "clients": CLIENTS,
        "pings": pings,
        "bare": bare,
        "ratio_to_bare": ratio,
        "stored_pings": stored,
        "target_per_second": TARGET_PER_SECOND,
        "meets_target": pings["per_second"] >= TARGET_PER_SECOND,
    }
