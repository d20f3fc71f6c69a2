"""The vehicle-routing core of route planning: pure data in, ordered routes out.

Times are whole seconds from midnight. Node 0 of the travel table is the base; node
``i + 1`` is ``Problem.visits[i]`` (two visits at one site are two nodes zero metres apart).
A visit's ``starts`` are the ranges in which its service may *begin* so that the whole
service fits inside one opening period and the working day; the technician may wait on
site for the door to open.

The objective is what a dispatcher weighs, in seconds: the driving, plus each technician's
working time away from the base (driving, service and *waiting*, from leaving the base to
being back), plus the team's last return (from the start of the working day), plus the
heaviest load of one technician (driving and service), plus, for each visit left out, its
penalty (by priority, far larger than any day's driving, so a visit is only dropped when it
cannot fit). Counting the time away makes an idle wait for an opening cost as much as
driving; counting the last return and the heaviest load sends a second technician out rather
than keep one on the road until the evening. The technicians' times are chosen together
(:func:`schedule_team`).

Small single-technician problems are solved exactly (every subset in every order); the
others with OR-Tools' routing solver on the same objective: arc costs for the driving, a span
cost per vehicle on the "time" dimension, the global span of a "day" dimension whose starts
are pinned to the start of the day and whose ends are each technician's return, and the
global span of a "work" dimension without waiting. For one technician the last return and
the heaviest load are their own: one dimension carries it all, and the search is faster.

The search (:func:`_ortools_orders`): a few cheap first solutions, each completed by
inserting the visits it left out and scored on the true objective; on a full day, where
choosing the visits to leave out is most of the answer, left-out visits swapped in for lesser
ones (:func:`_swap_in_left_out`) and a first search among the most urgent visits alone
(:func:`_urgent_first`); guided local search from the best until the time limit; the visits
still left out fitted in or swapped in; the times chosen by :func:`schedule_team`.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.util import optional_boolean_pb2

from regie.field.travel import TravelTable

Range = tuple[int, int]

# Problems with at most this many visits and one technician are solved exactly (every order
# of every subset: about 0.5 s at 6 visits with wide windows, 2 s at 7, on a busy 2-core box).
EXACT_LIMIT = 6
# Measured with `regie bench route`: no single first solution is good on every instance
# (cheapest arc, savings and insertion each left guided local search stuck far off on some),
# and all of them leave visits out on a full day. Each costs a few hundredths of a second:
# the search starts from the best of them once completed.
FIRST_SOLUTIONS = (
    routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC,
    routing_enums_pb2.FirstSolutionStrategy.SAVINGS,
    routing_enums_pb2.FirstSolutionStrategy.LOCAL_CHEAPEST_INSERTION,
)
METAHEURISTIC = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
# From this many visits, the search above; below, OR-Tools' defaults from the cheapest arc
# (:func:`_small_search`): they have time enough to time every move exactly, where the
# estimate once gave six visits to one technician out of two, 43 % above the optimum, and the
# first solutions took time a short limit could not spare.
ESTIMATED_TIMING_FROM = 12
SMALL_FIRST_SOLUTION = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
# Time kept at the end of the limit for fitting in the visits the search left out (a share of
# the limit, and at least a few hundredths of a second).
FINISH_SHARE, FINISH_SECONDS = 0.05, 0.05
# Share of the time left after the first solutions given to swapping left-out visits in
# before the guided local search.
SWAP_SHARE = 0.2
# Share of the time left given to the search among the most urgent visits alone, on a full day.
STAGE_SHARE = 0.4
# Weights of the objective (see the module docstring), per second.
DRIVING_WEIGHT = 1
ROUTE_SPAN_WEIGHT = 1
TEAM_END_WEIGHT = 1
WORKLOAD_WEIGHT = 1


@dataclass(frozen=True)
class Visit:
    key: int  # the caller's identifier (an intervention id)
    service: int  # seconds on site
    starts: tuple[Range, ...]  # allowed start-of-service ranges, ordered, non-empty
    penalty: int  # cost of leaving it out


@dataclass(frozen=True)
class Problem:
    table: TravelTable
    visits: list[Visit]
    vehicles: int
    day_start: int
    day_end: int


@dataclass(frozen=True)
class Stop:
    key: int
    arrival: int  # at the site
    start: int  # of the service (later than the arrival when waiting for the opening)
    departure: int
    travel: int  # seconds from the previous place
    distance: int  # metres from the previous place


@dataclass
class Route:
    vehicle: int
    stops: list[Stop] = field(default_factory=list)
    leave: int = 0  # from the base
    back: int = 0  # at the base
    distance: int = 0  # metres, return included
    driving: int = 0  # seconds, return included

    @property
    def span(self) -> int:
        """Seconds away from the base (0 for a technician who stays)."""
        return self.back - self.leave if self.stops else 0

    @property
    def waiting(self) -> int:
        return sum(stop.start - stop.arrival for stop in self.stops)


@dataclass
class Solution:
    routes: list[Route]
    dropped: list[int]  # keys of the visits left out
    driving: int
    distance: int
    cost: int
    method: str  # "exact", "ortools" or "none"
    seconds: float

    @property
    def waiting(self) -> int:
        return sum(route.waiting for route in self.routes)

    @property
    def end(self) -> int | None:
        """The last return at the base, ``None`` when nobody leaves."""
        return max((route.back for route in self.routes if route.stops), default=None)


def earliest_start(starts: tuple[Range, ...], arrival: int) -> int | None:
    """The first moment at or after ``arrival`` at which the service may begin."""
    for low, high in starts:
        if arrival <= high:
            return max(arrival, low)
    return None


def latest_start(starts: tuple[Range, ...], deadline: int) -> int | None:
    """The last moment at or before ``deadline`` at which the service may begin."""
    for low, high in reversed(starts):
        if deadline >= low:
            return min(deadline, high)
    return None


def _forward(
    problem: Problem, nodes: list[int], visits: list[Visit], leave: int
) -> tuple[list[int], int] | None:
    """Earliest starts leaving the base at ``leave``, and the return; ``None`` if infeasible."""
    seconds = problem.table.seconds
    starts: list[int] = []
    clock, previous = leave, 0
    for node, visit in zip(nodes, visits, strict=True):
        start = earliest_start(visit.starts, clock + seconds[previous][node])
        if start is None:
            return None
        starts.append(start)
        clock, previous = start + visit.service, node
    back = clock + seconds[previous][0]
    return (starts, back) if back <= problem.day_end else None


def _latest_leave(
    problem: Problem, nodes: list[int], visits: list[Visit], position: int, start: int
) -> int | None:
    """The latest departure from the base that still lets visit ``position`` start by
    ``start`` (each earlier service as late as the next one allows)."""
    seconds = problem.table.seconds
    for previous in range(position - 1, -1, -1):
        deadline = start - visits[previous].service - seconds[nodes[previous]][nodes[previous + 1]]
        late = latest_start(visits[previous].starts, deadline)
        if late is None:
            return None
        start = late
    return start - seconds[0][nodes[0]]


def _options(
    problem: Problem, nodes: list[int], visits: list[Visit]
) -> list[tuple[int, int, int, list[int]]]:
    """(time away, return, departure, starts) of the schedules worth considering for one
    order: for each possible return, the least time away. ``[]`` when infeasible."""
    seconds = problem.table.seconds
    earliest = _forward(problem, nodes, visits, problem.day_start)
    if earliest is None:
        return []
    # The time away, as a function of the departure, is least just before some service would
    # miss the end of one of its ranges, or the return the end of the day: try each.
    anchors = [(len(nodes) - 1, problem.day_end - seconds[nodes[-1]][0] - visits[-1].service)]
    anchors += [
        (position, high)
        for position, visit in enumerate(visits)
        for _low, high in visit.starts
        if high >= earliest[0][position]
    ]
    found: dict[int, tuple[int, int, int, list[int]]] = {}
    for leave in {problem.day_start, *(_latest_leave(problem, nodes, visits, *a) for a in anchors)}:
        if leave is None or leave < problem.day_start:
            continue
        schedule = _forward(problem, nodes, visits, leave)
        if schedule is None:
            continue
        starts, back = schedule
        # Leave as late as this return allows.
        latest = _latest_leave(problem, nodes, visits, len(nodes) - 1, starts[-1])
        if latest is not None and latest > leave:
            leave = latest
            starts = _forward(problem, nodes, visits, leave)[0]  # type: ignore[index]  # feasible
        options = [(back - leave, back, leave, starts)]
        # Without any wait, the whole round can also start earlier, as long as every service
        # stays in its range: the same time away, back earlier.
        shift = _earliest_shift(problem, nodes, visits, leave, starts)
        if shift:
            options.append(
                (back - leave, back - shift, leave - shift, [start - shift for start in starts])
            )
        for option in options:
            if option[1] not in found or option[0] < found[option[1]][0]:
                found[option[1]] = option
    return sorted(found.values(), key=lambda option: option[1])


def _earliest_shift(
    problem: Problem, nodes: list[int], visits: list[Visit], leave: int, starts: list[int]
) -> int:
    """How much earlier the round can run unchanged: 0 if it waits anywhere."""
    seconds = problem.table.seconds
    shift = leave - problem.day_start
    clock, previous = leave, 0
    for node, visit, start in zip(nodes, visits, starts, strict=True):
        if start > clock + seconds[previous][node]:
            return 0
        low = next(low for low, high in visit.starts if low <= start <= high)
        shift = min(shift, start - low)
        clock, previous = start + visit.service, node
    return max(shift, 0)


def schedule(
    problem: Problem, vehicle: int, order: list[int], *, latest_back: int | None = None
) -> Route | None:
    """Times of the visits ``order`` (indexes into ``problem.visits``) for one technician.

    The least time away from the base for that order (then the earliest return), back by
    ``latest_back`` when given: a wait for an opening is spent at the base rather than on the
    road whenever the windows allow. ``None`` when the order breaks a window or the day.
    """
    seconds, metres = problem.table.seconds, problem.table.metres
    route = Route(vehicle=vehicle)
    if not order:
        route.leave = route.back = problem.day_start
        return route
    nodes = [index + 1 for index in order]
    visits = [problem.visits[index] for index in order]
    options = _options(problem, nodes, visits)
    fitting = [o for o in options if latest_back is None or o[1] <= latest_back] or options[:1]
    if not fitting:
        return None
    _span, route.back, route.leave, starts = min(fitting, key=lambda o: (o[0], o[1]))
    previous, clock = 0, route.leave
    for node, visit, start in zip(nodes, visits, starts, strict=True):
        route.stops.append(
            Stop(
                key=visit.key,
                arrival=clock + seconds[previous][node],
                start=start,
                departure=start + visit.service,
                travel=seconds[previous][node],
                distance=metres[previous][node],
            )
        )
        route.driving += seconds[previous][node]
        route.distance += metres[previous][node]
        clock, previous = start + visit.service, node
    route.driving += seconds[previous][0]
    route.distance += metres[previous][0]
    return route


def schedule_team(problem: Problem, orders: list[list[int]]) -> list[Route] | None:
    """Every technician's times for ``orders``, chosen together: the least sum of the times
    away plus the team's last return. ``None`` when an order is infeasible."""
    options = []
    for order in orders:
        if order:
            found = _options(problem, [i + 1 for i in order], [problem.visits[i] for i in order])
            if not found:
                return None
            options.append(found)
    best: tuple[int, int] | None = None  # (cost, last return)
    for end in sorted({option[1] for found in options for option in found}):
        spans = [min((o[0] for o in found if o[1] <= end), default=None) for found in options]
        if any(span is None for span in spans):
            continue
        cost = ROUTE_SPAN_WEIGHT * sum(s for s in spans if s is not None) + TEAM_END_WEIGHT * end
        if best is None or cost < best[0]:
            best = (cost, end)
    routes = [
        schedule(problem, vehicle, order, latest_back=best[1] if best else None)
        for vehicle, order in enumerate(orders)
    ]
    return None if any(route is None for route in routes) else routes  # type: ignore[return-value]  # checked


