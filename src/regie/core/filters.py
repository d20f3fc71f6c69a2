"""Shared pieces of the FilterSets that serve both the HTML lists and the API lists."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import django_filters
from django import forms
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from regie.core.collation import collated
from regie.core.permissions import restrict_choices

# What an id can be: SQLite's INTEGER and PostgreSQL's bigint are signed 64-bit. A larger
# number would not fail to match, it would crash the query (SQLite raises OverflowError).
ID_MIN = -(2**63)
ID_MAX = 2**63 - 1


class IdField(forms.IntegerField):
    """An id typed into a filter: a whole number a database column can hold."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", ID_MIN)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)


class IdFilter(django_filters.NumberFilter):
    """Rows whose foreign key (``field_name``) is this id; anything else is a form error."""

    field_class = IdField

    def get_max_validator(self) -> None:
        return None  # IdField bounds both ends


class YesNoSelect(forms.NullBooleanSelect):
    """All / Yes / No: the "either" answer reads as "All", not as "Unknown"."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]

    def format_value(self, value: Any) -> str:  # type: ignore[override]  # "" for "either"
        return {True: "true", False: "false", "true": "true", "false": "false"}.get(value, "")


class YesNoField(forms.NullBooleanField):
    widget = YesNoSelect


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter: give it a question as its label ("Encrypted?")."""

    field_class = YesNoField


def visible_choices(model: type[Model]) -> Any:
    """A queryset callable for ModelChoiceFilter: only the rows the user may see."""

    def choices(request: HttpRequest | None) -> QuerySet[Any]:
        user = getattr(request, "user", None)
        queryset: QuerySet[Any] = restrict_choices(model._default_manager.all(), user)
        return queryset

    return choices


class SearchFilterSet(django_filters.FilterSet):
    """Adds ``q``, a free-text search delegated to the model's ``QuerySet.search``."""

    q = django_filters.CharFilter(method="filter_search", label=_("Search"))

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()[:100]
        return queryset.search(value) if value else queryset  # type: ignore[attr-defined]  # every searchable model's queryset has search()


class OrderingFilter(django_filters.OrderingFilter):
    """``ordering`` whose name-like parameters sort in French order (see core.collation).

    ``collated`` lists the parameters to sort that way; the others keep the plain order,
    which indexes serve (numbers, dates, codes).
    """

    def __init__(self, *args: Any, collated: Iterable[str] = (), **kwargs: Any) -> None:
        self.collated = set(collated)
        super().__init__(*args, **kwargs)

    def get_ordering_value(self, param: str) -> Any:
        descending = param.startswith("-")
        name = param.removeprefix("-")
        if name in self.collated:
            return collated(self.param_map.get(name, name), descending=descending)
        return super().get_ordering_value(param)
