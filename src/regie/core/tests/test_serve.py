"""`regie serve` on a real port: migrations, web server, static files and worker together."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest
from django.core.management import CommandError, call_command

from regie.core.testing import free_port

# Régie in processes of its own, on a SQLite database of its own: once per CI run.
pytestmark = pytest.mark.own_database


def _output_of_stopped(process: subprocess.Popen[bytes]) -> str:
    """What a server that failed to start printed, once stopped (reading a live one blocks)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    output, _ = process.communicate(timeout=20)
    return output.decode(errors="replace") if output else ""


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310  # loopback URL built here
        return response.status, response.read()


@pytest.fixture
def served(tmp_path, request):
    extra = getattr(request, "param", [])
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("REGIE_")}
    env.pop("DATABASE_URL", None)
    env["REGIE_DATA_DIR"] = str(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "regie.cli", "serve", "--port", str(port), "--workers", "1", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a busy 2-core machine
        while True:
            try:
                status, body = get(f"{base}/health")
                if json.loads(body)["worker"] == "alive":
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise AssertionError(_output_of_stopped(process))
            time.sleep(0.3)
        yield base, tmp_path
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def test_serve_migrates_serves_static_and_runs_the_worker(served):
    base, data_dir = served
    status, body = get(f"{base}/health")
    assert status == 200
    health = json.loads(body)
    assert (health["status"], health["database"], health["worker"]) == ("ok", "ok", "alive")
    assert (data_dir / "regie.sqlite3").exists()
    status, body = get(f"{base}/static/django_htmx/htmx-2.min.js")
    assert status == 200
    assert b"htmx" in body


@pytest.mark.parametrize("served", [["--task-workers", "2"]], indirect=True)
def test_serve_runs_as_many_workers_as_asked(served):
    base, data_dir = served
    with sqlite3.connect(data_dir / "regie.sqlite3") as database:
        deadline = time.monotonic() + 30
        while True:
            (beating,) = database.execute("SELECT COUNT(*) FROM core_workerheartbeat").fetchone()
            if beating == 2 or time.monotonic() > deadline:
                break
            time.sleep(0.3)
    assert beating == 2


def test_serve_refuses_no_task_worker():
    with pytest.raises(CommandError, match="--task-workers must be at least 1"):
        call_command("serve", "--task-workers", "0")
