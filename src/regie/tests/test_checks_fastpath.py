"""The endpoint's fast path stores exactly what the ORM path stores, and flips once."""

import sqlite3
import subprocess
import sys
import threading
import uuid
from datetime import UTC, datetime, timedelta
from http.client import HTTPConnection

import pytest
import time_machine
from django.db import connection

from regie.bench.benchmarks.ingest import start_server, stop_server
from regie.core.testing import free_port
from regie.operations.checks import fastpath
from regie.operations.checks.models import Check, CheckStatus, Flip, Ping, PingKind
from regie.operations.checks.services import PingRequest, RateLimited, pause_check, record_ping
from regie.operations.checks.tests.factories import CheckFactory
from regie.tests.test_inventory_durability import server_environment

__all__ = ["server_environment"]

T0 = datetime(2026, 1, 12, 22, 0, 30, 123456, tzinfo=UTC)


def request(kind=PingKind.SUCCESS, **given):
    values = {
        "kind": kind,
        "exit_status": None,
        "body": "",
        "body_truncated": False,
        "size": None,
        "remote_addr": "192.0.2.10",
        "method": "POST",
        "user_agent": "curl/8.5",
    }
    return PingRequest(**(values | given))


# (seconds after T0, request): every rule, a start, the columns' odd values, a pause.
SCENARIO = [
    (0, request(PingKind.START)),
    (2, request(body="Sauvegarde terminée")),  # too soon after its start: a failure
    (60, request()),  # back up
    (3600, request(size=999)),  # too small
    (3660, request(size=5_000_000, remote_addr="2001:DB8:0:0:0:0:0:1")),
    (7200, request(body="copie : ÉCHEC du volume D:", body_truncated=True)),  # keyword
    (7260, request(PingKind.FAIL, exit_status=3, method="GET", remote_addr=None)),
    (7300, request(PingKind.START, user_agent="x" * 400)),
    (7400, request(exit_status=0, method="HEAD", user_agent="")),
    (80000, "pause"),
    (90000, request(PingKind.START)),  # a start leaves a paused check paused
    (90010, request()),  # a run ends the pause; 10 s after its start: too short
]

PING_COLUMNS = [f.name for f in Ping._meta.concrete_fields if f.name not in ("id", "check_obj")]
CHECK_COLUMNS = [
    "status",
    "last_ping_at",
    "last_start_at",
    "last_duration",
    "late_at",
    "down_at",
    "rate_minute",
    "rate_count",
]


def stored(check):
    pings = list(Ping.objects.filter(check_obj=check).order_by("id").values_list(*PING_COLUMNS))
    flips = list(
        Flip.objects.filter(check_obj=check)
        .order_by("id")
        .values_list("from_status", "to_status", "at", "reason")
    )
    row = Check.objects.filter(pk=check.pk).values(*CHECK_COLUMNS, "outage_flip__to_status").get()
    return pings, flips, row


def play(check, record):
    for seconds, ping in SCENARIO:
        at = T0 + timedelta(seconds=seconds)
        if ping == "pause":
            with time_machine.travel(at, tick=False):
                pause_check(check=Check.objects.get(pk=check.pk), by=None)
        else:
            record(code=check.ping_uuid, ping=ping, now=at)


def new_check():
    return CheckFactory(
        period_minutes=60,
        grace_minutes=30,
        start_grace_minutes=10,
        min_duration_seconds=60,
        min_size_bytes=1_000_000,
        failure_keywords="échec, error",
    )


@pytest.mark.django_db
def test_the_fast_path_stores_the_same_pings_flips_and_check_as_the_orm_path():
    by_orm, by_fast_path = new_check(), new_check()
    play(by_orm, record_ping)
    play(by_fast_path, fastpath.record_ping)

    expected = stored(by_orm)
    assert stored(by_fast_path) == expected
    pings, flips, row = expected
    assert len(pings) == len(SCENARIO) - 1
    assert [(start, end) for start, end, _at, _reason in flips] == [
        ("new", "down"),
        ("down", "up"),
        ("up", "down"),
        ("down", "up"),
        ("up", "down"),
        ("down", "up"),
        ("up", "paused"),
        ("paused", "down"),
    ]
    assert (row["status"], row["outage_flip__to_status"]) == (CheckStatus.DOWN, "down")
    assert row["rate_count"] == 2  # two pings in the last minute


