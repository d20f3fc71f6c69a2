"""One FilterSet per listable model of the checks app, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from regie.core.filters import IdFilter, OrderingFilter, visible_choices
from regie.directory.models import Site
from regie.operations.checks.models import Check, CheckKind, CheckStatus, Flip, Ping, PingKind


class CheckFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=CheckStatus.choices, label=_("Status"))
    kind = django_filters.ChoiceFilter(choices=CheckKind.choices, label=_("Kind"))
    site = django_filters.ModelChoiceFilter(queryset=visible_choices(Site), label=_("Site"))
    ordering = OrderingFilter(
        fields=(("name", "name"), ("status", "status"), ("last_ping_at", "last_ping_at")),
        collated=["name"],
    )

    class Meta:
        model = Check
        fields = ["q", "status", "kind", "site"]

    def filter_search(self, queryset: QuerySet[Check], name: str, value: str) -> QuerySet[Check]:
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(name__fcontains=value) | Q(description__fcontains=value))


class PingFilterSet(django_filters.FilterSet):
    check = IdFilter(field_name="check_obj", label=_("Check"))
    kind = django_filters.ChoiceFilter(choices=PingKind.choices, label=_("Kind"))

    class Meta:
        model = Ping
        fields = ["check", "kind"]


class FlipFilterSet(django_filters.FilterSet):
    check = IdFilter(field_name="check_obj", label=_("Check"))
    to_status = django_filters.ChoiceFilter(choices=CheckStatus.choices, label=_("To"))

    class Meta:
        model = Flip
        fields = ["check", "to_status"]
