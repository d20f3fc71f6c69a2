"""The continuity page and the declaration of the plan on a territory ten times the demo.

Builds, with bulk inserts (not the demo), ``people`` people, four assets per person and
``sites`` sites: departments (half with an on-call number), computers (some reporting to the
inventory, some never), a pool of laptops in stock, office lines, extensions, mobile lines,
fallback numbers, backup and update checks in every state, tickets needing a visit and a
charter. Then it times the page (p50/p95, target p95 < 300 ms) and the API, and declares the
plan (target < 5 s), ends it and declares it again (the forwardings then exist, turned off,
each with its own target), counting the queries of each section on the page, in the
declarations and at the end: none of them grows with the territory, except by the batches
Django cuts a bulk insert into on SQLite (999 parameters: 90 history rows, 58 interventions
per INSERT); on PostgreSQL a bulk insert is one query.
"""

from __future__ import annotations

import datetime
import math
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from regie.assets.models import (
    Asset,
    AssetInventory,
    AssetKind,
    AssetOperatingSystem,
    AssetStatus,
    AssetType,
)
from regie.bench.benchmarks.clients import signed_in_client
from regie.continuity.models import Activation
from regie.continuity.services import declare_plan, default_ends_on, end_plan
from regie.core import continuity as registry
from regie.core.database import refresh_planner_statistics
from regie.core.models import Role, User
from regie.directory.models import (
    Department,
    Organisation,
    OrganisationKind,
    Person,
    Site,
    SiteKind,
)
from regie.helpdesk.models import Ticket
from regie.operations.checks.models import Check, CheckKind, CheckStatus
from regie.telephony.models import (
    DepartmentOnCall,
    Extension,
    Forwarding,
    Line,
    LineKind,
    LineStatus,
    SiteFallback,
)
from regie.telework.models import Charter

DESCRIPTION = "the continuity page and the declaration of the plan, on a territory 10× the demo"
TARGET_PAGE_P95_MS = 300
TARGET_ACTIVATION_S = 5.0
WARM_UP = 3
BATCH = 5_000

Output = Callable[[str], None]

JOBS = ("Agent administratif", "Agent d'accueil", "Agent technique", "Secrétariat", "Animateur")
CHECK_STATES = (CheckStatus.UP,) * 6 + (CheckStatus.LATE, CheckStatus.DOWN, CheckStatus.NEW)


