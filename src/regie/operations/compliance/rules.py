"""The compliance rules: each looks at the facts known about one asset and says what fails.

A rule has a code, a label, a default severity and a switch in the settings; ``check`` returns
a :class:`Hit` (severity, a reason a person can act on, details) or ``None``. Rules read only
what the fleet app stores: the operating system row, the latest agent snapshot
(``AssetInventory.sections``), the newest software installation date and the warranty end.
Reasons are written in the active language; the sweep runs them in the organisation's.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from regie.assets.models import Asset, AssetInventory, AssetKind, AssetOperatingSystem
from regie.core.events import Severity
from regie.operations.compliance.lifecycle import Release, find_release
from regie.operations.compliance.models import ComplianceSettings, RuleCode

_LAPTOP_CHASSIS = ("laptop", "notebook", "portable", "convertible", "sub notebook")
_OFF = frozenset({"off", "disabled", "stopped", "0", "false"})


@dataclass(frozen=True)
class Facts:
    """What the sweep knows about one asset, read in bulk."""

    asset: Asset
    operating_system: AssetOperatingSystem | None
    inventory: AssetInventory | None
    last_software_install: dt.date | None

    def section(self, name: str) -> list[Mapping[str, Any]] | None:
        """A reported section's entries, or ``None`` when it was never reported."""
        if self.inventory is None or not isinstance(self.inventory.sections, dict):
            return None
        entries = self.inventory.sections.get(name)
        if not isinstance(entries, list):
            return None
        return [entry for entry in entries if isinstance(entry, Mapping)]


@dataclass(frozen=True)
class Hit:
    severity: Severity
    reason: str
    details: dict[str, Any] = field(default_factory=dict)


def _date(value: dt.date) -> str:
    return _formatted_date(value, translation.get_language())


@functools.lru_cache(maxsize=4096)
def _formatted_date(value: dt.date, language: str | None) -> str:
    # A sweep formats the same few dates thousands of times.
    return formats.date_format(value, "SHORT_DATE_FORMAT")


class Rule:
    code: ClassVar[RuleCode]
    severity: ClassVar[Severity]
    switch: ClassVar[str]  # the ComplianceSettings flag that enables it
    # Warnings of serious rules are announced like critical findings.
    serious: ClassVar[bool] = False
    threshold: ClassVar[str] = ""  # the ComplianceSettings field of its number of days

    @property
    def label(self) -> str:
        return str(self.code.label)

    def enabled(self, config: ComplianceSettings) -> bool:
        return bool(getattr(config, self.switch))

    def announced(self, severity: str) -> bool:
        return severity == Severity.CRITICAL or (self.serious and severity == Severity.WARNING)

    def check(self, facts: Facts, config: ComplianceSettings, today: dt.date) -> Hit | None:
        raise NotImplementedError


def release_of(facts: Facts) -> Release | None:
    system = facts.operating_system
    if system is None:
        return None
    return find_release(
        name=system.name, full_name=system.full_name, version=system.version, build=system.build
    )


def _release_details(release: Release) -> dict[str, Any]:
    end = release.end_of_support
    return {
        "release": release.label,
        "end_of_support": end.isoformat() if end else None,
        "source": release.source,
    }


class OsEndOfSupport(Rule):
    code = RuleCode.OS_END_OF_SUPPORT
    severity = Severity.CRITICAL
    switch = "os_end_of_support_enabled"

    def check(self, facts: Facts, config: ComplianceSettings, today: dt.date) -> Hit | None:
        release = release_of(facts)
        if release is None or release.end_of_support is None or today <= release.end_of_support:
            return None
        reason = _("%(release)s: end of support on %(date)s (source: %(source)s)") % {
            "release": release.label,
            "date": _date(release.end_of_support),
            "source": release.source_name,
        }
        return Hit(self.severity, reason, _release_details(release))


