"""Who may see and change what.

Every model that users reach has one :class:`Policy` (declared in its app's
``permissions.py``). Views and API endpoints never decide access themselves: they list with
``policy.visible(user)`` and fetch with ``policy.get_for_user(user, pk, action)``, which
answers 404 for what the user may not see and 403 for what they may see but not change.

Roles (``regie.core.models.Role``):

* administrator — everything;
* technician — reads and changes the directory and the fleet;
* reader (direction, elected officials) — reads everything, changes nothing;
* site correspondent — reads and acts only on the sites they correspond for;
* staff — self-service: their own person record and their own equipment.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Generic, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404

from regie.core.models import Role, User

M = TypeVar("M", bound=models.Model)
AnyUser = User | AnonymousUser

WIDE_READERS = {Role.ADMIN, Role.TECHNICIAN, Role.READER}
MANAGERS = {Role.ADMIN, Role.TECHNICIAN}


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    DELETE = "delete"


def role_of(user: AnyUser | None) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    assert isinstance(user, User)  # noqa: S101  # authenticated users are always our model
    return user.effective_role


def reads_everything(user: AnyUser | None) -> bool:
    return role_of(user) in WIDE_READERS


def manages(user: AnyUser | None) -> bool:
    return role_of(user) in MANAGERS


def is_admin(user: AnyUser | None) -> bool:
    return role_of(user) == Role.ADMIN


class Policy(Generic[M]):
    """Access rules for one model. Subclasses override the ``scoped_*`` hooks only.

    The default is the reference-data rule: everyone who reads everything sees it, managers
    change it, correspondents and staff see nothing.
    """

    model: type[M]

    def base_queryset(self) -> models.QuerySet[M]:
        return self.model._default_manager.all()

    # --- hooks ---------------------------------------------------------------------------
    def scoped_queryset(self, user: User, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
        """What a correspondent or staff member sees; nothing unless a policy says so."""
        return queryset.none()

    def scoped_can_create(self, user: User) -> bool:
        return False

    def scoped_can_change(self, user: User, obj: M) -> bool:
        return False

    # --- the decisions -----------------------------------------------------------------------
    def visible(self, user: AnyUser | None, queryset: models.QuerySet[M] | None = None) -> Any:
        queryset = self.base_queryset() if queryset is None else queryset
        role = role_of(user)
        if role is None:
            return queryset.none()
        if role in WIDE_READERS:
            return queryset
        assert isinstance(user, User)  # noqa: S101  # role_of checked authentication
        return self.scoped_queryset(user, queryset)

    def can_list(self, user: AnyUser | None) -> bool:
        """Whether the list page makes sense for this user (they may see some rows)."""
        role = role_of(user)
        if role is None:
            return False
        if role in WIDE_READERS:
            return True
        assert isinstance(user, User)  # noqa: S101
        return self.scoped_lists(user)

    def scoped_lists(self, user: User) -> bool:
        return False

    def can_view(self, user: AnyUser | None, obj: M) -> bool:
        """Whether ``obj``'s page opens for this user (one query unless they read everything)."""
        role = role_of(user)
        if role is None:
            return False
        if role in WIDE_READERS:
            return True
        return bool(self.visible(user).filter(pk=obj.pk).exists())

    def can_create(self, user: AnyUser | None) -> bool:
        role = role_of(user)
        if role in MANAGERS:
            return True
        if role in {Role.CORRESPONDENT, Role.STAFF}:
            assert isinstance(user, User)  # noqa: S101
            return self.scoped_can_create(user)
        return False

    def can_change(self, user: AnyUser | None, obj: M) -> bool:
        role = role_of(user)
        if role in MANAGERS:
            return True
        if role in {Role.CORRESPONDENT, Role.STAFF}:
            assert isinstance(user, User)  # noqa: S101
            return self.scoped_can_change(user, obj)
        return False

    def can_delete(self, user: AnyUser | None, obj: M) -> bool:
        return manages(user)

    def get_for_user(self, user: AnyUser | None, pk: Any, action: Action = Action.VIEW) -> M:
        """The object if the user may see it (else 404) and do ``action`` on it (else 403)."""
        try:
            obj: M = self.visible(user).get(pk=pk)
        except (ObjectDoesNotExist, ValueError, TypeError):
            raise Http404(f"No {self.model._meta.model_name} {pk!r}") from None
        if action == Action.CHANGE:
            allowed = self.can_change(user, obj)
        elif action == Action.DELETE:
            allowed = self.can_delete(user, obj)
        else:
            allowed = True
        if not allowed:
            raise PermissionDenied
        return obj


_POLICIES: dict[type[models.Model], Policy[Any]] = {}


def register(policy: Policy[M]) -> Policy[M]:
    """Make ``policy`` the one that forms, filters and serializers use for its model."""
    _POLICIES[policy.model] = policy
    return policy


def policy_for(model: type[models.Model]) -> Policy[Any] | None:
    return _POLICIES.get(model)


def visible_accounts(user: AnyUser | None, queryset: models.QuerySet[User] | None = None) -> Any:
    """The user accounts a user may see named in a choice (accounts have no Policy).

    Those who read everything see every account; a correspondent sees the IT team and the
    correspondents of their own sites; staff see the IT team and themselves; anonymous
    visitors no one.
    """
    queryset = User.objects.all() if queryset is None else queryset
    role = role_of(user)
    if role is None:
        return queryset.none()
    if role in WIDE_READERS:
        return queryset
    assert isinstance(user, User)  # noqa: S101  # role_of checked authentication
    team = models.Q(role__in=MANAGERS) | models.Q(is_superuser=True) | models.Q(pk=user.pk)
    if role == Role.CORRESPONDENT:
        team |= models.Q(correspondent_sites__correspondents=user)
    return queryset.filter(pk__in=User.objects.filter(team).values("pk"))


def restrict_choices(queryset: models.QuerySet[Any], user: AnyUser | None) -> Any:
    """Limit the choices of a relation field to the rows the user may see."""
    policy = policy_for(queryset.model)
    return queryset if policy is None else policy.visible(user, queryset)
