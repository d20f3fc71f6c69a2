"""The state machine: schedules, graces, rules on pings, pause, flips exactly once."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from regie.operations.checks import fastpath
from regie.operations.checks.models import (
    Check,
    CheckStatus,
    FailureReason,
    Flip,
    Ping,
    PingKind,
    ScheduleKind,
)
from regie.operations.checks.services import (
    PingRequest,
    evaluate_checks,
    pause_check,
    record_ping,
    resume_check,
)
from regie.operations.checks.tests.factories import CheckFactory

T0 = datetime(2026, 1, 12, 22, 0, tzinfo=UTC)


def _fast_record_ping(*, code, ping, now):
    """The endpoint's fast path, returning the row it stored like the ORM path does."""
    if not fastpath.record_ping(code=code, ping=ping, now=now):
        return None
    return Ping.objects.filter(check_obj__ping_uuid=code).order_by("-id").first()


RECORDERS = {"orm": record_ping, "fastpath": _fast_record_ping}
_recorder = {"record": record_ping}


@pytest.fixture(autouse=True, params=sorted(RECORDERS))
def recorder(request, monkeypatch):
    """Every scenario runs through the ORM path and through the endpoint's fast path."""
    monkeypatch.setitem(_recorder, "record", RECORDERS[request.param])


def ping(check, kind=PingKind.SUCCESS, *, at, body="", size=None, exit_status=None):
    return _recorder["record"](
        code=check.ping_uuid,
        ping=PingRequest(
            kind=kind,
            exit_status=exit_status,
            body=body,
            body_truncated=False,
            size=size,
            remote_addr="192.0.2.10",
            method="POST",
            user_agent="curl/8.5",
        ),
        now=at,
    )


def flips(check):
    return list(
        Flip.objects.filter(check_obj=check)
        .order_by("at", "id")
        .values_list("from_status", "to_status")
    )


def status(check):
    return Check.objects.get(pk=check.pk).status


@pytest.mark.django_db
def test_period_and_grace_make_a_check_late_then_down_once():
    check = CheckFactory(period_minutes=60, grace_minutes=30)
    ping(check, at=T0)
    assert status(check) == CheckStatus.UP

    assert evaluate_checks(now=T0 + timedelta(minutes=59)) == []
    assert status(check) == CheckStatus.UP
    evaluate_checks(now=T0 + timedelta(minutes=61))
    assert status(check) == CheckStatus.LATE
    evaluate_checks(now=T0 + timedelta(minutes=61))  # idempotent
    evaluate_checks(now=T0 + timedelta(minutes=91))
    evaluate_checks(now=T0 + timedelta(minutes=92))
    assert status(check) == CheckStatus.DOWN
    assert flips(check) == [("new", "up"), ("up", "late"), ("late", "down")]

    ping(check, at=T0 + timedelta(minutes=100))
    assert status(check) == CheckStatus.UP
    assert flips(check)[-1] == ("down", "up")
    assert Check.objects.get(pk=check.pk).outage_flip is None


@pytest.mark.django_db
def test_a_new_check_never_goes_late():
    check = CheckFactory(period_minutes=1)
    assert evaluate_checks(now=T0 + timedelta(days=30)) == []
    assert status(check) == CheckStatus.NEW


@pytest.mark.django_db
def test_cron_schedule_follows_the_time_zone_across_daylight_saving():
    check = CheckFactory(
        schedule_kind=ScheduleKind.CRON,
        cron="0 22 * * *",
        time_zone="Europe/Paris",
        period_minutes=None,
        grace_minutes=30,
    )
    # Saturday 28 March 2026, 22:05 in Paris (winter time, UTC+1).
    ping(check, at=datetime(2026, 3, 28, 21, 5, tzinfo=UTC))
    stored = Check.objects.get(pk=check.pk)
    # Next run: Sunday 29 March 22:00 in Paris, now summer time (UTC+2) → 20:00 UTC.
    assert stored.late_at == datetime(2026, 3, 29, 20, 0, tzinfo=UTC)
    assert stored.down_at == datetime(2026, 3, 29, 20, 30, tzinfo=UTC)
    evaluate_checks(now=datetime(2026, 3, 29, 20, 31, tzinfo=UTC))
    assert status(check) == CheckStatus.DOWN


@pytest.mark.django_db
def test_start_grace_downs_a_job_that_did_not_start_even_with_a_long_grace():
    check = CheckFactory(period_minutes=1440, grace_minutes=360, start_grace_minutes=15)
    ping(check, at=T0)
    evaluate_checks(now=T0 + timedelta(days=1, minutes=16))
    assert status(check) == CheckStatus.DOWN


