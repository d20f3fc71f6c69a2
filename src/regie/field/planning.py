"""Planning a day's round: which interventions, in what order, at what time.

:func:`plan_day` turns interventions into a :class:`~regie.field.solver.Problem` (each
visit's allowed start times from its site's opening hours that day, the working day and
the service time), solves it, and stores the result as a :class:`RoutePlan` with its stops,
the interventions left out and why, and the distance of the naive order (by priority) for
comparison. Bad requests raise ``ValidationError`` with a message for people, keyed by the
field to correct; nothing is stored then.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from regie.core.history import save_with_history
from regie.core.models import ChangeSource, User
from regie.core.permissions import MANAGERS
from regie.directory.hours import WEEKDAYS, Period, parse_periods
from regie.directory.models import Site, SiteKind
from regie.field import solver
from regie.field.models import (
    DropReason,
    Intervention,
    InterventionStatus,
    PlanStatus,
    Priority,
    RoutePlan,
    RouteStop,
    TechnicianRoute,
    UnplannedIntervention,
)
from regie.field.travel import Place, TravelMatrix, TravelTable, default_matrix

# The cost of leaving an intervention out, in seconds of driving: more than any day's driving,
# ten times more at each priority level, so a higher priority is never dropped for lower ones.
PENALTY_BASE = 100_000
MAX_TECHNICIANS = 10
MAX_INTERVENTIONS = 200


def penalty(priority: int) -> int:
    return int(PENALTY_BASE * 10 ** (priority - Priority.LOW))


def seconds_of(moment: time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def time_of(seconds: int) -> time:
    seconds = max(0, min(seconds, 24 * 3600 - 1))
    return time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


def opening_periods(site: Site, day: date) -> list[Period]:
    """The site's opening periods on ``day`` (none when closed or unreadable)."""
    code = WEEKDAYS[day.weekday()][0]
    with suppress(ValidationError):
        return parse_periods(getattr(site, f"hours_{code}"))
    return []


def place_of(site: Site) -> Place | None:
    if site.latitude is None or site.longitude is None:
        return None
    return Place(float(site.latitude), float(site.longitude))


def default_base() -> Site | None:
    """``REGIE_ROUTE_BASE_SITE`` (a site's name or id), else the head office."""
    wanted = settings.ROUTE_BASE_SITE
    sites = Site.objects.all()
    if wanted:
        lookup = Q(name__iexact=wanted) | (Q(pk=int(wanted)) if wanted.isdigit() else Q())
        return sites.filter(lookup).first()
    head_offices = sites.filter(kind=SiteKind.HEAD_OFFICE).order_by("pk")
    return head_offices.filter(latitude__isnull=False).first() or head_offices.first()


def is_technician(user: User) -> bool:
    return user.is_active and user.effective_role in MANAGERS


# --- time windows ----------------------------------------------------------------------------


def start_ranges(periods: Iterable[Period], service: int) -> list[solver.Range]:
    """When a service of ``service`` seconds may start so that it ends within one period."""
    ranges = []
    for opening, closing in periods:
        low, high = seconds_of(opening), seconds_of(closing) - service
        if high >= low:
            ranges.append((low, high))
    return ranges


def within(ranges: list[solver.Range], low: int, high: int) -> list[solver.Range]:
    return [(max(a, low), min(b, high)) for a, b in ranges if max(a, low) <= min(b, high)]


@dataclass
class _Candidate:
    intervention: Intervention
    place: Place | None = None
    starts: tuple[solver.Range, ...] = ()
    reason: str = ""


def _reason(intervention: Intervention, day: date) -> str:
    site = intervention.site
    if site is None:
        return DropReason.NO_SITE
    if place_of(site) is None:
        return DropReason.NO_POSITION
    if (intervention.earliest_date and intervention.earliest_date > day) or (
        intervention.latest_date and intervention.latest_date < day
    ):
        return DropReason.NOT_DUE
    return ""


