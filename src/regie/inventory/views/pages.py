"""The inventory pages for people: activity, agents, and the actions on them.

Everything goes through the inventory policies: the IT team acts (replay, approve), readers
read, correspondents and staff get 403. Agent-provided text is only ever shown escaped.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from regie.core.crud import (
    DEFAULT_PAGE_SIZE,
    Cell,
    Column,
    CrudListView,
    CrudView,
    Row,
    model_fields,
    url_with,
)
from regie.core.models import ChangeSource, User
from regie.core.permissions import Action, Policy
from regie.inventory.filters import AgentFilterSet, ReceivedReportFilterSet
from regie.inventory.models import Agent, ReceivedReport, Refusal, ReportStatus
from regie.inventory.permissions import agent_policy, received_report_policy, refusal_policy
from regie.inventory.pipeline import process_report
from regie.inventory.services import approve_agents
from regie.inventory.trust import NotHeld, accept_held_report, reject_held_report

DEFAULT_STALE_DAYS = 7
MAX_STALE_DAYS = 3650
FAILED_SHOWN = 20
REFUSALS_SHOWN = 20
STALE_SHOWN = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # login_required ran first
    return user


def _require_list(policy: Policy[Any], user: User) -> None:
    """The inventory pages are the IT team's and readers': 403 for everyone else."""
    if not policy.can_list(user):
        raise PermissionDenied


def reports_queryset() -> QuerySet[ReceivedReport]:
    """Reports for lists: their agent and asset in the same query, never the raw body."""
    return ReceivedReport.objects.select_related("agent", "asset").defer("body")


def stale_days(raw: str | None) -> int:
    """``?days=``: a whole number of days between 1 and 3650, else the default."""
    try:
        days = int(raw or DEFAULT_STALE_DAYS)
    except ValueError:
        return DEFAULT_STALE_DAYS
    return max(1, min(days, MAX_STALE_DAYS))


class InventoryView(CrudView):
    namespace = "inventory"

    def model_context(self) -> dict[str, Any]:
        meta = self.model._meta
        return {
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": meta.verbose_name_plural,
            "list_url": reverse(self.url_name("list")),
            "create_url": "",
        }


class ActivityView(InventoryView, CrudListView):
    """Counts, the latest reports (filtered, paginated), failed ones, refusals, silent agents."""

    model = ReceivedReport
    policy = received_report_policy
    slug = "report"
    template_name = "inventory/activity.html"
    filterset_class = ReceivedReportFilterSet
    filter_fields = ("status", "protocol", "agent")
    columns = (
        Column("agent", gettext_lazy("Agent")),
        Column("get_protocol_display", gettext_lazy("Protocol")),
        Column("received_at", gettext_lazy("Received at"), "received_at"),
        Column("get_status_display", gettext_lazy("Status")),
        Column("matched_rule", gettext_lazy("Matched rule")),
        Column("asset", gettext_lazy("Asset")),
        Column("error", gettext_lazy("Error")),
    )

    def url_name(self, action: str) -> str:
        return "inventory:activity" if action == "list" else super().url_name(action)

    def get_queryset(self) -> QuerySet[ReceivedReport]:
        return reports_queryset()

    def rows(self, objects: Any) -> list[Row]:
        return []  # the report table reads ``page_obj`` itself (two links per row)

    def render(self, context: dict[str, Any], template: str | None = None) -> TemplateResponse:
        if template is None or "#" not in template:  # the whole page, not the htmx fragment
            context = {**context, **self.activity_context()}
        return super().render(context, template)

    def activity_context(self) -> dict[str, Any]:
        user = self.user
        now = timezone.now()
        start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        reports = received_report_policy.visible(user, reports_queryset())
        counts = reports.order_by().aggregate(
            today=Count("pk", filter=Q(received_at__gte=start_of_day)),
            failed=Count("pk", filter=Q(status=ReportStatus.FAILED)),
            held=Count("pk", filter=Q(status=ReportStatus.HELD)),
        )
        agents = agent_policy.visible(user, Agent.objects.all())
        refusals = refusal_policy.visible(user, Refusal.objects.all())
        days = stale_days(self.request.GET.get("days"))
        stale = agents.filter(last_seen__lt=now - timedelta(days=days)).order_by("last_seen")
        return {
            "reports_today": counts["today"],
            "failed_count": counts["failed"],
            "held_count": agents.filter(approved=False).count(),
            "refused_recently": refusals.filter(last_at__gte=now - timedelta(hours=24)).count(),
            "failed_reports": reports.filter(status=ReportStatus.FAILED)[:FAILED_SHOWN],
            "held_reports_count": counts["held"],
            "held_reports": reports.filter(status=ReportStatus.HELD).order_by("received_at")[
                :FAILED_SHOWN
            ],
            "can_decide": received_report_policy.can_change(user, None),
            "refusals": refusals[:REFUSALS_SHOWN],
            "days": days,
            "stale_agents": stale[:STALE_SHOWN],
            "stale_count": stale.count(),
            "can_replay": received_report_policy.can_change(user, None),
        }


class AgentListView(InventoryView, CrudListView):
    model = Agent
    policy = agent_policy
    slug = "agent"
    template_name = "inventory/agent_list.html"
    filterset_class = AgentFilterSet
    columns = (
        Column("device_id", gettext_lazy("Device id"), "device_id", link=True),
        Column("get_protocol_display", gettext_lazy("Protocol")),
        Column("name", gettext_lazy("Agent")),
        Column("last_address", gettext_lazy("Last address")),
        Column("first_seen", gettext_lazy("First seen"), "first_seen"),
        Column("last_seen", gettext_lazy("Last seen"), "last_seen"),
        Column("report_count", gettext_lazy("Reports"), "report_count"),
        Column("approved", gettext_lazy("Approval")),
    )

    def rows(self, objects: Any) -> list[Row]:
        rows = super().rows(objects)
        for row in rows:
            agent = row.obj
            assert isinstance(agent, Agent)  # noqa: S101  # the list is of agents
            row.cells[2] = Cell(f"{agent.name} {agent.version}".strip() or None)
            row.cells[-1] = approval_cell(agent)
        return rows


def approval_cell(agent: Agent) -> Cell:
    if agent.approved:
        return Cell(_("Approved"), badge="approved")
    return Cell(_("Held for approval"), badge="held")


AGENT_FIELDS = (
    "device_id",
    "protocol",
    "name",
    "version",
    "last_address",
    "first_seen",
    "last_seen",
    "report_count",
    "asset",
    "bound_at",
)


class AgentDetailView(InventoryView):
    model = Agent
    policy = agent_policy
    slug = "agent"
    template_name = "inventory/agent_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        _require_list(agent_policy, self.user)
        agent = agent_policy.get_for_user(self.user, pk, Action.VIEW)
        reports = received_report_policy.visible(self.user, reports_queryset().filter(agent=agent))
        page = Paginator(reports, DEFAULT_PAGE_SIZE).get_page(request.GET.get("page"))
        params = request.GET
        context = {
            "object": agent,
            "fields": model_fields(agent, AGENT_FIELDS, user=self.user),
            "approval": approval_cell(agent),
            "can_approve": not agent.approved and agent_policy.can_change(self.user, agent),
            "can_replay": received_report_policy.can_change(self.user, None),
            "page_obj": page,
            "previous_url": (
                url_with(params, page=page.previous_page_number()) if page.has_previous() else ""
            ),
            "next_url": url_with(params, page=page.next_page_number()) if page.has_next() else "",
        }
        partial = bool(request.htmx and not request.htmx.history_restore_request)  # type: ignore[attr-defined]  # set by HtmxMiddleware
        response = self.render(context, f"{self.template_name}#results" if partial else None)
        patch_vary_headers(response, ["HX-Request"])
        return response


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return HttpResponseRedirect(target if safe and target.startswith("/") else default)


@require_POST
@login_required
def replay_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Process one stored report again now (a processed one is left as it is)."""
    user = _user(request)
    _require_list(received_report_policy, user)
    report = received_report_policy.get_for_user(user, pk, Action.CHANGE)
    report = process_report(report_id=report.pk)
    if report.status == ReportStatus.PROCESSED:
        messages.success(
            request,
            _("Report %(id)s processed: %(asset)s.") % {"id": report.pk, "asset": report.asset},
        )
    elif report.status == ReportStatus.HELD:
        messages.warning(
            request,
            _("Report %(id)s is held as a conflict: accept or reject it.") % {"id": report.pk},
        )
    elif report.status == ReportStatus.FAILED:
        messages.error(
            request,
            _("Report %(id)s failed again: %(error)s") % {"id": report.pk, "error": report.error},
        )
    else:
        messages.warning(
            request, _("Report %(id)s waits for its agent's approval.") % {"id": report.pk}
        )
    return _back(request, reverse("inventory:activity"))


