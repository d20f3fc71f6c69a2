"""SLA deadlines: working time allowed per priority, counted on the working calendar.

Both clocks (first response and resolution) start when the ticket is created. Time spent
waiting (for the requester or a third party) or resolved (before a reopening) does not
count: when the ticket leaves such a status, the working time it spent there is added to
``sla_paused_seconds`` and the deadlines move by as much. A deadline is "at risk" once less
than ``HELPDESK_SLA_RISK_PERCENT`` of its allowed time is left, "breached" once it has passed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from regie.helpdesk.calendar import working_calendar
from regie.helpdesk.models import SlaTarget, Ticket

# Used when an administrator deleted the row of a priority: minutes of working time
# (a working day is 7.5 hours).
DEFAULT_TARGETS: dict[int, tuple[int, int]] = {
    1: (60, 240),
    2: (120, 900),
    3: (240, 1350),
    4: (450, 2250),
    5: (1350, 4500),
}


def allowed_times(priority: int) -> tuple[timedelta, timedelta]:
    """(first response, resolution) working time allowed for ``priority``."""
    target = SlaTarget.objects.filter(priority=priority).first()
    if target is not None:
        minutes = (target.first_response_minutes, target.resolution_minutes)
    else:
        minutes = DEFAULT_TARGETS[priority]
    return timedelta(minutes=minutes[0]), timedelta(minutes=minutes[1])


def set_deadlines(ticket: Ticket, *, opened_at: datetime) -> None:
    """Fill the four SLA moments of ``ticket`` from its priority and pauses (no save)."""
    calendar = working_calendar()
    paused = timedelta(seconds=ticket.sla_paused_seconds)
    warn_fraction = 1 - settings.HELPDESK_SLA_RISK_PERCENT / 100
    response, resolution = allowed_times(ticket.priority)
    ticket.first_response_due = calendar.add(opened_at, response + paused)
    ticket.first_response_warn_at = calendar.add(opened_at, response * warn_fraction + paused)
    ticket.resolution_due = calendar.add(opened_at, resolution + paused)
    ticket.resolution_warn_at = calendar.add(opened_at, resolution * warn_fraction + paused)


def end_pause(ticket: Ticket, *, now: datetime) -> None:
    """Count the working time since ``paused_since`` as paused and move the deadlines."""
    if ticket.paused_since is None:
        return
    spent = working_calendar().between(ticket.paused_since, now)
    ticket.sla_paused_seconds += int(spent.total_seconds())
    ticket.paused_since = None
    set_deadlines(ticket, opened_at=ticket.created_at)
