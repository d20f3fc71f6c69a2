"""The round drawn as an inline SVG from the sites' positions: no tiles, no script.

Positions are projected equirectangularly around the middle latitude (fine at the scale of
an intercommunality) and fitted into a fixed view box with a margin.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from regie.field.models import RoutePlan
from regie.field.planning import place_of
from regie.field.travel import Place

WIDTH, HEIGHT, MARGIN = 640, 440, 30
# Distinct colours and dash patterns, so routes differ without relying on colour alone.
STYLES = (
    ("#1f5fbf", ""),
    ("#b3261e", "8 4"),
    ("#1b7a3d", "2 4"),
    ("#7a4fbf", "12 4 2 4"),
    ("#a15c00", "4 2"),
)


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    label: str
    title: str
    colour: str


@dataclass
class Line:
    points: str
    colour: str
    dash: str
    title: str


@dataclass
class RouteMap:
    width: int = WIDTH
    height: int = HEIGHT
    base: Marker | None = None
    markers: list[Marker] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)


def route_map(plan: RoutePlan) -> RouteMap:
    """Base (a square), one numbered marker per stop, one line per technician."""
    base_place = place_of(plan.base)
    routes = list(
        plan.routes.select_related("technician").prefetch_related("stops__intervention__site")
    )
    points: list[Place | None] = [base_place] if base_place else []
    for route in routes:
        points += [
            place_of(stop.intervention.site) for stop in route.stops.all() if stop.intervention.site
        ]
    known = [p for p in points if p is not None]
    if not known or base_place is None:
        return RouteMap()
    middle = sum(p.latitude for p in known) / len(known)
    scale_x = math.cos(math.radians(middle))

    def raw(latitude: float, longitude: float) -> tuple[float, float]:
        return longitude * scale_x, -latitude

    xs = [raw(p.latitude, p.longitude)[0] for p in known]
    ys = [raw(p.latitude, p.longitude)[1] for p in known]
    width_span, height_span = max(xs) - min(xs), max(ys) - min(ys)
    fits = [(WIDTH - 2 * MARGIN) / width_span] if width_span else []
    fits += [(HEIGHT - 2 * MARGIN) / height_span] if height_span else []
    factor = min(fits) if fits else 1.0
    offset_x = (WIDTH - width_span * factor) / 2
    offset_y = (HEIGHT - height_span * factor) / 2

    def project(latitude: float, longitude: float) -> tuple[float, float]:
        x, y = raw(latitude, longitude)
        return (
            round(offset_x + (x - min(xs)) * factor, 1),
            round(offset_y + (y - min(ys)) * factor, 1),
        )

    drawing = RouteMap()
    bx, by = project(base_place.latitude, base_place.longitude)
    drawing.base = Marker(bx, by, "", str(plan.base), "#222")
    for position, route in enumerate(routes):
        colour, dash = STYLES[position % len(STYLES)]
        line = [(bx, by)]
        for stop in route.stops.all():
            place = place_of(stop.intervention.site) if stop.intervention.site else None
            if place is None:
                continue
            x, y = project(place.latitude, place.longitude)
            line.append((x, y))
            # Stops at one site or at neighbouring sites: shift each marker off the ones
            # already drawn so every number stays readable (the line keeps the true spot).
            mx, my = _free_spot(x, y, drawing.markers)
            drawing.markers.append(
                Marker(
                    round(mx, 1),
                    round(my, 1),
                    str(stop.sequence),
                    f"{stop.sequence}. {stop.intervention.site} — {stop.intervention}",
                    colour,
                )
            )
        line.append((bx, by))
        drawing.lines.append(
            Line(" ".join(f"{x},{y}" for x, y in line), colour, dash, str(route.technician))
        )
    return drawing


# Where to try a marker, nearest first: rings of eight spots around the site.
_SPOTS = [(0, 0)] + [
    (ring * dx, ring * dy)
    for ring in (22, 44, 66)
    for dx, dy in ((1, -1), (1, 1), (-1, 1), (-1, -1), (0, -1), (1, 0), (0, 1), (-1, 0))
]


def _free_spot(x: float, y: float, taken: list[Marker]) -> tuple[float, float]:
    """The nearest spot inside the drawing that no marker covers yet."""
    for dx, dy in _SPOTS:
        mx, my = x + dx, y + dy
        inside = 12 <= mx <= WIDTH - 12 and 12 <= my <= HEIGHT - 12
        if inside and all(abs(mx - m.x) >= 22 or abs(my - m.y) >= 22 for m in taken):
            return mx, my
    return x, y
