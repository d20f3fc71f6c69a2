"""One FilterSet per listable telework model, shared by the HTML lists and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.core.filters import OrderingFilter, YesNoFilter, visible_choices
from regie.directory.models import Person, Site
from regie.telework.models import Charter, Loan, RemoteAccess, Reservation, ReservationStatus


def _search(prefix: str = "") -> Any:
    def search(queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(
            Q(**{f"{prefix}person__last_name__fcontains": value})
            | Q(**{f"{prefix}person__first_name__fcontains": value})
            | Q(**{f"{prefix}asset__inventory_number__fcontains": value})
            | Q(**{f"{prefix}asset__name__fcontains": value})
        )

    return search


class LoanFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    state = django_filters.ChoiceFilter(
        method="filter_state",
        label=_("State"),
        choices=(("open", _("On loan")), ("overdue", _("Overdue")), ("returned", _("Returned"))),
    )
    person = django_filters.ModelChoiceFilter(queryset=visible_choices(Person), label=_("Person"))
    ordering = OrderingFilter(
        fields=(("checked_out_at", "checked_out_at"), ("due_date", "due_date")),
    )

    class Meta:
        model = Loan
        fields = ["q", "state", "person"]

    def filter_q(self, queryset: QuerySet[Loan], name: str, value: str) -> QuerySet[Loan]:
        result: QuerySet[Loan] = _search()(queryset, name, value)
        return result

    def filter_state(self, queryset: QuerySet[Loan], name: str, value: str) -> QuerySet[Loan]:
        if value == "open":
            return queryset.filter(returned_at__isnull=True)
        if value == "overdue":
            return queryset.filter(returned_at__isnull=True, due_date__lt=timezone.localdate())
        if value == "returned":
            return queryset.filter(returned_at__isnull=False)
        return queryset


class ReservationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=ReservationStatus.choices, label=_("Status"))
    person = django_filters.ModelChoiceFilter(queryset=visible_choices(Person), label=_("Person"))
    ordering = OrderingFilter(fields=(("start", "start"), ("end", "end")))

    class Meta:
        model = Reservation
        fields = ["q", "status", "person"]

    def filter_q(
        self, queryset: QuerySet[Reservation], name: str, value: str
    ) -> QuerySet[Reservation]:
        result: QuerySet[Reservation] = _search()(queryset, name, value)
        return result


class CharterFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="version", lookup_expr="fcontains", label=_("Search"))
    ordering = OrderingFilter(fields=(("effective_date", "effective_date"),))

    class Meta:
        model = Charter
        fields = ["q"]


class RemoteAccessFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    site = django_filters.ModelChoiceFilter(
        field_name="person__site", queryset=visible_choices(Site), label=_("Site")
    )
    mfa_enrolled = YesNoFilter(label=_("MFA enrolled?"))
    office365_licence = YesNoFilter(label=_("Office 365 licence?"))

    class Meta:
        model = RemoteAccess
        fields = ["q", "site", "mfa_enrolled", "office365_licence"]

    def filter_q(
        self, queryset: QuerySet[RemoteAccess], name: str, value: str
    ) -> QuerySet[RemoteAccess]:
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(
            Q(person__last_name__fcontains=value) | Q(person__first_name__fcontains=value)
        )
