"""Which asset an inventory report is about: ordered rules, junk identities ignored.

Each rule looks for exactly one candidate asset; the first rule that finds one wins. Rules
that rely on weaker evidence (UUID alone, a MAC, a name) refuse a candidate whose stored
identity contradicts the report (a different real serial, or a different real UUID), so two
machines cloned from one image keep two assets. An IP address is never evidence: a laptop
at home has another one, and DHCP gives the old one to someone else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from django.db.models import QuerySet

from regie.assets.models import Asset, NetworkInterface
from regie.inventory.junk import identifying_mac, real_name, real_serial, real_uuid
from regie.inventory.report import InventoryReport


class MatchRule(StrEnum):
    SERIAL_AND_UUID = "serial_uuid"
    SERIAL = "serial"
    UUID = "uuid"
    MAC = "mac"
    NAME = "name"
    # Not rules: the asset came from the reporting agent's binding, or a technician's choice.
    AGENT = "agent"
    ACCEPTED = "accepted"


DEFAULT_RULES: tuple[MatchRule, ...] = (
    MatchRule.SERIAL_AND_UUID,
    MatchRule.SERIAL,
    MatchRule.UUID,
    MatchRule.MAC,
    MatchRule.NAME,
)


@dataclass(frozen=True, slots=True)
class Identity:
    """What in a report can identify a machine, junk removed."""

    serial: str | None
    uuid: str | None
    macs: frozenset[str]
    name: str | None
    manufacturer: str | None

    @classmethod
    def of(cls, report: InventoryReport) -> Identity:
        macs = (identifying_mac(interface) for interface in report.networks)
        return cls(
            serial=real_serial(report.bios.serial),
            uuid=real_uuid(report.hardware.uuid),
            macs=frozenset(mac for mac in macs if mac is not None),
            name=real_name(report.hardware.name),
            manufacturer=report.bios.manufacturer,
        )


class Match(NamedTuple):
    asset: Asset | None
    rule: MatchRule | None


def _uuid_spellings(uuid: str) -> list[str]:
    # Stored UUIDs may have been typed by hand in capitals; agents send either case.
    return sorted({uuid, uuid.upper()})


def _contradicts(asset: Asset, identity: Identity, *, check_uuid: bool) -> bool:
    """Whether the asset's stored identity says it is another machine.

    A value a person corrected by hand (a locked field) is theirs, not the machine's: it
    neither proves nor disproves that the report is about this asset.
    """
    locked = set(asset.locked_fields)
    stored_serial = None if "serial_number" in locked else real_serial(asset.serial_number)
    if identity.serial and stored_serial and stored_serial != identity.serial:
        return True
    stored_uuid = None if "hardware_uuid" in locked else real_uuid(asset.hardware_uuid)
    return bool(check_uuid and identity.uuid and stored_uuid and stored_uuid != identity.uuid)


def _single(candidates: Sequence[Asset]) -> Asset | None:
    return candidates[0] if len(candidates) == 1 else None


def _by_serial_and_uuid(assets: QuerySet[Asset], identity: Identity) -> Asset | None:
    if identity.serial is None or identity.uuid is None:
        return None
    candidates = assets.filter(
        serial_number=identity.serial, hardware_uuid__in=_uuid_spellings(identity.uuid)
    )
    return _single(list(candidates[:2]))


def _by_serial(assets: QuerySet[Asset], identity: Identity) -> Asset | None:
    if identity.serial is None:
        return None
    candidates = list(assets.filter(serial_number=identity.serial).select_related("manufacturer"))
    if len(candidates) > 1 and identity.manufacturer:
        # A serial is unique per manufacturer only.
        maker = identity.manufacturer.casefold()
        candidates = [
            asset
            for asset in candidates
            if asset.manufacturer is None or asset.manufacturer.name.casefold() == maker
        ]
    return _single(candidates)


def _by_uuid(assets: QuerySet[Asset], identity: Identity) -> Asset | None:
    if identity.uuid is None:
        return None
    candidates = assets.filter(hardware_uuid__in=_uuid_spellings(identity.uuid))
    return _single([a for a in candidates if not _contradicts(a, identity, check_uuid=False)])


def _by_mac(assets: QuerySet[Asset], identity: Identity) -> Asset | None:
    if not identity.macs:
        return None
    owners = NetworkInterface.objects.filter(mac__in=sorted(identity.macs), virtual=False)
    candidates = assets.filter(pk__in=owners.values("asset_id"))
    return _single([a for a in candidates if not _contradicts(a, identity, check_uuid=True)])


def _by_name(assets: QuerySet[Asset], identity: Identity) -> Asset | None:
    if identity.name is None:
        return None
    spellings = sorted({identity.name, identity.name.lower(), identity.name.upper()})
    candidates = assets.filter(name__in=spellings)[:10]
    return _single([a for a in candidates if not _contradicts(a, identity, check_uuid=True)])


RULES: dict[MatchRule, Callable[[QuerySet[Asset], Identity], Asset | None]] = {
    MatchRule.SERIAL_AND_UUID: _by_serial_and_uuid,
    MatchRule.SERIAL: _by_serial,
    MatchRule.UUID: _by_uuid,
    MatchRule.MAC: _by_mac,
    MatchRule.NAME: _by_name,
}


def match_report(
    *,
    report: InventoryReport,
    rules: Sequence[MatchRule] = DEFAULT_RULES,
    assets: QuerySet[Asset] | None = None,
) -> Match:
    """The asset ``report`` describes and the rule that found it, or ``(None, None)``.

    ``assets`` narrows or locks the candidates (the applier passes a ``select_for_update``
    queryset); a rule that finds several candidates is inconclusive and the next one runs.
    """
    queryset = Asset.objects.all() if assets is None else assets
    identity = Identity.of(report)
    for rule in rules:
        asset = RULES[rule](queryset, identity)
        if asset is not None:
            return Match(asset, rule)
    return Match(None, None)
