"""Background job of the directory (queued by the periodic scheduler)."""

from __future__ import annotations

from django_tasks import task

from regie.directory.sync.engine import sync_enabled_sources


@task()
def sync_directories_task() -> list[int]:
    """Every ``REGIE_DIRECTORY_SYNC_CRON``: sync each enabled source; the runs' ids."""
    return [run.pk for run in sync_enabled_sources()]
