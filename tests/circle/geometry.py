"""Points at hand-checked distances: along a meridian the great-circle distance is R·Δφ
exactly, so a point ``km`` due north of another is exactly ``km`` away."""

from __future__ import annotations

import math

from matching.geo import EARTH_RADIUS_KM

ORIGIN = (30.0, 114.0)


def north(km: float, of: tuple[float, float] = ORIGIN) -> tuple[float, float]:
    return of[0] + math.degrees(km / EARTH_RADIUS_KM), of[1]


def east(km: float, of: tuple[float, float] = ORIGIN) -> tuple[float, float]:
    """Approximately ``km`` due east (a parallel is not a great circle): for layouts only."""
    return of[0], of[1] + math.degrees(km / EARTH_RADIUS_KM) / math.cos(math.radians(of[0]))
