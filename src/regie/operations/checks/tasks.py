"""Background jobs of the checks app (queued by the periodic scheduler)."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from regie.operations.checks.services import evaluate_checks, prune_pings


@task()
def evaluate_checks_task() -> int:
    """Every minute: checks past their deadline go late or down. Returns the flips made."""
    return len(evaluate_checks())


@task()
def prune_pings_task() -> int:
    """Every quarter of an hour: keep the last ``PING_KEEP`` pings of recently pinged checks."""
    return prune_pings(since=timedelta(minutes=20))
