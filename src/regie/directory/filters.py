"""One FilterSet per listable directory model, shared by the HTML lists and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from regie.core.filters import OrderingFilter, SearchFilterSet, YesNoFilter, visible_choices
from regie.directory.models import (
    Department,
    DirectorySource,
    Organisation,
    Person,
    Room,
    Site,
    SiteKind,
)


class OrganisationFilterSet(django_filters.FilterSet):
    parent = django_filters.ModelChoiceFilter(queryset=visible_choices(Organisation))
    q = django_filters.CharFilter(field_name="name", lookup_expr="fcontains", label=_("Search"))
    ordering = OrderingFilter(
        fields=(("name", "name"), ("population", "population"), ("insee_code", "insee_code")),
        collated=["name"],
    )

    class Meta:
        model = Organisation
        fields = ["kind", "parent"]


class SiteFilterSet(SearchFilterSet):
    kind = django_filters.ChoiceFilter(choices=SiteKind.choices, label=_("Kind"))
    organisation = django_filters.ModelChoiceFilter(
        queryset=visible_choices(Organisation), label=_("Commune")
    )
    ordering = OrderingFilter(
        fields=(("name", "name"), ("kind", "kind"), ("city", "city")),
        collated=["name", "city"],
    )

    class Meta:
        model = Site
        fields = ["q", "kind", "organisation"]


class RoomFilterSet(django_filters.FilterSet):
    site = django_filters.ModelChoiceFilter(queryset=visible_choices(Site), label=_("Site"))
    q = django_filters.CharFilter(field_name="name", lookup_expr="fcontains", label=_("Search"))

    class Meta:
        model = Room
        fields = ["site"]


class DepartmentFilterSet(django_filters.FilterSet):
    organisation = django_filters.ModelChoiceFilter(queryset=visible_choices(Organisation))
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    ordering = OrderingFilter(fields=(("name", "name"), ("code", "code")), collated=["name"])

    class Meta:
        model = Department
        fields = ["organisation"]

    def filter_search(
        self, queryset: QuerySet[Department], name: str, value: str
    ) -> QuerySet[Department]:
        return queryset.filter(Q(name__fcontains=value) | Q(code__fcontains=value))


class PersonFilterSet(SearchFilterSet):
    department = django_filters.ModelChoiceFilter(
        queryset=visible_choices(Department), label=_("Department")
    )
    site = django_filters.ModelChoiceFilter(queryset=visible_choices(Site), label=_("Site"))
    active = YesNoFilter(label=_("Active?"))
    ordering = OrderingFilter(
        fields=(
            ("last_name", "last_name"),
            ("first_name", "first_name"),
            ("department__name", "department"),
            ("site__name", "site"),
        ),
        collated=["last_name", "first_name", "department", "site"],
    )

    class Meta:
        model = Person
        fields = ["q", "department", "site", "active"]


class DirectorySourceFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="fcontains", label=_("Search"))
    enabled = YesNoFilter(label=_("Enabled?"))
    ordering = OrderingFilter(fields=(("name", "name"), ("kind", "kind")), collated=["name"])

    class Meta:
        model = DirectorySource
        fields = ["q", "kind", "enabled"]
