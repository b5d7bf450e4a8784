"""Where K new stations would bring the most people inside the circle: greedy maximal coverage.

Each round picks the candidate site that reaches the most population not yet covered (by the
existing stations or the sites already picked), the classic greedy for maximal coverage, within
(1 - 1/e) of the best possible choice of K sites. The reach of every candidate is computed once
as a boolean matrix (uncovered communities × candidates); the gain of every candidate is one
matrix-vector product, and after each pick only the rows it newly covers are subtracted. Ties go
to the earlier candidate, so the answer is repeatable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from matching.circle.coverage import CircleSpec, Coverage
from matching.circle.points import Communities
from matching.circle.reach import reach
from matching.geo import EARTH_RADIUS_KM
from matching.travel import TravelTimeProvider

GAIN_CHUNK_ROWS = 1024


@dataclass(frozen=True)
class Candidates:
    """Possible sites for a new station."""

    lat: np.ndarray
    lon: np.ndarray
    labels: np.ndarray  # a community's name, or "网格 30.5812,114.2871"
    adcodes: np.ndarray  # the district, "" when unknown (grid points)
    sources: np.ndarray  # "community" or "grid"

    def __len__(self) -> int:
        return len(self.lat)

    def take(self, rows: np.ndarray) -> Candidates:
        return Candidates(
            self.lat[rows],
            self.lon[rows],
            self.labels[rows],
            self.adcodes[rows],
            self.sources[rows],
        )

    @staticmethod
    def join(*parts: Candidates) -> Candidates:
        return Candidates(*(np.concatenate([getattr(p, f) for p in parts]) for f in _FIELDS))


_FIELDS = ("lat", "lon", "labels", "adcodes", "sources")


def at_communities(communities: Communities) -> Candidates:
    """Every located community as a site (a 家门口 station opens in a community)."""
    rows = np.flatnonzero(communities.located)
    n = len(rows)
    return Candidates(
        communities.lat[rows],
        communities.lon[rows],
        communities.names[rows],
        communities.adcodes[rows],
        np.full(n, "community", dtype=object),
    )


def on_grid(communities: Communities, spacing_km: float) -> Candidates:
    """Grid points ``spacing_km`` apart over the box of the given (located) communities."""
    if spacing_km <= 0:
        raise ValueError("grid spacing must be positive")
    lat, lon = communities.lat[communities.located], communities.lon[communities.located]
    if not len(lat):
        return Candidates(*(np.array([], dtype=t) for t in (float, float, object, object, object)))
    dlat = math.degrees(spacing_km / EARTH_RADIUS_KM)
    dlon = dlat / math.cos(math.radians(float(np.mean(lat))))
    lats = np.arange(lat.min(), lat.max() + dlat / 2, dlat)
    lons = np.arange(lon.min(), lon.max() + dlon / 2, dlon)
    grid_lat, grid_lon = (a.ravel() for a in np.meshgrid(lats, lons, indexing="ij"))
    labels = np.array([f"网格 {a:.4f},{b:.4f}" for a, b in zip(grid_lat, grid_lon, strict=True)])
    n = len(grid_lat)
    return Candidates(
        grid_lat,
        grid_lon,
        labels.astype(object),
        np.full(n, "", dtype=object),
        np.full(n, "grid", dtype=object),
    )


@dataclass(frozen=True)
class SuggestedSite:
    rank: int
    lat: float
    lon: float
    label: str
    adcode: str
    source: str
    added_population: int  # people this site brings inside the circle, beyond earlier picks
    added_communities: int
    covered_population_after: int  # everyone covered once this site (and earlier ones) open


def suggest(
    coverage: Coverage,
    provider: TravelTimeProvider,
    candidates: Candidates,
    k: int,
    *,
    spec: CircleSpec | None = None,
) -> list[SuggestedSite]:
    """Up to ``k`` sites, best first; fewer when no candidate adds anybody."""
    spec = spec or coverage.spec
    communities = coverage.communities
    rows = np.flatnonzero(~coverage.covered & communities.located)
    if k <= 0 or not len(rows) or not len(candidates):
        return []
    found = reach(
        provider,
        (communities.lat[rows], communities.lon[rows]),
        (candidates.lat, candidates.lon),
        mode=spec.mode,
        minutes=spec.minutes,
    )
    useful = np.flatnonzero(found.inside.any(axis=0))  # drop sites that reach nobody uncovered
    inside = found.inside[:, useful]
    sites = candidates.take(useful)
    people = communities.population[rows].astype(np.float64)
    gains = _gains(people, inside)
    open_rows = np.ones(len(rows), dtype=bool)
    covered_population = coverage.overall.covered_population
    picked: list[SuggestedSite] = []
    for rank in range(1, k + 1):
        if not len(gains):
            break
        best = int(np.argmax(gains))
        if gains[best] <= 0:
            break
        newly = np.flatnonzero(inside[:, best] & open_rows)
        added = int(communities.population[rows[newly]].sum())
        covered_population += added
        picked.append(
            SuggestedSite(
                rank=rank,
                lat=float(sites.lat[best]),
                lon=float(sites.lon[best]),
                label=str(sites.labels[best]),
                adcode=str(sites.adcodes[best]),
                source=str(sites.sources[best]),
                added_population=added,
                added_communities=len(newly),
                covered_population_after=covered_population,
            )
        )
        gains -= people[newly] @ inside[newly]
        open_rows[newly] = False
    return picked


def _gains(people: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """Population each candidate reaches: people @ inside, a chunk of rows at a time (the bool
    matrix is converted to float a slice at a time, never whole)."""
    gains = np.zeros(inside.shape[1], dtype=np.float64)
    for start in range(0, inside.shape[0], GAIN_CHUNK_ROWS):
        stop = start + GAIN_CHUNK_ROWS
        gains += people[start:stop] @ inside[start:stop].astype(np.float64)
    return gains
