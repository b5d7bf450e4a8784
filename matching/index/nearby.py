"""Postings within a travel limit for many places at once: located rows ordered by latitude.

``reach.postings_within`` compares every row with a query's travel box, which is the right
cost for one query. A block of queries from many places (a match run's batch) instead sorts
the located rows by latitude once, takes each box's band of latitudes by binary search and
applies the same box test to that band only. The rows and minutes are the ones
``postings_within`` gives: the same box test on the same values, the same provider call on the
same rows in the same (ascending) order.
"""

from __future__ import annotations

import math

import numpy as np

from matching.geo import EARTH_RADIUS_KM
from matching.index.base import TravelFilter
from matching.index.table import Table
from matching.travel import MINUTES_TOLERANCE, TravelTimeProvider, bounding_box_mask

# Sorting the rows costs about as much as a few whole-table box tests (13 ms at 100,000 rows;
# kept until the next write): below this many distinct places in one call, testing every row
# is cheaper.
MIN_PLACES = 8
BAND_SLACK = 1e-6  # degrees: the band is a little wider than the box, the box test decides


class LatitudeOrder:
    """The table's located rows sorted by latitude, as they were at ``version`` of the table
    (the index keeps it until a write moves the version; a call holds the index's lock)."""

    def __init__(self, table: Table) -> None:
        self.version = table.version
        lat = table.col("lat")
        located = np.flatnonzero(table.col("alive") & ~np.isnan(lat))
        order = np.argsort(lat[located], kind="stable")
        self.table = table
        self.rows = located[order]
        self.lats = lat[self.rows]
        self.lons = table.col("lon")[self.rows]

    @staticmethod
    def worth_it(travels: list[TravelFilter | None]) -> bool:
        places = {t for t in travels if t is not None and t.max_minutes is not None}
        return len(places) >= MIN_PLACES

    def current(self, table: Table) -> bool:
        return self.table is table and self.version == table.version

    def within(
        self, provider: TravelTimeProvider, travel: TravelFilter
    ) -> tuple[np.ndarray, np.ndarray]:
        """(rows within the limit, ascending; their minutes) for a filter with a limit, as
        ``reach.postings_within`` finds them."""
        assert travel.max_minutes is not None
        t = self.table
        radius = float(np.max(provider.reach_km(travel.mode, np.array([travel.max_minutes]))))
        half = math.degrees(radius / EARTH_RADIUS_KM) + BAND_SLACK
        lo = int(np.searchsorted(self.lats, travel.lat - half, side="left"))
        hi = int(np.searchsorted(self.lats, travel.lat + half, side="right"))
        box = bounding_box_mask(travel.lat, travel.lon, self.lats[lo:hi], self.lons[lo:hi], radius)
        rows = np.sort(self.rows[lo:hi][box])
        if not travel.include_imprecise:
            rows = rows[t.col("precise")[rows]]
        lat, lon = t.col("lat"), t.col("lon")
        minutes = provider.minutes_from(travel.lat, travel.lon, lat[rows], lon[rows], travel.mode)
        inside = minutes <= travel.max_minutes + MINUTES_TOLERANCE
        return rows[inside], minutes[inside]