@pytest.mark.django_db
def test_the_rate_limit_is_the_same_on_both_paths(settings):
    settings.PING_RATE_LIMIT = 3
    for record in (record_ping, fastpath.record_ping):
        check = CheckFactory()
        for second in range(3):
            record(code=check.ping_uuid, ping=request(), now=T0 + timedelta(seconds=second))
        with pytest.raises(RateLimited):
            record(code=check.ping_uuid, ping=request(), now=T0 + timedelta(seconds=20))
        assert Ping.objects.filter(check_obj=check).count() == 3
        next_minute = T0 + timedelta(seconds=40)
        record(code=check.ping_uuid, ping=request(), now=next_minute)
        row = Check.objects.get(pk=check.pk)
        assert (row.rate_minute, row.rate_count) == (int(next_minute.timestamp() // 60), 1)


@pytest.mark.django_db
def test_an_unknown_code_stores_nothing():
    CheckFactory()
    assert fastpath.record_ping(code=uuid.uuid4(), ping=request(), now=T0) is False
    assert not Ping.objects.exists()
    assert not Flip.objects.exists()


def at_once(actions):
    """Run each action in its own thread, released together; the exceptions raised."""
    barrier = threading.Barrier(len(actions))
    errors = []

    def run(action):
        try:
            barrier.wait(timeout=10)
            action()
        except Exception as error:  # noqa: BLE001  # reported by the caller's assertion
            errors.append(error)
        finally:
            connection.close()  # each thread had its own

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def burst(kinds):
    """Success pings, then as many failures as starts: what each burst below sends."""
    return [PingKind.SUCCESS] * kinds, [PingKind.FAIL, PingKind.START] * (kinds // 2)


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's test database is in memory with table locks, not the WAL file the "
    "server uses: test_concurrent_http_pings_flip_the_check_once covers SQLite",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_pings_from_threads_flip_the_check_once():
    check = CheckFactory()
    successes, failures_and_starts = burst(12)

    def sender(kind):
        return lambda: fastpath.record_ping(code=check.ping_uuid, ping=request(kind))

    assert at_once([sender(kind) for kind in successes]) == []
    assert Ping.objects.filter(check_obj=check).count() == 12
    assert at_once([sender(kind) for kind in failures_and_starts]) == []
    assert Ping.objects.filter(check_obj=check).count() == 24
    transitions = Flip.objects.filter(check_obj=check).order_by("id")
    assert list(transitions.values_list("from_status", "to_status")) == [
        ("new", "up"),
        ("up", "down"),
    ]
    row = Check.objects.get(pk=check.pk)
    assert row.status == CheckStatus.DOWN
    assert row.outage_flip == transitions.last()


def test_concurrent_http_pings_flip_the_check_once(server_environment):
    """The deployment: ``regie serve`` (two processes, threads) on its SQLite file."""
    data_dir = server_environment
    port = free_port()
    server = start_server(port, data_dir / "serve.log")
    try:
        created = subprocess.run(  # noqa: S603  # our own interpreter and module
            [sys.executable, "-m", "regie.cli", "shell", "-c", CREATE_CHECK],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        # After what the shell says it imported. Régie's own backup check may sit beside it.
        check_id, code = created.stdout.split()[-2:]
        successes, failures_and_starts = burst(16)

        def sender(kind):
            def send():
                client = HTTPConnection("127.0.0.1", port, timeout=30)
                suffix = {PingKind.SUCCESS: "", PingKind.FAIL: "/fail"}.get(kind, "/start")
                client.request("POST", f"/ping/{code}{suffix}", body=b"log")
                response = client.getresponse()
                response.read()
                client.close()
                assert response.status == 200

            return send

        assert at_once([sender(kind) for kind in successes]) == []
        assert at_once([sender(kind) for kind in failures_and_starts]) == []
    finally:
        stop_server(server)
    with sqlite3.connect(data_dir / "regie.sqlite3") as database:
        (pings,) = database.execute(
            "SELECT count(*) FROM checks_ping WHERE check_id = ?", (check_id,)
        ).fetchone()
        flips = database.execute(
            "SELECT from_status, to_status FROM checks_flip WHERE check_id = ? ORDER BY id",
            (check_id,),
        ).fetchall()
        status, outage = database.execute(
            "SELECT status, outage_flip_id = "
            "(SELECT max(id) FROM checks_flip WHERE check_id = checks_check.id) "
            "FROM checks_check WHERE id = ?",
            (check_id,),
        ).fetchone()
    assert pings == 32
    assert flips == [("new", "up"), ("up", "down")]
    assert (status, outage) == ("down", 1)
    log = (data_dir / "serve.log").read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log


CREATE_CHECK = (
    "from regie.operations.checks.models import Check; "
    "check = Check.objects.create(name='Sauvegarde', period_minutes=1440); "
    "print(check.pk, check.ping_uuid)"
)