def cost_of(problem: Problem, routes: list[Route]) -> int:
    """The objective (see the module docstring) of feasible ``routes``."""
    served = {stop.key for route in routes for stop in route.stops}
    team_end = max((route.back for route in routes if route.stops), default=None)
    service = {visit.key: visit.service for visit in problem.visits}
    workload = max(
        (route.driving + sum(service[stop.key] for stop in route.stops) for route in routes),
        default=0,
    )
    return (
        WORKLOAD_WEIGHT * workload
        + DRIVING_WEIGHT * sum(route.driving for route in routes)
        + ROUTE_SPAN_WEIGHT * sum(route.span for route in routes)
        + TEAM_END_WEIGHT * (team_end - problem.day_start if team_end is not None else 0)
        + sum(visit.penalty for visit in problem.visits if visit.key not in served)
    )


def solve(problem: Problem, *, time_limit: float, exact_limit: int = EXACT_LIMIT) -> Solution:
    """The best plan found: exact when small enough, else OR-Tools within ``time_limit``."""
    started = time.perf_counter()
    if not problem.visits:
        orders: list[list[int]] = [[] for _ in range(problem.vehicles)]
        method = "none"
    elif problem.vehicles == 1 and len(problem.visits) <= exact_limit:
        orders = exact_orders(problem)
        method = "exact"
    else:
        deadline = started + time_limit
        finish = max(FINISH_SHARE * time_limit, FINISH_SECONDS)
        orders = _ortools_orders(problem, deadline - finish)
        orders = _insert_left_out(problem, orders, deadline=deadline)
        orders = _swap_in_left_out(problem, orders, deadline=deadline)
        method = "ortools"
    return _solution(problem, orders, method, time.perf_counter() - started)