@require_POST
@login_required
def approve_agent(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve a held agent; its waiting reports are queued for processing."""
    user = _user(request)
    _require_list(agent_policy, user)
    agent = agent_policy.get_for_user(user, pk, Action.CHANGE)
    if agent.approved:
        messages.info(request, _("Agent %(agent)s was already approved.") % {"agent": agent})
    else:
        waiting = approve_agents(agents=[agent])
        messages.success(
            request,
            _("Agent %(agent)s approved; %(count)d report(s) queued for processing.")
            % {"agent": agent, "count": len(waiting)},
        )
    return HttpResponseRedirect(reverse("inventory:agent-detail", args=[agent.pk]))


class ReportDetailView(InventoryView):
    """One received report: what processing made of it and, held, the conflict to decide."""

    model = ReceivedReport
    policy = received_report_policy
    slug = "report"
    template_name = "inventory/report_detail.html"

    def url_name(self, action: str) -> str:
        return "inventory:activity" if action == "list" else super().url_name(action)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        _require_list(received_report_policy, self.user)
        report = received_report_policy.get_for_user(self.user, pk, Action.VIEW)
        context = {
            "object": report,
            "can_decide": received_report_policy.can_change(self.user, report),
        }
        return self.render(context)


@require_POST
@login_required
def accept_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept a held report: bind its asset to the report's agent, then apply it."""
    user = _user(request)
    report = received_report_policy.get_for_user(user, pk, Action.CHANGE)
    try:
        report = accept_held_report(report=report, by=user, source=ChangeSource.WEB)
    except NotHeld:
        messages.warning(request, _("Report %(id)s is not held any more.") % {"id": report.pk})
    else:
        messages.success(
            request,
            _("Report %(id)s accepted: %(asset)s is now bound to agent %(agent)s.")
            % {"id": report.pk, "asset": report.asset, "agent": report.agent},
        )
    return _back(request, reverse("inventory:report-detail", args=[report.pk]))


@require_POST
@login_required
def reject_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Reject a held report: it is kept, marked rejected; the asset is left as it is."""
    user = _user(request)
    report = received_report_policy.get_for_user(user, pk, Action.CHANGE)
    try:
        reject_held_report(report=report, by=user)
    except NotHeld:
        messages.warning(request, _("Report %(id)s is not held any more.") % {"id": report.pk})
    else:
        messages.success(request, _("Report %(id)s rejected.") % {"id": report.pk})
    return _back(request, reverse("inventory:report-detail", args=[report.pk]))