@pytest.mark.django_db
def test_a_started_job_has_the_whole_grace_to_finish():
    check = CheckFactory(period_minutes=1440, grace_minutes=360, start_grace_minutes=15)
    ping(check, at=T0)
    ping(check, PingKind.START, at=T0 + timedelta(days=1, minutes=5))
    evaluate_checks(now=T0 + timedelta(days=1, hours=3))
    assert status(check) == CheckStatus.LATE  # due, started, still running
    evaluate_checks(now=T0 + timedelta(days=1, hours=6, minutes=6))
    assert status(check) == CheckStatus.DOWN


@pytest.mark.django_db
def test_a_success_too_soon_after_its_start_is_a_failure():
    check = CheckFactory(min_duration_seconds=60)
    ping(check, at=T0)
    ping(check, PingKind.START, at=T0 + timedelta(days=1))
    row = ping(check, at=T0 + timedelta(days=1, seconds=3))
    assert (row.kind, row.reason, row.duration) == (PingKind.FAIL, FailureReason.TOO_SHORT, 3.0)
    assert status(check) == CheckStatus.DOWN
    ping(check, PingKind.START, at=T0 + timedelta(days=2))
    row = ping(check, at=T0 + timedelta(days=2, minutes=20))
    assert (row.kind, row.duration) == (PingKind.SUCCESS, 1200.0)
    assert status(check) == CheckStatus.UP


@pytest.mark.django_db
def test_a_size_below_the_minimum_is_a_failure():
    check = CheckFactory(min_size_bytes=1_000_000)
    row = ping(check, at=T0, size=999_999)
    assert (row.kind, row.reason, row.size) == (PingKind.FAIL, FailureReason.TOO_SMALL, 999_999)
    assert status(check) == CheckStatus.DOWN
    assert ping(check, at=T0 + timedelta(hours=1), size=1_000_000).kind == PingKind.SUCCESS


@pytest.mark.django_db
def test_failure_keywords_are_found_whatever_their_case():
    check = CheckFactory(failure_keywords="error, échec")
    assert ping(check, at=T0, body="Sauvegarde terminée").kind == PingKind.SUCCESS
    row = ping(check, at=T0 + timedelta(hours=1), body="ÉCHEC de la copie du volume D:")
    assert (row.kind, row.reason) == (PingKind.FAIL, FailureReason.KEYWORD)
    row = ping(check, at=T0 + timedelta(hours=2), body="2 Errors found")
    assert row.kind == PingKind.FAIL


@pytest.mark.django_db
def test_exit_status_zero_is_success_and_others_failure():
    check = CheckFactory()
    assert ping(check, at=T0, exit_status=0).kind == PingKind.SUCCESS
    row = ping(check, PingKind.FAIL, at=T0 + timedelta(hours=1), exit_status=2)
    assert (row.kind, row.reason, row.exit_status) == (
        PingKind.FAIL,
        FailureReason.EXIT_STATUS,
        2,
    )
    assert status(check) == CheckStatus.DOWN
    assert flips(check) == [("new", "up"), ("up", "down")]


@pytest.mark.django_db
def test_pause_stops_alerts_and_a_ping_resumes():
    check = CheckFactory(period_minutes=60, grace_minutes=10)
    ping(check, at=T0)
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        pause_check(check=Check.objects.get(pk=check.pk), by=None)
        assert pause_check(check=Check.objects.get(pk=check.pk), by=None) is None
    assert evaluate_checks(now=T0 + timedelta(days=3)) == []
    assert status(check) == CheckStatus.PAUSED
    ping(check, PingKind.START, at=T0 + timedelta(days=3))
    assert status(check) == CheckStatus.PAUSED  # a start alone does not resume
    ping(check, at=T0 + timedelta(days=3, minutes=1))
    assert status(check) == CheckStatus.UP
    assert flips(check) == [("new", "up"), ("up", "paused"), ("paused", "up")]


@pytest.mark.django_db
def test_resume_restarts_the_schedule_from_now():
    check = CheckFactory(period_minutes=60, grace_minutes=10)
    ping(check, at=T0)
    pause_check(check=Check.objects.get(pk=check.pk), by=None)
    resume_check(check=Check.objects.get(pk=check.pk), by=None, now=T0 + timedelta(days=2))
    stored = Check.objects.get(pk=check.pk)
    assert stored.status == CheckStatus.UP
    assert stored.late_at == T0 + timedelta(days=2, minutes=60)
    assert evaluate_checks(now=T0 + timedelta(days=2, minutes=30)) == []


@pytest.mark.django_db
def test_evaluation_is_idempotent_and_flips_once():
    checks = [CheckFactory(period_minutes=60, grace_minutes=0) for _ in range(3)]
    for check in checks:
        ping(check, at=T0)
    first = evaluate_checks(now=T0 + timedelta(hours=2))
    second = evaluate_checks(now=T0 + timedelta(hours=2))
    assert len(first) == 3 and second == []
    assert Flip.objects.filter(to_status=CheckStatus.DOWN).count() == 3