class OsEndOfSupportSoon(Rule):
    code = RuleCode.OS_END_OF_SUPPORT_SOON
    severity = Severity.WARNING
    switch = "os_end_of_support_enabled"
    threshold = "eol_warning_days"

    def check(self, facts: Facts, config: ComplianceSettings, today: dt.date) -> Hit | None:
        release = release_of(facts)
        if release is None or release.end_of_support is None:
            return None
        left = (release.end_of_support - today).days
        if left < 0 or left > config.eol_warning_days:
            return None
        reason = _(
            "%(release)s: end of support on %(date)s, in %(days)d days (source: %(source)s)"
        ) % {
            "release": release.label,
            "date": _date(release.end_of_support),
            "days": left,
            "source": release.source_name,
        }
        return Hit(self.severity, reason, {**_release_details(release), "days_left": left})


class OsUpdates(Rule):
    """The newest date known for a change to the system: the newest software installation
    date the agent reported (Windows lists its updates, KB…, with their installation dates;
    Linux agents give each package's installation or upgrade date), or the system's own
    installation date (a Windows feature update reinstalls it). No date known: no finding."""

    code = RuleCode.OS_UPDATES
    severity = Severity.WARNING
    switch = "os_updates_enabled"
    threshold = "update_max_age_days"
    serious = True

    def check(self, facts: Facts, config: ComplianceSettings, today: dt.date) -> Hit | None:
        if facts.operating_system is None:
            return None
        installed = facts.operating_system.install_date
        candidates = {
            "software": facts.last_software_install,
            "os_install": timezone.localdate(installed) if installed else None,
        }
        known = {source: day for source, day in candidates.items() if day is not None}
        if not known:
            return None
        source, last = max(known.items(), key=lambda item: item[1])
        age = (today - last).days
        if age <= config.update_max_age_days:
            return None
        reason = _("Last update known on %(date)s, %(days)d days ago (threshold: %(max)d days)") % {
            "date": _date(last),
            "days": age,
            "max": config.update_max_age_days,
        }
        return Hit(
            self.severity,
            reason,
            {"last_update": last.isoformat(), "source": source, "age_days": age},
        )


class Antivirus(Rule):
    code = RuleCode.ANTIVIRUS
    severity = Severity.CRITICAL
    switch = "antivirus_enabled"

    def problems(self, entry: Mapping[str, Any], today: dt.date) -> list[str]:
        found = []
        if entry.get("enabled") is False:
            found.append(_("disabled"))
        if entry.get("up_to_date") is False:
            found.append(_("out of date"))
        expiration = entry.get("expiration")
        if isinstance(expiration, str):
            try:
                expires = dt.date.fromisoformat(expiration[:10])
            except ValueError:
                expires = None
            if expires is not None and expires < today:
                found.append(_("licence expired on %(date)s") % {"date": _date(expires)})
        return found

    def check(self, facts: Facts, config: ComplianceSettings, today: dt.date) -> Hit | None:
        entries = facts.section("antivirus")
        if not entries:
            return None  # nothing reported: the agent cannot tell (Linux), no finding
        problems = [(entry, self.problems(entry, today)) for entry in entries]
        if any(not found for _entry, found in problems):
            return None  # one working antivirus is enough (Defender steps aside for others)
        parts = [
            f"{entry.get('name') or _('antivirus')} ({', '.join(found)})"
            for entry, found in problems
        ]
        reason = _("No working antivirus: %(list)s") % {"list": "; ".join(parts)}
        details = {
            "antivirus": [
                {
                    "name": entry.get("name"),
                    "enabled": entry.get("enabled"),
                    "up_to_date": entry.get("up_to_date"),
                }
                for entry in entries
            ]
        }
        return Hit(self.severity, reason, details)


class Firewall(Rule):
    code = RuleCode.FIREWALL
    severity = Severity.WARNING
    switch = "firewall_enabled"
    serious = True

    def check(self, facts: Facts, config: ComplianceSettings, today: dt.date) -> Hit | None:
        entries = facts.section("firewalls")
        if not entries:
            return None
        off = [
            entry
            for entry in entries
            if entry.get("enabled") is False or str(entry.get("status") or "").lower() in _OFF
        ]
        if not off:
            return None
        names = [
            str(entry.get("profile") or entry.get("description") or _("firewall")) for entry in off
        ]
        reason = _("Firewall off: %(list)s") % {"list": ", ".join(names)}
        return Hit(self.severity, reason, {"off": names})


