"""Access rules for telework (see ``regie.core.permissions``).

Administrators and technicians manage the charter, the pool, reservations, loans and the
remote-access records; readers read them; site correspondents see the loans, reservations
and records of the people of their sites (or of equipment of their sites); staff see their
own loans, reservations and record only.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from regie.core.models import Role, User
from regie.core.permissions import AnyUser, Policy, register
from regie.telework.models import Charter, Loan, RemoteAccess, Reservation


def _scope(user: User, *, with_asset: bool) -> Q:
    if user.role == Role.CORRESPONDENT:
        scope = Q(person__site__correspondents=user)
        if with_asset:
            scope |= Q(asset__site__correspondents=user)
        return scope
    return Q(person__user=user)


class CharterPolicy(Policy[Charter]):
    """Everyone signed in may read the charter they are asked to accept."""

    model = Charter

    def scoped_queryset(self, user: User, queryset: QuerySet[Charter]) -> QuerySet[Charter]:
        return queryset


class ReservationPolicy(Policy[Reservation]):
    model = Reservation

    def base_queryset(self) -> QuerySet[Reservation]:
        return Reservation.objects.for_list()

    def scoped_queryset(self, user: User, queryset: QuerySet[Reservation]) -> QuerySet[Reservation]:
        scope = _scope(user, with_asset=True)
        return queryset.filter(pk__in=Reservation.objects.filter(scope).values("pk"))

    def scoped_lists(self, user: User) -> bool:
        return True

    def can_delete(self, user: AnyUser | None, obj: Reservation) -> bool:
        return False  # a reservation is cancelled, never deleted: its history stays


class LoanPolicy(Policy[Loan]):
    model = Loan

    def base_queryset(self) -> QuerySet[Loan]:
        return Loan.objects.for_list()

    def scoped_queryset(self, user: User, queryset: QuerySet[Loan]) -> QuerySet[Loan]:
        scope = _scope(user, with_asset=True)
        return queryset.filter(pk__in=Loan.objects.filter(scope).values("pk"))

    def scoped_lists(self, user: User) -> bool:
        return True


class RemoteAccessPolicy(Policy[RemoteAccess]):
    model = RemoteAccess

    def base_queryset(self) -> QuerySet[RemoteAccess]:
        return RemoteAccess.objects.select_related("person")

    def scoped_queryset(
        self, user: User, queryset: QuerySet[RemoteAccess]
    ) -> QuerySet[RemoteAccess]:
        return queryset.filter(_scope(user, with_asset=False))

    def scoped_lists(self, user: User) -> bool:
        return user.role == Role.CORRESPONDENT


charter_policy = register(CharterPolicy())
reservation_policy = register(ReservationPolicy())
loan_policy = register(LoanPolicy())
remote_access_policy = register(RemoteAccessPolicy())
