"""Pages of the checks: list, detail (schedule, ping URLs, history picture, snippets), forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from regie.core.crud import Column, CrudDeleteView, CrudDetailView, CrudFormView, CrudListView
from regie.core.crud import CrudView as BaseCrudView
from regie.core.models import User
from regie.core.permissions import Action
from regie.operations.checks.filters import CheckFilterSet
from regie.operations.checks.forms import CheckForm
from regie.operations.checks.models import Check, CheckStatus, ScheduleKind
from regie.operations.checks.permissions import check_policy, flip_policy, ping_policy
from regie.operations.checks.picture import history_picture
from regie.operations.checks.services import pause_check, resume_check, save_check
from regie.operations.checks.snippets import ping_url, snippets_for

RECENT = 20


class CheckMixin(BaseCrudView):
    namespace = "checks"
    model = Check
    policy = check_policy
    slug = "check"


class CheckListView(CheckMixin, CrudListView):
    template_name = "checks/check_list.html"
    filterset_class = CheckFilterSet
    filter_fields = ("q", "status", "kind", "site")
    columns = (
        Column("name", _("Name"), "name", link=True),
        Column("get_status_display", _("Status"), "status", badge="badge_class"),
        Column("get_kind_display", _("Kind")),
        Column("site", _("Site")),
        Column("schedule_display", _("Schedule")),
        Column("last_ping_at", _("Last run reported"), "last_ping_at"),
    )


class CheckDetailView(CheckMixin, CrudDetailView):
    template_name = "checks/check_detail.html"
    detail_fields = (
        "name",
        "kind",
        "description",
        "site",
        "owner",
        "status",
        "last_ping_at",
        "last_start_at",
        "failure_keywords",
        "min_duration_seconds",
        "min_size_bytes",
    )

    def related(self, obj: Check) -> dict[str, Any]:
        # The ping URL lets whoever holds it report a run: only those who may change the
        # check see it; the others see the status.
        can_change = check_policy.can_change(self.user, obj)
        url = ping_url(obj, self.request) if can_change else ""
        return {
            "ping_url": url,
            "can_manage": can_change,
            "is_paused": obj.status == CheckStatus.PAUSED,
            "is_cron": obj.schedule_kind == ScheduleKind.CRON,
            "assets": obj.assets.all(),
            "pings": ping_policy.visible(self.user, obj.pings.all())[:RECENT],
            "flips": flip_policy.visible(self.user, obj.flips.all())[:RECENT],
            "picture": history_picture(obj),
            "snippets": snippets_for(obj, url) if can_change else [],
        }


class CheckFormView(CheckMixin, CrudFormView):
    form_class = CheckForm

    def save(self, instance: models.Model) -> models.Model:
        assert isinstance(instance, Check)  # noqa: S101  # CheckForm builds checks
        return save_check(check=instance, by=self.user)


class CheckDeleteView(CheckMixin, CrudDeleteView):
    pass


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101  # login_required ran first
    return request.user


@login_required
@require_POST
def check_pause(request: HttpRequest, pk: int) -> HttpResponse:
    check = check_policy.get_for_user(request.user, pk, Action.CHANGE)
    if pause_check(check=check, by=_user(request)):
        messages.success(request, gettext("The check is paused: it will not alert."))
    return HttpResponseRedirect(check.get_absolute_url())


@login_required
@require_POST
def check_resume(request: HttpRequest, pk: int) -> HttpResponse:
    check = check_policy.get_for_user(request.user, pk, Action.CHANGE)
    if resume_check(check=check, by=_user(request)):
        messages.success(request, gettext("The check is watched again."))
    return HttpResponseRedirect(check.get_absolute_url())
