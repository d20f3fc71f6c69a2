"""Background entry points of the helpdesk (run by `regie worker`)."""

from __future__ import annotations

from django_tasks import task

from regie.helpdesk.notifications import send_notification
from regie.helpdesk.services import close_resolved_tickets


@task()
def send_ticket_notification(kind: str, ticket_id: int, followup_id: int | None = None) -> bool:
    """Mail one notification about a ticket."""
    return send_notification(kind=kind, ticket_id=ticket_id, followup_id=followup_id)


@task()
def close_old_resolved_tickets() -> int:
    """Periodic: close tickets resolved more than HELPDESK_AUTO_CLOSE_DAYS ago."""
    return len(close_resolved_tickets())
