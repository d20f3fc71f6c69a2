"""Applying a matched report: bring the asset to what its agent says, in one transaction.

``apply_report`` is the contract (see its docstring). What a report may change:

* the asset's name, serial, hardware UUID, manufacturer and model — never a field named in
  ``Asset.locked_fields``, never to a placeholder value, never to one another asset holds
  (a cloned UUID stays on the first machine);
* its operating system, network interfaces and addresses, and installed software;
* the JSON snapshot of the other sections (``AssetInventory.sections``).

Only the sections the report carries are touched. Everything is compared before writing, so
applying a report that changes nothing writes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import ipaddress
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.assets.models import (
    Asset,
    AssetInventory,
    AssetKind,
    AssetModel,
    AssetOperatingSystem,
    AssetStatus,
    AssetType,
    IpAddress,
    Manufacturer,
    NetworkInterface,
    SoftwareInstallation,
)
from regie.assets.services import save_asset
from regie.core.models import ChangeAction, ChangeRecord, ChangeSource
from regie.inventory.junk import JUNK_SERIALS, identifying_mac
from regie.inventory.matching import DEFAULT_RULES, Identity, MatchRule, match_report
from regie.inventory.models import Agent
from regie.inventory.report import InventoryReport, Section, SoftwareList
from regie.inventory.report import Software as ReportedSoftware
from regie.inventory.software import (
    InstallKey,
    Wanted,
    describe_changes,
    sync_software,
    wanted_software,
)
from regie.inventory.trust import bind_agent, check_report

_MAC = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")
_JUNK_MAKERS = JUNK_SERIALS | {"system manufacturer", "system product name", "to be filled"}

# Report sections kept as JSON for display (the others have tables of their own).
SNAPSHOT_SECTIONS = (
    Section.HARDWARE,
    Section.BIOS,
    Section.CPUS,
    Section.MEMORIES,
    Section.STORAGES,
    Section.VOLUMES,
    Section.ANTIVIRUS,
    Section.FIREWALLS,
    Section.USERS,
    Section.MONITORS,
    Section.PRINTERS,
    Section.BATTERIES,
    Section.REMOTE_CONTROLS,
)


@dataclass(frozen=True, slots=True)
class ApplyOutcome:
    asset: Asset
    matched_rule: MatchRule | None  # None: no rule matched, the asset is new
    created: bool
    changed_fields: tuple[str, ...]  # asset columns changed (empty when created)
    changes: int  # history rows written, asset creation included


class _History:
    """Change rows about one asset, written together at the end."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.lines: list[tuple[str, str, str, str]] = []

    def add(self, field: str, label: str, old: object, new: object) -> None:
        old_text, new_text = _text(old), _text(new)
        if old_text != new_text:
            self.lines.append((field, label, old_text, new_text))

    def write(self, asset: Asset) -> int:
        content_type = ContentType.objects.get_for_model(Asset)
        ChangeRecord.objects.bulk_create(
            ChangeRecord(
                content_type=content_type,
                object_id=asset.pk,
                object_repr=str(asset)[:200],
                action=ChangeAction.UPDATE,
                source=ChangeSource.AGENT,
                field=field,
                field_label=label[:200],
                old_value=old,
                new_value=new,
                at=self.now,
            )
            for field, label, old, new in self.lines
        )
        return len(self.lines)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _kind_of(report: InventoryReport) -> AssetKind:
    item_type = (report.agent.item_type or "").casefold()
    by_item_type = {
        "printer": AssetKind.PRINTER,
        "networkequipment": AssetKind.NETWORK_DEVICE,
        "phone": AssetKind.MOBILE_PHONE,
    }
    if item_type in by_item_type:
        return by_item_type[item_type]
    vm_system = (report.hardware.vm_system or "physical").casefold()
    chassis = (report.hardware.chassis_type or "").casefold()
    if vm_system != "physical":
        return AssetKind.VIRTUAL_MACHINE
    if any(word in chassis for word in ("laptop", "notebook", "portable", "convertible")):
        return AssetKind.LAPTOP
    if "server" in chassis:
        return AssetKind.SERVER
    return AssetKind.DESKTOP


_DEFAULT_PREFIXES = {
    AssetKind.DESKTOP: "PC",
    AssetKind.LAPTOP: "PORT",
    AssetKind.SERVER: "SRV",
    AssetKind.VIRTUAL_MACHINE: "VM",
}


