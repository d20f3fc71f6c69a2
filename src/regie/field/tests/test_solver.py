"""The solver alone: the exact search against brute force, OR-Tools against the exact search,
and an objective that counts waiting and the team's latest return."""

import itertools
import random

import pytest

from regie.field.solver import (
    Problem,
    Visit,
    _insert_left_out,
    _swap_in_left_out,
    cost_of,
    exact_orders,
    schedule,
    schedule_team,
    solve,
)
from regie.field.travel import GreatCircleMatrix, Place

DAY_START, DAY_END = 8 * 3600, 17 * 3600 + 1800


def random_problem(seed, count, vehicles=1):
    rng = random.Random(seed)  # noqa: S311  # reproducible test data
    places = [Place(46.2 + rng.uniform(-0.15, 0.15), -0.1 + rng.uniform(-0.2, 0.2))]
    places += [
        Place(46.2 + rng.uniform(-0.15, 0.15), -0.1 + rng.uniform(-0.2, 0.2)) for _ in range(count)
    ]
    table = GreatCircleMatrix(road_factor=1.3, speed_kmh=50).table(places)
    visits = []
    for index in range(count):
        service = rng.choice((20, 45, 90, 150)) * 60
        periods: list[tuple[int, int]]
        if rng.random() < 0.5:  # a school day: morning and afternoon, closed for lunch
            periods = [
                (8 * 3600 + 1800, 12 * 3600 - service),
                (13 * 3600 + 1800, 16 * 3600 + 1800 - service),
            ]
        else:  # an afternoon only
            periods = [(14 * 3600, 17 * 3600 - service)]
        starts = tuple((low, high) for low, high in periods if high >= low)
        visits.append(
            Visit(
                key=index + 1,
                service=service,
                starts=starts,
                penalty=10**5 * rng.choice((1, 10, 100)),
            )
        )
    return Problem(
        table=table, visits=visits, vehicles=vehicles, day_start=DAY_START, day_end=DAY_END
    )


def brute_force_cost(problem):
    """The least objective over every subset in every order, split every way between the
    technicians (each split tried in every assignment, no symmetry shortcut)."""
    count, vehicles = len(problem.visits), problem.vehicles
    best = cost_of(problem, [])
    for size in range(1, count + 1):
        for order in itertools.permutations(range(count), size):
            # Cut the sequence into at most ``vehicles`` routes at every set of places.
            for cuts in itertools.combinations_with_replacement(range(size + 1), vehicles - 1):
                bounds = [0, *cuts, size]
                orders = [list(order[a:b]) for a, b in itertools.pairwise(bounds)]
                routes = schedule_team(problem, orders)
                if routes is not None:
                    best = min(best, cost_of(problem, routes))
    return best


@pytest.mark.parametrize("seed", range(6))
def test_the_exact_search_finds_the_brute_force_optimum_with_windows_and_drops(seed):
    problem = random_problem(seed, 7)
    solution = solve(problem, time_limit=1, exact_limit=7)
    assert solution.method == "exact"
    assert solution.cost == brute_force_cost(problem)
    for route in solution.routes:
        for stop in route.stops:
            visit = next(v for v in problem.visits if v.key == stop.key)
            assert any(low <= stop.start <= high for low, high in visit.starts)


@pytest.mark.parametrize("seed", range(2))
def test_the_exact_search_splits_between_two_technicians_optimally(seed):
    problem = random_problem(200 + seed, 5, vehicles=2)
    assert cost_of(problem, schedule_team(problem, exact_orders(problem))) == brute_force_cost(
        problem
    )


@pytest.mark.parametrize(("seed", "vehicles"), [(100, 1), (101, 1), (102, 2), (103, 2)])
def test_or_tools_comes_within_two_percent_of_the_exact_search(seed, vehicles):
    problem = random_problem(seed, 6, vehicles=vehicles)
    exact = cost_of(problem, schedule_team(problem, exact_orders(problem)))
    searched = solve(problem, time_limit=0.5, exact_limit=0)
    assert searched.method == "ortools"
    assert exact <= searched.cost <= exact * 1.02


