"""One FilterSet per listable alerts model, shared by the HTML lists and the API."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from regie.core.events import Severity
from regie.core.filters import OrderingFilter, YesNoFilter, visible_choices
from regie.operations.alerts.models import Channel, ChannelKind, Delivery, DeliveryStatus


class ChannelFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="fcontains", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=ChannelKind.choices, label=_("Kind"))
    enabled = YesNoFilter(label=_("Enabled?"))
    ordering = OrderingFilter(fields=(("name", "name"), ("kind", "kind")), collated=["name"])

    class Meta:
        model = Channel
        fields = ["q", "kind", "enabled"]


class DeliveryFilterSet(django_filters.FilterSet):
    """Deliveries by status, channel, event kind (its beginning: ``check.``) and severity."""

    status = django_filters.MultipleChoiceFilter(
        choices=DeliveryStatus.choices, label=_("Status"), distinct=False
    )
    channel = django_filters.ModelChoiceFilter(
        queryset=visible_choices(Channel), label=_("Channel")
    )
    kind = django_filters.CharFilter(method="filter_kind", label=_("Event kind"))
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("Severity"))
    ordering = OrderingFilter(
        fields=(
            ("created_at", "created_at"),
            ("sent_at", "sent_at"),
            ("next_attempt_at", "next_attempt_at"),
        ),
    )

    class Meta:
        model = Delivery
        fields = ["status", "channel", "kind", "severity"]

    def filter_kind(
        self, queryset: QuerySet[Delivery], name: str, value: str
    ) -> QuerySet[Delivery]:
        value = value.strip()[:100]
        return queryset.filter(kind__startswith=value) if value else queryset