def _asset_type(kind: AssetKind) -> AssetType:
    asset_type = AssetType.objects.filter(kind=kind).order_by("pk").first()
    if asset_type is None:
        # The seeded types may have been deleted (or flushed): an inventory must still land.
        asset_type, _created = AssetType.objects.get_or_create(
            prefix=_DEFAULT_PREFIXES.get(kind, "DIV"),
            defaults={"name": str(kind.label), "kind": kind},
        )
    return asset_type


def _real_maker(value: str | None) -> str | None:
    maker = " ".join((value or "").split())[:100]
    return maker if maker and maker.casefold() not in _JUNK_MAKERS else None


def _reported_identity(report: InventoryReport) -> dict[str, Any]:
    """Column values the report sets, only from the sections it carries, never blanks."""
    identity = Identity.of(report)
    values: dict[str, Any] = {}
    if report.carries(Section.HARDWARE):
        if report.hardware.name:
            values["name"] = report.hardware.name[:150]
        if identity.uuid:
            values["hardware_uuid"] = identity.uuid[:64]
    if report.carries(Section.BIOS):
        if identity.serial:
            values["serial_number"] = identity.serial[:100]
        if maker := _real_maker(report.bios.manufacturer):
            values["manufacturer"] = maker
            if model := _real_maker(report.bios.model):
                values["model"] = model[:150]
    return values


def _maker_and_model(asset: Asset, values: dict[str, Any]) -> None:
    maker_name = values.get("manufacturer")
    if maker_name and not asset.is_locked("manufacturer"):
        current = asset.manufacturer
        if current is None or current.name.casefold() != maker_name.casefold():
            maker = Manufacturer.objects.filter(name__iexact=maker_name).first()
            asset.manufacturer = maker or Manufacturer.objects.create(name=maker_name)
    model_name = values.get("model")
    if model_name and asset.manufacturer is not None and not asset.is_locked("model"):
        current_model = asset.model
        if (
            current_model is None
            or current_model.name != model_name
            or current_model.manufacturer_id != asset.manufacturer_id
        ):
            asset.model, _created = AssetModel.objects.get_or_create(
                manufacturer=asset.manufacturer, name=model_name
            )


IDENTITY_FIELDS = ("name", "serial_number", "hardware_uuid", "manufacturer_id", "model_id")


def _bring_identity(asset: Asset, values: dict[str, Any]) -> tuple[str, ...]:
    """Set the reported identity on ``asset`` (unsaved); return the columns that changed."""
    original = {field: getattr(asset, field) for field in IDENTITY_FIELDS}
    for field in ("name", "serial_number", "hardware_uuid"):
        if field in values and not asset.is_locked(field):
            setattr(asset, field, values[field])
    _maker_and_model(asset, values)
    others = Asset.objects.exclude(pk=asset.pk) if asset.pk else Asset.objects.all()
    # Unique in the database: a value another asset holds (a cloned UUID, a serial typed on
    # another asset) stays off this one rather than failing the whole report.
    uuid = asset.hardware_uuid
    if (
        uuid
        and uuid != original["hardware_uuid"]
        and others.filter(hardware_uuid__in={uuid, uuid.lower(), uuid.upper()}).exists()
    ):
        asset.hardware_uuid = original["hardware_uuid"]
    serial = asset.serial_number
    if (
        serial
        and (serial, asset.manufacturer_id)
        != (original["serial_number"], original["manufacturer_id"])
        and others.filter(manufacturer=asset.manufacturer, serial_number=serial).exists()
    ):
        asset.serial_number = original["serial_number"]
    return tuple(f for f in IDENTITY_FIELDS if getattr(asset, f) != original[f])


def _create_asset(report: InventoryReport, values: dict[str, Any]) -> Asset:
    asset = Asset(
        name=(values.get("name") or report.agent.device_id)[:150],
        asset_type=_asset_type(_kind_of(report)),
        status=AssetStatus.IN_SERVICE,
    )
    _bring_identity(asset, values)
    # Uniqueness was checked just above; the inventory number comes from save_asset.
    asset.full_clean(
        exclude=["inventory_number"], validate_unique=False, validate_constraints=False
    )
    return save_asset(asset=asset, by=None, source=ChangeSource.AGENT)


