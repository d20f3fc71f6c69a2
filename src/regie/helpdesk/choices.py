"""Choices of the helpdesk: statuses, sources, urgency and impact levels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TicketStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("ticket status", "New")
    ASSIGNED = "assigned", pgettext_lazy("ticket status", "Assigned")
    IN_PROGRESS = "in_progress", pgettext_lazy("ticket status", "In progress")
    WAITING = "waiting", pgettext_lazy("ticket status", "Waiting")
    RESOLVED = "resolved", pgettext_lazy("ticket status", "Resolved")
    CLOSED = "closed", pgettext_lazy("ticket status", "Closed")
    REOPENED = "reopened", pgettext_lazy("ticket status", "Reopened")


# Statuses in which the IT team still has something to do.
OPEN_STATUSES = (
    TicketStatus.NEW,
    TicketStatus.ASSIGNED,
    TicketStatus.IN_PROGRESS,
    TicketStatus.WAITING,
    TicketStatus.REOPENED,
)


class WaitingFor(models.TextChoices):
    REQUESTER = "requester", _("The requester")
    THIRD_PARTY = "third_party", _("A third party")


class TicketSource(models.TextChoices):
    PORTAL = "portal", _("Portal")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    ON_SITE = "on_site", _("On site")


class Level(models.IntegerChoices):
    """Urgency and impact, ITIL style: 1 is the highest."""

    VERY_HIGH = 1, _("Very high")
    HIGH = 2, _("High")
    MEDIUM = 3, _("Medium")
    LOW = 4, _("Low")
    VERY_LOW = 5, _("Very low")


class Priority(models.IntegerChoices):
    P1 = 1, _("P1 — critical")
    P2 = 2, _("P2 — high")
    P3 = 3, _("P3 — medium")
    P4 = 4, _("P4 — low")
    P5 = 5, _("P5 — planned")


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    STATUS = "status", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    PRIORITY = "priority", _("Priority changed")
    ASSETS = "assets", _("Equipment linked")
    SATISFACTION = "satisfaction", _("Satisfaction given")


class SlaState(models.TextChoices):
    OK = "ok", _("On time")
    AT_RISK = "at_risk", _("At risk")
    BREACHED = "breached", _("Breached")
    MET = "met", _("Met")
