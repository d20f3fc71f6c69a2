"""One FilterSet per listable model of the round, shared by the HTML lists and the API."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from regie.core.filters import OrderingFilter, SearchFilterSet, YesNoFilter, visible_choices
from regie.directory.models import Site
from regie.field.models import (
    Intervention,
    InterventionKind,
    InterventionStatus,
    PlanStatus,
    Priority,
    RoutePlan,
)


class InterventionFilterSet(SearchFilterSet):
    status = django_filters.ChoiceFilter(choices=InterventionStatus.choices, label=_("Status"))
    pending = YesNoFilter(method="filter_pending", label=_("Pending?"))
    kind = django_filters.ChoiceFilter(choices=InterventionKind.choices, label=_("Kind"))
    priority = django_filters.ChoiceFilter(choices=Priority.choices, label=_("Priority"))
    site = django_filters.ModelChoiceFilter(queryset=visible_choices(Site), label=_("Site"))
    due_after = django_filters.DateFilter(
        field_name="latest_date", lookup_expr="gte", label=_("Due from")
    )
    due_before = django_filters.DateFilter(
        field_name="latest_date", lookup_expr="lte", label=_("Due by")
    )
    ordering = OrderingFilter(
        fields=(
            ("priority", "priority"),
            ("latest_date", "latest_date"),
            ("title", "title"),
            ("site__name", "site"),
            ("status", "status"),
        ),
        collated=["title", "site"],
    )

    class Meta:
        model = Intervention
        fields = ["q", "status", "pending", "kind", "priority", "site", "due_after", "due_before"]

    def filter_pending(
        self, queryset: QuerySet[Intervention], name: str, value: bool | None
    ) -> QuerySet[Intervention]:
        if value is None:
            return queryset
        pending = queryset.pending()  # type: ignore[attr-defined]  # InterventionQuerySet
        return pending if value else queryset.exclude(pk__in=pending.values("pk"))


class RoutePlanFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=_("Status"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To"))
    ordering = OrderingFilter(fields=(("date", "date"),))

    class Meta:
        model = RoutePlan
        fields = ["status", "date_from", "date_to"]
