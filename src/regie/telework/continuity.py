"""Telework's section of the continuity page: who can work from home tomorrow, and the fix
for those who would work on a personal computer.

Readiness is rolled up per department and per site. The people without a managed laptop are
listed in the order the pool's free laptops go to them:

1. the heads of a department (they keep the organisation running);
2. the people whose job title names an essential, public-facing role
   (``CONTINUITY_ESSENTIAL_JOBS``: reception, switchboard, secretariat, civil status…);
3. everybody else;

then by department, last name and first name. Each gets a free pool laptop (lendable, in
stock, not booked over the period) while there are some; the others need a loan to prepare
(equipment to find). Declaring the plan books those laptops for them
(:func:`~regie.telework.services.book_many`, with the checks of ``book_equipment``): the
booking is the loan to prepare, checked out when the technician delivers it and the person
accepts the charter.

The readiness engine is imported here and only here, so it can move without touching the rest.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from regie.assets.models import Asset, AssetKind, AssetStatus
from regie.core.continuity import (
    ActivationLike,
    Cell,
    ContinuitySection,
    Figure,
    SectionResult,
    Table,
    register_section,
)
from regie.core.models import User
from regie.core.readiness import Colour, Readiness, readiness_for_people, roll_up
from regie.directory.models import Department, Person
from regie.telework.models import Reservation
from regie.telework.pool import lendable_assets
from regie.telework.services import book_many

TONES = {
    Colour.GREEN: "ok",
    Colour.AMBER: "warning",
    Colour.UNKNOWN: "unknown",
    Colour.RED: "danger",
}


def period(context: dict[str, Any]) -> tuple[datetime.datetime, datetime.datetime]:
    """From now to the end of the plan's last day (a reservation's end is excluded)."""
    start: datetime.datetime = context["now"]
    ends_on: datetime.date = context["ends_on"]
    end = timezone.make_aware(
        datetime.datetime.combine(ends_on + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, max(end, start + datetime.timedelta(hours=1))


def staff() -> QuerySet[Person]:
    return Person.objects.filter(active=True).select_related("department", "site")


def free_laptops(start: datetime.datetime, end: datetime.datetime) -> list[Asset]:
    """Pool laptops in stock and booked by nobody over [start, end)."""
    booked = Reservation.objects.booked().overlapping(start, end).values("asset")
    return list(
        lendable_assets()
        .filter(asset_type__kind=AssetKind.LAPTOP, status=AssetStatus.STOCK)
        .exclude(pk__in=booked)
    )


def laptop_bookings(start: datetime.datetime, end: datetime.datetime) -> dict[int, Reservation]:
    """The laptop booked for each person over the period (their loan to prepare)."""
    bookings = (
        Reservation.objects.booked()
        .overlapping(start, end)
        .filter(asset__asset_type__kind=AssetKind.LAPTOP)
        .select_related("asset")
        .order_by("start", "pk")
    )
    result: dict[int, Reservation] = {}
    for reservation in bookings:
        result.setdefault(reservation.person_id, reservation)
    return result


def _is_essential(person: Person, heads: set[int]) -> int:
    if person.pk in heads:
        return 0
    title = person.job_title.casefold()
    if any(word.casefold() in title for word in settings.CONTINUITY_ESSENTIAL_JOBS):
        return 1
    return 2


def priority_order(people: Sequence[Person]) -> list[Person]:
    """Heads of department, then essential roles, then the others; by department and name."""
    heads = set(Department.objects.filter(head__isnull=False).values_list("head_id", flat=True))
    return sorted(
        people,
        key=lambda person: (
            _is_essential(person, heads),
            str(person.department or "~").casefold(),
            person.last_name.casefold(),
            person.first_name.casefold(),
            person.pk,
        ),
    )


@dataclass
class Fix:
    person: Person
    laptop: Asset | None  # a free pool laptop for them, or the one already booked
    booked: Reservation | None


def fixes(
    readinesses: Sequence[Readiness], start: datetime.datetime, end: datetime.datetime
) -> list[Fix]:
    """The people without a managed laptop in priority order, each with their fix."""
    without = [r.person for r in readinesses if not r.has_managed_laptop]
    bookings = laptop_bookings(start, end)
    free = iter(free_laptops(start, end))
    result = []
    for person in priority_order(without):
        booked = bookings.get(person.pk)
        laptop = booked.asset if booked is not None else next(free, None)
        result.append(Fix(person, laptop, booked))
    return result


def _fix_cell(fix: Fix) -> Cell:
    if fix.booked is not None:
        return Cell(_("Reserved: %(asset)s") % {"asset": fix.laptop}, "ok")
    if fix.laptop is not None:
        return Cell(_("Pool laptop free: %(asset)s") % {"asset": fix.laptop}, "warning")
    return Cell(_("Loan to prepare: no pool laptop free"), "danger")


def _roll_up_table(
    key: str, title: str, readinesses: list[Readiness], by: str, limit: int | None
) -> Table:
    rows: list[tuple[Any, ...]] = [
        (
            row.label,
            row.total,
            Cell(row.green, "ok"),
            Cell(row.amber, "warning"),
            Cell(row.unknown, "unknown" if row.unknown else ""),
            Cell(row.red, "danger" if row.red else ""),
            f"{row.able_percent} %",
        )
        # The groups with the most people not ready first: what to act on.
        for row in sorted(roll_up(readinesses, by=by), key=lambda row: (-row.red, row.label))
    ]
    columns = (
        _("Department") if by == "department" else _("Site"),
        _("People"),
        Colour.GREEN.label,
        Colour.AMBER.label,
        Colour.UNKNOWN.label,
        Colour.RED.label,
        _("Can work from home"),
    )
    shown = rows if limit is None else rows[:limit]
    return Table(key, title, columns, shown, _("Nobody."), len(rows))


def summary(user: User, context: dict[str, Any]) -> SectionResult:
    start, end = period(context)
    readinesses = readiness_for_people(staff(), now=context["now"])
    counts = dict.fromkeys(Colour, 0)
    for readiness in readinesses:
        counts[readiness.colour] += 1
    people_fixes = fixes(readinesses, start, end)
    free = sum(1 for fix in people_fixes if fix.booked is None and fix.laptop is not None)
    booked = sum(1 for fix in people_fixes if fix.booked is not None)
    to_prepare = sum(1 for fix in people_fixes if fix.laptop is None)
    limit = context.get("limit")
    shown = people_fixes if limit is None else people_fixes[:limit]
    return SectionResult(
        figures=[
            Figure(Colour.GREEN.label, counts[Colour.GREEN], "ok"),
            Figure(Colour.AMBER.label, counts[Colour.AMBER], "warning"),
            Figure(Colour.UNKNOWN.label, counts[Colour.UNKNOWN], "unknown"),
            Figure(Colour.RED.label, counts[Colour.RED], "danger", headline=True),
            Figure(
                gettext_lazy("on a personal computer"),
                len(people_fixes),
                "danger" if people_fixes else "ok",
                headline=True,
            ),
            Figure(ngettext_lazy("pool laptop free", "pool laptops free", "n"), free, ""),
            Figure(
                ngettext_lazy("pool laptop reserved", "pool laptops reserved", "n"),
                booked,
                "ok" if booked else "",
            ),
            Figure(
                ngettext_lazy(
                    "loan to prepare without a laptop", "loans to prepare without a laptop", "n"
                ),
                to_prepare,
                "danger" if to_prepare else "ok",
                headline=True,
            ),
        ],
        tables=[
            Table(
                "personal_computer",
                _("Would work on a personal computer"),
                (_("Person"), _("Department"), _("Site"), _("Job title"), _("Fix")),
                [
                    (
                        fix.person.full_name,
                        str(fix.person.department or "—"),
                        str(fix.person.site or "—"),
                        fix.person.job_title or "—",
                        _fix_cell(fix),
                    )
                    for fix in shown
                ],
                _("Everybody has a managed laptop."),
                len(people_fixes),
            ),
            _roll_up_table(
                "departments", _("Readiness per department"), readinesses, "department", limit
            ),
            _roll_up_table("sites", _("Readiness per site"), readinesses, "site", limit),
        ],
        notes=[
            _(
                "Order of the pool's laptops: heads of department, then essential roles "
                "(reception, switchboard, secretariat…), then the others, by department."
            )
        ],
    )


def _context_of(activation: ActivationLike) -> dict[str, Any]:
    return {"now": activation.started_at, "ends_on": activation.ends_on}


def activate(activation: ActivationLike, by: User | None) -> dict[str, Any]:
    """Book the free pool laptops for the people without one, in priority order. Those
    already booked over the period are skipped, so a second call books nothing."""
    start, end = period(_context_of(activation))
    start = max(start, timezone.now())
    readinesses = _readinesses(activation)
    waiting = 0
    bookings = []
    for fix in fixes(readinesses, start, end):
        if fix.booked is not None:
            continue
        if fix.laptop is None:
            waiting += 1
            continue
        bookings.append((fix.laptop, fix.person))
    reservations = book_many(
        bookings=bookings,
        start=start,
        end=end,
        by=by,
        notes=_("Continuity plan: laptop to deliver."),
    )
    booked_ids = [reservation.pk for reservation in reservations]
    return {"reservations": booked_ids, "reserved": len(booked_ids), "without_laptop": waiting}


def end(activation: ActivationLike, by: User | None) -> dict[str, Any]:
    """The bookings and loans are real: they stay, to be checked in as usual."""
    kept = Reservation.objects.filter(
        pk__in=activation.results.get("telework", {}).get("reservations", [])
    ).count()
    return {"reservations_kept": kept}


@dataclass(frozen=True)
class PersonNews:
    """What a person's message says about them."""

    readiness: str  # "Ready", "To check", "Not ready"
    reasons: list[str]  # the red and amber reasons
    delivery: str  # the equipment booked for them, "" if none


