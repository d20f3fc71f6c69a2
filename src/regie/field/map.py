"""Maps drawn on the territory as inline SVG: no tiles, no script, readable in black and white.

The communes' outlines (``data/communes-mellois-outlines.geojson``, IGN GEOFLA under the
Licence Ouverte: the attribution is drawn on every map) give the background and the commune
names; over them, the base, the numbered stops and one line per technician, each technician
with its own dash pattern and marker shape so that a grey printout still tells them apart.

Positions are projected equirectangularly around the middle latitude (fine at the scale of
an intercommunality). When there are no outlines, or a place lies outside them, the map
falls back to the places alone, in a frame with a scale bar and each stop's commune.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from regie.directory.models import Site
from regie.field.models import RoutePlan
from regie.field.planning import place_of
from regie.field.travel import Place

OUTLINES_FILE = Path(__file__).resolve().parent / "data" / "communes-mellois-outlines.geojson"
WIDTH, MARGIN = 520, 14
FALLBACK_HEIGHT = 380
MAX_HEIGHT = 520
LEGEND_LINE = 22
LABEL_FONT = 10
MARKER = 11  # radius of a stop marker
# Per technician: line colour, dash pattern and marker shape. Dashes and shapes, not colour
# alone, tell the technicians apart on a black and white printout.
STYLES = (
    ("#1f4e99", "", "circle"),
    ("#a3261e", "9 5", "square"),
    ("#1b6b3a", "2 4", "diamond"),
    ("#6b3fa0", "12 4 2 4", "hexagon"),
    ("#8a4b00", "5 2", "circle"),
)
NICE_KM = (1, 2, 5, 10, 20, 50, 100, 200)


# --- the territory ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Commune:
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # (longitude, latitude)
    centre: tuple[float, float]
    area: float  # square degrees, to rank the labels


@dataclass(frozen=True)
class Territory:
    communes: tuple[Commune, ...]
    attribution: str
    west: float
    east: float
    south: float
    north: float

    def holds(self, place: Place) -> bool:
        """Inside the territory's box, with a little room around it."""
        pad_lon, pad_lat = (self.east - self.west) * 0.02, (self.north - self.south) * 0.02
        return (
            self.west - pad_lon <= place.longitude <= self.east + pad_lon
            and self.south - pad_lat <= place.latitude <= self.north + pad_lat
        )


