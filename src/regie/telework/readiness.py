"""Telework's readiness criteria, and the choice of the laptop each person would take home.

The engine (:mod:`regie.core.readiness`) asks this module's laptop finder which laptop each
person would use, then every registered provider judges it: here the laptop itself, its last
inventory, the VPN client, MFA and Office 365 (Entra ID's word when the directory sync read
it, else what the IT team recorded or imported by hand) and the headset and webcam;
compliance and telephony register their own criteria. Each ``read`` costs one or two queries
for a whole list.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regie.assets.models import Asset, AssetKind, AssetStatus, SoftwareInstallation
from regie.core.readiness import (
    Colour,
    CriterionProvider,
    Subjects,
    Verdict,
    last_inventory_at,
    never_inventoried,
    no_laptop,
    read_nothing,
    register_criterion,
    register_laptop_finder,
)
from regie.directory.models import Person, PersonCloudAccount
from regie.telework.models import Loan, RemoteAccess
from regie.telework.pool import headset_types, webcam_types

OUT_OF_USE = (AssetStatus.RETIRED, AssetStatus.LOST)


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


def best_laptop(laptops: Sequence[Asset]) -> Asset | None:
    """The laptop most recently inventoried (the one the person really uses)."""
    if not laptops:
        return None
    epoch = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    return max(laptops, key=lambda asset: (last_inventory_at(asset) or epoch, asset.pk))


def find_laptops(person_ids: list[int]) -> dict[int, Asset]:
    """The laptop each person would take home, assigned or on loan (two queries)."""
    laptops: dict[int, list[Asset]] = defaultdict(list)
    for asset, person_id in _equipment(person_ids, Q(asset_type__kind=AssetKind.LAPTOP)):
        laptops[person_id].append(asset)
    chosen = {person_id: best_laptop(assets) for person_id, assets in laptops.items()}
    return {person_id: laptop for person_id, laptop in chosen.items() if laptop is not None}


# --- the laptop and its inventory ---------------------------------------------------------


def _laptop(person: Person, laptop: Asset | None, facts: None, now: datetime.datetime) -> Verdict:
    if laptop is None:
        return Verdict(
            Colour.RED, _("No managed laptop: this person would work on a personal computer.")
        )
    if laptop.status == AssetStatus.ON_LOAN:
        return Verdict(Colour.GREEN, _("%(asset)s, on loan.") % {"asset": laptop})
    return Verdict(Colour.GREEN, _("%(asset)s, assigned.") % {"asset": laptop})


def _inventory(
    person: Person, laptop: Asset | None, facts: None, now: datetime.datetime
) -> Verdict:
    if laptop is None:
        return no_laptop()
    last = last_inventory_at(laptop)
    if last is None:
        return Verdict(
            Colour.UNKNOWN, _("This laptop has never sent an inventory: its state is unknown.")
        )
    limit = settings.TELEWORK_INVENTORY_MAX_DAYS
    age = (now - last).days
    values = {"date": timezone.localtime(last).strftime("%d/%m/%Y"), "days": age, "max": limit}
    if age <= limit:
        return Verdict(Colour.GREEN, _("Last inventory on %(date)s.") % values)
    late = _("Last inventory on %(date)s, %(days)d days ago (over %(max)d).") % values
    return Verdict(Colour.AMBER if age <= 3 * limit else Colour.RED, late)


# --- the VPN client -----------------------------------------------------------------------


def _read_vpn(subjects: Subjects) -> dict[int, str]:
    """Laptop id → the name of a VPN client installed on it (one query)."""
    vpn: dict[int, str] = {}
    vpn_names = [name.casefold() for name in settings.TELEWORK_VPN_SOFTWARE]
    if not vpn_names or not subjects.laptops:
        return vpn
    match = Q(pk__in=[])
    for name in vpn_names:
        match |= Q(version__software__normalized_name__icontains=name)
    for asset_id, name in (
        SoftwareInstallation.objects.filter(match, asset__in=subjects.laptop_ids)
        .values_list("asset_id", "version__software__name")
        .order_by("version__software__name")
    ):
        vpn.setdefault(asset_id, name)
    return vpn


def _vpn(
    person: Person, laptop: Asset | None, facts: dict[int, str], now: datetime.datetime
) -> Verdict:
    if laptop is None:
        return no_laptop()
    if name := facts.get(laptop.pk):
        return Verdict(Colour.GREEN, _("%(name)s installed.") % {"name": name})
    if last_inventory_at(laptop) is None:
        return never_inventoried()  # no software list: nothing says it is missing
    return Verdict(Colour.RED, _("No VPN client among the installed software."))


# --- MFA and Office 365: Entra ID's word first, else what the IT team recorded ------------


@dataclass(frozen=True)
class AccessFacts:
    """One person's MFA and licence evidence: Entra ID's (synced) and the hand-kept record."""

    cloud: PersonCloudAccount | None
    recorded: RemoteAccess | None


def _read_access(subjects: Subjects) -> dict[int, AccessFacts]:
    """Both kinds of evidence for the whole list, in one query."""
    people = (
        Person.objects.filter(pk__in=subjects.person_ids)
        .select_related("remote_access", "cloud_account")
        .order_by()
    )
    # A missing one-to-one row reads as None (its DoesNotExist is also an AttributeError).
    return {
        person.pk: AccessFacts(
            getattr(person, "cloud_account", None), getattr(person, "remote_access", None)
        )
        for person in people
    }


def _recorded(access: RemoteAccess | None, value: str) -> Verdict:
    if access is None:
        return Verdict(Colour.UNKNOWN, _("Not recorded yet."))
    values = {"date": access.recorded_on.strftime("%d/%m/%Y"), "source": access.source or "—"}
    if getattr(access, value):
        return Verdict(Colour.GREEN, _("Yes, recorded on %(date)s (%(source)s).") % values)
    return Verdict(Colour.RED, _("No, recorded on %(date)s (%(source)s).") % values)


def _since(account: PersonCloudAccount) -> dict[str, str]:
    return {"date": timezone.localtime(account.updated_at).strftime("%d/%m/%Y")}


def _mfa(person: Person, laptop: Any, facts: Mapping[int, AccessFacts], now: Any) -> Verdict:
    known = facts.get(person.pk, AccessFacts(None, None))
    cloud = known.cloud
    if cloud is None or cloud.mfa_registered is None:
        return _recorded(known.recorded, "mfa_enrolled")
    if cloud.mfa_registered:
        return Verdict(
            Colour.GREEN,
            _("Yes, a method is registered in Entra ID (since %(date)s).") % _since(cloud),
        )
    return Verdict(
        Colour.RED, _("No method registered in Entra ID (since %(date)s).") % _since(cloud)
    )


def _office365(person: Person, laptop: Any, facts: Mapping[int, AccessFacts], now: Any) -> Verdict:
    known = facts.get(person.pk, AccessFacts(None, None))
    cloud = known.cloud
    if cloud is None or cloud.licences is None:
        return _recorded(known.recorded, "office365_licence")
    if cloud.licences:
        values = {**_since(cloud), "licences": ", ".join(cloud.licences)}
        return Verdict(Colour.GREEN, _("%(licences)s, in Entra ID (since %(date)s).") % values)
    return Verdict(
        Colour.RED, _("No licence assigned in Entra ID (since %(date)s).") % _since(cloud)
    )


# --- headset and webcam -------------------------------------------------------------------


def _read_headsets(subjects: Subjects) -> set[int]:
    return {person_id for _a, person_id in _equipment(subjects.person_ids, headset_types())}


def _read_webcams(subjects: Subjects) -> set[int]:
    return {person_id for _a, person_id in _equipment(subjects.person_ids, webcam_types())}


def _headset(person: Person, laptop: Any, facts: set[int], now: Any) -> Verdict:
    if person.pk in facts:
        return Verdict(Colour.GREEN, _("Assigned or on loan."))
    return Verdict(Colour.AMBER, _("No headset assigned or on loan."))


def _webcam(person: Person, laptop: Any, facts: set[int], now: Any) -> Verdict:
    if person.pk in facts:
        return Verdict(Colour.GREEN, _("Assigned or on loan."))
    return Verdict(Colour.AMBER, _("No webcam assigned or on loan."))


def register() -> None:
    register_laptop_finder(find_laptops)
    for provider in (
        CriterionProvider("laptop", gettext_lazy("Managed laptop"), 10, read_nothing, _laptop),
        CriterionProvider(
            "inventory", gettext_lazy("Recent inventory"), 20, read_nothing, _inventory
        ),
        CriterionProvider("vpn", gettext_lazy("VPN client"), 60, _read_vpn, _vpn),
        CriterionProvider("mfa", gettext_lazy("MFA enrolled"), 70, _read_access, _mfa),
        CriterionProvider(
            "office365", gettext_lazy("Office 365 licence"), 80, _read_access, _office365
        ),
        CriterionProvider("headset", gettext_lazy("Headset"), 90, _read_headsets, _headset),
        CriterionProvider("webcam", gettext_lazy("Webcam"), 100, _read_webcams, _webcam),
    ):
        register_criterion(provider)
