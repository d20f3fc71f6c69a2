"""The main courante's filters, shared by the log page and the API list."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.core.models import Role, User
from regie.core.permissions import visible_accounts
from regie.operations.daily.models import LogEntry, LogKind


def _authors(request: object) -> QuerySet[User]:
    """People who may write in the log: the IT team, and correspondents who acknowledge;
    of them, those the user may see named."""
    authors = User.objects.filter(
        Q(role__in=[Role.ADMIN, Role.TECHNICIAN, Role.CORRESPONDENT]) | Q(is_superuser=True)
    )
    visible: QuerySet[User] = visible_accounts(getattr(request, "user", None), authors)
    return visible


class LogEntryFilterSet(django_filters.FilterSet):
    """Entries of one day (in the organisation's time zone), by one person, of one kind."""

    day = django_filters.DateFilter(
        method="filter_day", label=_("Day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    author = django_filters.ModelChoiceFilter(queryset=_authors, label=_("Person"))
    kind = django_filters.ChoiceFilter(choices=LogKind.choices, label=_("Kind"))

    class Meta:
        model = LogEntry
        fields = ["day", "author", "kind"]

    def filter_day(
        self, queryset: QuerySet[LogEntry], name: str, value: date
    ) -> QuerySet[LogEntry]:
        start = timezone.make_aware(datetime.combine(value, time.min))
        return queryset.filter(at__gte=start, at__lt=start + timedelta(days=1))
