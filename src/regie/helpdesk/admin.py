"""Categories and SLA targets in the administration, with their change history."""

from __future__ import annotations

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from regie.core.admin import AdminRoleOnly, admin_site
from regie.core.history import save_with_history
from regie.core.models import User
from regie.helpdesk.models import Category, SlaTarget


class HistoryAdmin(AdminRoleOnly):
    def save_model(self, request: HttpRequest, obj: object, form: ModelForm, change: bool) -> None:  # type: ignore[type-arg]  # ModelForm of several models
        assert isinstance(request.user, User)  # noqa: S101  # the admin site requires a login
        save_with_history(instance=obj, by=request.user)  # type: ignore[type-var]  # obj is the model instance


@admin.register(Category, site=admin_site)
class CategoryAdmin(HistoryAdmin):
    list_display = ("name", "parent", "active")
    list_filter = ("active", "parent")
    search_fields = ("name",)


@admin.register(SlaTarget, site=admin_site)
class SlaTargetAdmin(HistoryAdmin):
    list_display = ("priority", "first_response_minutes", "resolution_minutes")
