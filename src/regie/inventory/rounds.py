"""The inventory's section of the daily round: reports held as conflicts, waiting for a
technician to accept or reject them (see ``regie.inventory.trust``)."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regie.core.events import Severity
from regie.core.models import User
from regie.core.rounds import RoundItem, RoundSource, register_source
from regie.inventory.models import ReceivedReport, ReportStatus
from regie.inventory.permissions import received_report_policy

SHOWN = 50


def held_report_items(user: User, since: datetime | None) -> list[RoundItem]:
    reports = received_report_policy.visible(
        user, ReceivedReport.objects.select_related("agent", "asset").defer("body")
    )
    held = reports.filter(status=ReportStatus.HELD).order_by("received_at", "pk")[:SHOWN]
    return [
        RoundItem(
            key=f"inventory-report:{report.pk}:held",
            title=_("Inventory report held: %(asset)s") % {"asset": report.asset or "—"},
            detail=_("Agent %(agent)s, sent from %(address)s")
            % {"agent": report.agent.device_id, "address": report.remote_address or "—"},
            url=reverse("inventory:report-detail", args=[report.pk]),
            severity=Severity.WARNING,
            since=report.received_at,
        )
        for report in held
    ]


def register() -> None:
    register_source(
        RoundSource(
            key="inventory-held",
            label=gettext_lazy("Held inventory reports"),
            order=50,
            items=held_report_items,
        )
    )
