"""The demo territory: the Mellois en Poitou intercommunality, its sites, staff and accounts.

Everything is drawn from one ``random.Random`` with a fixed seed, so two runs on two empty
databases build the same rows (dates are relative to the day of the run, so the demo stays
current: warranties end "soon" whenever it is loaded). Only the communes are real (see
``data/README.md``); sites, addresses and people are invented.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from regie.accounts.models import AccountSecurity
from regie.core.models import Role, User
from regie.demo.checks import build_checks
from regie.demo.fleet import build_fleet
from regie.demo.helpdesk import build_helpdesk
from regie.demo.inventory import build_inventory
from regie.demo.names import email_local_part, random_identity
from regie.demo.plan import (
    ACCESS_NOTES,
    CHARTER_TEXT,
    DEPARTMENT_PLAN,
    HOURS,
    OFFSET_STEP,
    POSITION_OFFSETS,
    ROOMS,
    SCHOOL_HEAD,
    SITE_PLAN,
    STREETS,
)
from regie.demo.telephony import build_telephony
from regie.demo.telework import build_telework
from regie.directory.models import (
    Department,
    Organisation,
    OrganisationKind,
    Person,
    Room,
    Site,
    SiteKind,
)
from regie.telework.models import Charter

SEED = 79500
DATA_FILE = Path(__file__).resolve().parent / "data" / "communes-mellois.json"
EMAIL_DOMAIN = "mellois-en-poitou.fr"
DEMO_URL = "http://127.0.0.1:8000"

Progress = Callable[[str], None]


def _silent(message: str) -> None:
    return None


@dataclass(frozen=True)
class DemoAccount:
    """One login created by the demo, for the credentials block."""

    username: str
    role: str
    full_name: str
    job_title: str


@dataclass
class DemoSummary:
    """What one build created."""

    accounts: list[DemoAccount]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def admin(self) -> DemoAccount:
        return next(account for account in self.accounts if account.role == Role.ADMIN)


def load_communes() -> dict[str, Any]:
    """The bundled public data: ``epci`` (the intercommunality) and its ``communes``."""
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


def territory_exists() -> bool:
    """True when the demo intercommunality is already in the database."""
    siren = load_communes()["epci"]["siren"]
    return Organisation.objects.filter(siren=siren, kind=OrganisationKind.INTERCOMMUNALITY).exists()


def build_territory(
    *, password: str, with_fleet: bool = True, progress: Progress = _silent
) -> DemoSummary:
    """Build the whole demo territory in one transaction; every account gets ``password``.

    The password is hashed once and the hash shared, because Argon2 is deliberately slow.
    ``with_fleet=False`` stops after the directory and the accounts (the benchmarks bring
    their own equipment).
    """
    rng = random.Random(SEED)  # noqa: S311  # reproducible demo data, not a secret
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        data = load_communes()
        communes = _create_organisations(data)
        progress(f"{len(communes)} communes")
        sites = _create_sites(rng, communes)
        progress(f"{len(sites)} sites")
        departments = _create_departments(communes[data["epci"]["seat"]].parent_org)
        people = _create_people(rng, today, departments, sites)
        progress(f"{len(people)} people in {len(departments)} departments")
        accounts = _create_accounts(people, sites, password_hash=make_password(password))
        summary = DemoSummary(accounts=accounts)
        # In force since the start of the year, so the demo loan flow works on any day.
        Charter(
            version=f"{today.year}.1",
            effective_date=today.replace(month=1, day=1),
            text=CHARTER_TEXT,
        ).save()
        summary.counts = {
            "communes": len(communes),
            "sites": len(sites),
            "departments": len(departments),
            "people": len(people),
            "accounts": len(accounts),
        }
        if with_fleet:
            summary.counts["assets"] = build_fleet(rng=rng, today=today, people=people)
            progress(f"{summary.counts['assets']} assets")
            _bring_to_life(rng=rng, now=now, people=people, summary=summary, progress=progress)
    return summary


def _bring_to_life(
    *,
    rng: random.Random,
    now: datetime,
    people: list[Person],
    summary: DemoSummary,
    progress: Progress,
) -> None:
    """What makes the territory look in use on the day it is loaded: agent reports, checks,
    telephony, tickets and visits, telework. Each part draws from its own generator, seeded
    from the main one, so changing one part leaves the others as they were."""
    inventory = build_inventory(rng=random.Random(rng.random()), now=now, progress=progress)  # noqa: S311
    summary.counts["reporting_computers"] = inventory.reporting
    summary.counts["silent_computers"] = inventory.silent
    summary.counts["agent_reports"] = inventory.reports
    summary.counts["findings"] = inventory.findings
    checks = build_checks(rng=random.Random(rng.random()), now=now)  # noqa: S311
    summary.counts["checks"] = sum(checks.values())
    progress("checks: " + ", ".join(f"{n} {status}" for status, n in sorted(checks.items())))
    admin = User.objects.get(username=summary.admin.username)
    phones = build_telephony(
        rng=random.Random(rng.random()),  # noqa: S311
        today=timezone.localdate(now),
        people=people,
        admin=admin,
    )
    summary.counts["phone_lines"] = phones.lines
    summary.counts["sim_cards"] = phones.sim_cards
    summary.counts["extensions"] = phones.extensions
    progress(
        f"telephony: {phones.lines} lines ({phones.mobile_lines} mobile, {phones.copper_lines} "
        f"on copper), {phones.sim_cards} SIM cards, {phones.extensions} extensions, "
        f"{phones.fallbacks} site fallbacks, {phones.forwarded} lines forwarded"
    )
    desk = build_helpdesk(rng=random.Random(rng.random()), now=now, people=people, admin=admin)  # noqa: S311
    summary.counts["open_tickets"] = desk.open_tickets
    summary.counts["closed_tickets"] = desk.closed_tickets
    summary.counts["interventions"] = desk.interventions
    summary.counts["round_stops"] = desk.round_stops
    progress(
        f"helpdesk: {desk.open_tickets} open and {desk.closed_tickets} closed tickets, "
        f"{desk.interventions} visits, round of {desk.round_date}: {desk.round_stops} stops"
    )
    telework = build_telework(rng=random.Random(rng.random()), now=now, people=people, admin=admin)  # noqa: S311
    summary.counts["assets"] += telework.pool + telework.peripherals
    summary.counts["loans"] = telework.current_loans + telework.past_loans
    summary.counts["remote_access"] = telework.remote_access
    progress(
        f"telework: {telework.pool} pool laptops, {telework.current_loans} current and "
        f"{telework.past_loans} past loans, {telework.reservations} reservations, "
        f"{telework.remote_access} remote-access records, "
        f"{telework.peripherals} headsets and webcams"
    )


# --- organisations -----------------------------------------------------------------------


@dataclass
class _Commune:
    organisation: Organisation
    parent_org: Organisation
    name: str
    postcode: str
    latitude: Decimal
    longitude: Decimal
    population: int


def _create_organisations(data: dict[str, Any]) -> dict[str, _Commune]:
    epci = data["epci"]
    seat = next(c for c in data["communes"] if c["name"] == epci["seat"])
    root = Organisation(
        name=epci["name"],
        kind=OrganisationKind.INTERCOMMUNALITY,
        siren=epci["siren"],
        postcode=seat["postcodes"][0],
        population=sum(c["population"] for c in data["communes"]),
        latitude=_decimal(seat["lat"]),
        longitude=_decimal(seat["lon"]),
    )
    root.full_clean()
    root.save()
    members = [
        Organisation(
            name=c["name"],
            kind=OrganisationKind.COMMUNE,
            parent=root,
            insee_code=c["insee"],
            postcode=c["postcodes"][0],
            population=c["population"],
            latitude=_decimal(c["lat"]),
            longitude=_decimal(c["lon"]),
        )
        for c in sorted(data["communes"], key=lambda c: c["insee"])
    ]
    Organisation.objects.bulk_create(members)
    return {
        org.name: _Commune(
            organisation=org,
            parent_org=root,
            name=org.name,
            postcode=org.postcode,
            latitude=org.latitude,
            longitude=org.longitude,
            population=org.population or 0,
        )
        for org in members
    }


def _decimal(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.00001"))


# --- sites ---------------------------------------------------------------------------------

# Week patterns, Monday first; an empty text means closed that day.


def of_place(name: str) -> str:
    """French elision: "de Melle", "d'Aigondigné", "du Vert" for "Le Vert"."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if name[0] in "AEÉIOUH":
        return "d'" + name
    return "de " + name