def test_the_objective_counts_waiting_and_the_latest_return():
    """One visit at 08:30 near the base, one opening at 14:00: two technicians each make one
    short trip rather than one waiting on the road from 09:00 to 14:00."""
    places = [Place(46.2, -0.1), Place(46.21, -0.1), Place(46.2, -0.11)]
    table = GreatCircleMatrix(road_factor=1.3, speed_kmh=50).table(places)
    morning = Visit(key=1, service=1800, starts=((8 * 3600 + 1800, 9 * 3600),), penalty=10**6)
    afternoon = Visit(key=2, service=1800, starts=((14 * 3600, 16 * 3600),), penalty=10**6)
    problem = Problem(
        table=table, visits=[morning, afternoon], vehicles=2, day_start=DAY_START, day_end=DAY_END
    )
    solution = solve(problem, time_limit=0.3)
    assert sorted(len(route.stops) for route in solution.routes) == [1, 1]
    assert solution.waiting == 0
    # Alone, one technician does both and the wait in between is cut to the least possible:
    # the morning visit starts as late as its window allows.
    alone = solve(Problem(table, [morning, afternoon], 1, DAY_START, DAY_END), time_limit=0.3)
    (route,) = alone.routes
    assert [stop.start for stop in route.stops] == [9 * 3600, 14 * 3600]
    assert route.leave == 9 * 3600 - table.seconds[0][1]


def test_several_technicians_share_the_visits_and_keep_their_windows():
    problem = random_problem(42, 14, vehicles=3)
    solution = solve(problem, time_limit=0.5)
    assert solution.method == "ortools"
    keys = [stop.key for route in solution.routes for stop in route.stops]
    assert len(keys) == len(set(keys))
    assert sorted(keys + solution.dropped) == [v.key for v in problem.visits]
    for route in solution.routes:
        again = schedule(problem, route.vehicle, [stop.key - 1 for stop in route.stops])
        assert again is not None
        assert again.driving == route.driving
        assert route.back <= DAY_END


def test_no_visit_gives_empty_routes():
    problem = Problem(
        table=GreatCircleMatrix(road_factor=1.3, speed_kmh=50).table([Place(46.2, -0.1)]),
        visits=[],
        vehicles=2,
        day_start=DAY_START,
        day_end=DAY_END,
    )
    solution = solve(problem, time_limit=1)
    assert (solution.method, solution.cost, solution.dropped) == ("none", 0, [])
    assert [route.stops for route in solution.routes] == [[], []]


def test_visits_the_search_left_out_are_fitted_in_afterwards():
    """When the search runs out of time before trying a visit, it is inserted at its
    cheapest place rather than left out."""
    problem = random_problem(300, 6, vehicles=2)
    exact = exact_orders(problem)
    served = sorted(index for order in exact for index in order)
    missing = exact[0][1]  # as if the search had never tried this one
    partial = [[index for index in order if index != missing] for order in exact]
    orders = _insert_left_out(problem, partial)
    assert sorted(index for order in orders for index in order) == served
    assert cost_of(problem, schedule_team(problem, orders)) == cost_of(
        problem, schedule_team(problem, exact)
    )


def busy_day(count, vehicles, seed):
    """``count`` short visits near the base, half of them at schools closed for lunch: a full
    day that fits, for the technicians given."""
    rng = random.Random(seed)  # noqa: S311  # reproducible test data
    places = [Place(46.2, -0.1)]
    places += [
        Place(46.2 + rng.uniform(-0.05, 0.05), -0.1 + rng.uniform(-0.07, 0.07))
        for _ in range(count)
    ]
    table = GreatCircleMatrix(road_factor=1.3, speed_kmh=50).table(places)
    visits = []
    for index in range(count):
        service = rng.choice((10, 15, 20, 30)) * 60
        starts: tuple[tuple[int, int], ...]
        if index % 2:  # a school: mornings and afternoons
            starts = (
                (8 * 3600 + 1800, 12 * 3600 - service),
                (13 * 3600 + 1800, 17 * 3600 - service),
            )
        else:
            starts = ((DAY_START, DAY_END - service),)
        visits.append(
            Visit(
                key=index + 1, service=service, starts=starts, penalty=10**5 * rng.choice((1, 10))
            )
        )
    return Problem(
        table=table, visits=visits, vehicles=vehicles, day_start=DAY_START, day_end=DAY_END
    )


