"""Background entry points of the helpdesk (run by `regie worker`)."""

from __future__ import annotations

from django_tasks import task

from regie.helpdesk.notifications import queue
from regie.helpdesk.services import close_resolved_tickets


@task()
def send_ticket_notification(kind: str, ticket_id: int, followup_id: int | None = None) -> bool:
    """Queue one notification about a ticket in the outbox; kept for the tasks queued before
    notifications went through the outbox."""
    return queue(kind, ticket_id, followup_id) is not None


@task()
def close_old_resolved_tickets() -> int:
    """Periodic: close tickets resolved more than HELPDESK_AUTO_CLOSE_DAYS ago."""
    return len(close_resolved_tickets())