def _create_sites(rng: random.Random, communes: dict[str, _Commune]) -> list[Site]:
    per_commune: dict[str, int] = {}
    sites: list[Site] = []
    for kind, pattern, commune_name in SITE_PLAN:
        commune = communes[commune_name]
        index = per_commune.get(commune_name, 0)
        per_commune[commune_name] = index + 1
        d_lat, d_lon = POSITION_OFFSETS[index]
        hours = HOURS[kind]
        site = Site(
            name=pattern.format(de=of_place(commune_name)),
            kind=kind,
            organisation=commune.organisation,
            address=f"{rng.randint(1, 40)} {rng.choice(STREETS)}",
            postcode=commune.postcode,
            city=commune_name,
            latitude=commune.latitude + d_lat * OFFSET_STEP,
            longitude=commune.longitude + d_lon * OFFSET_STEP,
            phone=_landline(rng),
            access_notes=rng.choice(ACCESS_NOTES[kind]),
            hours_mon=hours[0],
            hours_tue=hours[1],
            hours_wed=hours[2],
            hours_thu=hours[3],
            hours_fri=hours[4],
            hours_sat=hours[5],
            hours_sun=hours[6],
        )
        site.full_clean(validate_unique=False, validate_constraints=False)
        sites.append(site)
    Site.objects.bulk_create(sites)
    Room.objects.bulk_create(
        [
            Room(site=site, name=name, floor=floor)
            for site in sites
            for name, floor in ROOMS[site.kind]
        ]
    )
    return sites


