"""The ticket FilterSet, shared by the technicians' lists and the API."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from regie.core.filters import (
    IdFilter,
    OrderingFilter,
    SearchFilterSet,
    YesNoFilter,
    visible_choices,
)
from regie.core.models import Role, User
from regie.core.permissions import visible_accounts
from regie.directory.models import Site
from regie.helpdesk.choices import Priority, TicketSource, TicketStatus
from regie.helpdesk.models import Category, FollowUp, Ticket

VIEWS = (
    ("open", _("Open")),
    ("mine", _("Assigned to me")),
    ("unassigned", _("Unassigned")),
    ("sla", _("SLA at risk or breached")),
    ("breached", _("SLA breached")),
    ("visit", _("Needs a visit")),
)


def _technicians(request: object) -> QuerySet[User]:
    technicians = User.objects.filter(role__in=[Role.ADMIN, Role.TECHNICIAN], is_active=True)
    visible: QuerySet[User] = visible_accounts(getattr(request, "user", None), technicians)
    return visible


class TicketFilterSet(SearchFilterSet):
    view = django_filters.ChoiceFilter(choices=VIEWS, method="filter_view", label=_("Show"))
    status = django_filters.MultipleChoiceFilter(choices=TicketStatus.choices, label=_("Status"))
    priority = django_filters.ChoiceFilter(choices=Priority.choices, label=_("Priority"))
    category = django_filters.ModelChoiceFilter(
        queryset=visible_choices(Category), label=_("Category")
    )
    site = django_filters.ModelChoiceFilter(queryset=visible_choices(Site), label=_("Site"))
    assignee = django_filters.ModelChoiceFilter(queryset=_technicians, label=_("Assigned to"))
    source = django_filters.ChoiceFilter(choices=TicketSource.choices, label=_("Source"))
    needs_visit = YesNoFilter(label=_("Needs a visit?"))
    ordering = OrderingFilter(
        fields=(
            ("id", "id"),
            ("title", "title"),
            ("priority", "priority"),
            ("status", "status"),
            ("created_at", "created_at"),
            ("resolution_due", "resolution_due"),
            ("site__name", "site"),
            ("requester__last_name", "requester"),
        ),
        collated=["title", "site", "requester"],
    )

    class Meta:
        model = Ticket
        fields = ["q", "view", "status", "priority", "category", "site", "assignee", "source"]

    def filter_view(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        user = getattr(self.request, "user", None)
        tickets = queryset.open()  # type: ignore[attr-defined]  # TicketQuerySet
        if value == "mine":
            return tickets.filter(assignee=user) if isinstance(user, User) else tickets.none()  # type: ignore[no-any-return]  # TicketQuerySet
        if value == "unassigned":
            return tickets.filter(assignee__isnull=True)  # type: ignore[no-any-return]  # TicketQuerySet
        if value == "sla":
            return tickets.sla_attention()  # type: ignore[no-any-return]  # TicketQuerySet
        if value == "breached":
            return tickets.sla_breached()  # type: ignore[no-any-return]  # TicketQuerySet
        if value == "visit":
            return tickets.filter(needs_visit=True)  # type: ignore[no-any-return]  # TicketQuerySet
        return tickets  # type: ignore[no-any-return]  # TicketQuerySet


class FollowUpFilterSet(django_filters.FilterSet):
    ticket = IdFilter(field_name="ticket_id", label=_("Ticket"))
    private = YesNoFilter(label=_("Private?"))

    class Meta:
        model = FollowUp
        fields = ["ticket", "private"]