def _windows(
    candidates: list[_Candidate], table: TravelTable, day: date, day_start: int, day_end: int
) -> None:
    """Each open candidate's start ranges, or the reason it has none (node i + 1 in table)."""
    for index, candidate in enumerate(candidates):
        intervention = candidate.intervention
        assert intervention.site is not None  # noqa: S101  # _reason checked it
        service = intervention.duration_minutes * 60
        periods = opening_periods(intervention.site, day)
        if not periods:
            candidate.reason = DropReason.CLOSED
            continue
        fitting = start_ranges(periods, service)
        if not fitting:
            candidate.reason = DropReason.WINDOW_TOO_SHORT
            continue
        node = index + 1
        earliest = day_start + table.seconds[0][node]
        latest = day_end - service - table.seconds[node][0]
        starts = within(fitting, earliest, latest)
        if not starts:
            candidate.reason = DropReason.OUTSIDE_DAY
            continue
        candidate.starts = tuple(starts)


def _sub_table(table: TravelTable, nodes: list[int]) -> TravelTable:
    return TravelTable(
        metres=[[table.metres[i][j] for j in nodes] for i in nodes],
        seconds=[[table.seconds[i][j] for j in nodes] for i in nodes],
    )


def baseline_distance(table: TravelTable, orders: list[list[int]]) -> int:
    """Metres driven visiting each route's nodes in the given order, from and to node 0."""
    total = 0
    for order in orders:
        path = [0, *order, 0] if order else []
        total += sum(table.metres[a][b] for a, b in zip(path, path[1:], strict=False))
    return total


def _priority_order(stops: list[tuple[int, Intervention]]) -> list[int]:
    """Nodes by decreasing priority, then due date, then age: the order "by priority"."""
    ranked = sorted(
        stops,
        key=lambda item: (
            -item[1].priority,
            item[1].latest_date or date.max,
            item[1].pk,
        ),
    )
    return [node for node, _intervention in ranked]


# --- checks on the request -------------------------------------------------------------------


def _check_request(
    *,
    day: date,
    technicians: Sequence[User],
    base: Site | None,
    day_start: time,
    day_end: time,
    interventions: Sequence[Intervention] | None,
    replaces: RoutePlan | None = None,
) -> None:
    errors: dict[str, list[str]] = {}
    if day < timezone.localdate():
        errors.setdefault("date", []).append(
            _("%(date)s is in the past: plan today or a later day.")
            % {"date": day.strftime("%d/%m/%Y")}
        )
    if not technicians:
        errors.setdefault("technicians", []).append(_("Choose at least one technician."))
    elif len(technicians) > MAX_TECHNICIANS:
        errors.setdefault("technicians", []).append(
            _("At most %(count)d technicians per plan.") % {"count": MAX_TECHNICIANS}
        )
    for user in technicians:
        if not is_technician(user):
            errors.setdefault("technicians", []).append(
                _("“%(name)s” is not an active technician or administrator.") % {"name": user}
            )
    if base is None:
        errors.setdefault("base", []).append(
            _("No base to start from: choose a site (the head office usually).")
        )
    elif place_of(base) is None:
        errors.setdefault("base", []).append(
            _("The base “%(site)s” has no coordinates: enter its latitude and longitude first.")
            % {"site": base}
        )
    if day_end <= day_start:
        errors.setdefault("day_end", []).append(_("The working day must end after it starts."))
    if interventions is not None:
        if len(interventions) > MAX_INTERVENTIONS:
            errors.setdefault("interventions", []).append(
                _("At most %(count)d interventions per plan.") % {"count": MAX_INTERVENTIONS}
            )
        in_replaced = (
            set(
                RouteStop.objects.filter(route__plan=replaces).values_list(
                    "intervention", flat=True
                )
            )
            if replaces is not None
            else set()
        )
        for intervention in interventions:
            if (
                intervention.status == InterventionStatus.PLANNED
                and intervention.pk not in in_replaced
            ):
                errors.setdefault("interventions", []).append(
                    _(
                        "“%(title)s” is already in a planned round: change that round, "
                        "or record it, before planning it again."
                    )
                    % {"title": intervention}
                )
            elif not intervention.is_pending:
                errors.setdefault("interventions", []).append(
                    _("“%(title)s” is %(status)s: only pending interventions can be planned.")
                    % {"title": intervention, "status": intervention.get_status_display().lower()}
                )
    if errors:
        raise ValidationError(errors)


def _nothing_fits(day: date, candidates: list[_Candidate]) -> ValidationError:
    labels = dict(DropReason.choices)
    details = pgettext("between items of a list", "; ").join(
        _("“%(title)s”: %(reason)s")
        % {"title": candidate.intervention, "reason": str(labels[candidate.reason]).lower()}
        for candidate in candidates[:10]
    )
    return ValidationError(
        {
            "interventions": [
                _("None of these interventions can be planned on %(date)s (%(details)s).")
                % {"date": day.strftime("%d/%m/%Y"), "details": details}
            ]
        }
    )


