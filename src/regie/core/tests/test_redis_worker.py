"""`regie worker` on Redis (REGIE_REDIS_URL): real worker processes, a real Redis, SQLite.

Each test copies a migrated database into its own data directory, starts workers as
`regie serve` does, and reads what they did in the database and in Redis.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter

import pytest
from rq.job import Job
from rq.registry import FinishedJobRegistry

from regie.core.schedule import periodic_jobs
from regie.core.testing import TEST_REDIS_URL, free_port
from regie.core.tests.test_serve import _output_of_stopped, get

# Régie in processes of its own, on a SQLite database of its own: once per CI run.
pytestmark = pytest.mark.own_database

# Every app's periodic jobs (as registered in this process), and the test-only one.
TASK_OF_JOB = {
    **{job.name: job.task.module_path for job in periodic_jobs()},
    "test.tick": "regie.core.tests.periodic.tasks.tick",
}


def environment(data_dir, **extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith("REGIE_")}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update({"REGIE_DATA_DIR": str(data_dir), "REGIE_REDIS_URL": TEST_REDIS_URL, **extra})
    return env


def regie(data_dir, *args, **extra):
    return subprocess.run(
        [sys.executable, "-m", "regie.cli", *args],
        env=environment(data_dir, **extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("migrated")
    result = regie(data_dir, "migrate", "-v", "0")
    assert result.returncode == 0, result.stderr
    return data_dir


@pytest.fixture
def data_dir(migrated, tmp_path, redis_db):
    for name in ("regie.sqlite3", "secret_key"):
        shutil.copy(migrated / name, tmp_path / name)
    return tmp_path


@pytest.fixture
def start_worker(data_dir):
    workers = []

    def start(**extra):
        worker = subprocess.Popen(
            [sys.executable, "-m", "regie.cli", "worker"],
            env=environment(data_dir, **extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)


def stop(worker):
    """SIGTERM, as `regie serve` and service managers stop it; returns its exit code."""
    worker.send_signal(signal.SIGTERM)
    return worker.wait(timeout=20)


def query(data_dir, sql):
    with sqlite3.connect(data_dir / "regie.sqlite3") as database:
        return database.execute(sql).fetchall()


def wait_until(condition, worker_output, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(worker_output())
        time.sleep(0.2)


def jobs_in_redis(redis_db):
    return [
        Job.fetch(key.decode().removeprefix("rq:job:"), connection=redis_db)
        for key in redis_db.scan_iter("rq:job:*")
    ]


def test_worker_on_redis_runs_a_stored_report_and_stops_on_sigterm(
    data_dir, start_worker, redis_db
):
    worker = start_worker()

    def output():
        worker.kill()
        return worker.communicate()[0].decode()

    wait_until(
        lambda: query(data_dir, "SELECT COUNT(*) FROM core_workerheartbeat") == [(1,)], output
    )
    stored = regie(
        data_dir,
        "shell",
        "-c",
        "from regie.inventory.services import AgentIdentity, store_report\n"
        "from regie.inventory.models import AgentProtocol\n"
        "from regie.inventory.tests.fixtures import capture\n"
        "ocs = AgentProtocol.OCS_XML\n"
        "store_report(identity=AgentIdentity(device_id='pc-1', protocol=ocs), protocol=ocs,"
        " body=capture('ocs-inventory.xml'), partial=False)",
    )
    assert stored.returncode == 0, stored.stderr

    wait_until(
        lambda: query(data_dir, "SELECT status FROM inventory_receivedreport") == [("processed",)],
        output,
    )
    assert query(data_dir, "SELECT COUNT(*) FROM assets_asset") == [(1,)]
    finished = FinishedJobRegistry("default", connection=redis_db)
    processed = [
        job
        for job in jobs_in_redis(redis_db)
        if job.func_name == "regie.inventory.tasks.process_received_report"
    ]
    assert [(job.args, job.get_status()) for job in processed] == [((1,), "finished")]
    assert processed[0].id in finished.get_job_ids()
    # Nothing went through the database queue.
    assert query(data_dir, "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult") == [(0,)]

    assert stop(worker) == 0
    assert query(data_dir, "SELECT COUNT(*) FROM core_workerheartbeat") == [(0,)]
    assert redis_db.smembers("rq:workers") == set()


def test_two_workers_on_redis_queue_each_periodic_slot_once(data_dir, start_worker, redis_db):
    settings = {"DJANGO_SETTINGS_MODULE": "regie.core.tests.periodic_settings"}
    workers = [start_worker(**settings), start_worker(**settings)]

    def output():
        for worker in workers:
            worker.kill()
        return "\n".join(worker.communicate()[0].decode() for worker in workers)

    wait_until(
        lambda: query(data_dir, "SELECT COUNT(*) FROM core_workerheartbeat") == [(2,)], output
    )
    # Both schedulers look every second for the job due every second: several slots pass.
    wait_until(
        lambda: (
            query(data_dir, "SELECT COUNT(*) FROM core_scheduledrun WHERE job = 'test.tick'")
            >= [(5,)]
        ),
        output,
    )
    assert [stop(worker) for worker in workers] == [0, 0]

    claimed = Counter(
        TASK_OF_JOB[job] for (job,) in query(data_dir, "SELECT job FROM core_scheduledrun")
    )
    queued = Counter(job.func_name for job in jobs_in_redis(redis_db))
    assert queued == claimed
    assert claimed[TASK_OF_JOB["test.tick"]] >= 5
    assert claimed[TASK_OF_JOB["alerts.retry"]] in {1, 2}  # a minute boundary may pass


def test_worker_stops_at_start_when_redis_does_not_answer(data_dir):
    result = regie(data_dir, "worker", REGIE_REDIS_URL="redis://:secret@127.0.0.1:1/15")
    assert result.returncode == 1
    assert "REGIE_REDIS_URL: Redis does not answer" in result.stderr
    assert "secret" not in result.stderr


def test_worker_refuses_a_bad_redis_url(data_dir):
    result = regie(data_dir, "worker", REGIE_REDIS_URL="http://127.0.0.1:6379/0")
    assert result.returncode == 1
    assert "REGIE_REDIS_URL must start with redis://, rediss:// or unix://" in result.stderr


def test_serve_runs_its_worker_on_redis(data_dir, redis_db):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "regie.cli", "serve", "--port", str(port), "--workers", "1"]
        + ["--task-workers", "1"],
        env=environment(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120  # a busy 2-core machine
        while True:
            try:
                health = json.loads(get(f"http://127.0.0.1:{port}/health")[1])
                if health["worker"] == "alive":
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise AssertionError(_output_of_stopped(server))
            time.sleep(0.3)
        assert health["tasks"] == "redis"
        (worker_id,) = query(data_dir, "SELECT worker_id FROM core_workerheartbeat")[0]
        assert redis_db.smembers("rq:workers") == {f"rq:worker:{worker_id}".encode()}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    assert redis_db.smembers("rq:workers") == set()


# A worker whose stop signal arrives between RQ registering it in Redis and RQ installing its
# own signal handlers (while it starts its scheduler), as `regie serve` stopping on a busy
# machine may send it.
SIGNALLED_WHILE_STARTING = """
import os, signal, sys
import redis
from rq import Queue
from regie.core.redis_worker import Worker

class Signalled(Worker):
    def _start_scheduler(self, *args, **kwargs):
        os.kill(os.getpid(), signal.SIGTERM)

connection = redis.Redis.from_url(sys.argv[1])
worker = Signalled([Queue("default", connection=connection)], connection=connection, name="early")
worker.work(with_scheduler=True)
print("stopped", flush=True)
"""


def test_a_worker_stopped_while_it_starts_leaves_redis_clean(redis_db):
    result = subprocess.run(
        [sys.executable, "-c", SIGNALLED_WHILE_STARTING, TEST_REDIS_URL],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # RQ's own lines, then ours: the loop stopped before its first task and unregistered.
    assert "stopping on request" in result.stdout
    assert result.stdout.endswith("stopped\n"), result.stdout
    assert redis_db.smembers("rq:workers") == set()
