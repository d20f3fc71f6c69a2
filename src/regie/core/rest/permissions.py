"""Who may call which endpoint: the model's access policy, as in the HTML interface."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request


class PolicyPermission(IsAuthenticated):
    """Authenticated users only; list and create follow the view's ``policy``.

    Object access (404 for what the user may not see, 403 for what they may not change) is
    decided by ``Policy.get_for_user`` in the view's ``get_object``.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        action = getattr(view, "action", None)
        if action == "list":
            return bool(view.policy.can_list(request.user))
        if action == "create":
            return bool(view.policy.can_create(request.user))
        return True