# --- the service -----------------------------------------------------------------------------


def plan_day(
    *,
    day: date,
    technicians: Sequence[User],
    by: User | None,
    base: Site | None = None,
    interventions: Sequence[Intervention] | None = None,
    day_start: time | None = None,
    day_end: time | None = None,
    replaces: RoutePlan | None = None,
    source: str = ChangeSource.WEB,
    matrix: TravelMatrix | None = None,
    time_limit: float | None = None,
) -> RoutePlan:
    """Plan ``day`` for ``technicians`` and store the plan; see the module docstring.

    Without ``interventions``, every intervention to plan whose date range includes the day
    is considered. The planned interventions become "planned"; with ``replaces``, that plan
    is marked replaced and its interventions no longer planned go back to "to plan".
    """
    base = base or default_base()
    day_start = day_start or settings.ROUTE_DAY_START
    day_end = day_end or settings.ROUTE_DAY_END
    technicians = list(dict.fromkeys(technicians))
    _check_request(
        day=day,
        technicians=technicians,
        base=base,
        day_start=day_start,
        day_end=day_end,
        interventions=interventions,
        replaces=replaces,
    )
    assert base is not None  # noqa: S101  # _check_request refused a missing base
    if interventions is None:
        interventions = list(
            Intervention.objects.to_plan()
            .doable_on(day)
            .filter(site__isnull=False)
            .select_related("site")[:MAX_INTERVENTIONS]
        )
    if not interventions:
        raise ValidationError(
            {
                "interventions": [
                    _("Nothing to plan on %(date)s: no intervention is waiting for a visit then.")
                    % {"date": day.strftime("%d/%m/%Y")}
                ]
            }
        )
    candidates = [_Candidate(intervention) for intervention in dict.fromkeys(interventions)]
    for candidate in candidates:
        candidate.reason = _reason(candidate.intervention, day)
        if not candidate.reason:
            assert candidate.intervention.site is not None  # noqa: S101  # checked by _reason
            candidate.place = place_of(candidate.intervention.site)
    located = [candidate for candidate in candidates if candidate.place is not None]
    matrix = matrix or default_matrix()
    base_place = place_of(base)
    assert base_place is not None  # noqa: S101  # checked by _check_request
    table = matrix.table([base_place, *(c.place for c in located if c.place is not None)])
    start_s, end_s = seconds_of(day_start), seconds_of(day_end)
    _windows(located, table, day, start_s, end_s)
    open_nodes = [index + 1 for index, c in enumerate(located) if not c.reason]
    if not open_nodes:
        raise _nothing_fits(day, candidates)
    visiting = [located[node - 1] for node in open_nodes]
    problem = solver.Problem(
        table=_sub_table(table, [0, *open_nodes]),
        visits=[
            solver.Visit(
                key=c.intervention.pk,
                service=c.intervention.duration_minutes * 60,
                starts=c.starts,
                penalty=penalty(c.intervention.priority),
            )
            for c in visiting
        ],
        vehicles=len(technicians),
        day_start=start_s,
        day_end=end_s,
    )
    solution = solver.solve(
        problem, time_limit=settings.ROUTE_TIME_LIMIT if time_limit is None else time_limit
    )
    for key in solution.dropped:
        next(c for c in visiting if c.intervention.pk == key).reason = DropReason.NO_TIME
    by_key = {c.intervention.pk: (node, c.intervention) for node, c in enumerate(visiting, 1)}
    baseline = baseline_distance(
        problem.table,
        [_priority_order([by_key[stop.key] for stop in route.stops]) for route in solution.routes],
    )
    return _store(
        day=day,
        base=base,
        day_start=day_start,
        day_end=day_end,
        technicians=technicians,
        solution=solution,
        baseline=baseline,
        candidates=candidates,
        replaces=replaces,
        by=by,
        source=source,
        matrix=matrix,
    )