def assert_keeps_the_windows(problem, solution):
    """Every stop starts inside one of its ranges, after the arrival; the legs follow each
    other; each technician is back by the end of the day; no visit is planned twice."""
    visits = {visit.key: visit for visit in problem.visits}
    keys = [stop.key for route in solution.routes for stop in route.stops]
    assert len(keys) == len(set(keys))
    assert sorted(keys + solution.dropped) == sorted(visits)
    for route in solution.routes:
        clock = route.leave
        for stop in route.stops:
            visit = visits[stop.key]
            assert any(low <= stop.start <= high for low, high in visit.starts)
            assert clock + stop.travel == stop.arrival <= stop.start
            assert stop.departure == stop.start + visit.service
            clock = stop.departure
        assert problem.day_start <= route.leave <= route.back <= problem.day_end


@pytest.mark.parametrize("seed", [7, 8])
def test_a_full_day_that_fits_leaves_no_visit_out(seed):
    problem = busy_day(25, 2, seed)
    solution = solve(problem, time_limit=0.5)
    assert solution.method == "ortools"
    assert solution.dropped == []
    assert_keeps_the_windows(problem, solution)
    # The visits are shared (the heaviest load counts): both technicians go out.
    assert all(route.stops for route in solution.routes)


def test_an_overfull_day_leaves_out_only_visits_that_fit_nowhere_at_a_profit():
    """One technician, 40 visits: some stay out. None of them could be added anywhere in the
    plan for less than its penalty."""
    problem = busy_day(40, 1, 9)
    solution = solve(problem, time_limit=0.5)
    assert solution.dropped
    assert_keeps_the_windows(problem, solution)
    index_of = {visit.key: index for index, visit in enumerate(problem.visits)}
    orders = [[index_of[stop.key] for stop in route.stops] for route in solution.routes]
    for key in solution.dropped:
        for vehicle, order in enumerate(orders):
            for position in range(len(order) + 1):
                trial = [list(o) for o in orders]
                trial[vehicle] = [*order[:position], index_of[key], *order[position:]]
                routes = schedule_team(problem, trial)
                assert routes is None or cost_of(problem, routes) >= solution.cost


def test_an_urgent_visit_left_out_takes_the_place_of_a_lesser_one():
    """Two one-hour visits that must both start at 9:00: one technician can do only one. A
    plan that serves the low-priority one gets the urgent one swapped in."""
    table = GreatCircleMatrix(road_factor=1.3, speed_kmh=50).table(
        [Place(46.2, -0.1), Place(46.21, -0.1), Place(46.2, -0.11)]
    )
    nine = 9 * 3600
    problem = Problem(
        table=table,
        visits=[
            Visit(key=1, service=3600, starts=((nine, nine),), penalty=10**5),
            Visit(key=2, service=3600, starts=((nine, nine),), penalty=10**7),
        ],
        vehicles=1,
        day_start=DAY_START,
        day_end=DAY_END,
    )
    orders = _swap_in_left_out(problem, [[0]], deadline=float("inf"))
    assert orders == [[1]]


@pytest.mark.parametrize(("seed", "vehicles"), [(11, 1), (12, 2)])
def test_swapping_in_leaves_no_visit_out_that_could_replace_a_lesser_one(seed, vehicles):
    """A day that holds about half of its visits, of mixed priorities: once the swaps are done
    (given the time), no left-out visit could take the place of a served visit of lower
    priority, anywhere in the plan. The search alone does not promise it."""
    problem = busy_day(40 if vehicles == 1 else 60, vehicles, seed)
    solution = solve(problem, time_limit=0.2)
    assert solution.dropped
    index_of = {visit.key: index for index, visit in enumerate(problem.visits)}
    served = [[index_of[stop.key] for stop in route.stops] for route in solution.routes]
    orders = _swap_in_left_out(problem, served, deadline=float("inf"))
    assert schedule_team(problem, orders) is not None
    penalty = [visit.penalty for visit in problem.visits]
    kept = {index for order in orders for index in order}
    for dropped in set(range(len(penalty))) - kept:
        for vehicle, order in enumerate(orders):
            for served_at, lesser in enumerate(order):
                if penalty[lesser] >= penalty[dropped]:
                    continue
                rest = order[:served_at] + order[served_at + 1 :]
                for position in range(len(rest) + 1):
                    trial = [list(o) for o in orders]
                    trial[vehicle] = [*rest[:position], dropped, *rest[position:]]
                    assert schedule_team(problem, trial) is None, (dropped, lesser)