def _insert_left_out(
    problem: Problem, orders: list[list[int]], *, deadline: float | None = None
) -> list[list[int]]:
    """Fit in, at their cheapest place, the visits the search left out (highest penalty
    first); a visit that fits nowhere stays out. Stops trying at ``deadline`` (a
    ``time.perf_counter()`` value): a full day leaves many visits out, each tried everywhere."""
    served = {index for order in orders for index in order}
    left_out = sorted(
        (index for index in range(len(problem.visits)) if index not in served),
        key=lambda index: -problem.visits[index].penalty,
    )
    for index in left_out:
        if deadline is not None and time.perf_counter() > deadline:
            break
        best: tuple[int, list[list[int]]] | None = None
        for vehicle, order in enumerate(orders):
            for position in range(len(order) + 1):
                trial = [list(o) for o in orders]
                trial[vehicle] = [*order[:position], index, *order[position:]]
                if _earliest_return(problem, trial[vehicle]) is None:
                    continue  # breaks a window even leaving at once: no need to time the team
                routes = schedule_team(problem, trial)
                if routes is None:
                    continue
                cost = cost_of(problem, routes)
                if best is None or cost < best[0]:
                    best = (cost, trial)
        if best is not None:
            orders = best[1]
    return orders


def _swap_in_left_out(
    problem: Problem, orders: list[list[int]], *, deadline: float
) -> list[list[int]]:
    """Make room for the visits left out, as a dispatcher would on a full day: take one
    served visit out, or two (the least urgent first), fit the left-out ones in (the most
    urgent first, see :func:`_fit_cheapest`), and keep the change whenever the objective
    falls: an urgent visit served in place of lesser ones, or more visits in the same day.
    Repeats until nothing improves or ``deadline`` (a ``time.perf_counter()`` value)."""
    penalties = [visit.penalty for visit in problem.visits]
    current = _true_cost(problem, orders)
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        served = {index for order in orders for index in order}
        left_out = sorted(
            (index for index in range(len(problem.visits)) if index not in served),
            key=lambda index: -penalties[index],
        )
        if not left_out:
            break
        most = penalties[left_out[0]]
        places = sorted(
            (
                (vehicle, position)
                for vehicle, order in enumerate(orders)
                for position in range(len(order))
                if penalties[order[position]] <= most
            ),
            key=lambda place: penalties[orders[place[0]][place[1]]],
        )
        # One visit out, then two (a long urgent visit may need the room of two short ones).
        removals: Iterator[tuple[tuple[int, int], ...]] = itertools.chain(
            ((place,) for place in places), itertools.combinations(places, 2)
        )
        for removal in removals:
            if time.perf_counter() > deadline:
                break
            trial = [list(order) for order in orders]
            for vehicle, position in sorted(removal, reverse=True):
                del trial[vehicle][position]
            if not _fit_cheapest(problem, trial, left_out):
                continue
            cost = _true_cost(problem, trial)
            if cost < current:
                orders, current, improved = trial, cost, True
                break
    return orders