def _readinesses(activation: ActivationLike) -> list[Readiness]:
    """Every person's readiness, computed once per declaration: the booking hook and the
    message read the same (it takes seconds on a large territory)."""
    memo: list[Readiness] | None = getattr(activation, "_telework_readinesses", None)
    if memo is None:
        memo = readiness_for_people(staff(), now=activation.started_at)
        setattr(activation, "_telework_readinesses", memo)  # noqa: B010  # a memo on the instance
    return memo


def news_for_people(
    people: Sequence[Person], *, activation: ActivationLike
) -> dict[int, PersonNews]:
    """For the activation's message: each person's readiness and what will be delivered."""
    start, end = period({"now": activation.started_at, "ends_on": activation.ends_on})
    bookings = laptop_bookings(start, end)
    wanted = {person.pk for person in people}
    news = {}
    for readiness in _readinesses(activation):
        if readiness.person.pk not in wanted:
            continue
        reasons = [
            f"{criterion.label} : {criterion.reason}"
            for criterion in readiness.criteria
            if criterion.colour != Colour.GREEN
        ]
        booked = bookings.get(readiness.person.pk)
        news[readiness.person.pk] = PersonNews(
            readiness=str(readiness.colour.label),
            reasons=reasons,
            delivery=str(booked.asset) if booked is not None else "",
        )
    return news


def register() -> None:
    register_section(
        ContinuitySection(
            key="telework",
            label=gettext_lazy("Telework"),
            order=10,
            summary=summary,
            activate=activate,
            end=end,
            # Every person's readiness costs seconds on a large territory: kept 5 minutes
            # (declaring or ending the plan changes the key, so bookings show at once).
            cache_seconds=300,
        )
    )
