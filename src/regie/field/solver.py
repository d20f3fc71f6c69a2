"""The vehicle-routing core of route planning: pure data in, ordered routes out.

Times are whole seconds from midnight. Node 0 of the travel table is the base; node
``i + 1`` is ``Problem.visits[i]`` (two visits at one site are two nodes zero metres apart).
A visit's ``starts`` are the ranges in which its service may *begin* so that the whole
service fits inside one opening period and the working day; the technician may wait on
site for the door to open. The objective is the total driving time plus, for each visit
left out, its penalty (by priority, far larger than any day's driving, so a visit is only
dropped when it cannot fit).

Small single-technician problems are solved exactly (dynamic programming over subsets
with Pareto labels); the others with OR-Tools' routing solver (savings first solution,
then guided local search until the time limit).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from regie.field.travel import TravelTable

Range = tuple[int, int]

# Problems with at most this many visits and one technician are solved exactly.
EXACT_LIMIT = 8
# Measured with `regie bench route`: savings then guided local search came closest to the
# best known solution within a second (cheapest-arc first was 0.4 % off at 25 stops, 7 % at 50).
FIRST_SOLUTION = routing_enums_pb2.FirstSolutionStrategy.SAVINGS
METAHEURISTIC = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH


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


@dataclass
class Solution:
    routes: list[Route]
    dropped: list[int]  # keys of the visits left out
    driving: int
    distance: int
    cost: int
    method: str  # "exact", "ortools" or "none"
    seconds: float


def earliest_start(starts: tuple[Range, ...], arrival: int) -> int | None:
    """The first moment at or after ``arrival`` at which the service may begin."""
    for low, high in starts:
        if arrival <= high:
            return max(arrival, low)
    return None


def schedule(problem: Problem, vehicle: int, order: list[int]) -> Route | None:
    """Times of the visits ``order`` (indexes into ``problem.visits``) for one technician.

    Earliest times (waiting only for openings); the departure from the base is delayed as
    late as the first start allows. ``None`` when the order breaks a window or the day.
    """
    seconds, metres = problem.table.seconds, problem.table.metres
    route = Route(vehicle=vehicle)
    clock = problem.day_start
    previous = 0
    for position, index in enumerate(order):
        visit = problem.visits[index]
        node = index + 1
        arrival = clock + seconds[previous][node]
        start = earliest_start(visit.starts, arrival)
        if start is None:
            return None
        if position == 0:
            # Leave the base no earlier than needed.
            route.leave = start - seconds[0][node]
            arrival = start
        route.stops.append(
            Stop(
                key=visit.key,
                arrival=arrival,
                start=start,
                departure=start + visit.service,
                travel=seconds[previous][node],
                distance=metres[previous][node],
            )
        )
        route.driving += seconds[previous][node]
        route.distance += metres[previous][node]
        clock = start + visit.service
        previous = node
    if not order:
        route.leave = route.back = problem.day_start
        return route
    route.back = clock + seconds[previous][0]
    route.driving += seconds[previous][0]
    route.distance += metres[previous][0]
    if route.back > problem.day_end:
        return None
    return route


def solve(problem: Problem, *, time_limit: float, exact_limit: int = EXACT_LIMIT) -> Solution:
    """The best plan found: exact when small enough, else OR-Tools within ``time_limit``."""
    started = time.perf_counter()
    if not problem.visits:
        orders: list[list[int]] = [[] for _ in range(problem.vehicles)]
        method = "none"
    elif problem.vehicles == 1 and len(problem.visits) <= exact_limit:
        orders = [_exact_order(problem)]
        method = "exact"
    else:
        orders = _ortools_orders(problem, time_limit)
        method = "ortools"
    return _solution(problem, orders, method, time.perf_counter() - started)


def _solution(problem: Problem, orders: list[list[int]], method: str, seconds: float) -> Solution:
    routes: list[Route] = []
    served: set[int] = set()
    for vehicle, order in enumerate(orders):
        route = schedule(problem, vehicle, order)
        if route is None:  # cannot happen with a solver's feasible answer; never plan it
            route = Route(vehicle=vehicle, leave=problem.day_start, back=problem.day_start)
        routes.append(route)
        served.update(stop.key for stop in route.stops)
    dropped = [visit.key for visit in problem.visits if visit.key not in served]
    driving = sum(route.driving for route in routes)
    penalty = sum(visit.penalty for visit in problem.visits if visit.key not in served)
    return Solution(
        routes=routes,
        dropped=dropped,
        driving=driving,
        distance=sum(route.distance for route in routes),
        cost=driving + penalty,
        method=method,
        seconds=seconds,
    )


# --- exact: one technician, few visits ------------------------------------------------------


@dataclass(frozen=True)
class _Label:
    driving: int
    clock: int  # departure from the last visit
    last: int  # node
    parent: _Label | None


def _exact_order(problem: Problem) -> list[int]:
    """Minimum of driving + penalties over every subset and order, by labels per subset.

    A label (driving so far, time of departure) for the visited set and last visit is kept
    unless another label of the same set and last visit is no worse on both; each kept label
    is extended by every unvisited visit whose window it can still meet.
    """
    visits, seconds = problem.visits, problem.table.seconds
    count = len(visits)
    total_penalty = sum(visit.penalty for visit in visits)
    labels: dict[tuple[int, int], list[_Label]] = {(0, 0): [_Label(0, problem.day_start, 0, None)]}
    best_cost, best_label = total_penalty, labels[(0, 0)][0]
    for mask in range(1 << count):  # supersets always come after their subsets
        penalty_left = total_penalty - sum(visits[i].penalty for i in range(count) if mask >> i & 1)
        for last in range(count + 1):
            for label in labels.get((mask, last), ()):
                if mask and label.clock + seconds[last][0] <= problem.day_end:
                    cost = label.driving + seconds[last][0] + penalty_left
                    if cost < best_cost:
                        best_cost, best_label = cost, label
                for index in range(count):
                    if mask >> index & 1:
                        continue
                    node = index + 1
                    start = earliest_start(visits[index].starts, label.clock + seconds[last][node])
                    if start is None:
                        continue
                    _keep(
                        labels.setdefault((mask | 1 << index, node), []),
                        _Label(
                            label.driving + seconds[last][node],
                            start + visits[index].service,
                            node,
                            label,
                        ),
                    )
    order: list[int] = []
    cursor: _Label | None = best_label
    while cursor is not None and cursor.last:
        order.append(cursor.last - 1)
        cursor = cursor.parent
    return order[::-1]


def _keep(front: list[_Label], new: _Label) -> None:
    for label in front:
        if label.driving <= new.driving and label.clock <= new.clock:
            return
    front[:] = [
        label for label in front if not (new.driving <= label.driving and new.clock <= label.clock)
    ]
    front.append(new)


# --- OR-Tools ------------------------------------------------------------------------------


def _ortools_orders(problem: Problem, time_limit: float) -> list[list[int]]:
    seconds = problem.table.seconds
    size = len(problem.visits) + 1
    service = [0] + [visit.service for visit in problem.visits]
    manager = pywrapcp.RoutingIndexManager(size, problem.vehicles, 0)
    routing = pywrapcp.RoutingModel(manager)
    driving = routing.RegisterTransitMatrix(seconds)
    routing.SetArcCostEvaluatorOfAllVehicles(driving)
    busy = routing.RegisterTransitMatrix(
        [[service[i] + seconds[i][j] for j in range(size)] for i in range(size)]
    )
    day = problem.day_end
    routing.AddDimension(busy, day, day, False, "time")
    clock = routing.GetDimensionOrDie("time")
    for vehicle in range(problem.vehicles):
        clock.CumulVar(routing.Start(vehicle)).SetRange(problem.day_start, problem.day_end)
        clock.CumulVar(routing.End(vehicle)).SetRange(problem.day_start, problem.day_end)
    for index, visit in enumerate(problem.visits):
        routing_index = manager.NodeToIndex(index + 1)
        cumul = clock.CumulVar(routing_index)
        cumul.SetRange(visit.starts[0][0], visit.starts[-1][1])
        for (_low, high), (next_low, _high) in zip(visit.starts, visit.starts[1:], strict=False):
            if next_low - high > 1:
                cumul.RemoveInterval(high + 1, next_low - 1)
        routing.AddDisjunction([routing_index], visit.penalty)
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = FIRST_SOLUTION
    parameters.local_search_metaheuristic = METAHEURISTIC
    parameters.time_limit.FromMilliseconds(max(1, round(time_limit * 1000)))
    assignment = routing.SolveWithParameters(parameters)
    orders: list[list[int]] = [[] for _ in range(problem.vehicles)]
    if assignment is None:
        return orders
    for vehicle in range(problem.vehicles):
        index = routing.Start(vehicle)
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            if node:
                orders[vehicle].append(node - 1)
            index = assignment.Value(routing.NextVar(index))
    return orders
