"""The inbox in the administration: approve agents, replay reports, read refusals."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from regie.core.admin import admin_site
from regie.inventory.models import Agent, ReceivedReport, Refusal
from regie.inventory.pipeline import process_report
from regie.inventory.services import approve_agents


@admin.register(Agent, site=admin_site)
class AgentAdmin(admin.ModelAdmin[Agent]):
    list_display = ["device_id", "protocol", "name", "version", "last_address", "last_seen"]
    list_filter = ["approved", "protocol"]
    search_fields = ["device_id", "glpi_agent_id"]
    # The binding changes through accepting a held report (history kept), not here.
    readonly_fields = ["report_count", "first_seen", "last_seen", "asset", "bound_at"]
    actions = ["approve"]

    @admin.action(description=_("Approve, and process their waiting reports"))
    def approve(self, request: HttpRequest, queryset: QuerySet[Agent]) -> None:
        waiting = approve_agents(agents=queryset)
        self.message_user(request, _("%(count)d report(s) queued.") % {"count": len(waiting)})


@admin.register(ReceivedReport, site=admin_site)
class ReceivedReportAdmin(admin.ModelAdmin[ReceivedReport]):
    list_display = ["pk", "agent", "protocol", "partial", "received_at", "status", "asset"]
    list_filter = ["status", "protocol", "partial"]
    search_fields = ["agent__device_id", "body_sha256"]
    list_select_related = ["agent", "asset"]
    exclude = ["body"]
    readonly_fields = [
        "agent",
        "protocol",
        "body_sha256",
        "body_size",
        "partial",
        "remote_address",
        "received_at",
        "status",
        "error",
        "processed_at",
        "matched_rule",
        "asset",
        "conflict",
        "decided_by",
        "decided_at",
    ]
    actions = ["replay"]

    @admin.action(description=_("Process again"))
    def replay(self, request: HttpRequest, queryset: QuerySet[ReceivedReport]) -> None:
        for report_id in queryset.values_list("pk", flat=True):
            report = process_report(report_id=report_id)
            level = messages.ERROR if report.error else messages.INFO
            self.message_user(request, f"{report.pk}: {report.get_status_display()}", level)


@admin.register(Refusal, site=admin_site)
class RefusalAdmin(admin.ModelAdmin[Refusal]):
    list_display = ["source", "reason", "count", "last_at", "last_address"]
    list_filter = ["reason"]
    search_fields = ["source"]
    readonly_fields = ["source", "reason", "count", "last_at", "last_address", "last_error"]