def build_territory(*, people: int, assets: int, sites: int, seed: int = 0) -> User:
    """Generate the territory in bulk; returns an administrator to act as. ``seed`` keeps
    the names of two territories built in one database apart."""
    now = timezone.now()
    tag = f"{seed:02d}"
    with transaction.atomic():
        commune = Organisation.objects.create(
            name=f"Commune bench {tag}", kind=OrganisationKind.COMMUNE
        )
        site_rows = Site.objects.bulk_create(
            Site(
                name=f"Site bench {tag}-{index:04d}",
                kind=SiteKind.SCHOOL if index % 3 else SiteKind.OTHER,
                organisation=commune,
                address=f"{index} rue de la Mairie",
                city="Melle",
                access_notes="Clé chez le gardien" if index % 4 == 0 else "",
            )
            for index in range(sites)
        )
        departments = Department.objects.bulk_create(
            Department(name=f"Service bench {tag}-{index:03d}", organisation=commune)
            for index in range(max(3, people // 50))
        )
        DepartmentOnCall.objects.bulk_create(
            DepartmentOnCall(department=department, number=f"+3354980{int(tag):02d}{index:02d}")
            for index, department in enumerate(departments[::2][:99])
        )
        person_rows = Person.objects.bulk_create(
            Person(
                first_name=f"Prénom{index}",
                last_name=f"Nom{tag}-{index:05d}",
                email=f"agent{tag}-{index}@example.org" if index % 10 else "",
                mobile=f"06{int(tag):02d}{index:06d}" if index % 4 == 0 else "",
                department=departments[index % len(departments)],
                site=site_rows[index % len(site_rows)],
                job_title=JOBS[index % len(JOBS)],
            )
            for index in range(people)
        )
        for index, department in enumerate(departments):
            department.head = person_rows[index % len(person_rows)]
        Department.objects.bulk_update(departments, ["head"])
        _fleet(person_rows, site_rows, assets, tag, now)
        _telephony(person_rows, site_rows, tag)
        _checks(site_rows, tag, now)
        for index in range(min(20, sites)):
            Ticket.objects.create(
                title=f"Panne {tag}-{index}",
                description="Écran noir",
                requester=person_rows[index],
                site=site_rows[index],
                needs_visit=True,
            )
        if not Charter.objects.exists():
            Charter.objects.create(version="bench", effective_date=now.date(), text="Charte")
        admin, _created = User.objects.get_or_create(
            username="bench-admin", defaults={"role": Role.ADMIN}
        )
    refresh_planner_statistics()
    return admin


def _fleet(
    people: list[Person], sites: list[Site], total: int, tag: str, now: datetime.datetime
) -> None:
    # The types the migrations seed, made again if a flushed test database lost them.
    for name, type_kind, type_prefix in (
        ("Poste fixe", AssetKind.DESKTOP, "PC"),
        ("Ordinateur portable", AssetKind.LAPTOP, "PORT"),
        ("Serveur", AssetKind.SERVER, "SRV"),
        ("Téléphone fixe", AssetKind.DESK_PHONE, "TEL"),
    ):
        AssetType.objects.get_or_create(kind=type_kind, prefix=type_prefix, defaults={"name": name})
    types = {asset_type.prefix: asset_type for asset_type in AssetType.objects.all()}
    # Of every 20 assets: 8 desktops, 6 assigned laptops, 1 pool laptop, 1 server, 4 phones.
    mix = ("PC",) * 8 + ("PORT",) * 6 + ("POOL",) + ("SRV",) + ("TEL",) * 4
    rows = []
    for index in range(total):
        kind = mix[index % len(mix)]
        person = people[index % len(people)] if kind in ("PC", "PORT", "TEL") else None
        prefix = "PORT" if kind == "POOL" else kind
        rows.append(
            Asset(
                inventory_number=f"{prefix}-B{tag}{index:07d}",
                name=f"{kind}-{tag}-{index:06d}",
                asset_type=types[prefix],
                status=AssetStatus.STOCK if kind == "POOL" else AssetStatus.IN_SERVICE,
                site=sites[index % len(sites)],
                assigned_to=person,
            )
        )
    created = Asset.objects.bulk_create(rows, batch_size=BATCH)
    computers = [a for a in created if a.asset_type.prefix in ("PC", "PORT", "SRV")]
    # Two computers in three report; of those, one in five has not updated for months.
    reporting = [a for index, a in enumerate(computers) if index % 3]
    AssetInventory.objects.bulk_create(
        (
            AssetInventory(
                asset=asset,
                agent_device_id=f"agent-{tag}-{asset.pk}",
                protocol="glpi",
                last_inventory_at=now - datetime.timedelta(hours=index % 200),
            )
            for index, asset in enumerate(reporting)
        ),
        batch_size=BATCH,
    )
    AssetOperatingSystem.objects.bulk_create(
        (
            AssetOperatingSystem(
                asset=asset,
                name="Windows 11",
                install_date=now - datetime.timedelta(days=90 if index % 5 == 0 else 3),
            )
            for index, asset in enumerate(reporting)
        ),
        batch_size=BATCH,
    )


def _telephony(people: list[Person], sites: list[Site], tag: str) -> None:
    base = int(tag) * 10_000  # two territories in one database get different numbers
    lines = [
        Line(number=f"+33549{(base + index) % 1_000_000:06d}", kind=LineKind.ANALOGUE, site=site)
        for index, site in enumerate(sites)
    ]
    lines += [
        Line(
            number=f"+33550{(base + index) % 1_000_000:06d}",
            kind=LineKind.SIP_TRUNK,
            person=person,
            site=person.site,
        )
        for index, person in enumerate(people[::10])
    ]
    lines += [
        Line(
            number=f"+3361{(base + index) % 10_000_000:07d}",
            kind=LineKind.MOBILE,
            status=LineStatus.ACTIVE,
            person=person,
        )
        for index, person in enumerate(people[3::7])
    ]
    created = Line.objects.bulk_create(lines, batch_size=BATCH)
    Extension.objects.bulk_create(
        (
            Extension(number=f"{int(tag) + 1}{index:05d}", person=person)
            for index, person in enumerate(people[1::5])
        ),
        batch_size=BATCH,
    )
    SiteFallback.objects.bulk_create(
        SiteFallback(site=site, number=f"+33551{(base + index) % 1_000_000:06d}")
        for index, site in enumerate(sites[::2])
    )
    Forwarding.objects.bulk_create(
        Forwarding(line=line, active=True, target="+33549000000")
        for line in created[: len(sites)][::20]
    )


def _checks(sites: list[Site], tag: str, now: datetime.datetime) -> None:
    checks = []
    for index, site in enumerate(sites):
        status = CHECK_STATES[index % len(CHECK_STATES)]
        if index % 5:  # one site in five has no backup check: unknown
            checks.append(
                Check(
                    name=f"Sauvegarde NAS {tag}-{index}",
                    kind=CheckKind.BACKUP,
                    site=site,
                    status=status,
                    last_ping_at=now if status == CheckStatus.UP else None,
                )
            )
        if index % 2:
            checks.append(
                Check(
                    name=f"Mises à jour {tag}-{index}",
                    kind=CheckKind.UPDATE,
                    site=site,
                    status=status,
                    last_ping_at=now if status == CheckStatus.UP else None,
                )
            )
    Check.objects.bulk_create(checks, batch_size=BATCH)


# --- measuring -----------------------------------------------------------------------------


@contextmanager
def counting_queries() -> Iterator[list[int]]:
    """Count every query run while inside (the declaration's tasks included), in ``[0]``."""
    count = [0]

    def counter(execute: Callable[..., Any], *args: Any) -> Any:
        count[0] += 1
        return execute(*args)

    with connection.execute_wrapper(counter):
        yield count


@contextmanager
def counting_sections(
    counts: dict[str, dict[str, int]], seconds: dict[str, dict[str, float]]
) -> Iterator[None]:
    """Count the queries (and time) each section's summary, activation and end take while
    inside, under "page", "activation" and "end".

    Django keeps the last 9,000 queries of a connection: raise the limit, or a declaration's
    thousands of queries would be undercounted."""
    originals = registry.sections()

    def counted(kind: str, key: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any) -> Any:
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                result = function(*args)
            counts.setdefault(kind, {})[key] = len(queries.captured_queries)
            seconds.setdefault(kind, {})[key] = round(time.perf_counter() - start, 3)
            return result

        return wrapper

    limit = connection.queries_log.maxlen
    connection.queries_log = type(connection.queries_log)(maxlen=1_000_000)
    try:
        for section in originals:
            registry.register_section(
                replace(
                    section,
                    summary=counted("page", section.key, section.summary),
                    activate=counted("activation", section.key, section.activate)
                    if section.activate
                    else None,
                    end=counted("end", section.key, section.end) if section.end else None,
                )
            )
        yield
    finally:
        for section in originals:
            registry.register_section(section)
        connection.queries_log = type(connection.queries_log)(maxlen=limit)


def _percentile(timings: list[float], share: float) -> float:
    return timings[max(math.ceil(share * len(timings)) - 1, 0)]


def measure_page(client: Client, url: str, requests: int) -> dict[str, Any]:
    for _ in range(WARM_UP):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)  # noqa: S101
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    query_count = len(queries.captured_queries)
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "url": url,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(_percentile(timings, 0.95), 1),
        "max_ms": round(timings[-1], 1),
        "queries": query_count,
    }


