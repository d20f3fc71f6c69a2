"""Access to checks, their pings and status changes.

Administrators and technicians manage checks; readers read them; a site correspondent sees
the checks of their sites (read-only); staff see nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from regie.core.models import Role, User
from regie.core.permissions import AnyUser, Policy, register
from regie.operations.checks.models import Check, Flip, Ping

# The main menu entry (the menu lives in regie/navigation.py).
MENU_LABEL = _("Checks")


class CheckPolicy(Policy[Check]):
    model = Check

    def base_queryset(self) -> QuerySet[Check]:
        return Check.objects.select_related("site", "owner")

    def scoped_queryset(self, user: User, queryset: QuerySet[Check]) -> QuerySet[Check]:
        if user.role == Role.CORRESPONDENT:
            return queryset.filter(site__correspondents=user)
        return queryset.none()

    def scoped_lists(self, user: User) -> bool:
        return user.role == Role.CORRESPONDENT


class CheckRecordPolicy(Policy[Any]):
    """Pings and flips: seen with their check, written only by the ping endpoint and jobs."""

    def scoped_queryset(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if user.role == Role.CORRESPONDENT:
            return queryset.filter(check_obj__site__correspondents=user)
        return queryset.none()

    def scoped_lists(self, user: User) -> bool:
        return user.role == Role.CORRESPONDENT

    def can_create(self, user: AnyUser | None) -> bool:
        return False

    def can_change(self, user: AnyUser | None, obj: Any) -> bool:
        return False

    def can_delete(self, user: AnyUser | None, obj: Any) -> bool:
        return False


class PingPolicy(CheckRecordPolicy):
    model = Ping


class FlipPolicy(CheckRecordPolicy):
    model = Flip


check_policy = register(CheckPolicy())
ping_policy = register(PingPolicy())
flip_policy = register(FlipPolicy())
