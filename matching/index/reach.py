"""The embedded index's travel filters: who or what is within reach, and in how many minutes.

Computed over whole columns, so several queries from the same place share one computation. A
cheap bounding box (from the provider's conservative ``reach_km``) comes first; exact minutes
are asked of the provider only for the rows inside it.
"""

from __future__ import annotations

import numpy as np

from matching.documents import TRAVEL_MODES
from matching.index.base import JobseekerReach, TravelFilter
from matching.index.table import Table
from matching.travel import MINUTES_TOLERANCE, TravelTimeProvider, bounding_box_mask


def postings_within(
    t: Table, provider: TravelTimeProvider, travel: TravelFilter
) -> tuple[np.ndarray, np.ndarray]:
    """(rows within the limit, minutes for every located row) over all rows of ``t``."""
    lat, lon = t.col("lat"), t.col("lon")
    located = t.col("alive") & ~np.isnan(lat)
    if not travel.include_imprecise:
        located &= t.col("precise")
    rows = np.flatnonzero(located)
    if travel.max_minutes is not None:
        radius = float(np.max(provider.reach_km(travel.mode, np.array([travel.max_minutes]))))
        rows = rows[bounding_box_mask(travel.lat, travel.lon, lat[rows], lon[rows], radius)]
    minutes = np.full(t.size, np.nan)
    minutes[rows] = provider.minutes_from(travel.lat, travel.lon, lat[rows], lon[rows], travel.mode)
    if travel.max_minutes is None:  # annotate only: unlocated rows stay, imprecise may not
        inside = t.col("alive") & (t.col("precise") | travel.include_imprecise)
    else:
        inside = minutes <= travel.max_minutes + MINUTES_TOLERANCE
    return inside, minutes


def people_reaching(
    t: Table, provider: TravelTimeProvider, reach: JobseekerReach
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(people who reach the place by their own mode within their own limit, minutes,
    mode codes), over all seeking people of ``t``."""
    lat, lon = t.col("lat"), t.col("lon")
    located = t.col("alive") & t.col("seeking") & ~np.isnan(lat)
    if not reach.include_imprecise:
        located &= t.col("precise")
    rows = np.flatnonzero(located)
    # One cheap box for everybody first, as wide as the farthest-reaching person could go.
    widest = reach.max_minutes
    if widest is None:
        own = t.col("limit")[rows]
        widest = max(reach.default_max_minutes, float(np.max(own, initial=0.0, where=own == own)))
    possible = (reach.mode,) if reach.mode is not None else TRAVEL_MODES
    radius = max(float(np.max(provider.reach_km(m, np.array([widest])))) for m in possible)
    rows = rows[bounding_box_mask(reach.lat, reach.lon, lat[rows], lon[rows], radius)]
    modes = t.col("mode")[rows].astype(np.int64)
    modes[modes < 0] = TRAVEL_MODES.index(reach.default_mode)
    if reach.mode is not None:
        modes[:] = TRAVEL_MODES.index(reach.mode)
    limits = t.col("limit")[rows]
    limits = np.where(np.isnan(limits), reach.default_max_minutes, limits)
    if reach.max_minutes is not None:
        limits[:] = reach.max_minutes
    minutes = np.full(len(rows), np.inf)
    for code in np.flatnonzero(np.bincount(modes, minlength=len(TRAVEL_MODES))):
        mode, chosen = TRAVEL_MODES[code], np.flatnonzero(modes == code)
        near = rows[chosen]
        minutes[chosen] = provider.minutes_from(reach.lat, reach.lon, lat[near], lon[near], mode)
    keep = minutes <= limits + MINUTES_TOLERANCE
    inside = np.zeros(t.size, bool)
    inside[rows[keep]] = True
    dense_minutes, dense_modes = np.full(t.size, np.nan), np.full(t.size, -1, np.int64)
    dense_minutes[rows[keep]], dense_modes[rows[keep]] = minutes[keep], modes[keep]
    return inside, dense_minutes, dense_modes
