"""One FilterSet per listable fleet model, shared by the HTML lists and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from regie.assets.models import (
    Asset,
    AssetModel,
    AssetStatus,
    AssetType,
    Contract,
    ContractKind,
    Manufacturer,
    Software,
    SoftwareInstallation,
    SoftwareVersion,
    Supplier,
)
from regie.core.filters import IdFilter, OrderingFilter, SearchFilterSet, visible_choices
from regie.directory.models import Department, Person, Site


class AssetFilterSet(SearchFilterSet):
    # distinct=False: status is a plain column, and DISTINCT makes every count build all rows.
    status = django_filters.MultipleChoiceFilter(
        choices=AssetStatus.choices,
        label=_("Status"),
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
    )
    asset_type = django_filters.ModelChoiceFilter(
        queryset=visible_choices(AssetType), label=_("Type")
    )
    site = django_filters.ModelChoiceFilter(queryset=visible_choices(Site), label=_("Site"))
    department = django_filters.ModelChoiceFilter(
        queryset=visible_choices(Department), label=_("Department")
    )
    assigned_to = django_filters.ModelChoiceFilter(
        queryset=visible_choices(Person), label=_("Assigned to")
    )
    manufacturer = django_filters.ModelChoiceFilter(
        queryset=visible_choices(Manufacturer), label=_("Manufacturer")
    )
    supplier = django_filters.ModelChoiceFilter(
        queryset=visible_choices(Supplier), label=_("Supplier")
    )
    contract = django_filters.ModelChoiceFilter(
        queryset=visible_choices(Contract), label=_("Contract")
    )
    warranty_end_before = django_filters.DateFilter(
        field_name="warranty_end", lookup_expr="lt", label=_("Warranty ends before")
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("inventory_number", "inventory_number"),
            ("name", "name"),
            ("status", "status"),
            ("asset_type__name", "asset_type"),
            ("site__name", "site"),
            ("assigned_to__last_name", "assigned_to"),
            ("purchase_date", "purchase_date"),
            ("warranty_end", "warranty_end"),
        ),
    )

    class Meta:
        model = Asset
        fields = ["q", "status", "asset_type", "site", "department", "assigned_to"]


class AssetTypeFilterSet(django_filters.FilterSet):
    class Meta:
        model = AssetType
        fields = ["kind"]


class AssetModelFilterSet(django_filters.FilterSet):
    # No label: the model field's, as when these filters were generated from Meta.fields.
    manufacturer = django_filters.ModelChoiceFilter(queryset=visible_choices(Manufacturer))
    asset_type = django_filters.ModelChoiceFilter(queryset=visible_choices(AssetType))

    class Meta:
        model = AssetModel
        fields = ["manufacturer", "asset_type"]


class SupplierFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="fcontains", label=_("Search"))
    ordering = OrderingFilter(fields=(("name", "name"),), collated=["name"])

    class Meta:
        model = Supplier
        fields = ["q"]


class ContractFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="fcontains", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=ContractKind.choices, label=_("Kind"))
    supplier = django_filters.ModelChoiceFilter(
        queryset=visible_choices(Supplier), label=_("Supplier")
    )
    ends_before = django_filters.DateFilter(
        field_name="end_date", lookup_expr="lt", label=_("Ends before")
    )
    ordering = OrderingFilter(
        fields=(("name", "name"), ("end_date", "end_date"), ("yearly_cost", "yearly_cost")),
        collated=["name"],
    )

    class Meta:
        model = Contract
        fields = ["q", "kind", "supplier"]


class ManufacturerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="fcontains", label=_("Search"))

    class Meta:
        model = Manufacturer
        fields = ["q"]


_SEARCH_LENGTH = 100


class SoftwareFilterSet(django_filters.FilterSet):
    """The software catalogue: search by name or publisher."""

    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    name = django_filters.CharFilter(field_name="name", lookup_expr="fcontains", label=_("Name"))
    publisher = django_filters.CharFilter(
        field_name="publisher", lookup_expr="fcontains", label=_("Publisher")
    )
    version = django_filters.CharFilter(method="filter_version", label=_("Version"))
    ordering = OrderingFilter(
        fields=(("name", "name"), ("publisher", "publisher"), ("installation_count", "installs")),
        collated=["name", "publisher"],
    )

    class Meta:
        model = Software
        fields = ["q", "name", "publisher", "version"]

    def filter_version(
        self, queryset: QuerySet[Software], name: str, value: str
    ) -> QuerySet[Software]:
        """Programs having this version (exact text); a subquery, so no DISTINCT."""
        having = SoftwareVersion.objects.filter(version=value.strip()[:_SEARCH_LENGTH])
        return queryset.filter(pk__in=having.values("software"))

    def filter_search(
        self, queryset: QuerySet[Software], name: str, value: str
    ) -> QuerySet[Software]:
        query = Q()
        for word in value.split()[:10]:
            word = word[:_SEARCH_LENGTH]
            query &= Q(name__fcontains=word) | Q(publisher__fcontains=word)
        return queryset.filter(query)


class SoftwareInstallationFilterSet(django_filters.FilterSet):
    """Installed software: search by program, publisher or version; one version only."""

    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    version = IdFilter(field_name="version_id", label=_("Version"))

    class Meta:
        model = SoftwareInstallation
        fields = ["q", "version"]

    def filter_search(
        self, queryset: QuerySet[SoftwareInstallation], name: str, value: str
    ) -> QuerySet[SoftwareInstallation]:
        query = Q()
        for word in value.split()[:10]:
            word = word[:_SEARCH_LENGTH]
            query &= (
                Q(version__software__name__fcontains=word)
                | Q(version__software__publisher__fcontains=word)
                | Q(version__version__fcontains=word)
            )
        return queryset.filter(query)
