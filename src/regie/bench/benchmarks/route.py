"""Route planning with time windows on the demo territory (DESIGN §4: 25 stops in under 2 s,
within 2 % of the best known).

Deterministic instances: sites at the demo communes' real positions (a seeded draw), each
with the opening hours of a demo site kind, one intervention per stop (15 to 60 minutes,
mixed priorities), a Tuesday, technicians leaving the head office's commune at 08:00 and
back by 17:30. Each instance is solved as the application solves it (same windows, travel
model and time limit), then for a long time (``best_seconds``) to get the best known
solution; instances small enough are also solved exactly. The gap compares the objective
(driving time plus the penalty of any visit left out).
"""

from __future__ import annotations

import random
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

DESCRIPTION = "route planning with time windows: 10, 25 and 50 stops on the demo territory"
SEED = 2026
SIZES = ((10, 1), (25, 2), (50, 4))  # (stops, technicians)
TUESDAY = 1
EXACT_UP_TO = 10
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


def run(*, best_seconds: int, out: Output, progress: Output) -> list[dict[str, Any]]:
    rng = random.Random(SEED)  # noqa: S311  # reproducible instances, not a secret
    limit = settings.ROUTE_TIME_LIMIT
    results = []
    for stops, vehicles in SIZES:
        problem = build_problem(stops, vehicles, rng)
        started = time.perf_counter()
        production = solver.solve(problem, time_limit=limit)
        seconds = time.perf_counter() - started
        progress(f"{stops} stops: production solve done, now the best-known run ({best_seconds} s)")
        best = solver.solve(problem, time_limit=best_seconds, exact_limit=0)
        method = "ortools long run"
        if vehicles == 1 and stops <= EXACT_UP_TO:
            exact = solver.solve(problem, time_limit=best_seconds, exact_limit=EXACT_UP_TO)
            best, method = exact, "exact"
        best_cost = min(best.cost, production.cost)
        gap = 100 * (production.cost - best_cost) / best_cost
        out(
            f"{stops:>3} stops, {vehicles} technician(s): {seconds:.2f} s "
            f"(limit {limit:g} s, {production.method}), driving {production.driving / 60:.0f} min, "
            f"{len(production.dropped)} left out; best known ({method}) "
            f"{best.driving / 60:.0f} min, {len(best.dropped)} left out; gap {gap:.2f} %"
        )
        results.append({"stops": stops, "seconds": round(seconds, 3), "gap_pct": round(gap, 2)})
    ok = all(
        r["seconds"] < TARGET_SECONDS and r["gap_pct"] <= TARGET_GAP_PCT
        for r in results
        if r["stops"] == 25
    )
    out(
        f"target (25 stops: < {TARGET_SECONDS:g} s, gap ≤ {TARGET_GAP_PCT:g} %): "
        + ("met" if ok else "NOT met")
    )
    return results