def _store(
    *,
    day: date,
    base: Site,
    day_start: time,
    day_end: time,
    technicians: list[User],
    solution: solver.Solution,
    baseline: int,
    candidates: list[_Candidate],
    replaces: RoutePlan | None,
    by: User | None,
    source: str,
    matrix: TravelMatrix,
) -> RoutePlan:
    interventions = {c.intervention.pk: c.intervention for c in candidates}
    with transaction.atomic():
        plan = RoutePlan(
            date=day,
            base=base,
            day_start=day_start,
            day_end=day_end,
            road_factor=Decimal(str(getattr(matrix, "road_factor", 1))).quantize(Decimal("0.01")),
            speed_kmh=round(getattr(matrix, "speed_kmh", 0)),
            distance_m=solution.distance,
            driving_s=solution.driving,
            baseline_distance_m=baseline,
            method=solution.method,
            solve_ms=round(solution.seconds * 1000),
            created_by=by,
        )
        plan.full_clean()
        save_with_history(instance=plan, by=by, source=source)
        planned: set[int] = set()
        for route, technician in zip(solution.routes, technicians, strict=True):
            technician_route = TechnicianRoute.objects.create(
                plan=plan,
                technician=technician,
                position=route.vehicle,
                leave_at=time_of(route.leave),
                back_at=time_of(route.back),
                distance_m=route.distance,
                driving_s=route.driving,
            )
            RouteStop.objects.bulk_create(
                RouteStop(
                    route=technician_route,
                    sequence=sequence,
                    intervention=interventions[stop.key],
                    arrival=time_of(stop.arrival),
                    start=time_of(stop.start),
                    departure=time_of(stop.departure),
                    travel_s=stop.travel,
                    distance_m=stop.distance,
                )
                for sequence, stop in enumerate(route.stops, 1)
            )
            planned.update(stop.key for stop in route.stops)
        UnplannedIntervention.objects.bulk_create(
            UnplannedIntervention(plan=plan, intervention=c.intervention, reason=c.reason)
            for c in candidates
            if c.intervention.pk not in planned
        )
        for key in planned:
            _set_status(interventions[key], InterventionStatus.PLANNED, by=by, source=source)
        if replaces is not None:
            _replace(replaces, plan, planned, by=by, source=source)
    return plan


def _set_status(
    intervention: Intervention, status: str, *, by: User | None, source: str, **extra: object
) -> None:
    fresh = Intervention.objects.select_for_update().get(pk=intervention.pk)
    if fresh.status == status and not extra:
        return
    fresh.status = status
    for name, value in extra.items():
        setattr(fresh, name, value)
    save_with_history(instance=fresh, by=by, source=source)
    intervention.status = status


def _replace(
    old: RoutePlan, new: RoutePlan, planned: set[int], *, by: User | None, source: str
) -> None:
    old.status = PlanStatus.REPLACED
    old.replaced_by = new
    save_with_history(instance=old, by=by, source=source)
    for stop in RouteStop.objects.filter(route__plan=old).select_related("intervention"):
        intervention = stop.intervention
        if intervention.pk not in planned and intervention.status == InterventionStatus.PLANNED:
            _set_status(intervention, InterventionStatus.TO_PLAN, by=by, source=source)


def check_open(plan: RoutePlan) -> None:
    if plan.status != PlanStatus.PLANNED:
        raise ValidationError(
            _("This plan is %(status)s: it can no longer be changed.")
            % {"status": plan.get_status_display().lower()}
        )


def replan_with(
    *,
    plan: RoutePlan,
    add: Sequence[Intervention],
    by: User | None,
    source: str = ChangeSource.WEB,
) -> RoutePlan:
    """Plan the same day again with ``add`` on top of what the plan holds; replaces it."""
    check_open(plan)
    current = [
        stop.intervention
        for stop in RouteStop.objects.filter(route__plan=plan).select_related("intervention__site")
    ]
    left_out = [
        row.intervention
        for row in plan.unplanned.select_related("intervention__site")
        if row.intervention.status == InterventionStatus.TO_PLAN
    ]
    technicians = [route.technician for route in plan.routes.select_related("technician")]
    return plan_day(
        day=plan.date,
        technicians=technicians,
        base=plan.base,
        interventions=[*current, *left_out, *add],
        day_start=plan.day_start,
        day_end=plan.day_end,
        replaces=plan,
        by=by,
        source=source,
    )


# --- "while you are there" -------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    intervention: Intervention
    detour_m: int  # extra metres to fit it in the best leg (0 at a planned site)
    same_site: bool

    @property
    def detour_km(self) -> float:
        return round(self.detour_m / 1000, 1)


