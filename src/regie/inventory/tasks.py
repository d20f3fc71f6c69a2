"""Background entry points of the inventory inbox (run by `regie worker`)."""

from __future__ import annotations

from django_tasks import task

from regie.inventory.pipeline import process_report


@task()
def process_received_report(report_id: int) -> str:
    """Process one stored report; returns its status. A retry is harmless."""
    return str(process_report(report_id=report_id).status)