def is_laptop(facts: Facts) -> bool:
    if facts.asset.asset_type.kind == AssetKind.LAPTOP:
        return True
    hardware = facts.inventory.sections.get("hardware") if facts.inventory else None
    chassis = str(hardware.get("chassis_type") or "") if isinstance(hardware, dict) else ""
    return any(word in chassis.casefold() for word in _LAPTOP_CHASSIS)


def system_volume(volumes: list[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The volume the system boots from: ``C:`` on Windows, ``/`` elsewhere."""
    by_mount = {str(v.get("mount_point") or "").rstrip("\\").upper(): v for v in volumes}
    return by_mount.get("C:") or by_mount.get("/")


class DiskEncryption(Rule):
    """Laptops (by asset type, or by the chassis the agent reports) whose system volume is
    not reported encrypted. Agents name encrypted volumes (BitLocker, LUKS); a volume they
    report without encryption is taken as not encrypted."""

    code = RuleCode.DISK_ENCRYPTION
    severity = Severity.CRITICAL
    switch = "disk_encryption_enabled"

    def check(self, facts: Facts, config: ComplianceSettings, today: dt.date) -> Hit | None:
        volumes = facts.section("volumes")
        if not volumes or not is_laptop(facts):
            return None
        volume = system_volume(volumes)
        if volume is None or volume.get("encrypted") is True:
            return None
        mount = str(volume.get("mount_point"))
        status = volume.get("encryption_status")
        if status:
            reason = _("The system volume %(volume)s is not encrypted (reported state: %(state)s)")
            reason %= {"volume": mount, "state": status}
        else:
            reason = _("The system volume %(volume)s is not encrypted") % {"volume": mount}
        return Hit(
            self.severity,
            reason,
            {
                "volume": mount,
                "encryption_status": status,
                "encryption": volume.get("encryption_name"),
            },
        )


class InventoryStale(Rule):
    code = RuleCode.INVENTORY_STALE
    severity = Severity.WARNING
    switch = "inventory_stale_enabled"
    threshold = "inventory_max_age_days"

    def check(self, facts: Facts, config: ComplianceSettings, today: dt.date) -> Hit | None:
        last = facts.inventory.last_inventory_at if facts.inventory else None
        if last is None:
            return None  # never reported: not an agent-managed asset
        day = timezone.localdate(last)
        age = (today - day).days
        if age <= config.inventory_max_age_days:
            return None
        reason = _("Last inventory on %(date)s, %(days)d days ago (threshold: %(max)d days)") % {
            "date": _date(day),
            "days": age,
            "max": config.inventory_max_age_days,
        }
        return Hit(self.severity, reason, {"last_inventory": last.isoformat(), "age_days": age})


class WarrantyEnding(Rule):
    code = RuleCode.WARRANTY_ENDING
    severity = Severity.WARNING
    switch = "warranty_enabled"
    threshold = "warranty_warning_days"

    def check(self, facts: Facts, config: ComplianceSettings, today: dt.date) -> Hit | None:
        end = facts.asset.warranty_end
        if end is None:
            return None
        left = (end - today).days
        if left < 0 or left > config.warranty_warning_days:
            return None
        reason = _("The warranty ends on %(date)s, in %(days)d days") % {
            "date": _date(end),
            "days": left,
        }
        return Hit(self.severity, reason, {"warranty_end": end.isoformat(), "days_left": left})


class WarrantyExpired(Rule):
    code = RuleCode.WARRANTY_EXPIRED
    severity = Severity.INFO
    switch = "warranty_enabled"

    def check(self, facts: Facts, config: ComplianceSettings, today: dt.date) -> Hit | None:
        end = facts.asset.warranty_end
        if end is None or end >= today:
            return None
        reason = _("The warranty ended on %(date)s") % {"date": _date(end)}
        return Hit(self.severity, reason, {"warranty_end": end.isoformat()})


RULES: tuple[Rule, ...] = (
    OsEndOfSupport(),
    OsEndOfSupportSoon(),
    OsUpdates(),
    Antivirus(),
    Firewall(),
    DiskEncryption(),
    InventoryStale(),
    WarrantyEnding(),
    WarrantyExpired(),
)
RULES_BY_CODE: dict[str, Rule] = {rule.code.value: rule for rule in RULES}