def _fit_cheapest(problem: Problem, orders: list[list[int]], candidates: list[int]) -> bool:
    """Insert each of ``candidates`` in turn where it delays its technician's earliest return
    the least while every window still holds (``orders`` changes in place): on a full day,
    the time left is what lets the next visit in. Whether any went in."""
    fitted = False
    returns = [_earliest_return(problem, order) for order in orders]
    for index in candidates:
        best: tuple[int, int, list[int], int] | None = None  # delay, vehicle, order, return
        for vehicle, order in enumerate(orders):
            before = returns[vehicle]
            if before is None:
                continue
            for position in range(len(order) + 1):
                trial = [*order[:position], index, *order[position:]]
                back = _earliest_return(problem, trial)
                if back is not None and (best is None or back - before < best[0]):
                    best = (back - before, vehicle, trial, back)
        if best is not None:
            _delay, vehicle, trial, back = best
            orders[vehicle], returns[vehicle] = trial, back
            fitted = True
    return fitted


def _earliest_return(problem: Problem, order: list[int]) -> int | None:
    """When a technician doing ``order`` and leaving at the start of the day is back."""
    if not order:
        return problem.day_start
    nodes = [index + 1 for index in order]
    timed = _forward(problem, nodes, [problem.visits[index] for index in order], problem.day_start)
    return None if timed is None else timed[1]