def _os_values(report: InventoryReport) -> dict[str, Any]:
    system = report.operating_system
    return {
        "name": (system.name or "")[:150],
        "full_name": (system.full_name or "")[:255],
        "version": (system.version or "")[:100],
        "build": (system.build or "")[:100],
        "architecture": (system.architecture or "")[:32],
        "install_date": system.install_date,
        "last_boot": system.last_boot,
    }


def _apply_operating_system(asset: Asset, report: InventoryReport, history: _History) -> None:
    values = _os_values(report)
    stored = AssetOperatingSystem.objects.filter(asset=asset).first()
    if stored is None:
        if not any(values.values()):
            return
        stored = AssetOperatingSystem.objects.create(asset=asset, **values)
        history.add("operating_system", _("operating system"), "", stored)
        return
    changed = [field for field, value in values.items() if getattr(stored, field) != value]
    if changed:
        before = str(stored)
        for field in changed:
            setattr(stored, field, values[field])
        stored.save(update_fields=[*changed, "updated_at"])
        history.add("operating_system", _("operating system"), before, stored)


InterfaceKey = tuple[str, str]
Addresses = frozenset[tuple[str, int, int | None]]


def _wanted_interfaces(report: InventoryReport) -> dict[InterfaceKey, tuple[bool, Addresses]]:
    wanted: dict[InterfaceKey, tuple[bool, Addresses]] = {}
    for interface in report.networks:
        mac = interface.mac if interface.mac and _MAC.match(interface.mac) else ""
        key = ((interface.description or "")[:150], mac)
        addresses = set(wanted[key][1]) if key in wanted else set()
        for address in interface.addresses:
            try:
                parsed = ipaddress.ip_address(address.address)
            except ValueError:
                continue
            addresses.add((str(parsed), parsed.version, address.prefix_length))
        wanted[key] = (identifying_mac(interface) is None, frozenset(addresses))
    return wanted


def _address_summary(interfaces: dict[InterfaceKey, tuple[bool, Addresses]]) -> str:
    shown = {
        address
        for _virtual, addresses in interfaces.values()
        for address, _version, _prefix in addresses
        if not (
            ipaddress.ip_address(address).is_loopback or ipaddress.ip_address(address).is_link_local
        )
    }
    return ", ".join(sorted(shown))


def _apply_networks(
    asset: Asset, wanted: dict[InterfaceKey, tuple[bool, Addresses]], history: _History
) -> None:
    stored_rows = list(NetworkInterface.objects.filter(asset=asset).prefetch_related("addresses"))
    stored = {
        (row.name, row.mac): (
            row.virtual,
            frozenset((a.address, a.version, a.prefix_length) for a in row.addresses.all()),
        )
        for row in stored_rows
    }
    stale = [
        row.pk
        for row in stored_rows
        if stored.get((row.name, row.mac)) != wanted.get((row.name, row.mac))
    ]
    fresh = [key for key, value in wanted.items() if stored.get(key) != value]
    if stale:
        IpAddress.objects.filter(interface_id__in=stale).delete()
        NetworkInterface.objects.filter(pk__in=stale).delete()
    if fresh:
        created = NetworkInterface.objects.bulk_create(
            NetworkInterface(asset=asset, name=name, mac=mac, virtual=wanted[(name, mac)][0])
            for name, mac in fresh
        )
        IpAddress.objects.bulk_create(
            IpAddress(interface=row, address=address, version=version, prefix_length=prefix)
            for row in created
            for address, version, prefix in sorted(wanted[(row.name, row.mac)][1], key=str)
        )
    history.add(
        "ip_addresses", _("IP addresses"), _address_summary(stored), _address_summary(wanted)
    )


