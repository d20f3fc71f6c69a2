"""Background entry points of the inventory inbox (run by `regie worker`)."""

from __future__ import annotations

from django_tasks import task

from regie.inventory.pipeline import process_waiting


@task()
def process_received_report(report_id: int) -> str:
    """Process one stored report (with others waiting, see ``process_waiting``); returns its
    status. A retry is harmless."""
    return str(process_waiting(report_id=report_id).status)
