"""The demo's telephony: operators, contracts, lines, SIM cards, extensions, fallbacks.

Every site has its office number (the site's phone in the directory) and the larger ones a
SIP trunk with an extension per desk; staff with a company mobile have a mobile line and a
SIM card (PIN and PUK encrypted as ``SimCard.set_codes`` does); most sites have a fallback
number, some not, so a few office lines end up with no forwarding target. Two lines are
already forwarded (through ``telephony.services.set_forwarding``, with history), and a few
communes lose their copper network soon while lines there still use it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError

from regie.assets.models import Asset, AssetKind, AssetStatus
from regie.core.models import ChangeSource, User
from regie.directory.models import Department, Organisation, Person, Site, SiteKind
from regie.telephony.models import (
    CopperCutoff,
    DepartmentOnCall,
    Extension,
    Line,
    LineKind,
    Operator,
    OperatorContract,
    SimCard,
    SiteFallback,
    Technology,
)
from regie.telephony.numbers import luhn_is_valid, normalise_number
from regie.telephony.services import set_forwarding

# (name, account, support contact, support phone, notes)
OPERATORS = (
    ("Orange", "OB-79-004512", "Service client Entreprises", "3901", "Lignes fixes historiques."),
    ("SFR Business", "SFRB-2231876", "Support SFR Business", "1023", "Trunk SIP du siège."),
    ("Bouygues Telecom Entreprises", "BTE-556201", "Service client", "1064", "Flotte mobile."),
)
# (operator, reference, monthly €, start in days before today, years, notice months, notes)
CONTRACTS = (
    ("Orange", "Lignes analogiques et spécialisées", 1280, 2200, 0, 1, "Reconduction tacite."),
    ("SFR Business", "Trunk SIP et SDA du siège et des France Services", 940, 640, 3, 3, ""),
    ("Bouygues Telecom Entreprises", "Flotte mobile UGAP", 1870, 420, 4, 3, "Marché UGAP."),
)
TRUNK_KINDS = (SiteKind.HEAD_OFFICE, SiteKind.FRANCE_SERVICES, SiteKind.TECHNICAL)
# Sites with no fallback number: their office lines have no forwarding target.
NO_FALLBACK_SHARE = 0.25
COPPER_COMMUNES = 3


@dataclass
class TelephonySummary:
    lines: int = 0
    mobile_lines: int = 0
    sim_cards: int = 0
    extensions: int = 0
    fallbacks: int = 0
    on_call: int = 0
    forwarded: int = 0
    copper_lines: int = 0
    cutoffs: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def build_telephony(
    *, rng: random.Random, today: dt.date, people: list[Person], admin: User
) -> TelephonySummary:
    summary = TelephonySummary()
    operators = _create_operators()
    contracts = _create_contracts(operators, today)
    sites = list(Site.objects.select_related("organisation").order_by("pk"))
    taken: set[str] = set()
    cutoff_communes = _create_cutoffs(rng, today, sites)
    summary.cutoffs = len(cutoff_communes)

    desk_phones: dict[int, Asset] = {}
    for asset in Asset.objects.filter(
        asset_type__kind=AssetKind.DESK_PHONE, assigned_to__isnull=False
    ).order_by("pk"):
        assert asset.assigned_to_id is not None  # noqa: S101  # filtered on it
        desk_phones[asset.assigned_to_id] = asset
    lines: list[Line] = []
    trunks: dict[int, Line] = {}
    for site in sites:
        main = _office_line(site, operators, contracts, cutoff_communes, taken)
        if main is None:
            continue
        lines.append(main)
        if site.kind in TRUNK_KINDS:
            trunks[site.pk] = main
        if site.kind in (SiteKind.HEAD_OFFICE, SiteKind.POOL, SiteKind.NURSERY):
            lines.append(_special_line(rng, site, LineKind.ALARM, operators, contracts, taken))
        if site.kind == SiteKind.HEAD_OFFICE:
            lines.append(_special_line(rng, site, LineKind.LIFT, operators, contracts, taken))
    mobile_holders = {
        asset.assigned_to_id
        for asset in Asset.objects.filter(
            asset_type__kind=AssetKind.MOBILE_PHONE,
            assigned_to__isnull=False,
            status=AssetStatus.IN_SERVICE,
        )
    }
    mobiles: list[Line] = []
    for person in people:
        if person.pk not in mobile_holders or not person.active:
            continue
        number = _unique(rng, person.mobile or _mobile_number(rng), taken, mobile=True)
        mobiles.append(
            Line(
                number=number,
                label=f"Mobile de {person.full_name}",
                kind=LineKind.MOBILE,
                technology=Technology.RADIO,
                operator=operators["Bouygues Telecom Entreprises"],
                contract=contracts["Bouygues Telecom Entreprises"],
                person=person,
                site=person.site,
            )
        )
    Line.objects.bulk_create([*lines, *mobiles])
    summary.lines = len(lines) + len(mobiles)
    summary.mobile_lines = len(mobiles)
    summary.copper_lines = sum(1 for line in lines if line.technology == Technology.COPPER)

    sims = [_sim(rng, line, operators["Bouygues Telecom Entreprises"]) for line in mobiles]
    SimCard.objects.bulk_create(sims)
    summary.sim_cards = len(sims)

    laptop_holders = Asset.objects.filter(
        asset_type__kind=AssetKind.LAPTOP, status=AssetStatus.IN_SERVICE, assigned_to__isnull=False
    ).order_by("pk")
    softphones = {
        int(pk) for pk in laptop_holders.values_list("assigned_to", flat=True) if rng.random() < 0.8
    }
    extensions = _extensions(people, trunks, desk_phones, softphones)
    Extension.objects.bulk_create(extensions)
    summary.extensions = len(extensions)

    fallbacks = _fallbacks(rng, sites, taken)
    SiteFallback.objects.bulk_create(fallbacks)
    summary.fallbacks = len(fallbacks)

    summary.forwarded = _forward_a_few(rng, lines, mobiles, admin)
    on_call = _on_call_numbers(rng, taken)
    DepartmentOnCall.objects.bulk_create(on_call)
    summary.on_call = len(on_call)
    return summary


def _on_call_numbers(rng: random.Random, taken: set[str]) -> list[DepartmentOnCall]:
    """Two departments in three have an on-call mobile, the last resort of a forwarding
    plan; the others leave some lines without a target, which the continuity page shows."""
    departments = Department.objects.order_by("name")
    return [
        DepartmentOnCall(
            department=department,
            number=_unique(rng, _mobile_number(rng), taken, mobile=True),
            note="Portable d'astreinte du service.",
        )
        for index, department in enumerate(departments)
        if index % 3 != 2
    ]


def _create_operators() -> dict[str, Operator]:
    operators = [
        Operator(
            name=name,
            customer_account=account,
            support_contact=contact,
            support_phone=normalise_number(phone),
            notes=notes,
        )
        for name, account, contact, phone, notes in OPERATORS
    ]
    Operator.objects.bulk_create(operators)
    return {operator.name: operator for operator in operators}


def _create_contracts(
    operators: dict[str, Operator], today: dt.date
) -> dict[str, OperatorContract]:
    contracts = []
    for name, reference, cost, days_ago, years, notice, notes in CONTRACTS:
        start = today - dt.timedelta(days=days_ago)
        end = start.replace(year=start.year + years) - dt.timedelta(days=1) if years else None
        contracts.append(
            OperatorContract(
                operator=operators[name],
                reference=reference,
                monthly_cost=Decimal(cost),
                start_date=start,
                end_date=end,
                notice_months=notice,
                notes=notes,
            )
        )
    OperatorContract.objects.bulk_create(contracts)
    return {contract.operator.name: contract for contract in contracts}


def _create_cutoffs(rng: random.Random, today: dt.date, sites: list[Site]) -> set[int]:
    """A few communes with sites lose copper within the year (lot dates are invented)."""
    communes = sorted({site.organisation_id for site in sites if site.kind != SiteKind.HEAD_OFFICE})
    chosen = rng.sample(communes, COPPER_COMMUNES)
    cutoffs = []
    for index, commune_id in enumerate(chosen):
        cutoffs.append(
            CopperCutoff(
                commune=Organisation(pk=commune_id),
                cutoff_date=today + dt.timedelta(days=75 + 90 * index),
                lot=f"Lot {2027 + index // 2} - phase {index + 1}",
                notes="Fermeture commerciale passée ; fermeture technique annoncée par Orange.",
            )
        )
    CopperCutoff.objects.bulk_create(cutoffs)
    return set(chosen)


def _unique(rng: random.Random, raw: str, taken: set[str], *, mobile: bool = False) -> str:
    """``raw`` in E.164, or another number drawn when it is taken or outside the plan."""
    while True:
        try:
            number = normalise_number(raw)
        except ValidationError:  # not an allocated range: draw another
            number = ""
        if number and number not in taken:
            taken.add(number)
            return number
        raw = _mobile_number(rng) if mobile else _landline(rng)


def _landline(rng: random.Random) -> str:
    # Not 05 49 27: the test factories number their lines there.
    return f"05 49 {rng.randint(30, 99):02d} {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"


def _mobile_number(rng: random.Random) -> str:
    second = f"{rng.randint(10, 99):02d}" if rng.random() < 0.7 else f"{rng.randint(60, 89)}"
    first = "06" if second[0] != "6" or rng.random() < 0.7 else "07"
    return f"{first} {second} " + " ".join(f"{rng.randint(0, 99):02d}" for _ in range(3))


def _office_line(
    site: Site,
    operators: dict[str, Operator],
    contracts: dict[str, OperatorContract],
    copper_communes: set[int],
    taken: set[str],
) -> Line | None:
    try:
        number = normalise_number(site.phone)
    except ValidationError:
        return None
    if number in taken:
        return None
    taken.add(number)
    trunk = site.kind in TRUNK_KINDS
    on_copper = not trunk and (site.organisation_id in copper_communes or site.pk % 3 == 0)
    operator = "SFR Business" if trunk else "Orange"
    return Line(
        number=number,
        label=f"Accueil — {site.name}",
        kind=LineKind.SIP_TRUNK if trunk else LineKind.ANALOGUE,
        technology=Technology.IP
        if trunk
        else (Technology.COPPER if on_copper else Technology.FIBRE),
        operator=operators[operator],
        contract=contracts[operator],
        site=site,
    )


def _special_line(
    rng: random.Random,
    site: Site,
    kind: str,
    operators: dict[str, Operator],
    contracts: dict[str, OperatorContract],
    taken: set[str],
) -> Line:
    labels = {str(LineKind.ALARM): "Transmetteur d'alarme", str(LineKind.LIFT): "Ascenseur"}
    label = labels[kind]
    return Line(
        number=_unique(rng, _landline(rng), taken),
        label=f"{label} — {site.name}",
        kind=kind,
        technology=Technology.COPPER,
        operator=operators["Orange"],
        contract=contracts["Orange"],
        site=site,
        notes="Ligne de sécurité : à migrer avant la fermeture du cuivre.",
    )


def _sim(rng: random.Random, line: Line, operator: Operator) -> SimCard:
    body = "8933" + "20" + "".join(str(rng.randint(0, 9)) for _ in range(12))
    check = next(str(d) for d in range(10) if luhn_is_valid(body + str(d)))
    sim = SimCard(iccid=body + check, line=line, operator=operator)
    sim.set_codes(pin=f"{rng.randint(0, 9999):04d}", puk=f"{rng.randint(0, 99999999):08d}")
    return sim


def _extensions(
    people: list[Person],
    trunks: dict[int, Line],
    desk_phones: dict[int, Asset],
    softphones: set[int],
) -> list[Extension]:
    """One extension per person with a desk phone on a site with a trunk; the IT team and
    part of the laptop holders also have a softphone on their laptop."""
    extensions = []
    per_site: dict[int, int] = {}
    for person in people:
        phone = desk_phones.get(person.pk)
        if phone is None or person.site_id not in trunks or not person.active:
            continue
        assert person.site_id is not None  # noqa: S101  # in trunks
        count = per_site.get(person.site_id, 0) + 1
        per_site[person.site_id] = count
        site_index = list(trunks).index(person.site_id)
        in_it = person.department is not None and person.department.code == "DSI"
        in_it = in_it or person.pk in softphones
        extensions.append(
            Extension(
                number=f"7{site_index:02d}{count:02d}",
                line=trunks[person.site_id],
                person=person,
                site=person.site,
                desk_phone=phone,
                softphone=in_it,
                softphone_client="3CX sur le portable" if in_it else "",
            )
        )
    return extensions


def _fallbacks(rng: random.Random, sites: list[Site], taken: set[str]) -> list[SiteFallback]:
    head_office = next(site for site in sites if site.kind == SiteKind.HEAD_OFFICE)
    fallbacks = []
    for site in sites:
        if site != head_office and rng.random() < NO_FALLBACK_SHARE:
            continue
        raw = site.contact_phone if site.contact_phone.startswith(("06", "07")) else ""
        number = _unique(rng, raw or _mobile_number(rng), taken, mobile=True)
        fallbacks.append(
            SiteFallback(
                site=site,
                number=number,
                note=f"Portable de permanence ({site.contact_name or 'responsable du site'}).",
            )
        )
    return fallbacks


def _forward_a_few(rng: random.Random, lines: list[Line], mobiles: list[Line], admin: User) -> int:
    """Two office lines are already forwarded (a closed library, a site under works)."""
    office = [line for line in lines if line.kind == LineKind.ANALOGUE]
    chosen = rng.sample(office, min(2, len(office)))
    notes = ("Fermeture pour travaux : renvoi vers la mairie.", "Agent d'accueil en arrêt.")
    for line, note in zip(chosen, notes, strict=False):
        target = rng.choice(mobiles).number if mobiles else "05 49 27 00 00"
        set_forwarding(
            subject=line,
            active=True,
            target=target,
            note=note,
            by=admin,
            source=ChangeSource.SYSTEM,
        )
    return len(chosen)
