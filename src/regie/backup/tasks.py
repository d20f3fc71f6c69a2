"""Background job of the backup app (queued by the periodic scheduler)."""

from __future__ import annotations

from django_tasks import task

from regie.backup.services import run_scheduled_backup


@task()
def nightly_backup_task() -> str:
    """Every night at ``BACKUP_TIME``: one archive, the oldest pruned; the archive's name."""
    result = run_scheduled_backup()
    return result.path.name if result is not None else ""
