"""One FilterSet per listable telephony model, shared by the HTML lists and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from regie.core.filters import OrderingFilter, SearchFilterSet, YesNoFilter, visible_choices
from regie.directory.models import Department, Organisation, Person, Site
from regie.telephony.models import (
    ContinuityPlan,
    CopperCutoff,
    DepartmentOnCall,
    Extension,
    Forwarding,
    Line,
    LineKind,
    LineStatus,
    Operator,
    OperatorContract,
    SimCard,
    SiteFallback,
    Technology,
)


class OperatorFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="fcontains", label=_("Search"))
    ordering = OrderingFilter(fields=(("name", "name"),), collated=["name"])

    class Meta:
        model = Operator
        fields = ["q"]


class OperatorContractFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="reference", lookup_expr="fcontains", label=_("Search")
    )
    operator = django_filters.ModelChoiceFilter(
        queryset=visible_choices(Operator), label=_("Operator")
    )
    ends_before = django_filters.DateFilter(
        field_name="end_date", lookup_expr="lt", label=_("Ends before")
    )
    ordering = OrderingFilter(
        fields=(("reference", "reference"), ("end_date", "end_date"), ("monthly_cost", "cost")),
    )

    class Meta:
        model = OperatorContract
        fields = ["q", "operator"]


class LineFilterSet(SearchFilterSet):
    kind = django_filters.ChoiceFilter(choices=LineKind.choices, label=_("Kind"))
    technology = django_filters.ChoiceFilter(choices=Technology.choices, label=_("Technology"))
    status = django_filters.ChoiceFilter(choices=LineStatus.choices, label=_("Status"))
    site = django_filters.ModelChoiceFilter(queryset=visible_choices(Site), label=_("Site"))
    person = django_filters.ModelChoiceFilter(queryset=visible_choices(Person), label=_("Person"))
    operator = django_filters.ModelChoiceFilter(
        queryset=visible_choices(Operator), label=_("Operator")
    )
    contract = django_filters.ModelChoiceFilter(
        queryset=visible_choices(OperatorContract), label=_("Contract")
    )
    ordering = OrderingFilter(
        fields=(
            ("number", "number"),
            ("kind", "kind"),
            ("status", "status"),
            ("site__name", "site"),
            ("person__last_name", "person"),
        ),
        collated=["site", "person"],
    )

    class Meta:
        model = Line
        fields = ["q", "kind", "technology", "status", "site", "person", "operator", "contract"]


class SimCardFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=LineStatus.choices, label=_("Status"))
    operator = django_filters.ModelChoiceFilter(
        queryset=visible_choices(Operator), label=_("Operator")
    )
    line = django_filters.ModelChoiceFilter(queryset=visible_choices(Line))
    ordering = OrderingFilter(fields=(("iccid", "iccid"),))

    class Meta:
        model = SimCard
        fields = ["q", "status", "operator", "line"]

    def filter_search(
        self, queryset: QuerySet[SimCard], name: str, value: str
    ) -> QuerySet[SimCard]:
        value = "".join(value.split())
        return queryset.filter(Q(iccid__contains=value) | Q(line__number__contains=value))


class ExtensionFilterSet(SearchFilterSet):
    site = django_filters.ModelChoiceFilter(queryset=visible_choices(Site), label=_("Site"))
    person = django_filters.ModelChoiceFilter(queryset=visible_choices(Person), label=_("Person"))
    softphone = YesNoFilter(label=_("Softphone?"))
    ordering = OrderingFilter(
        fields=(("number", "number"), ("person__last_name", "person")), collated=["person"]
    )

    class Meta:
        model = Extension
        fields = ["q", "site", "person", "softphone"]


class ForwardingFilterSet(django_filters.FilterSet):
    active = YesNoFilter(label=_("Forwarded?"))
    line = django_filters.ModelChoiceFilter(queryset=visible_choices(Line))
    extension = django_filters.ModelChoiceFilter(queryset=visible_choices(Extension))

    class Meta:
        model = Forwarding
        fields = ["active", "line", "extension"]


class ContinuityPlanFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="fcontains", label=_("Search"))

    class Meta:
        model = ContinuityPlan
        fields = ["q"]


class CopperCutoffFilterSet(django_filters.FilterSet):
    commune = django_filters.ModelChoiceFilter(
        queryset=visible_choices(Organisation), label=_("Commune")
    )
    before = django_filters.DateFilter(
        field_name="cutoff_date", lookup_expr="lte", label=_("Closes before")
    )
    ordering = OrderingFilter(fields=(("cutoff_date", "cutoff_date"),))

    class Meta:
        model = CopperCutoff
        fields = ["commune", "before"]


class SiteFallbackFilterSet(django_filters.FilterSet):
    site = django_filters.ModelChoiceFilter(queryset=visible_choices(Site), label=_("Site"))

    class Meta:
        model = SiteFallback
        fields = ["site"]


class DepartmentOnCallFilterSet(django_filters.FilterSet):
    department = django_filters.ModelChoiceFilter(
        queryset=visible_choices(Department), label=_("Department")
    )

    class Meta:
        model = DepartmentOnCall
        fields = ["department"]
