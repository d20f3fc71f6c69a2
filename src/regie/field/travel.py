"""How far and how long between places: the travel-matrix providers of route planning.

The planner only needs two square tables (metres and seconds between every pair of
places). :class:`GreatCircleMatrix` derives them from coordinates: the great-circle
distance stretched by a road factor, driven at an average speed. A provider asking a
routing server (OSRM's ``/table`` service, for instance) would implement the same
:class:`TravelMatrix` protocol and plug in through :func:`default_matrix`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True)
class Place:
    """A point in WGS84 degrees."""

    latitude: float
    longitude: float


@dataclass(frozen=True)
class TravelTable:
    """``metres[i][j]`` and ``seconds[i][j]``: from place ``i`` to place ``j``."""

    metres: list[list[int]]
    seconds: list[list[int]]


class TravelMatrix(Protocol):
    """Anything that can tell the distances and driving times between places."""

    def table(self, places: Sequence[Place]) -> TravelTable: ...


def great_circle_m(a: Place, b: Place) -> float:
    """Haversine distance in metres."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    d_lat = lat2 - lat1
    d_lon = math.radians(b.longitude - a.longitude)
    h = math.sin(d_lat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(d_lon / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


class GreatCircleMatrix:
    """Road distance ≈ great-circle distance × ``road_factor``; time at ``speed_kmh``."""

    def __init__(self, *, road_factor: float, speed_kmh: float) -> None:
        if road_factor < 1 or speed_kmh <= 0:
            raise ValueError("road_factor must be at least 1 and speed_kmh positive")
        self.road_factor = road_factor
        self.speed_kmh = speed_kmh

    def table(self, places: Sequence[Place]) -> TravelTable:
        metres_per_second = self.speed_kmh * 1000 / 3600
        metres: list[list[int]] = []
        seconds: list[list[int]] = []
        for origin in places:
            row_m: list[int] = []
            row_s: list[int] = []
            for destination in places:
                road = great_circle_m(origin, destination) * self.road_factor
                row_m.append(round(road))
                row_s.append(round(road / metres_per_second))
            metres.append(row_m)
            seconds.append(row_s)
        return TravelTable(metres=metres, seconds=seconds)


def default_matrix() -> TravelMatrix:
    """The provider the settings describe (``REGIE_ROUTE_ROAD_FACTOR``, ``…_SPEED_KMH``)."""
    return GreatCircleMatrix(
        road_factor=settings.ROUTE_ROAD_FACTOR, speed_kmh=settings.ROUTE_SPEED_KMH
    )
