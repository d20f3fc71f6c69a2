"""One FilterSet per listable inventory model, shared by the HTML lists and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from regie.assets.models import Asset
from regie.core.filters import OrderingFilter, YesNoFilter, visible_choices
from regie.inventory.models import Agent, AgentProtocol, ReceivedReport, ReportStatus


class AgentFilterSet(django_filters.FilterSet):
    """Agents by device id or name (``q``), protocol and approval."""

    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    protocol = django_filters.ChoiceFilter(choices=AgentProtocol.choices, label=_("Protocol"))
    approved = YesNoFilter(label=_("Approved?"))
    ordering = OrderingFilter(
        fields=(
            ("device_id", "device_id"),
            ("name", "name"),
            ("first_seen", "first_seen"),
            ("last_seen", "last_seen"),
            ("report_count", "report_count"),
        ),
    )

    class Meta:
        model = Agent
        fields = ["q", "protocol", "approved"]

    def filter_search(self, queryset: QuerySet[Agent], name: str, value: str) -> QuerySet[Agent]:
        for word in value.strip()[:100].split():
            queryset = queryset.filter(Q(device_id__fcontains=word) | Q(name__fcontains=word))
        return queryset


class ReceivedReportFilterSet(django_filters.FilterSet):
    """Received reports by status, protocol, agent and the asset they were applied to."""

    status = django_filters.MultipleChoiceFilter(
        choices=ReportStatus.choices, label=_("Status"), distinct=False
    )
    protocol = django_filters.ChoiceFilter(choices=AgentProtocol.choices, label=_("Protocol"))
    agent = django_filters.ModelChoiceFilter(queryset=visible_choices(Agent), label=_("Agent"))
    asset = django_filters.ModelChoiceFilter(queryset=visible_choices(Asset), label=_("Asset"))
    partial = YesNoFilter(label=_("Partial inventory?"))
    ordering = OrderingFilter(
        fields=(("received_at", "received_at"), ("processed_at", "processed_at")),
    )

    class Meta:
        model = ReceivedReport
        fields = ["status", "protocol", "agent", "asset", "partial"]
