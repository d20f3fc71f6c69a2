"""Periodic jobs: queued once per slot, whatever the number of workers."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from regie.core import schedule
from regie.core.models import ScheduledRun


@task()
def tick() -> None:
    """A job for these tests."""


@pytest.fixture
def jobs(monkeypatch):
    registry: dict[str, schedule.PeriodicJob] = {}
    monkeypatch.setattr(schedule, "_JOBS", registry)
    return registry


def queued_ticks() -> int:
    return DBTaskResult.objects.filter(task_path=tick.module_path).count()


@pytest.mark.django_db
def test_a_minute_job_is_queued_once_per_minute(jobs):
    schedule.register_periodic("test.tick", tick, every=timedelta(minutes=1))
    start = datetime(2026, 11, 30, 10, 0, 5, tzinfo=UTC)

    assert schedule.queue_due_jobs(start) == ["test.tick"]
    # A second worker, or the same one a few seconds later, finds the slot taken.
    assert schedule.queue_due_jobs(start + timedelta(seconds=50)) == []
    assert schedule.queue_due_jobs(start + timedelta(seconds=56)) == ["test.tick"]

    assert queued_ticks() == 2
    slots = sorted(ScheduledRun.objects.values_list("slot", flat=True))
    assert slots == [
        datetime(2026, 11, 30, 10, 0, tzinfo=UTC),
        datetime(2026, 11, 30, 10, 1, tzinfo=UTC),
    ]


@pytest.mark.django_db
def test_a_daily_job_runs_after_its_local_time_and_catches_up_once(jobs, settings):
    settings.TIME_ZONE = "Europe/Paris"
    schedule.register_periodic("test.nightly", tick, daily_at=time(2, 30))

    # 02:00 in Paris is 01:00 UTC in winter: too early.
    assert schedule.queue_due_jobs(datetime(2026, 11, 30, 1, 0, tzinfo=UTC)) == []
    # No worker ran at 02:30; the first one to start at 09:00 runs the missed job, once.
    assert schedule.queue_due_jobs(datetime(2026, 11, 30, 8, 0, tzinfo=UTC)) == ["test.nightly"]
    assert schedule.queue_due_jobs(datetime(2026, 11, 30, 22, 0, tzinfo=UTC)) == []
    # Next day again.
    assert schedule.queue_due_jobs(datetime(2026, 12, 1, 1, 31, tzinfo=UTC)) == ["test.nightly"]
    assert queued_ticks() == 2


@pytest.mark.django_db
def test_old_runs_are_pruned(jobs):
    schedule.register_periodic("test.tick", tick, every=timedelta(hours=1))
    now = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    schedule.queue_due_jobs(now - timedelta(days=30))
    schedule.queue_due_jobs(now)
    assert list(ScheduledRun.objects.values_list("slot", flat=True)) == [now]


def test_a_job_needs_exactly_one_schedule(jobs):
    with pytest.raises(ValueError, match="either every or daily_at"):
        schedule.register_periodic("test.none", tick)
    with pytest.raises(ValueError, match="either every or daily_at"):
        schedule.register_periodic("test.both", tick, every=timedelta(minutes=1), daily_at=time(1))
    with pytest.raises(ValueError, match="at least one second"):
        schedule.register_periodic("test.fast", tick, every=timedelta(milliseconds=10))
