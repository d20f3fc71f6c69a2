"""Access rules for the directory (see ``regie.core.permissions``)."""

from __future__ import annotations

from django.db.models import QuerySet

from regie.core.models import Role, User
from regie.core.permissions import Policy, register
from regie.directory.models import Department, Organisation, Person, Room, Site


class OrganisationPolicy(Policy[Organisation]):
    model = Organisation


class DepartmentPolicy(Policy[Department]):
    model = Department


class SitePolicy(Policy[Site]):
    """Correspondents see and edit their own sites; they cannot create or delete sites."""

    model = Site

    def scoped_queryset(self, user: User, queryset: QuerySet[Site]) -> QuerySet[Site]:
        if user.role == Role.CORRESPONDENT:
            return queryset.filter(correspondents=user)
        return queryset.none()

    def scoped_lists(self, user: User) -> bool:
        return user.role == Role.CORRESPONDENT

    def scoped_can_change(self, user: User, obj: Site) -> bool:
        return user.role == Role.CORRESPONDENT and obj.correspondents.filter(pk=user.pk).exists()


class RoomPolicy(Policy[Room]):
    """Correspondents manage the rooms of their sites."""

    model = Room

    def scoped_queryset(self, user: User, queryset: QuerySet[Room]) -> QuerySet[Room]:
        if user.role == Role.CORRESPONDENT:
            return queryset.filter(site__correspondents=user)
        return queryset.none()

    def scoped_lists(self, user: User) -> bool:
        return user.role == Role.CORRESPONDENT

    def scoped_can_create(self, user: User) -> bool:
        return user.role == Role.CORRESPONDENT

    def scoped_can_change(self, user: User, obj: Room) -> bool:
        return (
            user.role == Role.CORRESPONDENT and obj.site.correspondents.filter(pk=user.pk).exists()
        )


class PersonPolicy(Policy[Person]):
    """Correspondents see the people of their sites; staff see their own record only."""

    model = Person

    def scoped_queryset(self, user: User, queryset: QuerySet[Person]) -> QuerySet[Person]:
        if user.role == Role.CORRESPONDENT:
            return queryset.filter(site__correspondents=user)
        return queryset.filter(user=user)

    def scoped_lists(self, user: User) -> bool:
        return user.role == Role.CORRESPONDENT


organisation_policy = register(OrganisationPolicy())
department_policy = register(DepartmentPolicy())
site_policy = register(SitePolicy())
room_policy = register(RoomPolicy())
person_policy = register(PersonPolicy())