def _solution(problem: Problem, orders: list[list[int]], method: str, seconds: float) -> Solution:
    routes = schedule_team(problem, orders)
    if routes is None:  # cannot happen with a solver's feasible answer; never plan it
        routes = [
            Route(vehicle=vehicle, leave=problem.day_start, back=problem.day_start)
            for vehicle in range(len(orders))
        ]
    served = {stop.key for route in routes for stop in route.stops}
    dropped = [visit.key for visit in problem.visits if visit.key not in served]
    return Solution(
        routes=routes,
        dropped=dropped,
        driving=sum(route.driving for route in routes),
        distance=sum(route.distance for route in routes),
        cost=cost_of(problem, routes),
        method=method,
        seconds=seconds,
    )


# --- exact: few visits ------------------------------------------------------------------------


def exact_orders(problem: Problem) -> list[list[int]]:
    """The optimum over every subset of the visits, split every way between the technicians,
    in every order. Technicians are interchangeable, so each split is tried once."""
    best_cost: int | None = None
    best: list[list[int]] = [[] for _ in range(problem.vehicles)]
    for orders in _feasible_splits(problem):
        routes = schedule_team(problem, orders)
        if routes is None:
            continue
        cost = cost_of(problem, routes)
        if best_cost is None or cost < best_cost:
            best_cost, best = cost, [list(order) for order in orders]
    return best + [[] for _ in range(problem.vehicles - len(best))]


def _feasible_splits(problem: Problem) -> Iterator[list[list[int]]]:
    """Every set of routes whose prefixes all keep their windows (checked as they grow)."""
    count = len(problem.visits)

    def grow(routes: list[list[int]], used: int) -> Iterator[list[list[int]]]:
        current = routes[-1]
        if current or len(routes) == 1:
            yield routes
        for index in range(count):
            if used >> index & 1:
                continue
            # Interchangeable technicians: each route's first visit comes after the previous's.
            if not current and len(routes) > 1 and index < routes[-2][0]:
                continue
            candidate = [*current, index]
            if schedule(problem, len(routes) - 1, candidate) is None:
                continue
            yield from grow([*routes[:-1], candidate], used | 1 << index)
        if current and len(routes) < problem.vehicles:
            yield from grow([*routes, []], used)

    yield from grow([[]], 0)


