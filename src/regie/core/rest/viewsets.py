"""The base of every model endpoint: the model's policy decides, the history records."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, viewsets

from regie.core.history import delete_with_history
from regie.core.models import ChangeSource, User
from regie.core.permissions import Action, Policy
from regie.core.rest.permissions import PolicyPermission
from regie.core.rest.schema import AutoSchema

_ACTIONS = {"PUT": Action.CHANGE, "PATCH": Action.CHANGE, "DELETE": Action.DELETE}


class PolicyModelViewSet(viewsets.ModelViewSet[Any]):
    """CRUD on one model within what ``policy`` lets the user see and do.

    ``queryset`` carries the ``select_related``/``prefetch_related`` that the serializer
    needs, so a list runs the same number of queries whatever the page size.
    """

    policy: ClassVar[Policy[Any]]
    queryset: models.QuerySet[Any]
    permission_classes = [PolicyPermission]
    schema = AutoSchema()

    def get_queryset(self) -> models.QuerySet[Any]:
        return self.policy.visible(self.request.user, self.queryset.all())  # type: ignore[no-any-return]  # Policy.visible is typed Any for its subclasses

    def get_object(self) -> Any:
        action = _ACTIONS.get(self.request.method or "", Action.VIEW)
        return self.policy.get_for_user(self.request.user, self.kwargs[self.lookup_field], action)

    def _check_still_visible(self, instance: models.Model) -> None:
        # A correspondent who moved an asset off their sites would lose it: refuse the change
        # (the enclosing transaction rolls it back) rather than hand them an object they
        # can no longer reach.
        if not self.policy.visible(self.request.user).filter(pk=instance.pk).exists():
            raise serializers.ValidationError(
                _("After this change you would no longer have access to this object.")
            )

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        with transaction.atomic():
            self._check_still_visible(serializer.save())

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        with transaction.atomic():
            self._check_still_visible(serializer.save())

    def perform_destroy(self, instance: models.Model) -> None:
        user = self.request.user
        by = user if isinstance(user, User) else None
        delete_with_history(instance=instance, by=by, source=ChangeSource.API)


class PolicyReadOnlyViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]
):
    """List and read one model within what ``policy`` lets the user see (GET only).

    For records that only the inventory writes; a write method answers 405.
    """

    policy: ClassVar[Policy[Any]]
    queryset: QuerySet[Any]
    permission_classes = [PolicyPermission]
    schema = AutoSchema()

    def get_queryset(self) -> QuerySet[Any]:
        return self.policy.visible(self.request.user, self.queryset.all())  # type: ignore[no-any-return]  # Policy.visible is typed Any for its subclasses

    def get_object(self) -> Any:
        return self.policy.get_for_user(
            self.request.user, self.kwargs[self.lookup_field], Action.VIEW
        )
