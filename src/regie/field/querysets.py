"""Reusable reads of interventions."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from regie.core.search import search_all_words

if TYPE_CHECKING:
    from regie.field.models import Intervention  # noqa: F401  # named in QuerySet["…"]


class InterventionQuerySet(models.QuerySet["Intervention"]):
    def pending(self) -> InterventionQuerySet:
        """Still to do: to plan or planned."""
        return self.filter(status__in=["to_plan", "planned"])

    def to_plan(self) -> InterventionQuerySet:
        return self.filter(status="to_plan")

    def doable_on(self, day: date) -> InterventionQuerySet:
        """Whose date range (when given) includes ``day``."""
        return self.filter(
            Q(earliest_date__isnull=True) | Q(earliest_date__lte=day),
            Q(latest_date__isnull=True) | Q(latest_date__gte=day),
        )

    def search(self, term: str) -> InterventionQuerySet:
        return self.filter(
            search_all_words(["title", "reference", "site__name", "description"], term)
        )
