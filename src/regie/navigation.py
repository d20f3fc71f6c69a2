"""The main menu. It lists pages of every app, so it lives at the project level."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from regie.assets.permissions import (
    asset_policy,
    asset_type_policy,
    contract_policy,
    supplier_policy,
)
from regie.continuity.permissions import activation_policy
from regie.core.permissions import Policy
from regie.directory.permissions import (
    department_policy,
    directory_source_policy,
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

# The menu's areas, in order; each entry: (label, URL name, the policy that decides whether
# the entry shows, whether the entry stands for its parent path's sibling pages too). An area
# shows only when one of its entries does, so each role sees only its areas.
_AREAS: tuple[tuple[Any, tuple[tuple[Any, str, Policy[Any], bool], ...]], ...] = (
    (
        pgettext_lazy("menu area", "Fleet"),
        (
            (_("Equipment"), "assets:asset-list", asset_policy, False),
            (_("Suppliers"), "assets:supplier-list", supplier_policy, False),
            (_("Contracts"), "assets:contract-list", contract_policy, False),
            # Types, manufacturers and models sit side by side under /fleet/catalogue/.
            (_("Catalogue"), "assets:assettype-list", asset_type_policy, True),
            # Activity, agents and set-up, all under /inventory/.
            (_("Inventory"), "inventory:activity", agent_policy, False),
        ),
    ),
    (
        pgettext_lazy("menu area", "Operations"),
        (
            (TODAY_LABEL, "daily:today", log_entry_policy, False),  # and its log, /today/log/
            # The continuity plan; its confirmation, kit and message are under /continuity/.
            (_("Continuity"), "continuity:page", activation_policy, False),
            (CHECKS_LABEL, "checks:check-list", check_policy, False),
            (_("Compliance"), "compliance:overview", finding_policy, False),
            # Channels and the delivery log, both under /alerts/.
            (_("Alerts"), "alerts:channel-list", channel_policy, True),
        ),
    ),
    (
        pgettext_lazy("menu area", "Support"),
        (
            (_("Tickets"), "helpdesk:ticket-list", ticket_desk_policy, False),
            (_("My requests"), "helpdesk:portal", ticket_portal_policy, False),
        ),
    ),
    (
        pgettext_lazy("menu area", "Field"),
        (
            (_("Interventions"), "field:intervention-list", intervention_policy, False),
            (_("Rounds"), "field:routeplan-list", route_plan_policy, False),
            (_("Sites"), "directory:site-list", site_policy, False),
            (_("Map"), "field:site-map", site_policy, False),
        ),
    ),
    (
        pgettext_lazy("menu area", "Telework"),
        # Loans, reservations, the pool calendar, the charter and readiness, under /telework/.
        ((_("Loans"), "telework:loan-list", loan_policy, True),),
    ),
    (
        pgettext_lazy("menu area", "Telephony"),
        # Lines, extensions, SIM cards, operators, plans and the copper cut-off, /telephony/.
        ((_("Lines"), "telephony:line-list", line_policy, True),),
    ),
    (
        pgettext_lazy("menu area", "Administration"),
        (
            (_("People"), "directory:person-list", person_policy, False),
            (_("Departments"), "directory:department-list", department_policy, False),
            (_("Organisations"), "directory:organisation-list", organisation_policy, False),
            # Sources, their runs and previews: all under /directory/sources/.
            (_("Directory sources"), "directory:source-list", directory_source_policy, False),
        ),
    ),
)


@dataclass(frozen=True)
class NavEntry:
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class NavGroup:
    """One area of the menu and the entries of it this user may open."""

    label: str
    entries: tuple[NavEntry, ...]

    @property
    def current(self) -> bool:
        return any(entry.current for entry in self.entries)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu this user may open, by area; nothing for anonymous visitors.

    ``nav_groups`` is the menu by area; ``nav_entries`` the same entries in one list, home
    first. The API tokens page is the user's own: it sits in the account menu.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_groups": [], "nav_entries": []}
    home = reverse("home")
    groups = []
    for area, entries in _AREAS:
        shown = []
        for label, url_name, policy, section in entries:
            if policy.can_list(user):
                url = reverse(url_name)
                prefix = url.rstrip("/").rpartition("/")[0] + "/" if section else url
                shown.append(NavEntry(str(label), url, request.path.startswith(prefix)))
        if shown:
            groups.append(NavGroup(str(area), tuple(shown)))
    tokens = reverse("tokens:token-list")
    security = reverse("accounts:security")
    return {
        "nav_home": NavEntry(str(_("Home")), home, request.path == home),
        "nav_groups": groups,
        "nav_entries": [
            NavEntry(str(_("Home")), home, request.path == home),
            *(entry for group in groups for entry in group.entries),
        ],
        "nav_tokens": NavEntry(str(_("API tokens")), tokens, request.path.startswith(tokens)),
        # Password, second factors, sessions: /account/ but its tokens page.
        "nav_security": NavEntry(
            str(_("Account security")),
            security,
            request.path.startswith(security) and not request.path.startswith(tokens),
        ),
    }
