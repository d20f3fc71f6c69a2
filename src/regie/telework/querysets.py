"""Reads of telework: open and overdue loans, reservations in force."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from regie.telework.models import Loan, Reservation  # noqa: F401  # named in QuerySet["…"]


class ReservationQuerySet(models.QuerySet["Reservation"]):
    def booked(self) -> ReservationQuerySet:
        return self.filter(status="booked")

    def overlapping(self, start: datetime.datetime, end: datetime.datetime) -> ReservationQuerySet:
        """Reservations sharing some time with [start, end): touching ends do not overlap."""
        return self.filter(start__lt=end, end__gt=start)

    def for_list(self) -> ReservationQuerySet:
        return self.select_related("asset", "asset__asset_type", "person")


class LoanQuerySet(models.QuerySet["Loan"]):
    def open(self) -> LoanQuerySet:
        return self.filter(returned_at__isnull=True)

    def overdue(self, today: datetime.date) -> LoanQuerySet:
        return self.open().filter(due_date__lt=today)

    def for_list(self) -> LoanQuerySet:
        return self.select_related("asset", "asset__asset_type", "person", "person__site")
