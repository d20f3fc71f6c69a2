"""The API's filter backend: the FilterSets of the HTML lists, with strict query values.

An HTML filter form sends every field, blank ones included, so the FilterSets read a blank
value as "no filter" and an unknown yes/no as "either". An API client sends what it means:
a blank date, number or choice, or a yes/no that is neither, is a 400 naming the parameter.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, serializers
from rest_framework.request import Request

# The spellings DRF's BooleanField reads, which the schema's "boolean" stands for.
_BOOLEAN_VALUES = serializers.BooleanField.TRUE_VALUES | serializers.BooleanField.FALSE_VALUES


def query_errors(filterset: django_filters.FilterSet, request: Request) -> dict[str, list[str]]:
    """The query parameters a FilterSet would silently ignore, with why."""
    errors: dict[str, list[str]] = {}
    for name, filter_ in filterset.filters.items():
        if isinstance(filter_, django_filters.CharFilter) and not isinstance(
            filter_, django_filters.BaseCSVFilter
        ):
            continue  # free text: blank is a valid search
        for value in request.query_params.getlist(name):
            if value.strip() == "":
                errors[name] = [str(serializers.CharField.default_error_messages["blank"])]
            elif isinstance(filter_, django_filters.BooleanFilter) and value not in _BOOLEAN_VALUES:
                errors[name] = [str(serializers.BooleanField.default_error_messages["invalid"])]
    return errors


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is not None:
            errors = query_errors(filterset, request)
            if errors:
                raise exceptions.ValidationError(errors)
        return super().filter_queryset(request, queryset, view)