def _landline(rng: random.Random) -> str:
    return f"05 49 {rng.randint(10, 99):02d} {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"


def _mobile(rng: random.Random) -> str:
    return (
        f"0{rng.choice('67')} {rng.randint(10, 99):02d} {rng.randint(0, 99):02d} "
        f"{rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"
    )


# --- departments and people --------------------------------------------------------------


def _create_departments(root: Organisation) -> dict[str, Department]:
    departments = [
        Department(name=plan.name, code=plan.code, organisation=root) for plan in DEPARTMENT_PLAN
    ]
    Department.objects.bulk_create(departments)
    return {department.code: department for department in departments}


def _title(rng_title: str, female: bool) -> tuple[str, bool]:
    desk = rng_title.startswith("*")
    words = rng_title.lstrip("*").split("|")
    return (words[-1] if female else words[0]), desk


def is_desk_job(person: Person) -> bool:
    """Desk jobs get a workstation and a desk phone (recorded in a private attribute)."""
    return bool(getattr(person, "_desk", False))


def _create_people(
    rng: random.Random,
    today: date,
    departments: dict[str, Department],
    sites: list[Site],
) -> list[Person]:
    taken: set[str] = set()
    people: list[Person] = []
    head_office = next(site for site in sites if site.kind == SiteKind.HEAD_OFFICE)
    schools = [site for site in sites if site.kind == SiteKind.SCHOOL]

    def new_person(department: Department, site: Site, title_spec: str) -> Person:
        first, last, female = random_identity(rng)
        title, desk = _title(title_spec, female)
        arrival = today - timedelta(days=rng.randint(30, 25 * 365))
        person = Person(
            first_name=first,
            last_name=last,
            email=f"{email_local_part(first, last, taken)}@{EMAIL_DOMAIN}",
            phone=site.phone[:-2] + f"{rng.randint(0, 99):02d}",
            mobile=_mobile(rng) if rng.random() < 0.35 else "",
            department=department,
            site=site,
            job_title=title,
            arrival_date=arrival,
        )
        person._desk = desk  # type: ignore[attr-defined]  # build-time flag, never saved
        people.append(person)
        return person

    heads: dict[str, Person] = {}
    for plan in DEPARTMENT_PLAN:
        department = departments[plan.code]
        candidate_sites = [site for site in sites if site.kind in plan.site_kinds]
        head_site = head_office if SiteKind.HEAD_OFFICE in plan.site_kinds else candidate_sites[0]
        heads[plan.code] = new_person(department, head_site, plan.head)
        others = plan.size - 1
        if plan.code == "ECOLES":
            for school in schools:
                new_person(department, school, SCHOOL_HEAD)
            others -= len(schools)
        for index in range(others):
            if plan.code == "DSI":
                title = plan.titles[0] if index < 2 else plan.titles[1]
            else:
                title = rng.choice(plan.titles)
            new_person(department, candidate_sites[index % len(candidate_sites)], title)

    # A few people have left: their records stay, inactive, for the history of their assets.
    leavers = rng.sample([p for p in people if p not in heads.values()], 8)
    for person in leavers:
        person.active = False
        assert person.arrival_date is not None  # noqa: S101  # set for everyone above
        person.departure_date = min(
            today - timedelta(days=rng.randint(10, 400)),
            person.arrival_date + timedelta(days=rng.randint(200, 3000)),
        )
        person.departure_date = max(person.departure_date, person.arrival_date)
    Person.objects.bulk_create(people)

    for code, head in heads.items():
        departments[code].head = head
    Department.objects.bulk_update(departments.values(), ["head"])

    # Each site's contact is someone who works there, the school head for schools.
    by_site: dict[int, Person] = {}
    for person in people:
        if person.active and person.site_id is not None:
            current = by_site.get(person.site_id)
            if current is None or (
                person.job_title.startswith("Direct") and not current.job_title.startswith("Direct")
            ):
                by_site[person.site_id] = person
    for site in sites:
        contact = by_site.get(site.pk)
        if contact is not None:
            site.contact_name = contact.full_name
            site.contact_phone = contact.mobile or contact.phone
            site.contact_email = contact.email
    Site.objects.bulk_update(sites, ["contact_name", "contact_phone", "contact_email"])
    return people


