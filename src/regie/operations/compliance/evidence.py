"""When a rule cannot tell: the assets whose state is *unknown* for a rule.

A rule without a finding on an asset is not proof that the asset complies: the asset may never
have sent an inventory, or its agent may not report what the rule reads (Linux agents report
no antivirus, some report no volumes). Those assets are counted and listed apart, as unknown,
so a fleet that never reported does not read as "all clear".

Each rule's evidence is given twice, kept side by side here: as a query condition on
``Asset`` (:func:`unknown_condition`, to count and list at fleet scale in one query) and as a
test on one loaded asset (:func:`unknown_reason`, for readiness, which already holds the
laptop and its inventory).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from regie.assets.models import Asset, AssetKind
from regie.assets.permissions import asset_policy
from regie.core.permissions import AnyUser
from regie.operations.compliance.models import RuleCode
from regie.operations.compliance.rules import RULES
from regie.operations.compliance.services import EVALUATED_STATUSES

OS_RULES = (RuleCode.OS_END_OF_SUPPORT, RuleCode.OS_END_OF_SUPPORT_SOON, RuleCode.OS_UPDATES)
WARRANTY_RULES = (RuleCode.WARRANTY_ENDING, RuleCode.WARRANTY_EXPIRED)
# The snapshot section each rule reads (``AssetInventory.sections``).
SECTION_OF = {
    RuleCode.ANTIVIRUS: "antivirus",
    RuleCode.FIREWALL: "firewalls",
    RuleCode.DISK_ENCRYPTION: "volumes",
}


def _section_reasons() -> dict[str, str]:
    return {
        "antivirus": _("The agent does not report the antivirus."),
        "firewalls": _("The agent does not report the firewall."),
        "volumes": _("The agent does not report the disk volumes."),
    }


def _never_reported() -> Q:
    return Q(inventory__isnull=True) | Q(inventory__last_inventory_at__isnull=True)


def _section_missing(section: str) -> Q:
    """The section is absent from the snapshot, or reported empty (the agent cannot tell)."""
    return Q(**{f"inventory__sections__{section}__0__isnull": True})


def unknown_condition(code: str) -> Q:
    """The assets (among those the sweep evaluates) whose state for rule ``code`` is unknown."""
    rule = RuleCode(code)
    if rule in WARRANTY_RULES:
        return Q(warranty_end__isnull=True)
    if rule == RuleCode.INVENTORY_STALE:
        return _never_reported()
    if rule in OS_RULES:
        return _never_reported() | Q(operating_system__isnull=True)
    section = SECTION_OF[rule]
    unknown = _never_reported() | _section_missing(section)
    if rule == RuleCode.DISK_ENCRYPTION:  # the rule is about laptops only
        return Q(asset_type__kind=AssetKind.LAPTOP) & unknown
    return unknown


def _reported(sections: Any, section: str) -> bool:
    entries = sections.get(section) if isinstance(sections, Mapping) else None
    return isinstance(entries, list) and len(entries) > 0


def unknown_reason(code: str, asset: Asset, *, has_operating_system: bool) -> str | None:
    """Why rule ``code`` cannot tell for ``asset`` (its ``inventory`` loaded), or ``None``.

    The same conditions as :func:`unknown_condition`, on one asset already in memory."""
    rule = RuleCode(code)
    if rule in WARRANTY_RULES:
        return _("No warranty end recorded.") if asset.warranty_end is None else None
    inventory = getattr(asset, "inventory", None)
    if inventory is None or inventory.last_inventory_at is None:
        return _("Never inventoried.")
    if rule == RuleCode.INVENTORY_STALE:
        return None
    if rule in OS_RULES:
        if has_operating_system:
            return None
        return _("The agent does not report the operating system.")
    section = SECTION_OF[rule]
    return None if _reported(inventory.sections, section) else _section_reasons()[section]


def evaluated_assets(user: AnyUser) -> QuerySet[Asset]:
    """The assets the sweep evaluates that ``user`` may see."""
    visible: QuerySet[Asset] = asset_policy.visible(user)
    return visible.filter(status__in=EVALUATED_STATUSES)


def unknown_counts(assets: QuerySet[Asset]) -> dict[str, int]:
    """Rule code → how many of ``assets`` have an unknown state for it, in one query."""
    totals = assets.order_by().aggregate(
        **{rule.code.value: Count("pk", filter=unknown_condition(rule.code)) for rule in RULES}
    )
    return {code: total or 0 for code, total in totals.items()}


def unknown_assets(assets: QuerySet[Asset], code: str) -> QuerySet[Asset]:
    """The assets of ``assets`` whose state for rule ``code`` is unknown, ready to list."""
    return (
        assets.filter(unknown_condition(code))
        .select_related("asset_type", "site", "inventory", "operating_system")
        .order_by("inventory_number", "pk")
    )
