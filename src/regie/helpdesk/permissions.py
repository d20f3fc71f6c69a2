"""Access rules of the helpdesk (see ``regie.core.permissions``).

* the IT team (administrators, technicians) sees and manages every ticket;
* readers read every ticket, private follow-ups included, and change nothing;
* a site correspondent sees the tickets of their sites and their own, and may report and
  follow up on them;
* a member of staff sees only the tickets they asked for, reports new ones for themselves
  and follows up on them. Private follow-ups (and their files) are never shown to either.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from regie.core.models import Role, User
from regie.core.permissions import (
    WIDE_READERS,
    AnyUser,
    Policy,
    manages,
    reads_everything,
    register,
    role_of,
)
from regie.directory.models import Person
from regie.helpdesk.models import Attachment, Category, FollowUp, SlaTarget, Ticket


class CategoryPolicy(Policy[Category]):
    """Everyone who may report a ticket reads the categories; managers edit them."""

    model = Category

    def scoped_queryset(self, user: User, queryset: QuerySet[Category]) -> QuerySet[Category]:
        return queryset.filter(active=True)

    def scoped_lists(self, user: User) -> bool:
        return True


class SlaTargetPolicy(Policy[SlaTarget]):
    model = SlaTarget


class TicketPolicy(Policy[Ticket]):
    model = Ticket

    def base_queryset(self) -> QuerySet[Ticket]:
        return Ticket.objects.for_list()

    def scoped_queryset(self, user: User, queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
        own = Q(requester__user=user)
        if user.role == Role.CORRESPONDENT:
            return queryset.filter(own | Q(site__correspondents=user)).distinct()
        return queryset.filter(own)

    def scoped_lists(self, user: User) -> bool:
        return True

    def scoped_can_create(self, user: User) -> bool:
        # Staff and correspondents report tickets, from the portal, for themselves.
        return Person.objects.filter(user=user).exists()

    def can_create_for(self, user: AnyUser | None, requester: Person) -> bool:
        if manages(user):
            return True
        if role_of(user) in {Role.CORRESPONDENT, Role.STAFF}:
            return requester.user_id is not None and requester.user_id == getattr(user, "pk", 0)
        return False

    def can_follow_up(self, user: AnyUser | None, ticket: Ticket) -> bool:
        """Managers, the requester and the correspondents of the ticket's site."""
        if manages(user):
            return True
        if role_of(user) not in {Role.CORRESPONDENT, Role.STAFF}:
            return False
        return bool(self.visible(user).filter(pk=ticket.pk).exists())

    def is_requester(self, user: AnyUser | None, ticket: Ticket) -> bool:
        return getattr(user, "pk", None) is not None and ticket.requester.user_id == getattr(
            user, "pk", None
        )


def sees_private(user: AnyUser | None) -> bool:
    """Private follow-ups are for the IT team and the readers, never staff or correspondents."""
    return reads_everything(user)


class FollowUpPolicy(Policy[FollowUp]):
    """A follow-up is visible with its ticket, unless it is private and the user is not
    of the IT team or a reader. Written only through ``services.add_followup``."""

    model = FollowUp

    def visible(self, user: AnyUser | None, queryset: QuerySet[FollowUp] | None = None) -> Any:
        queryset = self.base_queryset() if queryset is None else queryset
        if role_of(user) in WIDE_READERS:
            return queryset
        tickets = ticket_policy.visible(user).values("pk")
        return queryset.filter(ticket__in=tickets, private=False)

    def can_list(self, user: AnyUser | None) -> bool:
        return ticket_policy.can_list(user)

    def scoped_can_create(self, user: User) -> bool:
        return True  # on the tickets they see; add_followup checks which

    def can_change(self, user: AnyUser | None, obj: FollowUp) -> bool:
        return False

    def can_delete(self, user: AnyUser | None, obj: FollowUp) -> bool:
        return False


class AttachmentPolicy(Policy[Attachment]):
    """Files follow their ticket, and their follow-up's privacy."""

    model = Attachment

    def base_queryset(self) -> QuerySet[Attachment]:
        return Attachment.objects.select_related("ticket", "followup")

    def visible(self, user: AnyUser | None, queryset: QuerySet[Attachment] | None = None) -> Any:
        queryset = self.base_queryset() if queryset is None else queryset
        if role_of(user) in WIDE_READERS:
            return queryset
        tickets = ticket_policy.visible(user).values("pk")
        return queryset.filter(ticket__in=tickets).exclude(followup__private=True)

    def can_change(self, user: AnyUser | None, obj: Attachment) -> bool:
        return False


class _DeskMenuEntry(TicketPolicy):
    """The technicians' ticket lists in the menu: for the IT team and readers only."""

    def scoped_lists(self, user: User) -> bool:
        return False


class _PortalMenuEntry(TicketPolicy):
    """The "My requests" menu entry: for staff and correspondents (no query, every page asks)."""

    def can_list(self, user: AnyUser | None) -> bool:
        return role_of(user) in {Role.STAFF, Role.CORRESPONDENT}


category_policy = register(CategoryPolicy())
sla_target_policy = register(SlaTargetPolicy())
ticket_policy = TicketPolicy()
register(ticket_policy)
followup_policy = register(FollowUpPolicy())
attachment_policy = register(AttachmentPolicy())

# Not registered: they only decide which menu entries show (see regie.navigation).
ticket_desk_policy = _DeskMenuEntry()
ticket_portal_policy = _PortalMenuEntry()
