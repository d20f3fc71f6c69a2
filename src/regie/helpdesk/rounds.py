"""The helpdesk's section of the daily round: tickets past or near their SLA deadline,
urgent tickets nobody has taken, and unassigned tickets that need a visit."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regie.core.events import Severity
from regie.core.models import User
from regie.core.rounds import RoundItem, RoundSource, register_source
from regie.helpdesk.choices import Priority
from regie.helpdesk.models import Ticket
from regie.helpdesk.permissions import ticket_policy

SHOWN = 50


def _item(ticket: Ticket, reason: str, severity: Severity, detail: str) -> RoundItem:
    return RoundItem(
        key=f"ticket:{ticket.pk}:{reason}",
        title=str(ticket),
        detail=detail,
        url=ticket.get_absolute_url(),
        severity=severity,
        since=ticket.created_at,
        site_id=ticket.site_id,
    )


def _urgent_detail(ticket: Ticket) -> str:
    values = {"priority": ticket.get_priority_display(), "site": ticket.site or _("no site")}
    if ticket.needs_visit:
        return _("%(priority)s, needs a visit, nobody assigned (%(site)s)") % values
    return _("%(priority)s, nobody assigned (%(site)s)") % values


def ticket_round_items(user: User, since: datetime | None) -> list[RoundItem]:
    now = timezone.now()
    tickets = ticket_policy.visible(user)
    items: list[RoundItem] = []
    for ticket in tickets.sla_breached(now).order_by("resolution_due")[:SHOWN]:
        items.append(
            _item(
                ticket,
                "sla_breached",
                Severity.CRITICAL,
                _("SLA breached (%(site)s)") % {"site": ticket.site or _("no site")},
            )
        )
    for ticket in tickets.sla_at_risk(now).order_by("resolution_due")[:SHOWN]:
        items.append(
            _item(
                ticket,
                "sla_at_risk",
                Severity.WARNING,
                _("SLA at risk (%(site)s)") % {"site": ticket.site or _("no site")},
            )
        )
    for ticket in tickets.unassigned_urgent().order_by("priority", "created_at")[:SHOWN]:
        items.append(
            _item(
                ticket,
                "urgent_unassigned",
                Severity.CRITICAL if ticket.priority == Priority.P1 else Severity.WARNING,
                _urgent_detail(ticket),
            )
        )
    # An urgent one is listed above already, with its visit.
    unassigned = tickets.open().filter(needs_visit=True, assignee__isnull=True)
    unassigned = unassigned.exclude(pk__in=tickets.unassigned_urgent().values("pk"))
    for ticket in unassigned.order_by("created_at")[:SHOWN]:
        items.append(
            _item(
                ticket,
                "visit_unassigned",
                Severity.WARNING,
                _("Needs a visit, nobody assigned (%(site)s)")
                % {"site": ticket.site or _("no site")},
            )
        )
    return items


def register() -> None:
    register_source(
        RoundSource(
            key="tickets",
            label=gettext_lazy("Tickets needing attention"),
            order=30,
            items=ticket_round_items,
        )
    )