def run(*, people: int, sites: int, requests: int, out: Output, progress: Output) -> dict[str, Any]:
    started = time.perf_counter()
    assets = people * 4
    admin = build_territory(people=people, assets=assets, sites=sites)
    progress(
        f"territory ready: {people} people, {assets} assets, {sites} sites "
        f"in {time.perf_counter() - started:.1f} s"
    )
    client = signed_in_client(admin)
    counts: dict[str, dict[str, int]] = {}
    timing: dict[str, dict[str, float]] = {}
    with counting_sections(counts, timing):
        page = measure_page(client, reverse("continuity:page"), requests)
        verdict = "ok" if page["p95_ms"] <= TARGET_PAGE_P95_MS else f"ABOVE {TARGET_PAGE_P95_MS}"
        out(
            f"continuity page      p50 {page['p50_ms']:7.1f} ms  p95 {page['p95_ms']:7.1f} ms  "
            f"max {page['max_ms']:7.1f} ms  {page['queries']} queries  {verdict}"
        )
        api = measure_page(client, reverse("api:continuity"), max(1, requests // 4))
        out(
            f"continuity API       p50 {api['p50_ms']:7.1f} ms  p95 {api['p95_ms']:7.1f} ms  "
            f"max {api['max_ms']:7.1f} ms  {api['queries']} queries"
        )
        declared = _timed(lambda: declare_plan(ends_on=default_ends_on(), by=admin))
        ended = _timed(lambda: end_plan(by=admin))
    again_counts: dict[str, dict[str, int]] = {}
    again_timing: dict[str, dict[str, float]] = {}
    with counting_sections(again_counts, again_timing):
        again = _timed(lambda: declare_plan(ends_on=default_ends_on(), by=admin))
    counts["redeclaration"] = again_counts.get("activation", {})
    timing["redeclaration"] = again_timing.get("activation", {})
    activation = declared["result"]
    for label, step in (("declaration", declared), ("declared again", again)):
        verdict = (
            "ok" if step["seconds"] <= TARGET_ACTIVATION_S else f"ABOVE {TARGET_ACTIVATION_S} s"
        )
        out(
            f"{label:<20} {step['seconds']:7.2f} s  {step['queries']} queries  "
            f"{step['result'].messages_queued} messages  {verdict}"
        )
    out(f"end of the plan      {ended['seconds']:7.2f} s  {ended['queries']} queries")
    out(
        f"queries per section: page {counts.get('page')}, declaration {counts.get('activation')}, "
        f"end {counts.get('end')}, declared again {counts.get('redeclaration')}"
    )
    out(f"seconds per section (last run): {timing}")
    return {
        "bench": "continuity",
        "people": Person.objects.count(),
        "assets": Asset.objects.count(),
        "sites": Site.objects.count(),
        "database": connection.vendor,
        "page": page,
        "api": api,
        "activation": {
            "seconds": declared["seconds"],
            "queries": declared["queries"],
            "messages": activation.messages_queued,
            "results": Activation.objects.get(pk=activation.pk).results,
        },
        "end": {"seconds": ended["seconds"], "queries": ended["queries"]},
        "redeclaration": {
            "seconds": again["seconds"],
            "queries": again["queries"],
            "results": Activation.objects.get(pk=again["result"].pk).results,
        },
        "queries_per_section": counts,
        "seconds_per_section": timing,
        "target_page_p95_ms": TARGET_PAGE_P95_MS,
        "target_activation_s": TARGET_ACTIVATION_S,
    }


def _timed(step: Callable[[], Any]) -> dict[str, Any]:
    """Run ``step``: what it returned, its seconds and its queries (its tasks included)."""
    start = time.perf_counter()
    with counting_queries() as queries:
        result = step()
    return {
        "result": result,
        "seconds": round(time.perf_counter() - start, 2),
        "queries": queries[0],
    }