# --- accounts ------------------------------------------------------------------------------


def _create_accounts(
    people: list[Person], sites: list[Site], *, password_hash: str
) -> list[DemoAccount]:
    it_staff = [p for p in people if p.department is not None and p.department.code == "DSI"]
    director = next(p for p in people if p.department is not None and p.department.code == "DG")
    school_heads = [p for p in people if p.job_title.startswith(("Directeur d'", "Directrice d'"))]
    agent = next(
        p
        for p in people
        if p.active
        and is_desk_job(p)
        and p.department is not None
        and p.department.code == "FIN"
        and p.job_title.startswith("Gestionnaire")
    )
    chosen: list[tuple[Person, str]] = [(it_staff[0], Role.ADMIN)]
    chosen += [(person, Role.TECHNICIAN) for person in it_staff[1:5]]
    chosen.append((director, Role.READER))
    chosen += [(person, Role.CORRESPONDENT) for person in school_heads[:2]]
    chosen.append((agent, Role.STAFF))

    users: list[User] = []
    for person, role in chosen:
        assert person.email  # noqa: S101  # every demo person has an e-mail
        user = User(
            username=person.email.split("@")[0],
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            role=role,
            password=password_hash,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        users.append(user)
    User.objects.bulk_create(users)
    # Trying Régie stays two commands: the demo's accounts sign in without a second factor
    # (the start-up message says so; a real installation requires one, REGIE_MFA_REQUIRED_ROLES).
    AccountSecurity.objects.bulk_create(
        AccountSecurity(user=user, mfa_exempt=True) for user in users
    )
    for (person, _role), user in zip(chosen, users, strict=True):
        person.user = user
    Person.objects.bulk_update([person for person, _role in chosen], ["user"])

    site_by_id = {site.pk: site for site in sites}
    for (person, role), user in zip(chosen, users, strict=True):
        if role == Role.CORRESPONDENT and person.site_id is not None:
            site_by_id[person.site_id].correspondents.add(user)

    return [
        DemoAccount(
            username=user.username,
            role=role,
            full_name=person.full_name,
            job_title=person.job_title,
        )
        for (person, role), user in zip(chosen, users, strict=True)
    ]
