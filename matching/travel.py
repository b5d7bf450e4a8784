"""Travel time by mode, estimated from straight-line distance until a routing engine is plugged in.

The estimate is ``fixed_minutes + detour × straight_line_km ÷ speed_kmh × 60``. Defaults, and
where they come from:

- ``detour`` 1.2 for every mode: the street network is longer than the straight line by a
  "circuity" factor that studies of city road networks put at about 1.2–1.4 (Levinson &
  El-Geneidy 2009 report ~1.2 for commutes; Chinese city cores with dense grids sit at the low end).
- walk 4.8 km/h: adult pedestrian free speed is 1.3–1.4 m/s (Bosina & Weidmann 2017 meta-analysis,
  ~1.34 m/s). With the detour, 15 minutes reach 1.0 km in a straight line, 1.2 km on foot —
  the scale of GB 50180-2018's 15-minute life circle (800–1000 m walking distance).
- bike 12 km/h: typical urban (shared) bicycle trip speed including junctions.
- ebike 15 km/h: GB 17761-2018 limits e-bikes to 25 km/h; mixed traffic and signals bring the urban
  average to about 15–18 km/h, the lower end is taken so the circle is not overstated.
- transit 15 km/h plus 10 fixed minutes: door-to-door bus/metro speed in Chinese cities is about
  15 km/h over the trip; walking to the stop and waiting cost about 10 minutes on top.
- drive 25 km/h plus 5 fixed minutes: average urban car speed in peak-affected traffic
  (city traffic reports put large-city averages around 20–30 km/h); the fixed part is parking.

Points located only to a district or city (their coordinates are a centroid) are *imprecise*:
:func:`imprecise_mask` marks them so callers can drop them or say "通勤时间为估算".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from matching.geo import EARTH_RADIUS_KM, haversine_km

MODE_LABELS: dict[str, str] = {
    "walk": "步行",
    "bike": "骑行",
    "ebike": "电动车",
    "transit": "公交",
    "drive": "驾车",
}
PRECISION_LABELS: dict[str, str] = {"district": "区县", "city": "城市", "unknown": "未知"}
# A point "exactly on the limit" must count as inside it despite floating-point rounding in the
# trigonometry; a thousandth of a second is far below anything a person could notice.
MINUTES_TOLERANCE = 1e-5


@dataclass(frozen=True)
class ModeSpeed:
    speed_kmh: float
    detour: float = 1.2
    fixed_minutes: float = 0.0

    def __post_init__(self) -> None:
        if self.speed_kmh <= 0 or self.detour < 1.0 or self.fixed_minutes < 0:
            raise ValueError("speed must be positive, detour at least 1, fixed minutes >= 0")


DEFAULT_SPEEDS: dict[str, ModeSpeed] = {
    "walk": ModeSpeed(4.8),
    "bike": ModeSpeed(12.0),
    "ebike": ModeSpeed(15.0),
    "transit": ModeSpeed(15.0, fixed_minutes=10.0),
    "drive": ModeSpeed(25.0, fixed_minutes=5.0),
}


@runtime_checkable
class TravelTimeProvider(Protocol):
    """Travel minutes between points. A routing engine's table can implement this later.

    Both methods are synchronous and vectorised: the embedded index calls them in a worker thread,
    so a provider backed by a local routing service may block there. ``reach_km`` must be a
    *conservative* straight-line radius (no point farther away can be reached in time): the index
    uses it to prefilter before asking for exact minutes.
    """

    def reach_km(self, mode: str, minutes: np.ndarray) -> np.ndarray: ...

    def minutes_from(
        self, lat: float, lon: float, lats: np.ndarray, lons: np.ndarray, mode: str
    ) -> np.ndarray:
        """Minutes from (lat, lon) to each destination; NaN where a destination is unknown."""
        ...


@dataclass(frozen=True)
class EstimatedTravel:
    """The straight-line estimate; speeds are configurable per mode."""

    speeds: Mapping[str, ModeSpeed] = field(default_factory=lambda: dict(DEFAULT_SPEEDS))

    def speed(self, mode: str) -> ModeSpeed:
        try:
            return self.speeds[mode]
        except KeyError:
            raise ValueError(f"unknown travel mode {mode!r}") from None

    def minutes_for_km(self, km: float, mode: str) -> float:
        speed = self.speed(mode)
        return speed.fixed_minutes + km * speed.detour / speed.speed_kmh * 60.0

    def minutes(self, lat1: float, lon1: float, lat2: float, lon2: float, mode: str) -> float:
        return self.minutes_for_km(haversine_km(lat1, lon1, lat2, lon2), mode)

    def km_for_minutes(self, minutes: float, mode: str) -> float:
        """Straight-line distance covered in ``minutes`` (0 if the fixed part uses them all)."""
        speed = self.speed(mode)
        return max(0.0, minutes - speed.fixed_minutes) * speed.speed_kmh / 60.0 / speed.detour

    def reach_km(self, mode: str, minutes: np.ndarray) -> np.ndarray:
        speed = self.speed(mode)
        spare = np.maximum(np.asarray(minutes, dtype=np.float64) - speed.fixed_minutes, 0.0)
        return spare * (speed.speed_kmh / 60.0 / speed.detour)

    def minutes_from(
        self, lat: float, lon: float, lats: np.ndarray, lons: np.ndarray, mode: str
    ) -> np.ndarray:
        speed = self.speed(mode)
        km = haversine_many(lat, lon, lats, lons)
        return speed.fixed_minutes + km * (speed.detour / speed.speed_kmh * 60.0)

    def minutes_between(
        self,
        from_lat: np.ndarray,
        from_lon: np.ndarray,
        to_lat: np.ndarray,
        to_lon: np.ndarray,
        mode: str,
    ) -> np.ndarray:
        """Minutes for each pair (element by element); NaN where a coordinate is unknown."""
        speed = self.speed(mode)
        km = pair_km(from_lat, from_lon, to_lat, to_lon)
        return speed.fixed_minutes + km * (speed.detour / speed.speed_kmh * 60.0)


def haversine_many(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Great-circle km from one point to many (NaN coordinates give NaN), as ``haversine_km``."""
    phi1 = math.radians(lat)
    phi2 = np.radians(np.asarray(lats, dtype=np.float64))
    dphi = phi2 - phi1
    dlmb = np.radians(np.asarray(lons, dtype=np.float64)) - math.radians(lon)
    a = np.sin(dphi / 2.0) ** 2 + math.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def pair_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle km between paired points (element by element)."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi = phi2 - phi1
    dlmb = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    a = np.sin(dphi / 2.0) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def bounding_box_mask(
    lat: float, lon: float, lats: np.ndarray, lons: np.ndarray, radius_km: float
) -> np.ndarray:
    """Cheap superset of the points within ``radius_km``: a lat/lon box, no trigonometry per point.

    The longitude half-width uses the cosine at the box's pole-ward edge, so the box always holds
    the circle (away from the poles, which no Chinese city is near).
    """
    # The margin (0.1 mm) keeps a point exactly on the radius inside despite float rounding.
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM) + 1e-9
    edge = min(89.0, abs(lat) + dlat)
    dlon = min(180.0, dlat / max(math.cos(math.radians(edge)), 1e-6))
    return (np.abs(lats - lat) <= dlat) & (np.abs(lons - lon) <= dlon)


def imprecise_mask(precisions: np.ndarray) -> np.ndarray:
    """True where a location is not a point (a district or city centroid, or unknown)."""
    return np.asarray(precisions) != "point"


def travel_phrase(mode: str, minutes: float) -> str:
    """ "步行约12分钟": minutes rounded up, at least 1, so a limit of 15 is never shown as 16."""
    shown = max(1, math.ceil(minutes - MINUTES_TOLERANCE))
    return f"{MODE_LABELS.get(mode, mode)}约{shown}分钟"


def imprecise_phrase(precision: str) -> str:
    label = PRECISION_LABELS.get(precision, "区县")
    return f"位置仅精确到{label}，通勤时间为估算"
