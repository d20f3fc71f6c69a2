"""What every page needs to draw its navigation."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from regie.core.permissions import policy_for

# (label, URL name, the model whose policy decides whether the entry shows)
_ENTRIES = (
    (_("Sites"), "directory:site-list", ("directory", "Site")),
    (_("People"), "directory:person-list", ("directory", "Person")),
    (_("Departments"), "directory:department-list", ("directory", "Department")),
    (_("Organisations"), "directory:organisation-list", ("directory", "Organisation")),
    (_("Fleet"), "assets:asset-list", ("assets", "Asset")),
    (_("Suppliers"), "assets:supplier-list", ("assets", "Supplier")),
    (_("Contracts"), "assets:contract-list", ("assets", "Contract")),
    (_("Catalogue"), "assets:assettype-list", ("assets", "AssetType")),
)
# Entries whose pages sit side by side under one parent path (types, manufacturers, models).
_SECTIONS = {"assets:assettype-list"}


@dataclass(frozen=True)
class NavEntry:
    label: str
    url: str
    current: bool


def _entry(request: HttpRequest, label: Any, url: str, *, exact: bool = False) -> NavEntry:
    current = request.path == url if exact else request.path.startswith(url)
    return NavEntry(str(label), url, current)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu entries this user may open; nothing for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": []}
    entries = [_entry(request, _("Home"), reverse("home"), exact=True)]
    for label, url_name, (app_label, model_name) in _ENTRIES:
        policy = policy_for(apps.get_model(app_label, model_name))
        if policy is not None and policy.can_list(user):
            url = reverse(url_name)
            prefix = url.rstrip("/").rpartition("/")[0] + "/" if url_name in _SECTIONS else url
            current = request.path.startswith(prefix)
            entries.append(NavEntry(str(label), url, current))
    # The token pages belong to the API app; the menu must not break while they are absent.
    with suppress(NoReverseMatch):
        entries.append(_entry(request, _("API tokens"), reverse("tokens:token-list")))
    return {"nav_entries": entries}