@cache
def load_territory(path: Path = OUTLINES_FILE) -> Territory | None:
    """The communes of ``path`` (a GeoJSON FeatureCollection of polygons), or ``None``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    communes = []
    for feature in data.get("features", []):
        geometry = feature.get("geometry") or {}
        coordinates = geometry.get("coordinates") or []
        polygons = {"Polygon": [coordinates], "MultiPolygon": coordinates}.get(
            geometry.get("type", ""), []
        )
        rings = tuple(
            tuple((float(point[0]), float(point[1])) for point in polygon[0])
            for polygon in polygons
            if polygon  # the outer ring; holes do not show at this scale
        )
        if rings:
            centre, area = _centroid(max(rings, key=lambda ring: abs(_signed_area(ring))))
            name = str((feature.get("properties") or {}).get("name", ""))
            communes.append(Commune(name, rings, centre, area))
    if not communes:
        return None
    points = [point for commune in communes for ring in commune.rings for point in ring]
    return Territory(
        communes=tuple(communes),
        attribution=str((data.get("source") or {}).get("attribution", "")),
        west=min(x for x, _y in points),
        east=max(x for x, _y in points),
        south=min(y for _x, y in points),
        north=max(y for _x, y in points),
    )


def _signed_area(ring: Sequence[tuple[float, float]]) -> float:
    return (
        sum(
            x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True)
        )
        / 2
    )


def _centroid(ring: Sequence[tuple[float, float]]) -> tuple[tuple[float, float], float]:
    area = _signed_area(ring)
    if not area:
        return (sum(x for x, _ in ring) / len(ring), sum(y for _, y in ring) / len(ring)), 0.0
    pairs = zip(ring, [*ring[1:], ring[0]], strict=True)
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in pairs:
        cross = x1 * y2 - x2 * y1
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return (cx / (6 * area), cy / (6 * area)), abs(area)


# --- projection --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    west: float
    north: float
    factor: float  # pixels per degree of longitude × cos(latitude)
    cos: float
    offset_x: float
    offset_y: float

    def __call__(self, latitude: float, longitude: float) -> tuple[float, float]:
        return (
            round(self.offset_x + (longitude - self.west) * self.cos * self.factor, 1),
            round(self.offset_y + (self.north - latitude) * self.factor, 1),
        )

    @property
    def metres_per_pixel(self) -> float:
        return 111_320 / self.factor


def fit(west: float, east: float, south: float, north: float, height: int) -> Projection:
    """The projection that fits the box in ``WIDTH`` × ``height`` with the margin."""
    cos = math.cos(math.radians((south + north) / 2))
    span_x, span_y = (east - west) * cos, north - south
    fits = [(WIDTH - 2 * MARGIN - 2 * MARKER) / span_x] if span_x else []
    fits += [(height - 2 * MARGIN - 2 * MARKER) / span_y] if span_y else []
    factor = min(fits) if fits else 1000.0
    return Projection(
        west=west,
        north=north,
        factor=factor,
        cos=cos,
        offset_x=(WIDTH - span_x * factor) / 2,
        offset_y=(height - span_y * factor) / 2,
    )


# --- what the template draws ----------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    label: str
    title: str
    colour: str
    shape: str = "circle"
    points: str = ""  # the polygon of a non-circular shape


@dataclass(frozen=True)
class Line:
    points: str
    colour: str
    dash: str
    title: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclass(frozen=True)
class LegendEntry:
    y: float
    name: str
    colour: str
    dash: str
    marker: Marker


@dataclass(frozen=True)
class ScaleBar:
    x: float
    y: float
    length: float
    label: str

    @property
    def end(self) -> float:
        return round(self.x + self.length, 1)

    @property
    def text_y(self) -> float:
        return self.y - 8


@dataclass
class RouteMap:
    width: int = WIDTH
    height: int = FALLBACK_HEIGHT  # of the whole drawing, legend included
    map_height: int = FALLBACK_HEIGHT
    on_territory: bool = False
    communes: list[str] = field(default_factory=list)  # SVG path data, one per commune
    labels: list[Label] = field(default_factory=list)  # commune names (or stops' communes)
    base: Marker | None = None
    base_label: Label | None = None
    markers: list[Marker] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)
    scale: ScaleBar | None = None
    attribution: str = ""

    @property
    def frame_width(self) -> int:
        return self.width - 1

    @property
    def attribution_x(self) -> int:
        return self.width - MARGIN

    @property
    def attribution_y(self) -> int:
        return self.height - 6


def _shape_points(shape: str, x: float, y: float, size: float = MARKER) -> str:
    corners: list[tuple[float, float]]
    if shape == "square":
        corners = [(-1, -1), (1, -1), (1, 1), (-1, 1)]
        size *= 0.9
    elif shape == "diamond":
        corners = [(0, -1.25), (1.25, 0), (0, 1.25), (-1.25, 0)]
    elif shape == "hexagon":
        corners = [
            (math.cos(math.radians(a)), math.sin(math.radians(a))) for a in range(0, 360, 60)
        ]
        size *= 1.1
    elif shape == "base":  # a house: the base
        corners = [(-1, 1), (-1, -0.2), (0, -1.1), (1, -0.2), (1, 1)]
    else:
        return ""
    return " ".join(f"{round(x + dx * size, 1)},{round(y + dy * size, 1)}" for dx, dy in corners)


def marker(x: float, y: float, label: str, title: str, style: int, size: float = MARKER) -> Marker:
    colour, _dash, shape = STYLES[style % len(STYLES)]
    return Marker(x, y, label, title, colour, shape, _shape_points(shape, x, y, size))


def _scale_bar(projection: Projection, x: float, y: float) -> ScaleBar:
    """About a sixth of the width, rounded to a nice number of kilometres."""
    wanted_km = WIDTH / 6 * projection.metres_per_pixel / 1000
    km = max([k for k in NICE_KM if k <= wanted_km] or [NICE_KM[0]])
    return ScaleBar(x, y, round(km * 1000 / projection.metres_per_pixel, 1), f"{km} km")


class _Space:
    """Boxes already drawn, so labels and markers do not cover each other."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.boxes: list[tuple[float, float, float, float]] = []

    def free(self, box: tuple[float, float, float, float]) -> bool:
        left, top, right, bottom = box
        if left < 2 or top < 2 or right > self.width - 2 or bottom > self.height - 2:
            return False
        return all(
            right <= other[0] or left >= other[2] or bottom <= other[1] or top >= other[3]
            for other in self.boxes
        )

    def take(self, box: tuple[float, float, float, float]) -> None:
        self.boxes.append(box)


def _text_box(x: float, y: float, text: str, anchor: str) -> tuple[float, float, float, float]:
    width = len(text) * LABEL_FONT * 0.56
    left = x - width / 2 if anchor == "middle" else (x if anchor == "start" else x - width)
    return (left - 1, y - LABEL_FONT, left + width + 1, y + 3)


# --- the round ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Stop:
    place: Place
    sequence: int
    title: str
    commune: str


