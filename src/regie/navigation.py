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
from regie.inventory.permissions import agent_policy
from regie.operations.checks.permissions import MENU_LABEL as CHECKS_LABEL
from regie.operations.checks.permissions import check_policy

# (label, URL name, the policy that decides whether the entry shows, whether the entry
# stands for its parent path's sibling pages too)
_ENTRIES: tuple[tuple[Any, str, Policy[Any], bool], ...] = (
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
