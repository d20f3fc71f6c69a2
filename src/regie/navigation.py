"""The main menu. It lists pages of every app, so it lives at the project level."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regie.assets.permissions import (
    asset_policy,
    asset_type_policy,
    contract_policy,
    supplier_policy,
)
from regie.core.permissions import Policy
from regie.directory.permissions import (
    department_policy,
    organisation_policy,
    person_policy,
    site_policy,
)
from regie.field.permissions import intervention_policy, route_plan_policy
from regie.helpdesk.permissions import ticket_desk_policy, ticket_portal_policy
from regie.inventory.permissions import agent_policy
from regie.operations.alerts.permissions import channel_policy
from regie.operations.checks.permissions import MENU_LABEL as CHECKS_LABEL
from regie.operations.checks.permissions import check_policy
from regie.operations.compliance.permissions import finding_policy
from regie.operations.daily.permissions import log_entry_policy
from regie.operations.daily.views import MENU_LABEL as TODAY_LABEL
from regie.telephony.permissions import line_policy
from regie.telework.permissions import loan_policy

# (label, URL name, the policy that decides whether the entry shows, whether the entry
# stands for its parent path's sibling pages too)
_ENTRIES: tuple[tuple[Any, str, Policy[Any], bool], ...] = (
    (TODAY_LABEL, "daily:today", log_entry_policy, False),  # and its log under /today/log/
    (_("Sites"), "directory:site-list", site_policy, False),
    (_("People"), "directory:person-list", person_policy, False),
    (_("Departments"), "directory:department-list", department_policy, False),
    (_("Organisations"), "directory:organisation-list", organisation_policy, False),
    (_("Fleet"), "assets:asset-list", asset_policy, False),
    (_("Suppliers"), "assets:supplier-list", supplier_policy, False),
    (_("Contracts"), "assets:contract-list", contract_policy, False),
    # Types, manufacturers and models sit side by side under /fleet/catalogue/.
    (_("Catalogue"), "assets:assettype-list", asset_type_policy, True),
    # Activity, agents and set-up, all under /inventory/.
    (_("Inventory"), "inventory:activity", agent_policy, False),
    (CHECKS_LABEL, "checks:check-list", check_policy, False),
    (_("Compliance"), "compliance:overview", finding_policy, False),
    # Channels and the delivery log, both under /alerts/.
    (_("Alerts"), "alerts:channel-list", channel_policy, True),
    (_("Interventions"), "field:intervention-list", intervention_policy, False),
    (_("Rounds"), "field:routeplan-list", route_plan_policy, False),
    (_("Tickets"), "helpdesk:ticket-list", ticket_desk_policy, False),
    (_("My requests"), "helpdesk:portal", ticket_portal_policy, False),
    # Lines, extensions, SIM cards, operators, plans and the copper cut-off, under /telephony/.
    (_("Telephony"), "telephony:line-list", line_policy, True),
    # Loans, reservations, the pool calendar, the charter and readiness, under /telework/.
    (_("Telework"), "telework:loan-list", loan_policy, True),
)


@dataclass(frozen=True)
class NavEntry:
    label: str
    url: str
    current: bool


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu entries this user may open; nothing for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": []}
    home = reverse("home")
    entries = [NavEntry(str(_("Home")), home, request.path == home)]
    for label, url_name, policy, section in _ENTRIES:
        if policy.can_list(user):
            url = reverse(url_name)
            prefix = url.rstrip("/").rpartition("/")[0] + "/" if section else url
            entries.append(NavEntry(str(label), url, request.path.startswith(prefix)))
    tokens = reverse("tokens:token-list")
    entries.append(NavEntry(str(_("API tokens")), tokens, request.path.startswith(tokens)))
    return {"nav_entries": entries}
