"""The "Agent" tab of the asset page: the asset's inventory agent and its last reports."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from regie.assets.models import Asset, AssetInventory
from regie.assets.tabs import register_tab
from regie.core.models import User
from regie.inventory.models import ReceivedReport
from regie.inventory.permissions import received_report_policy

REPORT_LIMIT = 20


def agent_tab(user: User, asset: Asset, params: QueryDict) -> dict[str, Any]:
    reports = received_report_policy.visible(
        user, ReceivedReport.objects.filter(asset=asset).select_related("agent")
    ).order_by("-received_at")
    return {
        "inventory": AssetInventory.objects.filter(asset=asset).first(),
        "reports": list(reports[:REPORT_LIMIT]),
    }


def register() -> None:
    register_tab(
        "agent",
        _("Agent"),
        template="inventory/asset_agent_tab.html",
        context=agent_tab,
        order=50,
    )
