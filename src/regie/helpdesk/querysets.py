"""Reusable reads for tickets: search, open ones, SLA at risk or breached."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

if TYPE_CHECKING:
    from regie.helpdesk.models import Ticket  # noqa: F401  # named in QuerySet["…"]

_OPEN = ("new", "assigned", "in_progress", "waiting", "reopened")
URGENT_PRIORITY = 2  # P1 (critical) and P2 (high)


class TicketQuerySet(models.QuerySet["Ticket"]):
    def for_list(self) -> TicketQuerySet:
        return self.select_related("requester", "assignee", "site", "category__parent")

    def open(self) -> TicketQuerySet:
        return self.filter(status__in=_OPEN)

    def unassigned_urgent(self) -> TicketQuerySet:
        """Open P1 and P2 tickets nobody has taken yet: the person on duty must see them."""
        return self.open().filter(assignee__isnull=True, priority__lte=URGENT_PRIORITY)

    def search(self, term: str) -> TicketQuerySet:
        query = Q()
        for word in term.split():
            word_query = (
                Q(title__fcontains=word)
                | Q(description__fcontains=word)
                | Q(requester__last_name__fcontains=word)
                | Q(requester__first_name__fcontains=word)
                | Q(site__name__fcontains=word)
            )
            if word.lstrip("#").isdigit():
                word_query |= Q(pk=int(word.lstrip("#")))
            query &= word_query
        return self.filter(query)

    def _with_clock(self, now: datetime | None) -> TicketQuerySet:
        # The SLA clock stops while a ticket waits: compare the deadlines with the moment the
        # wait began rather than with now.
        return self.open().alias(sla_clock=Coalesce("paused_since", Value(now or timezone.now())))

    def sla_breached(self, now: datetime | None = None) -> TicketQuerySet:
        return self._with_clock(now).filter(
            Q(first_response_at__isnull=True, first_response_due__lt=models.F("sla_clock"))
            | Q(resolution_due__lt=models.F("sla_clock"))
        )

    def sla_at_risk(self, now: datetime | None = None) -> TicketQuerySet:
        """Open tickets past the warning point of a deadline but not past the deadline."""
        clock = models.F("sla_clock")
        response_risk = Q(
            first_response_at__isnull=True,
            first_response_warn_at__lte=clock,
            first_response_due__gte=clock,
        )
        resolution_risk = Q(resolution_warn_at__lte=clock, resolution_due__gte=clock)
        return (
            self._with_clock(now)
            .filter(response_risk | resolution_risk)
            .exclude(pk__in=self.sla_breached(now).values("pk"))
        )

    def sla_attention(self, now: datetime | None = None) -> TicketQuerySet:
        """At risk or breached."""
        clock = models.F("sla_clock")
        return self._with_clock(now).filter(
            Q(first_response_at__isnull=True, first_response_warn_at__lte=clock)
            | Q(resolution_warn_at__lte=clock)
        )
