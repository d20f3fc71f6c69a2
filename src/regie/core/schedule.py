"""Periodic jobs: tasks that workers queue on a schedule (every N seconds, or daily at a time).

Apps declare their jobs when they start::

    register_periodic("checks.evaluate", evaluate_checks, every=timedelta(minutes=1))
    register_periodic("compliance.sweep", sweep, daily_at=time(2, 30))

Every worker runs a :class:`Scheduler` thread. For each job it works out the current slot (the
start of the period, or today's time of day once it has passed, in ``settings.TIME_ZONE``) and
inserts a :class:`~regie.core.models.ScheduledRun` for it; the unique (job, slot) row lets one
worker only queue the task, so any number of workers can run side by side. A daily job whose
time passed while no worker ran is queued when a worker starts that day.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks.base import Task
from redis.exceptions import RedisError

from regie.core.models import ScheduledRun

logger = logging.getLogger(__name__)

_EPOCH = datetime(2000, 1, 3, tzinfo=UTC)  # a Monday: weekly periods start on Mondays
_KEEP_RUNS = timedelta(days=8)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Task[[], Any]
    every: timedelta | None = None
    daily_at: time | None = None

    def slot(self, now: datetime) -> datetime | None:
        """The slot ``now`` falls in; ``None`` for a daily job before today's time."""
        if self.every is not None:
            periods = (now - _EPOCH) // self.every
            return _EPOCH + periods * self.every
        local = timezone.localtime(now)
        start = timezone.make_aware(datetime.combine(local.date(), self.daily_at or time()))
        return start if local >= start else None


_JOBS: dict[str, PeriodicJob] = {}


def register_periodic(
    name: str,
    task: Task[[], Any],
    *,
    every: timedelta | None = None,
    daily_at: time | None = None,
) -> PeriodicJob:
    """Queue ``task`` (which takes no arguments) every ``every``, or daily at ``daily_at``."""
    if (every is None) == (daily_at is None):
        raise ValueError(f"periodic job {name!r}: give either every or daily_at")
    if every is not None and every < timedelta(seconds=1):
        raise ValueError(f"periodic job {name!r}: the period must be at least one second")
    job = PeriodicJob(name=name, task=task, every=every, daily_at=daily_at)
    _JOBS[name] = job
    return job


def periodic_jobs() -> list[PeriodicJob]:
    return list(_JOBS.values())


def queue_due_jobs(now: datetime | None = None) -> list[str]:
    """Queue every job whose current slot no worker has claimed yet; returns their names."""
    now = now or timezone.now()
    queued = []
    for job in _JOBS.values():
        slot = job.slot(now)
        if slot is None:
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(job=job.name, slot=slot)
                # In the same transaction with the database backend: a crash between the two
                # neither loses the slot's run nor queues it twice. On Redis the task is sent
                # before the claim commits: if Redis fails the claim is rolled back and the
                # next tick tries again.
                job.task.enqueue()
        except IntegrityError:
            continue  # another worker has it
        queued.append(job.name)
    ScheduledRun.objects.filter(slot__lt=now - _KEEP_RUNS).delete()
    return queued


class Scheduler(threading.Thread):
    """Queues due jobs every ``SCHEDULER_TICK_SECONDS`` until stopped, on its own connection."""

    def __init__(self) -> None:
        super().__init__(name="regie-scheduler", daemon=True)
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                try:
                    queue_due_jobs()
                except DatabaseError:
                    # A busy or restarting database must not kill the worker; the next tick
                    # claims the slot if it is still current.
                    logger.warning("scheduler: database unavailable, retrying", exc_info=True)
                    connection.close()
                except RedisError:
                    logger.warning("scheduler: Redis unavailable, retrying", exc_info=True)
                self.stopping.wait(settings.SCHEDULER_TICK_SECONDS)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=5)