def route_map(plan: RoutePlan, territory: Territory | None | bool = True) -> RouteMap:
    """The round on the territory: communes, the base, numbered stops, a line per technician.

    ``territory``: ``True`` for the packaged outlines, ``None`` for none (the fallback map).
    """
    base_place = place_of(plan.base)
    if base_place is None:
        return RouteMap()
    routes = list(
        plan.routes.select_related("technician").prefetch_related("stops__intervention__site")
    )
    stops_by_route: list[list[_Stop]] = []
    for route in routes:
        stops = []
        for stop in route.stops.all():
            site = stop.intervention.site
            place = place_of(site) if site is not None else None
            if site is not None and place is not None:
                stops.append(
                    _Stop(
                        place,
                        stop.sequence,
                        f"{stop.sequence}. {site} — {stop.intervention}",
                        site.city,
                    )
                )
        stops_by_route.append(stops)
    names = [str(route.technician) for route in routes]
    return draw(
        base=(base_place, str(plan.base)),
        routes=list(zip(names, stops_by_route, strict=True)),
        territory=load_territory() if territory is True else territory or None,
    )


def draw(
    *,
    base: tuple[Place, str] | None,
    routes: Sequence[tuple[str, Sequence[_Stop]]],
    territory: Territory | None,
    connect: bool = True,
) -> RouteMap:
    """The map of ``routes`` (lines from and back to ``base`` when ``connect``)."""
    places = [base[0]] if base else []
    places += [stop.place for _name, stops in routes for stop in stops]
    if not places:
        return RouteMap()
    on_territory = territory is not None and all(territory.holds(p) for p in places)
    legend_rows = (len(routes) if connect else 0) + (1 if base else 0)
    legend_height = max(LEGEND_LINE * legend_rows + 26, 44)
    drawing = RouteMap(on_territory=on_territory)
    if territory is not None and on_territory:
        cos = math.cos(math.radians((territory.south + territory.north) / 2))
        ratio = (territory.north - territory.south) / ((territory.east - territory.west) * cos)
        drawing.map_height = min(MAX_HEIGHT, round((WIDTH - 2 * MARGIN) * ratio + 2 * MARGIN))
        projection = fit(
            territory.west, territory.east, territory.south, territory.north, drawing.map_height
        )
        drawing.attribution = _("Commune outlines: IGN GEOFLA, Licence Ouverte")
    else:
        lats = [p.latitude for p in places]
        lons = [p.longitude for p in places]
        # Room for the labels around the places.
        pad_lat = max((max(lats) - min(lats)) * 0.08, 0.01)
        pad_lon = max((max(lons) - min(lons)) * 0.08, 0.01)
        projection = fit(
            min(lons) - pad_lon,
            max(lons) + pad_lon,
            min(lats) - pad_lat,
            max(lats) + pad_lat,
            FALLBACK_HEIGHT,
        )
    drawing.height = drawing.map_height + legend_height
    space = _Space(WIDTH, drawing.map_height)

    bx = by = 0.0
    if base:
        bx, by = projection(base[0].latitude, base[0].longitude)
        drawing.base = Marker(
            bx, by, "", base[1], "#000", "base", _shape_points("base", bx, by, 10)
        )
        space.take((bx - 11, by - 12, bx + 11, by + 11))
    stop_positions: list[tuple[float, float, _Stop]] = []
    for position, (name, stops) in enumerate(routes):
        colour, dash, _shape = STYLES[position % len(STYLES)]
        line = [(bx, by)] if base else []
        for stop in stops:
            x, y = projection(stop.place.latitude, stop.place.longitude)
            line.append((x, y))
            # Stops at one site or at neighbouring sites: shift each marker off the ones
            # already drawn so every number stays readable (the line keeps the true spot).
            taken = [*drawing.markers, *([drawing.base] if drawing.base else [])]
            mx, my = _free_spot(x, y, taken, drawing.map_height)
            drawing.markers.append(marker(mx, my, str(stop.sequence), stop.title, position))
            space.take((mx - MARKER - 1, my - MARKER - 1, mx + MARKER + 1, my + MARKER + 1))
            stop_positions.append((mx, my, stop))
        if not connect:
            continue
        if base:
            line.append((bx, by))
        drawing.lines.append(Line(" ".join(f"{x},{y}" for x, y in line), colour, dash, name))
        legend_y = drawing.map_height + 20 + LEGEND_LINE * position
        drawing.legend.append(
            LegendEntry(
                legend_y, name, colour, dash, marker(52, legend_y - 4, "", name, position, 7)
            )
        )
    if base:
        rows = len(routes) if connect else 0
        drawing.legend.append(
            LegendEntry(
                drawing.map_height + 20 + LEGEND_LINE * rows,
                _("Base: %(site)s") % {"site": base[1]},
                "#000",
                "",
                Marker(
                    52,
                    drawing.map_height + 16 + LEGEND_LINE * rows,
                    "",
                    base[1],
                    "#000",
                    "base",
                    _shape_points("base", 52, drawing.map_height + 16 + LEGEND_LINE * rows, 7),
                ),
            )
        )
    if on_territory and territory is not None:
        drawing.communes = [_path(commune.rings, projection) for commune in territory.communes]
        _place_commune_labels(drawing, territory, projection, space, stop_positions)
    else:
        _place_stop_labels(drawing, stop_positions, space, base, projection)
    bar = _scale_bar(projection, 0, drawing.map_height + 22)
    drawing.scale = ScaleBar(WIDTH - MARGIN - bar.length, bar.y, bar.length, bar.label)
    return drawing


