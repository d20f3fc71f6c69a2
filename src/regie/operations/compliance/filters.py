"""The findings' FilterSet, shared by the compliance page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from regie.assets.models import Asset, AssetType
from regie.core.events import Severity
from regie.core.filters import OrderingFilter, YesNoFilter, visible_choices
from regie.directory.models import Site
from regie.operations.compliance.models import Finding, RuleCode


class FindingFilterSet(django_filters.FilterSet):
    """Findings by rule, severity, site, asset type, asset and state; ``q`` searches the
    asset's number and name and the reason."""

    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    rule = django_filters.ChoiceFilter(choices=RuleCode.choices, label=_("Rule"))
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("Severity"))
    site = django_filters.ModelChoiceFilter(
        field_name="asset__site", queryset=visible_choices(Site), label=_("Site")
    )
    asset_type = django_filters.ModelChoiceFilter(
        field_name="asset__asset_type", queryset=visible_choices(AssetType), label=_("Type")
    )
    asset = django_filters.ModelChoiceFilter(queryset=visible_choices(Asset), label=_("Asset"))
    open = YesNoFilter(field_name="resolved_at", lookup_expr="isnull", label=_("Open?"))
    ordering = OrderingFilter(
        fields=(
            ("asset__inventory_number", "asset"),
            ("rule", "rule"),
            ("severity", "severity"),
            ("first_seen", "first_seen"),
            ("last_seen", "last_seen"),
        ),
    )

    class Meta:
        model = Finding
        fields = ["q", "rule", "severity", "site", "asset_type", "asset", "open"]

    def filter_search(
        self, queryset: QuerySet[Finding], name: str, value: str
    ) -> QuerySet[Finding]:
        for word in value.strip()[:100].split():
            queryset = queryset.filter(
                Q(asset__inventory_number__fcontains=word)
                | Q(asset__name__fcontains=word)
                | Q(reason__fcontains=word)
            )
        return queryset
