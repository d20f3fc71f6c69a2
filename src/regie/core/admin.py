"""The account administration (Django admin), open to Régie administrators only.

Role changes are rights changes: they go through the change history like any other write.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any, TypeVar, cast

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regie.core.history import save_with_history
from regie.core.models import ApiToken, ChangeRecord, ChangeSource, User
from regie.core.permissions import is_admin
from regie.core.tokens import revoke_api_token

ViewType = TypeVar("ViewType", bound=Callable[..., HttpResponseBase])


class RegieAdminSite(admin.AdminSite):
    site_header = _("Régie administration")
    site_title = _("Régie administration")
    index_title = _("Accounts and settings")

    def has_permission(self, request: HttpRequest) -> bool:
        return is_admin(request.user)

    def admin_view(self, view: ViewType, cacheable: bool = False) -> ViewType:
        """Send anonymous visitors to Régie's login page once, and refuse signed-in
        non-administrators with a 403: Django's admin sends them to a login page, which
        sends a signed-in user back to the admin, and so on forever."""
        checked = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not self.has_permission(request):
                if request.user.is_authenticated:
                    raise PermissionDenied
                return redirect_to_login(request.get_full_path())
            response: HttpResponseBase = checked(request, *args, **kwargs)
            return response

        return cast(ViewType, update_wrapper(guarded, view))

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # One login page for the whole of Régie; the admin's own asks for is_staff.
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next", self.index_url()))

    def index_url(self) -> str:
        return reverse("admin:index", current_app=self.name)


admin_site = RegieAdminSite(name="admin")


class AdminRoleOnly(admin.ModelAdmin):  # type: ignore[type-arg]  # shared by several models
    """Régie administrators manage these models; Django's per-model permissions are unused."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin(request.user)


@admin.register(User, site=admin_site)
class RegieUserAdmin(AdminRoleOnly, UserAdmin):  # type: ignore[type-arg]  # UserAdmin is generic in the stubs only
    list_display = ("username", "first_name", "last_name", "email", "role", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email")}),
        (_("Rights"), {"fields": ("role", "is_active", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "role", "password1", "password2")}),)
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ()

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:  # type: ignore[type-arg]  # ModelForm of User
        assert isinstance(request.user, User)  # noqa: S101  # the admin site requires a login
        save_with_history(instance=obj, by=request.user)


@admin.register(ApiToken, site=admin_site)
class ApiTokenAdmin(AdminRoleOnly):
    """Tokens are created by their users; here an administrator sees them all and revokes
    some (the action goes through ``revoke_api_token``, with history)."""

    list_display = (
        "name",
        "user",
        "key_hint",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "last_used_address",
        "revoked_at",
        "revoked_reason",
    )
    list_filter = ("scope", "revoked_reason")
    readonly_fields = (*list_display, "role")
    actions = ["revoke_tokens"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        assert isinstance(request.user, User)  # noqa: S101  # the admin site requires a login
        for token in queryset.filter(revoked_at__isnull=True):
            revoke_api_token(token=token, by=request.user, source=ChangeSource.WEB)


@admin.register(ChangeRecord, site=admin_site)
class ChangeRecordAdmin(AdminRoleOnly):
    list_display = ("at", "actor", "source", "object_repr", "field", "old_value", "new_value")
    list_filter = ("source", "action", "content_type")
    search_fields = ("object_repr", "field", "old_value", "new_value")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