# --- OR-Tools ------------------------------------------------------------------------------


def _ortools_orders(problem: Problem, deadline: float) -> list[list[int]]:
    """The best orders found by ``deadline`` (a ``time.perf_counter()`` value): guided local
    search from the best first solution, kept only if it is better on the true objective (the
    search estimates the waits)."""
    if len(problem.visits) < ESTIMATED_TIMING_FROM:
        return _small_search(problem, deadline)
    start = _first_orders(problem, deadline)
    # The search keeps the visits its start serves unless a move pays: start it from the
    # most urgent set that fits.
    swap_until = time.perf_counter() + SWAP_SHARE * (deadline - time.perf_counter())
    start = _swap_in_left_out(problem, start, deadline=swap_until)
    if sum(map(len, start)) < len(problem.visits):
        start = _urgent_first(problem, start, deadline)
    found = _guided_search(problem, start, deadline)
    if found is not None and _true_cost(problem, found) < _true_cost(problem, start):
        return found
    return start


def _urgent_first(problem: Problem, start: list[list[int]], deadline: float) -> list[list[int]]:
    """A full day, where which visits to leave out is most of the answer: search first among
    the most urgent visits alone (a smaller problem, searched faster), then fit the others
    in; kept when better on the true objective. Priority by priority, each on a share of the
    time left."""
    penalties = [visit.penalty for visit in problem.visits]
    best, best_cost = start, _true_cost(problem, start)
    for threshold in sorted(set(penalties), reverse=True)[:-1]:
        urgent = [index for index, value in enumerate(penalties) if value >= threshold]
        served = {index for order in best for index in order}
        if served.issuperset(urgent):
            continue  # every visit this urgent is already in
        position = {index: number for number, index in enumerate(urgent)}
        now = time.perf_counter()
        # From fresh first solutions: the day's routes, cut down to these visits, tie the search.
        found = _ortools_orders(_sub_problem(problem, urgent), now + STAGE_SHARE * (deadline - now))
        orders = [[urgent[number] for number in order] for order in found]
        rest = sorted(
            (index for index in range(len(penalties)) if index not in position),
            key=lambda index: -penalties[index],
        )
        _fit_cheapest(problem, orders, rest)
        cost = _true_cost(problem, orders)
        if cost < best_cost:
            best, best_cost = orders, cost
    return best


def _sub_problem(problem: Problem, indexes: list[int]) -> Problem:
    """The same day with only the visits ``indexes``."""
    nodes = [0] + [index + 1 for index in indexes]
    table = TravelTable(
        metres=[[problem.table.metres[a][b] for b in nodes] for a in nodes],
        seconds=[[problem.table.seconds[a][b] for b in nodes] for a in nodes],
    )
    return Problem(
        table=table,
        visits=[problem.visits[index] for index in indexes],
        vehicles=problem.vehicles,
        day_start=problem.day_start,
        day_end=problem.day_end,
    )


def _small_search(problem: Problem, deadline: float) -> list[list[int]]:
    """Few visits: OR-Tools' defaults (cheapest arc, then guided local search timing every
    move exactly), which find the optimum of six visits in a fraction of a second."""
    manager, routing = _ortools_model(problem)
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = SMALL_FIRST_SOLUTION
    parameters.local_search_metaheuristic = METAHEURISTIC
    _set_time_limit(parameters, deadline)
    assignment = routing.SolveWithParameters(parameters)
    if assignment is None:
        return [[] for _ in range(problem.vehicles)]
    return _orders_of(problem, manager, routing, assignment)


def _true_cost(problem: Problem, orders: list[list[int]]) -> float:
    routes = schedule_team(problem, orders)
    return float("inf") if routes is None else cost_of(problem, routes)


