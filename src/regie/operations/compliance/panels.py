"""The "Compliance" section of the asset page: that asset's open findings."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from regie.assets.models import Asset
from regie.core.models import User
from regie.core.panels import register_panel
from regie.operations.compliance.permissions import finding_policy


def asset_findings(user: User, asset: Asset) -> dict[str, Any]:
    shown = finding_policy.can_list(user)
    findings = finding_policy.visible(user).open().filter(asset=asset) if shown else []
    return {
        "shown": shown,
        "findings": list(findings.order_by("rule")) if shown else [],
        "list_url": reverse("compliance:overview") + f"?asset={asset.pk}" if shown else "",
    }


def register() -> None:
    register_panel(Asset, template="compliance/panels/asset_findings.html", context=asset_findings)