def _path(rings: Iterable[Sequence[tuple[float, float]]], projection: Projection) -> str:
    parts = []
    for ring in rings:
        points = [projection(latitude, longitude) for longitude, latitude in ring]
        parts.append("M" + " ".join(f"{x},{y}" for x, y in points) + "Z")
    return "".join(parts)


def _place_commune_labels(
    drawing: RouteMap,
    territory: Territory,
    projection: Projection,
    space: _Space,
    stops: list[tuple[float, float, _Stop]],
) -> None:
    """Names of the communes with a stop first, then the largest, where they fit."""
    visited = {stop.commune.casefold() for _x, _y, stop in stops}
    ranked = sorted(
        territory.communes,
        key=lambda c: (c.name.casefold() not in visited, -c.area, c.name),
    )
    near = [(0, dy) for dy in (0, -10, 10, -18, 18)]
    around = near + [(dx, dy) for dy in (-24, 24, -32, 32, 0) for dx in (0, -24, 24)]
    for commune in ranked:
        x, y = projection(commune.centre[1], commune.centre[0])
        # A commune with a stop is worth a label further from its centre.
        for dx, dy in around if commune.name.casefold() in visited else near:
            box = _text_box(x + dx, y + dy + 3, commune.name, "middle")
            if space.free(box):
                space.take(box)
                drawing.labels.append(Label(round(x + dx, 1), round(y + dy + 3, 1), commune.name))
                break


def _place_stop_labels(
    drawing: RouteMap,
    stops: list[tuple[float, float, _Stop]],
    space: _Space,
    base: tuple[Place, str] | None,
    projection: Projection,
) -> None:
    """Without outlines: each stop's commune beside its marker, and the base's name."""
    entries = [(x, y, stop.commune) for x, y, stop in stops if stop.commune]
    if base and drawing.base is not None:
        entries.insert(0, (drawing.base.x, drawing.base.y, base[1]))
    seen: set[str] = set()
    for x, y, text in entries:
        if text in seen:
            continue
        for dx, dy, anchor in (
            (14, 4, "start"),
            (-14, 4, "end"),
            (0, -16, "middle"),
            (0, 24, "middle"),
        ):
            box = _text_box(x + dx, y + dy, text, anchor)
            if space.free(box):
                space.take(box)
                drawing.labels.append(Label(round(x + dx, 1), round(y + dy, 1), text, anchor))
                seen.add(text)
                break


# Where to try a marker, nearest first: rings of eight spots around the site.
_SPOTS = [(0, 0)] + [
    (ring * dx, ring * dy)
    for ring in (22, 44, 66)
    for dx, dy in ((1, -1), (1, 1), (-1, 1), (-1, -1), (0, -1), (1, 0), (0, 1), (-1, 0))
]


def _free_spot(x: float, y: float, taken: list[Marker], height: int) -> tuple[float, float]:
    """The nearest spot inside the drawing that no marker covers yet."""
    for dx, dy in _SPOTS:
        mx, my = x + dx, y + dy
        inside = 12 <= mx <= WIDTH - 12 and 12 <= my <= height - 12
        if inside and all(abs(mx - m.x) >= 22 or abs(my - m.y) >= 22 for m in taken):
            return mx, my
    return x, y


# --- sites ---------------------------------------------------------------------------------------


def sites_map(sites: Iterable[Site], territory: Territory | None | bool = True) -> RouteMap:
    """Sites as numbered markers on the territory (the numbers of the list beside it)."""
    stops = [
        _Stop(place, number, f"{number}. {site}", site.city)
        for number, (site, place) in enumerate(
            ((site, place_of(site)) for site in sites if place_of(site) is not None), 1
        )
        if place is not None
    ]
    return draw(
        base=None,
        routes=[("", stops)] if stops else [],
        territory=load_territory() if territory is True else territory or None,
        connect=False,
    )