def _guided_search(
    problem: Problem, start: list[list[int]], deadline: float
) -> list[list[int]] | None:
    if time.perf_counter() >= deadline:
        return None
    manager, routing = _ortools_model(problem)
    parameters = _search_parameters()
    parameters.local_search_metaheuristic = METAHEURISTIC
    _set_time_limit(parameters, deadline)
    routing.CloseModelWithParameters(parameters)
    # RoutesToAssignment, not ReadAssignmentFromRoutes: the latter runs a search to complete
    # the routes that took the whole time limit whenever visits are left out.
    initial = routing.solver().Assignment()
    routes = [[index + 1 for index in order] for order in start]
    if not routing.RoutesToAssignment(routes, True, True, initial):
        return None
    assignment = routing.SolveFromAssignmentWithParameters(initial, parameters)
    return _orders_of(problem, manager, routing, assignment) if assignment else None


def _first_orders(problem: Problem, deadline: float) -> list[list[int]]:
    """The best of OR-Tools' cheap first solutions, each completed by the visits it left out
    that fit, on the true objective."""
    best: tuple[int, list[list[int]]] | None = None
    for strategy in FIRST_SOLUTIONS:
        if best is not None and time.perf_counter() > deadline:
            break
        manager, routing = _ortools_model(problem)
        parameters = _search_parameters()
        parameters.first_solution_strategy = strategy
        parameters.solution_limit = 1
        _set_time_limit(parameters, deadline)
        assignment = routing.SolveWithParameters(parameters)
        if assignment is None:
            continue
        orders = _orders_of(problem, manager, routing, assignment)
        orders = _insert_left_out(problem, orders, deadline=deadline)
        routes = schedule_team(problem, orders)
        if routes is None:  # cannot happen: the solver's routes keep the windows
            continue
        cost = cost_of(problem, routes)
        if best is None or cost < best[0]:
            best = (cost, orders)
    return best[1] if best else [[] for _ in range(problem.vehicles)]


def _search_parameters() -> pywrapcp.RoutingSearchParameters:
    """The search's settings, measured with `regie bench route` (25 stops, 2 technicians):
    without the linear programs that time each candidate route exactly
    (the span costs are then estimated by propagation; :func:`schedule_team` times the
    result), the local search tries about five times more moves in the same time; the
    insertion LNS operators cost much and found little; the operators that move a visit and
    bring in a left-out one find room for the visits a full day leaves out."""
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.disable_scheduling_beware_this_may_degrade_performance = True
    operators = parameters.local_search_operators
    for name in (
        "use_global_cheapest_insertion_path_lns",
        "use_local_cheapest_insertion_path_lns",
        "use_relocate_path_global_cheapest_insertion_insert_unperformed",
        "use_global_cheapest_insertion_visit_types_lns",
        "use_local_cheapest_insertion_visit_types_lns",
    ):
        setattr(operators, name, optional_boolean_pb2.BOOL_FALSE)
    for name in (
        "use_relocate_and_make_active",
        "use_exchange_and_make_active",
        "use_extended_swap_active",
    ):
        setattr(operators, name, optional_boolean_pb2.BOOL_TRUE)
    return parameters


def _set_time_limit(parameters: pywrapcp.RoutingSearchParameters, deadline: float) -> None:
    left = deadline - time.perf_counter()
    parameters.time_limit.FromMilliseconds(max(1, round(left * 1000)))


def _orders_of(
    problem: Problem,
    manager: pywrapcp.RoutingIndexManager,
    routing: pywrapcp.RoutingModel,
    assignment: pywrapcp.Assignment,
) -> list[list[int]]:
    orders: list[list[int]] = [[] for _ in range(problem.vehicles)]
    for vehicle in range(problem.vehicles):
        index = routing.Start(vehicle)
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            if node:
                orders[vehicle].append(node - 1)
            index = assignment.Value(routing.NextVar(index))
    return orders


