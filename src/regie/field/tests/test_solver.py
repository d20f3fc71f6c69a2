"""The solver alone: the exact search against brute force, OR-Tools against the exact search."""

import itertools
import random

import pytest

from regie.field.solver import Problem, Visit, schedule, solve
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
    """Least driving + penalties over every subset in every order (one technician)."""
    total_penalty = sum(visit.penalty for visit in problem.visits)
    best = total_penalty
    for size in range(1, len(problem.visits) + 1):
        for order in itertools.permutations(range(len(problem.visits)), size):
            route = schedule(problem, 0, list(order))
            if route is not None:
                dropped = total_penalty - sum(problem.visits[i].penalty for i in order)
                best = min(best, route.driving + dropped)
    return best


@pytest.mark.parametrize("seed", range(6))
def test_the_exact_search_finds_the_brute_force_optimum_with_windows_and_drops(seed):
    problem = random_problem(seed, 7)
    solution = solve(problem, time_limit=1)
    assert solution.method == "exact"
    assert solution.cost == brute_force_cost(problem)
    for route in solution.routes:
        for stop in route.stops:
            visit = next(v for v in problem.visits if v.key == stop.key)
            assert any(low <= stop.start <= high for low, high in visit.starts)


@pytest.mark.parametrize("seed", range(3))
def test_or_tools_matches_the_exact_search_on_small_problems(seed):
    problem = random_problem(100 + seed, 8)
    exact = solve(problem, time_limit=1)
    searched = solve(problem, time_limit=0.5, exact_limit=0)
    assert searched.method == "ortools"
    assert searched.cost == exact.cost


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
