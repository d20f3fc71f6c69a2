"""The daily round's "New findings" section."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from regie.core.events import Severity
from regie.core.models import User
from regie.core.rounds import RoundItem, RoundSource, register_source
from regie.operations.compliance.permissions import finding_policy

SHOWN = 100


def finding_items(user: User, since: datetime | None) -> list[RoundItem]:
    """Open findings first seen since the last hand-over; before the first hand-over, every
    open critical finding."""
    findings = finding_policy.visible(user).open()
    if since is None:
        findings = findings.filter(severity=Severity.CRITICAL)
    else:
        findings = findings.filter(first_seen__gte=since)
    return [
        RoundItem(
            key=f"finding:{finding.pk}",
            title=f"{finding.asset} — {finding.get_rule_display()}",
            detail=finding.reason,
            url=finding.asset.get_absolute_url(),
            severity=Severity(finding.severity),
            since=finding.first_seen,
            site_id=finding.asset.site_id,
        )
        for finding in findings.select_related("asset").order_by("-first_seen", "pk")[:SHOWN]
    ]


def register() -> None:
    register_source(
        RoundSource(key="findings", label=_("New findings"), order=20, items=finding_items)
    )