def suggestions(
    plan: RoutePlan,
    candidates: Iterable[Intervention],
    *,
    detour_km: float | None = None,
    matrix: TravelMatrix | None = None,
) -> list[Suggestion]:
    """Pending ``candidates`` at the plan's sites or a small detour off its routes.

    The detour of a site is the least extra distance of inserting it between two
    consecutive places of a route (base included), through the same travel model.
    """
    limit = round((settings.ROUTE_DETOUR_KM if detour_km is None else detour_km) * 1000)
    routes: list[list[Site]] = []
    for route in plan.routes.prefetch_related("stops__intervention__site"):
        sites = [stop.intervention.site for stop in route.stops.all() if stop.intervention.site]
        if sites:
            routes.append([plan.base, *sites, plan.base])
    taken = set(RouteStop.objects.filter(route__plan=plan).values_list("intervention", flat=True))
    pool = [
        intervention
        for intervention in candidates
        if intervention.pk not in taken
        and intervention.site is not None
        and place_of(intervention.site) is not None
    ]
    if not routes or not pool:
        return []
    sites = list(
        {
            site.pk: site
            for site in [*(s for r in routes for s in r), *(i.site for i in pool if i.site)]
        }.values()
    )
    index = {site.pk: position for position, site in enumerate(sites)}
    places = [place_of(site) for site in sites]
    if any(place is None for place in places):
        return []
    table = (matrix or default_matrix()).table([p for p in places if p is not None])
    planned_sites = {site.pk for route in routes for site in route[1:-1]}
    found = []
    for intervention in pool:
        assert intervention.site is not None  # noqa: S101  # filtered above
        node = index[intervention.site.pk]
        if intervention.site.pk in planned_sites:
            found.append(Suggestion(intervention, 0, True))
            continue
        detour = min(
            table.metres[index[a.pk]][node]
            + table.metres[node][index[b.pk]]
            - table.metres[index[a.pk]][index[b.pk]]
            for route in routes
            for a, b in zip(route, route[1:], strict=False)
        )
        if detour <= limit:
            found.append(Suggestion(intervention, detour, False))
    found.sort(key=lambda s: (s.detour_m, -s.intervention.priority, s.intervention.pk))
    return found


# --- after the round ----------------------------------------------------------------------------


def record_round(
    *,
    plan: RoutePlan,
    done_stops: Iterable[int],
    kilometres: dict[int, Decimal | None],
    by: User | None,
    source: str = ChangeSource.WEB,
    at: datetime | None = None,
) -> RoutePlan:
    """Close the round: stops done (their interventions done by the route's technician),
    the others back to "to plan", and the kilometres each technician actually drove."""
    check_open(plan)
    done = set(done_stops)
    at = at or timezone.now()
    stops = list(RouteStop.objects.filter(route__plan=plan).select_related("route", "intervention"))
    unknown = done - {stop.pk for stop in stops}
    if unknown:
        raise ValidationError(
            {
                "done_stops": [
                    _("These stops are not part of this plan: %(ids)s.")
                    % {"ids": ", ".join(str(i) for i in sorted(unknown))}
                ]
            }
        )
    routes = {route.pk: route for route in plan.routes.all()}
    if set(kilometres) - set(routes):
        raise ValidationError(
            {
                "kilometres": [
                    _("These routes are not part of this plan: %(ids)s.")
                    % {"ids": ", ".join(str(i) for i in sorted(set(kilometres) - set(routes)))}
                ]
            }
        )
    with transaction.atomic():
        for stop in stops:
            if stop.done != (stop.pk in done):
                stop.done = stop.pk in done
                save_with_history(instance=stop, by=by, source=source)
            if stop.done:
                _set_status(
                    stop.intervention,
                    InterventionStatus.DONE,
                    by=by,
                    source=source,
                    done_by=stop.route.technician,
                    done_at=at,
                )
            elif stop.intervention.status == InterventionStatus.PLANNED:
                _set_status(stop.intervention, InterventionStatus.TO_PLAN, by=by, source=source)
        for pk, km in kilometres.items():
            route = routes[pk]
            route.actual_km = km
            route.full_clean()
            save_with_history(instance=route, by=by, source=source)
        plan.status = PlanStatus.DONE
        save_with_history(instance=plan, by=by, source=source)
    return plan
