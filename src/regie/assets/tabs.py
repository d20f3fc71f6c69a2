"""The tabs of the asset page: what each one shows, computed for the open tab only.

Values come from inventory agents: they are passed to templates as plain text (the
templates escape them) and never marked safe. The JSON snapshot (``AssetInventory.sections``)
is read defensively: a section that is missing or not shaped as expected shows nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db import models
from django.http import QueryDict
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from regie.assets.filters import SoftwareInstallationFilterSet
from regie.assets.models import Asset, AssetInventory, AssetOperatingSystem
from regie.assets.permissions import software_installation_policy
from regie.assets.services import INVENTORY_FIELDS
from regie.core.crud import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, DetailField, model_fields, url_with
from regie.core.history import history_of
from regie.core.models import User

HISTORY_LIMIT = 200
SOFTWARE_PAGE_SIZES = (25, 50, 100)


@dataclass(frozen=True)
class Tab:
    name: str
    label: str
    url: str
    current: bool


TabContext = Callable[[User, Asset, QueryDict], dict[str, Any]]


@dataclass(frozen=True)
class TabSpec:
    name: str
    label: str | Promise
    template: str
    context: TabContext
    order: int


_TABS: dict[str, TabSpec] = {}


def register_tab(
    name: str, label: str | Promise, *, template: str, context: TabContext, order: int
) -> None:
    """Add a tab to the asset page, shown by ``order``; ``context(user, asset, params)`` is
    computed only when the tab is open. Higher apps (inventory, compliance, …) add theirs
    when they start: this app knows nothing of them."""
    _TABS[name] = TabSpec(name, label, template, context, order)


def registered_tabs() -> list[TabSpec]:
    return sorted(_TABS.values(), key=lambda spec: (spec.order, spec.name))


def current_tab(params: QueryDict) -> str:
    name = params.get("tab", "")
    return name if name in _TABS else "overview"


def tab_links(current: str) -> list[Tab]:
    # Links keep only the tab: a search in the software tab does not follow to the others.
    return [
        Tab(spec.name, str(spec.label), f"?tab={spec.name}", spec.name == current)
        for spec in registered_tabs()
    ]


# --- hardware --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    title: str
    headers: list[str]
    rows: list[list[Any]]


Format = Callable[[Any], Any]


def _text(value: Any) -> Any:
    if value is None or value == "":
        return None
    return value if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def _size(mib: Any) -> Any:
    if not isinstance(mib, int | float) or isinstance(mib, bool):
        return None
    return filesizeformat(int(mib) * 1024 * 1024)


def _yes_no(value: Any) -> Any:
    if value is None:
        return None
    return gettext("yes") if value else gettext("no")


Column = tuple[str, str | Promise, Format]

# Report section → its title and columns (key in the JSON, header, formatter).
HARDWARE_SECTIONS: tuple[tuple[str, str | Promise, Sequence[Column]], ...] = (
    (
        "cpus",
        _("Processors"),
        (
            ("name", _("Name"), _text),
            ("manufacturer", _("Manufacturer"), _text),
            ("cores", _("Cores"), _text),
            ("threads", _("Threads"), _text),
            ("speed_mhz", _("Speed (MHz)"), _text),
        ),
    ),
    (
        "memories",
        _("Memory modules"),
        (
            ("slot", _("Slot"), _text),
            ("capacity_mib", _("Capacity"), _size),
            ("type", _("Type"), _text),
            ("speed", _("Speed"), _text),
            ("manufacturer", _("Manufacturer"), _text),
        ),
    ),
    (
        "storages",
        _("Disks"),
        (
            ("name", _("Name"), _text),
            ("model", _("Model"), _text),
            ("manufacturer", _("Manufacturer"), _text),
            ("size_mib", _("Size"), _size),
            ("interface", _("Interface"), _text),
            ("serial", _("Serial number"), _text),
        ),
    ),
    (
        "volumes",
        _("Volumes"),
        (
            ("mount_point", _("Mount point"), _text),
            ("label", _("Label"), _text),
            ("filesystem", _("File system"), _text),
            ("total_mib", _("Size"), _size),
            ("free_mib", _("Free space"), _size),
            ("encrypted", _("Encrypted"), _yes_no),
            ("encryption_name", _("Encryption"), _text),
            ("encryption_status", _("Encryption state"), _text),
        ),
    ),
    (
        "monitors",
        _("Monitors"),
        (
            ("name", _("Name"), _text),
            ("manufacturer", _("Manufacturer"), _text),
            ("serial", _("Serial number"), _text),
        ),
    ),
    (
        "batteries",
        _("Batteries"),
        (
            ("name", _("Name"), _text),
            ("manufacturer", _("Manufacturer"), _text),
            ("chemistry", _("Chemistry"), _text),
            ("capacity_mwh", _("Capacity (mWh)"), _text),
            ("real_capacity_mwh", _("Real capacity (mWh)"), _text),
        ),
    ),
    (
        "antivirus",
        _("Antivirus"),
        (
            ("name", _("Name"), _text),
            ("company", _("Publisher"), _text),
            ("version", _("Version"), _text),
            ("enabled", _("Enabled"), _yes_no),
            ("up_to_date", _("Up to date"), _yes_no),
        ),
    ),
    (
        "firewalls",
        _("Firewalls"),
        (
            ("profile", _("Profile"), _text),
            ("status", _("Status"), _text),
            ("enabled", _("Enabled"), _yes_no),
        ),
    ),
    (
        "remote_controls",
        _("Remote control"),
        (("type", _("Type"), _text), ("id", _("Identifier"), _text)),
    ),
)


def _table(title: str | Promise, columns: Sequence[Column], entries: Any) -> Table | None:
    if not isinstance(entries, list):
        return None
    rows = [
        [formatter(entry.get(key)) for key, _label, formatter in columns]
        for entry in entries
        if isinstance(entry, dict)
    ]
    if not rows:
        return None
    return Table(str(title), [str(label) for _key, label, _f in columns], rows)


OPERATING_SYSTEM_FIELDS = (
    "name",
    "full_name",
    "version",
    "build",
    "architecture",
    "install_date",
    "last_boot",
)


def hardware_tab(user: User, asset: Asset) -> dict[str, Any]:
    inventory = AssetInventory.objects.filter(asset=asset).first()
    system = AssetOperatingSystem.objects.filter(asset=asset).first()
    stored: Any = inventory.sections if inventory else {}
    sections: dict[str, Any] = stored if isinstance(stored, dict) else {}
    summary: list[DetailField] = []
    if system is not None:
        summary += model_fields(system, OPERATING_SYSTEM_FIELDS, user=user)
    if inventory is not None:
        users = sections.get("users")
        summary += [
            DetailField(gettext("Total memory"), _size(inventory.memory_mib)),
            DetailField(gettext("Last user"), _text(inventory.last_user)),
            DetailField(
                gettext("Users logged in"),
                ", ".join(str(user) for user in users) if isinstance(users, list) else None,
            ),
        ]
    tables = [
        table
        for key, title, columns in HARDWARE_SECTIONS
        if (table := _table(title, columns, sections.get(key))) is not None
    ]
    return {"hardware_summary": summary, "hardware_tables": tables}


# --- software --------------------------------------------------------------------------------


def page_size(params: QueryDict) -> int:
    try:
        size = int(params.get("page_size", DEFAULT_PAGE_SIZE))
    except ValueError:
        return DEFAULT_PAGE_SIZE
    return max(1, min(size, MAX_PAGE_SIZE))


def software_tab(user: User, asset: Asset, params: QueryDict) -> dict[str, Any]:
    """One COUNT and one page query, whatever the page size."""
    installations = software_installation_policy.visible(
        user,
        asset.software_installations.select_related("version__software").order_by(
            "version__software__normalized_name", "version__version", "version__architecture"
        ),
    )
    filterset = SoftwareInstallationFilterSet(params, queryset=installations)
    size = page_size(params)
    page = Paginator(filterset.qs, size).get_page(params.get("page"))
    return {
        "software_page": page,
        "software_query": params.get("q", ""),
        "page_sizes": SOFTWARE_PAGE_SIZES,
        "current_page_size": size,
        "previous_url": (
            url_with(params, page=page.previous_page_number()) if page.has_previous() else ""
        ),
        "next_url": url_with(params, page=page.next_page_number()) if page.has_next() else "",
    }


# --- network, history -----------------------------------------------------------------------


def network_tab(asset: Asset) -> dict[str, Any]:
    return {"interfaces": asset.network_interfaces.prefetch_related("addresses")}


def history_tab(asset: Asset) -> dict[str, Any]:
    # Agents can record many changes; the newest ones are what a technician reads.
    return {"history": history_of(asset)[:HISTORY_LIMIT]}


# --- overview --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LockedField:
    name: str
    label: str


def field_label(name: str) -> str:
    field = Asset._meta.get_field(name)
    assert isinstance(field, models.Field)  # noqa: S101  # INVENTORY_FIELDS are columns
    return capfirst(str(field.verbose_name))


def locked_fields(asset: Asset) -> list[LockedField]:
    """The inventory fields a person edited, in form order, with their labels."""
    return [
        LockedField(name, field_label(name)) for name in INVENTORY_FIELDS if asset.is_locked(name)
    ]


AgentSetupLink = Callable[[User], str]
_AGENT_SETUP: list[AgentSetupLink] = []


def register_agent_setup(link: AgentSetupLink) -> None:
    """Where ``user`` sets up an inventory agent ("" when they may not): the empty hardware,
    software and network tabs point there. The inventory app registers it when it starts."""
    _AGENT_SETUP[:] = [link]


def agent_setup_url(user: User) -> str:
    return _AGENT_SETUP[0](user) if _AGENT_SETUP else ""


def tab_context(user: User, asset: Asset, params: QueryDict) -> dict[str, Any]:
    spec = _TABS[current_tab(params)]
    return {
        "tab": spec.name,
        "tabs": tab_links(spec.name),
        "tab_template": spec.template,
        "agent_setup_url": agent_setup_url(user),
        **spec.context(user, asset, params),
    }


def _no_context(user: User, asset: Asset, params: QueryDict) -> dict[str, Any]:
    return {}


register_tab(
    "overview",
    _("Overview"),
    template="assets/asset_tabs/overview.html",
    context=_no_context,
    order=0,
)
register_tab(
    "hardware",
    _("Hardware"),
    template="assets/asset_tabs/hardware.html",
    context=lambda user, asset, params: hardware_tab(user, asset),
    order=10,
)
register_tab(
    "software",
    _("Software"),
    template="assets/asset_tabs/software.html",
    context=software_tab,
    order=20,
)
register_tab(
    "network",
    _("Network"),
    template="assets/asset_tabs/network.html",
    context=lambda user, asset, params: network_tab(asset),
    order=30,
)
register_tab(
    "history",
    _("History"),
    template="assets/asset_tabs/history.html",
    context=lambda user, asset, params: history_tab(asset),
    order=40,
)
