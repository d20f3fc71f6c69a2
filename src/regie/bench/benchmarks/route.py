"""Route planning with time windows on the demo territory (DESIGN §4: 25 stops in under 2 s,
within 2 % of the best known).

Deterministic instances: sites at the demo communes' real positions (a seeded draw), each
with the opening hours of a demo site kind, one intervention per stop (10 to 45 minutes,
mixed priorities), a Tuesday, technicians leaving the head office's commune at 08:00 and
back by 17:30. Each instance is solved as the application solves it (same objective,
windows, travel model and time limit), then for a long time (``best_seconds``) to get the
best known solution; the smallest instances are also solved exactly (every split of every
subset in every order). The objective is the planner's: driving, each technician's time away
(waiting included), the team's last return, the heaviest load, and the penalty of any visit
left out. The gap is the production objective's excess over the best known, relative to the
best known's objective without penalties (so a visit dropped that the best known serves
shows as a large gap, not as a fraction of a penalty). Per size: medians over the instances,
and apart, on the days too full for every visit, how many times the production plan leaves
out more than the best known (by priority: one urgent visit weighs more than ten lesser
ones), the one shortfall a dispatcher would notice at once.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import time as clock
from typing import Any

from django.conf import settings

from regie.demo.plan import HOURS
from regie.demo.territory import load_communes
from regie.directory.hours import parse_periods
from regie.field import solver
from regie.field.planning import penalty, seconds_of, start_ranges, within
from regie.field.travel import GreatCircleMatrix, Place

DESCRIPTION = (
    "route planning with time windows: 6 to 30 stops for 1 to 3 technicians on the demo "
    "territory, against the best known"
)
SEED = 2026
# (stops, technicians); one technician cannot do 20 stops in a day: which visits to leave out
# is then part of the answer.
SIZES = ((6, 2), (10, 2), (20, 1), (20, 2), (25, 1), (25, 2), (30, 3))
INSTANCES = 5  # per size, by default
TUESDAY = 1
EXACT_UP_TO = 6
TARGET_SECONDS, TARGET_GAP_PCT = 2.0, 2.0
# Kinds a round visits on a weekday, as often as the demo has them.
KINDS = ("school",) * 5 + ("france_services", "media_library", "nursery", "technical", "other")

Output = Callable[[str], None]


def build_problem(stops: int, vehicles: int, rng: random.Random) -> solver.Problem:
    data = load_communes()
    communes = sorted(data["communes"], key=lambda c: c["insee"])
    seat = next(c for c in communes if c["name"] == data["epci"]["seat"])
    matrix = GreatCircleMatrix(
        road_factor=settings.ROUTE_ROAD_FACTOR, speed_kmh=settings.ROUTE_SPEED_KMH
    )
    day_start = seconds_of(clock(8))
    day_end = seconds_of(clock(17, 30))
    picked = [rng.choice(communes) for _ in range(stops)]
    places = [Place(seat["lat"], seat["lon"])] + [
        Place(c["lat"] + rng.uniform(-0.004, 0.004), c["lon"] + rng.uniform(-0.004, 0.004))
        for c in picked
    ]
    table = matrix.table(places)
    visits = []
    for index in range(stops):
        node = index + 1
        service = rng.choice((10, 15, 20, 20, 30, 45)) * 60
        periods = parse_periods(HOURS[rng.choice(KINDS)][TUESDAY])
        starts = within(
            start_ranges(periods, service),
            day_start + table.seconds[0][node],
            day_end - service - table.seconds[node][0],
        )
        if not starts:  # keep every generated stop plannable on its own
            starts = [
                (day_start + table.seconds[0][node], day_end - service - table.seconds[node][0])
            ]
        visits.append(
            solver.Visit(
                key=node,
                service=service,
                starts=tuple(starts),
                penalty=penalty(rng.choice((1, 2, 2, 3, 4))),
            )
        )
    return solver.Problem(
        table=table, visits=visits, vehicles=vehicles, day_start=day_start, day_end=day_end
    )


def penalties(problem: solver.Problem, solution: solver.Solution) -> int:
    dropped = set(solution.dropped)
    return sum(visit.penalty for visit in problem.visits if visit.key in dropped)


def gap_pct(
    problem: solver.Problem, production: solver.Solution, best_cost: int, best_work: int
) -> float:
    return 100 * (production.cost - best_cost) / max(best_work, 1)


def run(
    *, best_seconds: int, max_stops: int, instances: int = INSTANCES, out: Output, progress: Output
) -> list[dict[str, Any]]:
    limit = settings.ROUTE_TIME_LIMIT
    results = []
    for stops, vehicles in [size for size in SIZES if size[0] <= max_stops]:
        times, gaps, methods = [], [], set()
        short = 0  # instances where production leaves out more than the best known
        for instance in range(instances):
            rng = random.Random(f"{SEED}-{stops}-{vehicles}-{instance}")  # noqa: S311  # reproducible instances
            problem = build_problem(stops, vehicles, rng)
            started = time.perf_counter()
            production = solver.solve(problem, time_limit=limit)
            times.append(time.perf_counter() - started)
            progress(f"{stops} stops #{instance + 1}: production solve done, now the best known")
            if stops <= EXACT_UP_TO:
                orders = solver.exact_orders(problem)
                routes = solver.schedule_team(problem, orders)
                assert routes is not None  # noqa: S101  # the exact search returns feasible routes
                best_cost = solver.cost_of(problem, routes)
                served = {stop.key for route in routes for stop in route.stops}
                best_left_out = sum(v.penalty for v in problem.visits if v.key not in served)
                best_work = best_cost - best_left_out
                methods.add("exact")
            else:
                best = solver.solve(problem, time_limit=best_seconds, exact_limit=0)
                if production.cost < best.cost:
                    best = production
                best_cost, best_left_out = best.cost, penalties(problem, best)
                best_work = best_cost - best_left_out
                methods.add(f"ortools {best_seconds} s")
            short += penalties(problem, production) > best_left_out
            gaps.append(max(gap_pct(problem, production, best_cost, best_work), 0.0))
        row: dict[str, Any] = {
            "stops": stops,
            "technicians": vehicles,
            "instances": instances,
            "median_seconds": round(statistics.median(times), 3),
            "median_gap_pct": round(statistics.median(gaps), 2),
            "max_gap_pct": round(max(gaps), 2),
            "more_left_out": short,
            "best_known": " + ".join(sorted(methods)),
        }
        out(
            f"{stops:>3} stops, {vehicles} technician{'s' if vehicles > 1 else ''}, "
            f"{instances} instances: median "
            f"{row['median_seconds']:.2f} s (limit {limit:g} s); gap to the best known "
            f"({row['best_known']}): median {row['median_gap_pct']:.2f} %, "
            f"max {row['max_gap_pct']:.2f} %; leaves out more than the best known: "
            f"{short} of {instances}"
        )
        results.append(row)
    ok = all(
        r["median_seconds"] < TARGET_SECONDS and r["median_gap_pct"] <= TARGET_GAP_PCT
        for r in results
    )
    out(
        f"target (every size: median < {TARGET_SECONDS:g} s, median gap ≤ {TARGET_GAP_PCT:g} %): "
        + ("met" if ok else "NOT met")
    )
    return results
