"""Reusable reads for telephony."""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from regie.telephony.numbers import normalise_number

if TYPE_CHECKING:
    from regie.telephony.models import Extension, Line  # noqa: F401  # named in QuerySet["…"]


def _number_terms(term: str) -> Q:
    """A typed number ("05 49 27") also finds the stored E.164 ("+33549 27…")."""
    digits = "".join(char for char in term if char.isdigit())
    query = Q()
    if len(digits) >= 2:
        query |= Q(number__contains=digits.lstrip("0") or digits)
    with suppress(ValidationError):  # not a whole number: the substring test is enough
        query |= Q(number=normalise_number(term))
    return query


class LineQuerySet(models.QuerySet["Line"]):
    def for_list(self) -> LineQuerySet:
        return self.select_related("operator", "person", "site")

    def search(self, term: str) -> LineQuerySet:
        query = (
            Q(label__fcontains=term)
            | Q(notes__fcontains=term)
            | Q(person__last_name__fcontains=term)
            | Q(person__first_name__fcontains=term)
            | Q(site__name__fcontains=term)
            | _number_terms(term)
        )
        return self.filter(query)


class ExtensionQuerySet(models.QuerySet["Extension"]):
    def for_list(self) -> ExtensionQuerySet:
        return self.select_related("person", "site", "line", "desk_phone")

    def search(self, term: str) -> ExtensionQuerySet:
        return self.filter(
            Q(number__contains=term)
            | Q(person__last_name__fcontains=term)
            | Q(person__first_name__fcontains=term)
            | Q(softphone_client__fcontains=term)
        )
