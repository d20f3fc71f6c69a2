"""The compliance pages: findings with their counts, one finding, the settings, the
end-of-support table, and the "run the sweep now" button."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from regie.core.crud import Cell, Column, CrudDetailView, CrudListView, CrudView, Row
from regie.core.events import Severity
from regie.core.models import User
from regie.core.permissions import manages
from regie.operations.compliance.evidence import (
    evaluated_assets,
    unknown_assets,
    unknown_counts,
    unknown_reason,
)
from regie.operations.compliance.filters import FindingFilterSet
from regie.operations.compliance.forms import ComplianceSettingsForm
from regie.operations.compliance.lifecycle import RELEASES, REVIEWED_ON
from regie.operations.compliance.models import ComplianceSettings, Finding
from regie.operations.compliance.permissions import compliance_settings_policy, finding_policy
from regie.operations.compliance.rules import RULES, RULES_BY_CODE
from regie.operations.compliance.services import save_compliance_settings
from regie.operations.compliance.tasks import sweep_compliance

SEVERITIES = (Severity.CRITICAL, Severity.WARNING, Severity.INFO)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # login_required ran first
    return user


def _require_list(user: User) -> None:
    if not finding_policy.can_list(user):
        raise PermissionDenied


class FindingView(CrudView):
    model = Finding
    policy = finding_policy
    namespace = "compliance"
    slug = "finding"

    def url_name(self, action: str) -> str:
        return "compliance:overview" if action == "list" else f"compliance:finding-{action}"


class ComplianceView(FindingView, CrudListView):
    """Open findings (``?open=false`` for resolved ones, ``?open=`` for all) with counts per
    rule and severity above them."""

    template_name = "compliance/overview.html"
    filterset_class = FindingFilterSet
    filter_fields = ("q", "rule", "severity", "site", "asset_type", "open")
    columns = (
        Column("asset", gettext_lazy("Asset"), "asset"),
        Column("get_rule_display", gettext_lazy("Rule"), "rule", link=True),
        Column("get_severity_display", gettext_lazy("Severity"), "severity", badge="severity"),
        Column("reason", gettext_lazy("Reason")),
        Column("asset.site", gettext_lazy("Site")),
        Column("first_seen", gettext_lazy("First seen"), "first_seen"),
        Column("last_seen", gettext_lazy("Last seen"), "last_seen"),
    )

    def get_queryset(self) -> QuerySet[Finding]:
        queryset = Finding.objects.for_list()
        return queryset if "open" in self.request.GET else queryset.open()

    def rows(self, objects: Any) -> list[Row]:
        rows = super().rows(objects)
        for row in rows:
            asset = row.obj.asset  # type: ignore[attr-defined]  # the list is of findings
            row.cells[0] = Cell(asset, asset.get_absolute_url())
        return rows

    def render(self, context: dict[str, Any], template: str | None = None) -> TemplateResponse:
        if template is None or "#" not in template:  # the whole page, not the htmx fragment
            context = {**context, **self.counts_context()}
        return super().render(context, template)

    def counts_context(self) -> dict[str, Any]:
        counts = (
            finding_policy.visible(self.user)
            .open()
            .order_by()
            .values("rule", "severity")
            .annotate(count=Count("pk"))
        )
        table = {(row["rule"], row["severity"]): row["count"] for row in counts}
        base = reverse("compliance:overview")
        unknown = unknown_counts(evaluated_assets(self.user))
        unknown_base = reverse("compliance:unknown")
        return {
            "severities": [severity.label for severity in SEVERITIES],
            "count_rows": [
                {
                    "label": rule.label,
                    "unknown": unknown[rule.code.value],
                    "unknown_url": f"{unknown_base}?rule={rule.code.value}",
                    "cells": [
                        (
                            table.get((rule.code.value, severity.value), 0),
                            f"{base}?rule={rule.code.value}&severity={severity.value}",
                        )
                        for severity in SEVERITIES
                    ],
                }
                for rule in RULES
            ],
            "open_total": sum(table.values()),
            "evaluated_total": evaluated_assets(self.user).count(),
            "can_sweep": manages(self.user),
        }


class FindingDetailView(FindingView, CrudDetailView):
    template_name = "compliance/finding_detail.html"
    detail_fields = (
        "asset",
        "rule",
        "severity",
        "reason",
        "first_seen",
        "last_seen",
        "resolved_at",
    )


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """Everyone who sees findings reads the thresholds; only administrators change them."""
    user = _user(request)
    if not compliance_settings_policy.can_list(user):
        raise PermissionDenied
    config = ComplianceSettings.load()
    can_change = compliance_settings_policy.can_change(user, config)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        form = ComplianceSettingsForm(request.POST, instance=config)
        if form.is_valid():
            save_compliance_settings(config=form.save(commit=False), by=user)
            messages.success(request, _("The compliance settings have been saved."))
            return HttpResponseRedirect(reverse("compliance:settings"))
    else:
        form = ComplianceSettingsForm(instance=config, read_only=not can_change)
    return TemplateResponse(
        request, "compliance/settings.html", {"form": form, "can_change": can_change}
    )


UNKNOWN_SHOWN = 100


@login_required
@require_GET
def unknown_page(request: HttpRequest) -> HttpResponse:
    """The assets whose state a rule cannot tell (never inventoried, or the agent does not
    report what the rule reads), per rule: ``?rule=<code>``; without it, the counts."""
    user = _user(request)
    _require_list(user)
    assets = evaluated_assets(user)
    code = request.GET.get("rule", "")
    if not code:
        counts = unknown_counts(assets)
        rows = [(rule, counts[rule.code.value]) for rule in RULES]
        return TemplateResponse(request, "compliance/unknown.html", {"rows": rows})
    rule = RULES_BY_CODE.get(code)
    if rule is None:
        return TemplateResponse(
            request,
            "compliance/unknown.html",
            {"error": _("Unknown rule: %(code)s.") % {"code": code}},
            status=400,
        )
    listed = unknown_assets(assets, code)
    total = listed.count()
    shown = list(listed[:UNKNOWN_SHOWN])
    items = [
        (
            asset,
            unknown_reason(code, asset, has_operating_system=hasattr(asset, "operating_system")),
        )
        for asset in shown
    ]
    context = {"rule": rule, "items": items, "total": total, "more": total - len(items)}
    return TemplateResponse(request, "compliance/unknown.html", context)


@login_required
def lifecycle_page(request: HttpRequest) -> HttpResponse:
    """The end-of-support table the rules use, with its sources and review date."""
    _require_list(_user(request))
    return TemplateResponse(
        request, "compliance/lifecycle.html", {"releases": RELEASES, "reviewed_on": REVIEWED_ON}
    )


@require_POST
@login_required
def run_sweep(request: HttpRequest) -> HttpResponse:
    """Queue a sweep now (the IT team only); the worker runs it."""
    if not manages(_user(request)):
        raise PermissionDenied
    sweep_compliance.enqueue()
    messages.success(
        request, _("The compliance sweep has been queued; refresh this page in a moment.")
    )
    return HttpResponseRedirect(reverse("compliance:overview"))
