"""The "Agent" tab of the asset page: the asset's inventory agent and its last reports."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regie.assets.models import Asset, AssetInventory
from regie.assets.tabs import register_agent_setup, register_tab
from regie.core.models import User
from regie.inventory.models import AgentProtocol, ReceivedReport
from regie.inventory.permissions import agent_policy, received_report_policy

REPORT_LIMIT = 20


def agent_tab(user: User, asset: Asset, params: QueryDict) -> dict[str, Any]:
    reports = received_report_policy.visible(
        user, ReceivedReport.objects.filter(asset=asset).select_related("agent")
    ).order_by("-received_at")
    inventory = AssetInventory.objects.filter(asset=asset).first()
    protocol = inventory.protocol if inventory else ""
    return {
        "inventory": inventory,
        "protocol_label": dict(AgentProtocol.choices).get(protocol, protocol),
        "reports": list(reports[:REPORT_LIMIT]),
        # Where to go when no agent reports yet: the set-up page, for those who may open it.
        "setup_url": setup_url(user),
    }


def setup_url(user: User) -> str:
    """The agent set-up page, for those who may open it (it shows the agents' password)."""
    return reverse("inventory:setup") if agent_policy.can_change(user, None) else ""


def register() -> None:
    register_agent_setup(setup_url)
    register_tab(
        "agent",
        _("Agent"),
        template="inventory/asset_agent_tab.html",
        context=agent_tab,
        order=50,
    )