def _json_ready(value: Any) -> Any:
    value = [_as_dict(item) for item in value] if isinstance(value, tuple) else _as_dict(value)
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _as_dict(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


def _disk_summary(storages: list[dict[str, Any]] | None) -> str:
    disks = (
        " ".join(
            str(part)
            for part in (
                disk.get("model") or disk.get("name"),
                disk.get("size_mib") and f"{disk['size_mib']} MiB",
            )
            if part
        )
        for disk in storages or []
    )
    return ", ".join(sorted(disk for disk in disks if disk))


def _apply_snapshot(
    asset: Asset,
    report: InventoryReport,
    history: _History,
    now: dt.datetime,
    *,
    inventory: AssetInventory | None,
    reported_sections: dict[str, Any],
    software: dict[str, Any],
) -> None:
    old_sections: dict[str, Any] = dict(inventory.sections) if inventory else {}
    sections = dict(old_sections)
    sections.update(reported_sections)
    values: dict[str, Any] = {
        "agent_device_id": report.agent.device_id[:255],
        "protocol": report.agent.protocol.value,
        "sections": sections,
    }
    if report.inventoried_at is not None or inventory is None:
        values["last_inventory_at"] = report.inventoried_at or now
    if report.carries(Section.HARDWARE) or report.carries(Section.MEMORIES):
        values["memory_mib"] = report.memory_total_mib
    if report.carries(Section.HARDWARE):
        values["last_user"] = (report.hardware.last_logged_user or "")[:255]
    values.update(software)
    if inventory is None:
        inventory = AssetInventory.objects.create(asset=asset, **values)
        old_values: dict[str, Any] = {}
    else:
        old_values = {field: getattr(inventory, field) for field in values}
        changed = [field for field, value in values.items() if old_values[field] != value]
        if changed:
            for field in changed:
                setattr(inventory, field, values[field])
            inventory.save(update_fields=[*changed, "updated_at"])
    if "memory_mib" in values:
        memory = values["memory_mib"]
        history.add("memory", _("memory (MiB)"), old_values.get("memory_mib"), memory)
    if "last_user" in values:
        history.add("last_user", _("last user"), old_values.get("last_user"), values["last_user"])
    if report.carries(Section.STORAGES):
        old_disks = _disk_summary(old_sections.get(Section.STORAGES.value))
        history.add("disks", _("disks"), old_disks, _disk_summary(sections[Section.STORAGES.value]))


# Part of every stored software fingerprint: changing how software is normalised changes it,
# so lists applied under the old rules are compared row by row once more.
SOFTWARE_RULES_VERSION = "1"


def _software_unchanged(asset: Asset, inventory: AssetInventory | None, fingerprint: str) -> bool:
    """Whether the reported list is the one last applied and the installations still match."""
    return (
        inventory is not None
        and inventory.software_digest == fingerprint
        and inventory.software_count is not None
        and SoftwareInstallation.objects.filter(asset=asset).count() == inventory.software_count
    )


def software_fingerprint(entries: Sequence[ReportedSoftware]) -> str:
    """A fingerprint of a report's software list (order included).

    The section's own digest when the parser gave one (the list then need not be built);
    otherwise one of the built list, about 1 ms for 800 programs. The two kinds never equal
    each other: a list fingerprinted both ways is compared row by row once.
    """
    if isinstance(entries, SoftwareList) and entries.digest:
        return f"{SOFTWARE_RULES_VERSION}:sent:{entries.digest}"
    digest = hashlib.blake2b(orjson.dumps(tuple(entries)), digest_size=20).hexdigest()
    return f"{SOFTWARE_RULES_VERSION}:{digest}"


def _apply_software(
    asset: Asset, prepared: Prepared, history: _History, inventory: AssetInventory | None
) -> dict[str, Any]:
    """Sync the installations; the fingerprint fields to store on the asset's inventory."""
    fingerprint = prepared.software_fingerprint
    if _software_unchanged(asset, inventory, fingerprint):
        return {}
    wanted = prepared.software
    if wanted is None:  # the list looked unchanged before the transaction, but is not
        wanted = wanted_software(prepared.report_software)
    diff = sync_software(asset=asset, wanted=wanted)
    label = _("software")
    if not diff.had_any:
        # A first inventory lists hundreds of programs: one line, not hundreds.
        count = len(diff.added)
        history.add("software", label, "", _("%(count)d programs") % {"count": count})
    else:
        for old, new in describe_changes(diff):
            history.lines.append(("software", label, old, new))
    return {"software_digest": fingerprint, "software_count": diff.total}


@dataclass(frozen=True, slots=True)
class Prepared:
    """What applying needs from the report itself, worked out before the write transaction
    (``prepare_report``)."""

    identity: dict[str, Any]
    interfaces: dict[InterfaceKey, tuple[bool, Addresses]]
    sections: dict[str, Any]  # the snapshot sections the report carries, JSON-ready
    software: dict[InstallKey, Wanted] | None  # None: not worked out, the list looked unchanged
    software_fingerprint: str
    report_software: Sequence[ReportedSoftware]


def _looks_unchanged(report: InventoryReport, fingerprint: str) -> bool:
    """Whether this agent's asset last had this very software list (a read outside the
    write transaction; the transaction checks again against the matched asset)."""
    return AssetInventory.objects.filter(
        agent_device_id=report.agent.device_id[:255], software_digest=fingerprint
    ).exists()


def prepare_report(report: InventoryReport) -> Prepared:
    """Everything applying needs that depends on ``report`` alone (and one read).

    Done before the transaction: on SQLite the transaction holds the database's only write
    lock, which agents are waiting for to store their reports.
    """
    carries_software = report.carries(Section.SOFTWARE)
    fingerprint = software_fingerprint(report.software) if carries_software else ""
    unchanged = carries_software and _looks_unchanged(report, fingerprint)
    return Prepared(
        identity=_reported_identity(report),
        interfaces=_wanted_interfaces(report) if report.carries(Section.NETWORKS) else {},
        sections={
            section.value: _json_ready(getattr(report, section.value))
            for section in SNAPSHOT_SECTIONS
            if report.carries(section)
        },
        software=None if unchanged else wanted_software(report.software),
        software_fingerprint=fingerprint,
        report_software=report.software,
    )


def apply_report(
    *,
    report: InventoryReport,
    rules: tuple[MatchRule, ...] = DEFAULT_RULES,
    now: dt.datetime | None = None,
    prepared: Prepared | None = None,
    agent: Agent | None = None,
    accepted_asset: Asset | None = None,
) -> ApplyOutcome:
    """Match ``report`` to one asset (creating it if no rule matches) and bring it up to date.

    One transaction: either the whole report is applied or nothing is. Only the sections in
    ``report.sections`` are reconciled; a full report's empty section means "none any more",
    a partial report leaves the sections it does not carry alone. Fields in
    ``asset.locked_fields`` are never written. Every change gets a history row (source
    AGENT) on the asset. Applying the same report again writes nothing at all.

    ``prepared`` is ``prepare_report(report)`` when the caller worked it out already (outside
    its own transaction).

    With the reporting ``agent``, the agent trust rules apply (``regie.inventory.trust``):
    the report goes to the agent's bound asset, or is held (``HeldReport``, raised before
    anything is written), and the asset ends bound to the agent. ``accepted_asset`` is a
    technician's choice for a held report: it is applied there, no rule asked.
    """
    now = now or timezone.now()
    history = _History(now)
    prepared = prepared or prepare_report(report)
    with transaction.atomic():
        locked = Asset.objects.select_for_update(of=("self",)).select_related(
            "manufacturer", "model"
        )
        values = prepared.identity
        asset: Asset | None
        rule: MatchRule | None
        if accepted_asset is not None:
            asset, rule = locked.get(pk=accepted_asset.pk), MatchRule.ACCEPTED
        else:
            asset, rule = match_report(report=report, rules=rules, assets=locked)
            if agent is not None:
                asset, rule = check_report(
                    agent=agent, asset=asset, rule=rule, values=values, assets=locked
                )
        changed_fields: tuple[str, ...] = ()
        if asset is None:
            asset = _create_asset(report, values)
        else:
            changed_fields = _bring_identity(asset, values)
            if changed_fields:
                save_asset(asset=asset, by=None, source=ChangeSource.AGENT)
        inventory = None if rule is None else AssetInventory.objects.filter(asset=asset).first()
        if report.carries(Section.OPERATING_SYSTEM):
            _apply_operating_system(asset, report, history)
        if report.carries(Section.NETWORKS):
            _apply_networks(asset, prepared.interfaces, history)
        software: dict[str, Any] = {}
        if report.carries(Section.SOFTWARE):
            software = _apply_software(asset, prepared, history, inventory)
        _apply_snapshot(
            asset,
            report,
            history,
            now,
            inventory=inventory,
            reported_sections=prepared.sections,
            software=software,
        )
        changes = history.write(asset) + (1 if rule is None else len(changed_fields))
        if agent is not None:
            bind_agent(agent=agent, asset=asset, by=None, source=ChangeSource.AGENT)
    return ApplyOutcome(
        asset=asset,
        matched_rule=rule,
        created=rule is None,
        changed_fields=changed_fields,
        changes=changes,
    )
