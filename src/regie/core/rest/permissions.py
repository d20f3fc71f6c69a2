"""Who may call which endpoint: the model's access policy, as in the HTML interface."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request

from regie.core.models import ApiToken


class PolicyPermission(IsAuthenticated):
    """Authenticated users only, within their token's scope; list and create follow the
    view's ``policy``.

    Object access (404 for what the user may not see, 403 for what they may not change) is
    decided by ``Policy.get_for_user`` in the view's ``get_object``.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        if not TokenScopePermission().has_permission(request, view):
            self.message = TokenScopePermission.message
            return False
        action = getattr(view, "action", None)
        if action == "list":
            return bool(view.policy.can_list(request.user))
        if action == "create":
            return bool(view.policy.can_create(request.user))
        return True


class TokenScopePermission(BasePermission):
    """A read-only token reads: every unsafe method (POST, PUT, PATCH, DELETE, any action)
    answers 403. Requests signed in with a session, and read-write tokens, pass.

    In ``DEFAULT_PERMISSION_CLASSES`` and part of :class:`PolicyPermission`; a view that sets
    its own ``permission_classes`` lists it too (``api/tests/test_token_scope.py`` sends
    every write operation of the schema with a read-only token).
    """

    message = gettext_lazy(
        "This token is read-only: it cannot change anything. "
        "Create a read-write token to write through the API."
    )

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        token = request.auth
        return not (isinstance(token, ApiToken) and token.is_read_only)
