"""Can this person work from home tomorrow, on a managed and safe computer, with their office
phone answered? Each criterion is green, amber or red with a reason; the worst one wins.

Everything comes from what Régie already knows: the fleet (assigned laptops, loans, headsets,
webcams), the inventory (last report, installed software), the compliance findings, the
telephony (forwarding, softphone) and what the IT team recorded by hand (MFA, Office 365).
``readiness_for_people`` computes a whole list in a fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q, TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regie.assets.models import Asset, AssetKind, AssetStatus, SoftwareInstallation
from regie.core.events import Severity
from regie.directory.models import Person
from regie.operations.compliance.models import Finding, RuleCode
from regie.telephony.models import OFFICE_KINDS, Extension, Line, LineStatus
from regie.telephony.services import LineContinuity
from regie.telework.models import Loan, RemoteAccess
from regie.telework.pool import headset_types, webcam_types

OUT_OF_USE = (AssetStatus.RETIRED, AssetStatus.LOST)


class Colour(TextChoices):
    GREEN = "green", gettext_lazy("Ready")
    AMBER = "amber", gettext_lazy("To check")
    RED = "red", gettext_lazy("Not ready")


_RANK = {Colour.GREEN: 0, Colour.AMBER: 1, Colour.RED: 2}

CRITERIA: tuple[tuple[str, Any], ...] = (
    ("laptop", gettext_lazy("Managed laptop")),
    ("inventory", gettext_lazy("Recent inventory")),
    ("encryption", gettext_lazy("Disk encryption")),
    ("antivirus", gettext_lazy("Antivirus")),
    ("os", gettext_lazy("Supported, updated system")),
    ("vpn", gettext_lazy("VPN client")),
    ("mfa", gettext_lazy("MFA enrolled")),
    ("office365", gettext_lazy("Office 365 licence")),
    ("headset", gettext_lazy("Headset")),
    ("webcam", gettext_lazy("Webcam")),
    ("phone", gettext_lazy("Office line answered")),
)

# The compliance rules that speak for each security criterion.
FINDING_RULES = {
    "encryption": (RuleCode.DISK_ENCRYPTION,),
    "antivirus": (RuleCode.ANTIVIRUS,),
    "os": (RuleCode.OS_END_OF_SUPPORT, RuleCode.OS_END_OF_SUPPORT_SOON, RuleCode.OS_UPDATES),
}


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    colour: Colour
    reason: str


@dataclass
class Readiness:
    person: Person
    criteria: list[Criterion]
    laptop: Asset | None = None

    @property
    def colour(self) -> Colour:
        return max((c.colour for c in self.criteria), key=_RANK.__getitem__, default=Colour.GREEN)

    @property
    def has_managed_laptop(self) -> bool:
        return self.laptop is not None


@dataclass
class _Facts:
    """What was read for the people at once, keyed by person or laptop id."""

    laptops: dict[int, list[Asset]] = field(default_factory=lambda: defaultdict(list))
    loaned_laptops: set[int] = field(default_factory=set)
    findings: dict[int, list[Finding]] = field(default_factory=lambda: defaultdict(list))
    vpn: dict[int, str] = field(default_factory=dict)
    access: dict[int, RemoteAccess] = field(default_factory=dict)
    headsets: set[int] = field(default_factory=set)
    webcams: set[int] = field(default_factory=set)
    continuity: dict[int, LineContinuity] = field(default_factory=dict)


def _equipment(person_ids: list[int], condition: Q) -> Iterable[tuple[Asset, int]]:
    """(asset, person id) for assets assigned to the people or lent to them now."""
    assigned = (
        Asset.objects.filter(condition, assigned_to__in=person_ids)
        .exclude(status__in=OUT_OF_USE)
        .select_related("asset_type", "inventory")
    )
    for asset in assigned:
        assert asset.assigned_to_id is not None  # noqa: S101  # filtered on it
        yield asset, asset.assigned_to_id
    loans = (
        Loan.objects.open()
        .filter(person__in=person_ids)
        .select_related("asset__asset_type", "asset__inventory")
    )
    lent = Asset.objects.filter(condition).values("pk")
    for loan in loans.filter(asset__in=lent):
        yield loan.asset, loan.person_id


def _continuity(person_ids: list[int]) -> dict[int, LineContinuity]:
    """``line_continuity_for`` for many people in two queries (same rules)."""
    lines: dict[int, list[bool]] = defaultdict(list)
    for person_id, active in Line.objects.filter(
        person__in=person_ids, kind__in=OFFICE_KINDS, status=LineStatus.ACTIVE
    ).values_list("person_id", "forwarding__active"):
        lines[person_id].append(bool(active))
    extensions: dict[int, list[tuple[bool, bool]]] = defaultdict(list)
    for person_id, softphone, active in Extension.objects.filter(person__in=person_ids).values_list(
        "person_id", "softphone", "forwarding__active"
    ):
        extensions[person_id].append((bool(softphone), bool(active)))
    return {
        person_id: LineContinuity(
            office_lines=len(lines[person_id]) + len(extensions[person_id]),
            forwarded=sum(lines[person_id]) + sum(state for _s, state in extensions[person_id]),
            softphone=any(softphone for softphone, _state in extensions[person_id]),
        )
        for person_id in person_ids
    }


def _read_facts(person_ids: list[int]) -> _Facts:
    facts = _Facts()
    laptop_ids: list[int] = []
    for asset, person_id in _equipment(person_ids, Q(asset_type__kind=AssetKind.LAPTOP)):
        facts.laptops[person_id].append(asset)
        laptop_ids.append(asset.pk)
        if asset.status == AssetStatus.ON_LOAN:
            facts.loaned_laptops.add(asset.pk)
    rules = [rule for codes in FINDING_RULES.values() for rule in codes]
    for finding in Finding.objects.open().filter(asset__in=laptop_ids, rule__in=rules):
        facts.findings[finding.asset_id].append(finding)
    vpn_names = [name.casefold() for name in settings.TELEWORK_VPN_SOFTWARE]
    if vpn_names:
        match = Q(pk__in=[])
        for name in vpn_names:
            match |= Q(version__software__normalized_name__icontains=name)
        for asset_id, name in (
            SoftwareInstallation.objects.filter(match, asset__in=laptop_ids)
            .values_list("asset_id", "version__software__name")
            .order_by("version__software__name")
        ):
            facts.vpn.setdefault(asset_id, name)
    facts.access = {
        access.person_id: access for access in RemoteAccess.objects.filter(person__in=person_ids)
    }
    facts.headsets = {person_id for _a, person_id in _equipment(person_ids, headset_types())}
    facts.webcams = {person_id for _a, person_id in _equipment(person_ids, webcam_types())}
    facts.continuity = _continuity(person_ids)
    return facts


def _last_inventory(asset: Asset) -> datetime.datetime | None:
    inventory = getattr(asset, "inventory", None)
    return inventory.last_inventory_at if inventory is not None else None


def _best_laptop(laptops: Sequence[Asset]) -> Asset | None:
    """The laptop most recently inventoried (the one the person really uses)."""
    if not laptops:
        return None
    epoch = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    return max(laptops, key=lambda asset: (_last_inventory(asset) or epoch, asset.pk))


def _finding_criterion(key: str, label: str, findings: list[Finding]) -> Criterion:
    relevant = [f for f in findings if f.rule in FINDING_RULES[key]]
    critical = [f for f in relevant if f.severity == Severity.CRITICAL]
    if critical:
        return Criterion(key, label, Colour.RED, critical[0].reason)
    if relevant:
        return Criterion(key, label, Colour.AMBER, relevant[0].reason)
    return Criterion(key, label, Colour.GREEN, _("No open compliance finding."))


def _laptop_criteria(
    laptop: Asset | None, facts: _Facts, labels: dict[str, str], now: datetime.datetime
) -> list[Criterion]:
    keys = ("laptop", "inventory", "encryption", "antivirus", "os", "vpn")
    if laptop is None:
        reason = _("No managed laptop: this person would work on a personal computer.")
        missing = _("No managed laptop to check.")
        return [
            Criterion(key, labels[key], Colour.RED, reason if key == "laptop" else missing)
            for key in keys
        ]
    if laptop.pk in facts.loaned_laptops:
        held = _("%(asset)s, on loan.") % {"asset": laptop}
    else:
        held = _("%(asset)s, assigned.") % {"asset": laptop}
    criteria = [Criterion("laptop", labels["laptop"], Colour.GREEN, held)]
    last = _last_inventory(laptop)
    limit = settings.TELEWORK_INVENTORY_MAX_DAYS
    if last is None:
        criteria.append(
            Criterion(
                "inventory",
                labels["inventory"],
                Colour.RED,
                _("This laptop has never sent an inventory: its state is unknown."),
            )
        )
    else:
        age = (now - last).days
        values = {"date": timezone.localtime(last).strftime("%d/%m/%Y"), "days": age, "max": limit}
        if age <= limit:
            colour, reason = Colour.GREEN, _("Last inventory on %(date)s.") % values
        elif age <= 3 * limit:
            colour = Colour.AMBER
            reason = _("Last inventory on %(date)s, %(days)d days ago (over %(max)d).") % values
        else:
            colour = Colour.RED
            reason = _("Last inventory on %(date)s, %(days)d days ago (over %(max)d).") % values
        criteria.append(Criterion("inventory", labels["inventory"], colour, reason))
    findings = facts.findings.get(laptop.pk, [])
    for key in ("encryption", "antivirus", "os"):
        criteria.append(_finding_criterion(key, labels[key], findings))
    vpn = facts.vpn.get(laptop.pk)
    if vpn:
        criteria.append(
            Criterion("vpn", labels["vpn"], Colour.GREEN, _("%(name)s installed.") % {"name": vpn})
        )
    else:
        criteria.append(
            Criterion(
                "vpn", labels["vpn"], Colour.RED, _("No VPN client among the installed software.")
            )
        )
    return criteria


def _access_criteria(access: RemoteAccess | None, labels: dict[str, str]) -> list[Criterion]:
    if access is None:
        unknown = _("Not recorded yet.")
        return [
            Criterion("mfa", labels["mfa"], Colour.AMBER, unknown),
            Criterion("office365", labels["office365"], Colour.AMBER, unknown),
        ]
    values = {"date": access.recorded_on.strftime("%d/%m/%Y"), "source": access.source or "—"}
    yes = _("Yes, recorded on %(date)s (%(source)s).") % values
    no = _("No, recorded on %(date)s (%(source)s).") % values
    return [
        Criterion(
            "mfa",
            labels["mfa"],
            Colour.GREEN if access.mfa_enrolled else Colour.RED,
            yes if access.mfa_enrolled else no,
        ),
        Criterion(
            "office365",
            labels["office365"],
            Colour.GREEN if access.office365_licence else Colour.RED,
            yes if access.office365_licence else no,
        ),
    ]


def _phone_criterion(continuity: LineContinuity, label: str) -> Criterion:
    if continuity.softphone:
        return Criterion("phone", label, Colour.GREEN, _("A softphone is set up."))
    if continuity.office_lines == 0:
        return Criterion("phone", label, Colour.GREEN, _("No office line to forward."))
    if continuity.covered:
        return Criterion("phone", label, Colour.GREEN, _("Every office line is forwarded."))
    values = {"forwarded": continuity.forwarded, "lines": continuity.office_lines}
    return Criterion(
        "phone",
        label,
        Colour.AMBER,
        _("%(forwarded)d of %(lines)d office lines forwarded, and no softphone.") % values,
    )


def _readiness(person: Person, facts: _Facts, now: datetime.datetime) -> Readiness:
    labels = {key: str(label) for key, label in CRITERIA}
    laptop = _best_laptop(facts.laptops.get(person.pk, []))
    criteria = _laptop_criteria(laptop, facts, labels, now)
    criteria += _access_criteria(facts.access.get(person.pk), labels)
    for key, owners, missing in (
        ("headset", facts.headsets, _("No headset assigned or on loan.")),
        ("webcam", facts.webcams, _("No webcam assigned or on loan.")),
    ):
        if person.pk in owners:
            criteria.append(Criterion(key, labels[key], Colour.GREEN, _("Assigned or on loan.")))
        else:
            criteria.append(Criterion(key, labels[key], Colour.AMBER, missing))
    continuity = facts.continuity.get(person.pk, LineContinuity(0, 0, False))
    criteria.append(_phone_criterion(continuity, labels["phone"]))
    return Readiness(person=person, criteria=criteria, laptop=laptop)


def readiness_for_people(
    people: Iterable[Person], *, now: datetime.datetime | None = None
) -> list[Readiness]:
    """The readiness of each person, in a fixed number of queries whatever their number."""
    now = now or timezone.now()
    people = list(people)
    facts = _read_facts([person.pk for person in people])
    return [_readiness(person, facts, now) for person in people]


def readiness_for(person: Person, *, now: datetime.datetime | None = None) -> Readiness:
    [readiness] = readiness_for_people([person], now=now)
    return readiness


@dataclass
class RollUpRow:
    """One department's (or site's) people by colour."""

    label: str
    total: int = 0
    green: int = 0
    amber: int = 0
    red: int = 0

    def percent(self, count: int) -> int:
        return round(100 * count / self.total) if self.total else 0

    @property
    def green_percent(self) -> int:
        return self.percent(self.green)

    @property
    def amber_percent(self) -> int:
        return self.percent(self.amber)

    @property
    def red_percent(self) -> int:
        return self.percent(self.red)

    @property
    def able_percent(self) -> int:
        """Who can work from home: ready, or ready once something minor is checked."""
        return self.percent(self.green + self.amber)


def roll_up(readinesses: Iterable[Readiness], *, by: str) -> list[RollUpRow]:
    """Count the people of each department (``by="department"``) or site (``by="site"``)."""
    rows: dict[str, RollUpRow] = {}
    nobody = _("No department") if by == "department" else _("No site")
    for readiness in readinesses:
        group = getattr(readiness.person, by)
        label = str(group) if group is not None else nobody
        row = rows.setdefault(label, RollUpRow(label))
        row.total += 1
        setattr(row, readiness.colour.value, getattr(row, readiness.colour.value) + 1)
    return sorted(rows.values(), key=lambda row: row.label.casefold())
