"""The "Compliance" section of the asset page: that asset's open findings."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from regie.assets.models import Asset
from regie.core.models import User
from regie.core.panels import register_panel
from regie.operations.compliance.permissions import finding_policy


def asset_findings(user: User, asset: Asset) -> dict[str, Any]:
    if not finding_policy.can_list(user):
        return {"shown": False, "findings": [], "list_url": ""}
    findings = finding_policy.visible(user).open().filter(asset=asset).order_by("rule")
    return {
        "shown": True,
        "findings": list(findings),
        "list_url": reverse("compliance:overview") + f"?asset={asset.pk}",
    }


def register() -> None:
    register_panel(Asset, template="compliance/panels/asset_findings.html", context=asset_findings)
