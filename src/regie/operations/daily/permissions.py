"""Who sees and writes the daily round and its log (see ``regie.core.permissions``).

The IT team (administrators, technicians) acknowledges, notes and hands over; readers read
everything; a site correspondent sees the items and log entries of their sites and may
acknowledge those items, but writes no free note or hand-over; staff see nothing. Entries
are never changed or deleted by anyone: the log is its own history.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from regie.core.models import Role, User
from regie.core.permissions import AnyUser, Policy, register, role_of
from regie.operations.daily.models import Acknowledgement, HandOverNote, LogEntry


class RoundRecordPolicy(Policy[Any]):
    def scoped_queryset(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if user.role == Role.CORRESPONDENT:
            return queryset.filter(site__correspondents=user)
        return queryset.none()

    def scoped_lists(self, user: User) -> bool:
        return user.role == Role.CORRESPONDENT

    def can_change(self, user: AnyUser | None, obj: Any) -> bool:
        return False

    def can_delete(self, user: AnyUser | None, obj: Any) -> bool:
        return False


class LogEntryPolicy(RoundRecordPolicy):
    """Also decides who opens "Aujourd'hui" (``can_list``) and writes notes (``can_create``)."""

    model = LogEntry


class HandOverNotePolicy(RoundRecordPolicy):
    model = HandOverNote


class AcknowledgementPolicy(RoundRecordPolicy):
    model = Acknowledgement

    def scoped_can_create(self, user: User) -> bool:
        return user.role == Role.CORRESPONDENT


def sees_only_own_sites(user: AnyUser | None) -> bool:
    return role_of(user) == Role.CORRESPONDENT


log_entry_policy = register(LogEntryPolicy())
hand_over_policy = register(HandOverNotePolicy())
acknowledgement_policy = register(AcknowledgementPolicy())
