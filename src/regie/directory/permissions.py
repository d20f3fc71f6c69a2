"""Access rules for the directory (see ``regie.core.permissions``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from regie.core.models import Role, User
from regie.core.permissions import Action, AnyUser, Policy, is_admin, register
from regie.directory.models import (
    Department,
    DirectorySource,
    DirectorySyncRun,
    Organisation,
    Person,
    Room,
    Site,
)


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


class AdministratorsOnlyPolicy(Policy[Any]):
    """Directory sources hold a bind account and read every account: administrators only;
    everyone else gets 403, whatever the page."""

    def visible(self, user: AnyUser | None, queryset: QuerySet[Any] | None = None) -> Any:
        queryset = self.base_queryset() if queryset is None else queryset
        return queryset if is_admin(user) else queryset.none()

    def can_list(self, user: AnyUser | None) -> bool:
        return is_admin(user)

    def can_view(self, user: AnyUser | None, obj: Any) -> bool:
        return is_admin(user)

    def can_create(self, user: AnyUser | None) -> bool:
        return is_admin(user)

    def can_change(self, user: AnyUser | None, obj: Any) -> bool:
        return is_admin(user)

    def can_delete(self, user: AnyUser | None, obj: Any) -> bool:
        return is_admin(user)

    def get_for_user(self, user: AnyUser | None, pk: Any, action: Action = Action.VIEW) -> Any:
        if not is_admin(user):
            raise PermissionDenied
        return super().get_for_user(user, pk, action)


class DirectorySourcePolicy(AdministratorsOnlyPolicy):
    model = DirectorySource


class DirectorySyncRunPolicy(AdministratorsOnlyPolicy):
    model = DirectorySyncRun

    def base_queryset(self) -> QuerySet[DirectorySyncRun]:
        return DirectorySyncRun.objects.select_related("source", "by")


organisation_policy = register(OrganisationPolicy())
department_policy = register(DepartmentPolicy())
site_policy = register(SitePolicy())
room_policy = register(RoomPolicy())
person_policy = register(PersonPolicy())
directory_source_policy = register(DirectorySourcePolicy())
sync_run_policy = register(DirectorySyncRunPolicy())