def _ortools_model(
    problem: Problem,
) -> tuple[pywrapcp.RoutingIndexManager, pywrapcp.RoutingModel]:
    seconds = problem.table.seconds
    size = len(problem.visits) + 1
    service = [0] + [visit.service for visit in problem.visits]
    manager = pywrapcp.RoutingIndexManager(size, problem.vehicles, 0)
    routing = pywrapcp.RoutingModel(manager)
    busy = routing.RegisterTransitMatrix(
        [[service[i] + seconds[i][j] for j in range(size)] for i in range(size)]
    )
    day = problem.day_end
    if problem.vehicles == 1:
        return manager, _one_technician_model(problem, manager, routing, busy, service)
    driving = routing.RegisterTransitMatrix([[DRIVING_WEIGHT * s for s in row] for row in seconds])
    routing.SetArcCostEvaluatorOfAllVehicles(driving)
    # "time": each technician's own clock; slack is waiting, paid through the span cost.
    routing.AddDimension(busy, day, day, False, "time")
    clock = routing.GetDimensionOrDie("time")
    clock.SetSpanCostCoefficientForAllVehicles(ROUTE_SPAN_WEIGHT)
    # "day": the same clock with everyone starting at the start of the day, so its global
    # span is the team's earliest possible end of the day.
    routing.AddDimension(busy, day, day, False, "day")
    team = routing.GetDimensionOrDie("day")
    team.SetGlobalSpanCostCoefficient(TEAM_END_WEIGHT)
    # "work": driving and service only, from zero; its global span is the heaviest load.
    routing.AddDimension(busy, 0, day, True, "work")
    routing.GetDimensionOrDie("work").SetGlobalSpanCostCoefficient(WORKLOAD_WEIGHT)
    for vehicle in range(problem.vehicles):
        clock.CumulVar(routing.Start(vehicle)).SetRange(problem.day_start, problem.day_end)
        clock.CumulVar(routing.End(vehicle)).SetRange(problem.day_start, problem.day_end)
        team.CumulVar(routing.Start(vehicle)).SetValue(problem.day_start)
        team.CumulVar(routing.End(vehicle)).SetRange(problem.day_start, problem.day_end)
        # One return per technician: the team's end is the returns' latest.
        routing.solver().Add(
            clock.CumulVar(routing.End(vehicle)) == team.CumulVar(routing.End(vehicle))
        )
    _windows_and_penalties(problem, manager, routing, (clock, team))
    return manager, routing


def _one_technician_model(
    problem: Problem,
    manager: pywrapcp.RoutingIndexManager,
    routing: pywrapcp.RoutingModel,
    busy: int,
    service: list[int],
) -> pywrapcp.RoutingModel:
    """The same objective for one technician, with one dimension: the team's last return is
    the technician's return (a cost on the end's time), the heaviest load is the driving and
    the service (in the arc costs). ``service`` is per node, the base's being 0."""
    seconds = problem.table.seconds
    size = len(service)
    arcs = routing.RegisterTransitMatrix(
        [
            [
                (DRIVING_WEIGHT + WORKLOAD_WEIGHT) * seconds[i][j] + WORKLOAD_WEIGHT * service[i]
                for j in range(size)
            ]
            for i in range(size)
        ]
    )
    routing.SetArcCostEvaluatorOfAllVehicles(arcs)
    day = problem.day_end
    routing.AddDimension(busy, day, day, False, "time")
    clock = routing.GetDimensionOrDie("time")
    clock.SetSpanCostCoefficientForAllVehicles(ROUTE_SPAN_WEIGHT)
    clock.CumulVar(routing.Start(0)).SetRange(problem.day_start, problem.day_end)
    clock.CumulVar(routing.End(0)).SetRange(problem.day_start, problem.day_end)
    clock.SetCumulVarSoftUpperBound(routing.End(0), problem.day_start, TEAM_END_WEIGHT)
    _windows_and_penalties(problem, manager, routing, (clock,))
    return routing


def _windows_and_penalties(
    problem: Problem,
    manager: pywrapcp.RoutingIndexManager,
    routing: pywrapcp.RoutingModel,
    dimensions: tuple[pywrapcp.RoutingDimension, ...],
) -> None:
    for index, visit in enumerate(problem.visits):
        routing_index = manager.NodeToIndex(index + 1)
        for dimension in dimensions:
            cumul = dimension.CumulVar(routing_index)
            cumul.SetRange(visit.starts[0][0], visit.starts[-1][1])
            for (_low, high), (next_low, _high) in zip(
                visit.starts, visit.starts[1:], strict=False
            ):
                if next_low - high > 1:
                    cumul.RemoveInterval(high + 1, next_low - 1)
        routing.AddDisjunction([routing_index], visit.penalty)
