"""Who reaches what within a time limit, for many origins and destinations at once.

The straight-line prefilter is a matrix product: on the unit sphere two points are within an
angle θ exactly when the dot product of their position vectors is at least cos θ, so one BLAS
call per chunk of origins finds the pairs inside the provider's conservative radius (plus one
metre, well above the ~0.1 m that float64 resolves there). Only those pairs are then timed
exactly by the provider, so a point exactly on the limit is decided by the same minutes as
everywhere else in JobCircle: inside when ``minutes <= limit`` (within ``MINUTES_TOLERANCE``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from matching.geo import EARTH_RADIUS_KM
from matching.travel import MINUTES_TOLERANCE, TravelTimeProvider

PREFILTER_MARGIN_KM = 0.001
CHUNK_CELLS = 2_000_000  # origins × destinations per chunk: about 16 MB of float64 dot products


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """(n, 3) positions on the unit sphere; NaN rows for unknown coordinates."""
    phi = np.radians(np.asarray(lat, dtype=np.float64))
    lmb = np.radians(np.asarray(lon, dtype=np.float64))
    cos_phi = np.cos(phi)
    return np.column_stack((cos_phi * np.cos(lmb), cos_phi * np.sin(lmb), np.sin(phi)))


def pair_minutes(
    provider: TravelTimeProvider,
    from_lat: np.ndarray,
    from_lon: np.ndarray,
    to_lat: np.ndarray,
    to_lon: np.ndarray,
    mode: str,
) -> np.ndarray:
    """Minutes for each (origin, destination) pair, element by element."""
    between = getattr(provider, "minutes_between", None)
    if between is not None:
        return np.asarray(between(from_lat, from_lon, to_lat, to_lon, mode), dtype=np.float64)
    # A provider with only the one-to-many call: one call per distinct origin.
    out = np.empty(len(from_lat), dtype=np.float64)
    origins, inverse = np.unique(np.column_stack((from_lat, from_lon)), axis=0, return_inverse=True)
    for number, (lat, lon) in enumerate(origins):
        rows = np.flatnonzero(inverse.ravel() == number)
        out[rows] = provider.minutes_from(lat, lon, to_lat[rows], to_lon[rows], mode)
    return out


@dataclass(frozen=True)
class Reach:
    """``inside[i, j]``: origin i reaches destination j within the limit. ``nearest[i]``: the
    fewest minutes from origin i to a destination it reaches (NaN when none), ``nearest_to[i]``
    that destination (-1 when none)."""

    inside: np.ndarray
    nearest: np.ndarray
    nearest_to: np.ndarray


def reach(
    provider: TravelTimeProvider,
    origins: tuple[np.ndarray, np.ndarray],
    destinations: tuple[np.ndarray, np.ndarray],
    *,
    mode: str,
    minutes: float,
) -> Reach:
    """Which destinations each origin reaches within ``minutes`` by ``mode``."""
    from_lat, from_lon = (np.asarray(a, dtype=np.float64) for a in origins)
    to_lat, to_lon = (np.asarray(a, dtype=np.float64) for a in destinations)
    n_from, n_to = len(from_lat), len(to_lat)
    inside = np.zeros((n_from, n_to), dtype=bool)
    nearest = np.full(n_from, np.inf)
    nearest_to = np.full(n_from, -1, dtype=np.int64)
    if n_from and n_to:
        radius = float(np.max(provider.reach_km(mode, np.array([float(minutes)]))))
        angle = min(math.pi, (radius + PREFILTER_MARGIN_KM) / EARTH_RADIUS_KM)
        threshold = math.cos(angle)
        to_vectors = unit_vectors(to_lat, to_lon)
        step = max(1, CHUNK_CELLS // n_to)
        for start in range(0, n_from, step):
            stop = min(n_from, start + step)
            dots = unit_vectors(from_lat[start:stop], from_lon[start:stop]) @ to_vectors.T
            rows, cols = np.nonzero(dots >= threshold)  # NaN compares False: unknowns drop out
            rows += start
            timed = pair_minutes(
                provider, from_lat[rows], from_lon[rows], to_lat[cols], to_lon[cols], mode
            )
            ok = timed <= minutes + MINUTES_TOLERANCE
            rows, cols, timed = rows[ok], cols[ok], timed[ok]
            inside[rows, cols] = True
            _keep_nearest(nearest, nearest_to, rows, cols, timed)
    nearest[np.isinf(nearest)] = np.nan
    return Reach(inside, nearest, nearest_to)


def _keep_nearest(
    nearest: np.ndarray, nearest_to: np.ndarray, rows: np.ndarray, cols: np.ndarray, m: np.ndarray
) -> None:
    """Per origin, the smallest minutes among these pairs (and which destination)."""
    if not len(rows):
        return
    order = np.lexsort((m, rows))  # by origin, fastest first
    rows, cols, m = rows[order], cols[order], m[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = rows[1:] != rows[:-1]
    rows, cols, m = rows[first], cols[first], m[first]
    better = m < nearest[rows]
    nearest[rows[better]] = m[better]
    nearest_to[rows[better]] = cols[better]


def minutes_to_nearest(
    provider: TravelTimeProvider,
    origins: tuple[np.ndarray, np.ndarray],
    destinations: tuple[np.ndarray, np.ndarray],
    *,
    mode: str,
) -> tuple[np.ndarray, np.ndarray]:
    """(minutes, index) of the nearest destination for each origin, with no limit; NaN and -1
    when there is no destination or the origin has no coordinates."""
    from_lat, from_lon = origins
    to_lat, to_lon = destinations
    minutes = np.full(len(from_lat), np.nan)
    which = np.full(len(from_lat), -1, dtype=np.int64)
    if not len(to_lat):
        return minutes, which
    for i, (lat, lon) in enumerate(zip(from_lat, from_lon, strict=True)):
        if math.isnan(lat) or math.isnan(lon):
            continue
        timed = provider.minutes_from(float(lat), float(lon), to_lat, to_lon, mode)
        if np.all(np.isnan(timed)):
            continue
        j = int(np.nanargmin(timed))
        minutes[i], which[i] = timed[j], j
    return minutes, which
