"""The share of population within N minutes of at least one station, per district and overall.

Rules, all tested:

- A community counts as covered when its travel time to some station of the chosen kinds is at
  most the limit; a community exactly on a circle's edge is inside (the same tolerance as the
  matcher's travel filter, ``MINUTES_TOLERANCE``).
- Stations without coordinates reach nobody: they are left out and counted
  (``stations_without_coordinates``). Communities without coordinates count as uncovered.
- A community may be covered by a station of a neighbouring district: people cross borders.
- Every district with communities is reported, with 0 % when nothing reaches it, and so is every
  district the caller names even if it has no communities (its share is then unknown: ``None``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from matching.circle.points import Communities, Stations
from matching.circle.reach import minutes_to_nearest, reach
from matching.travel import TravelTimeProvider


@dataclass(frozen=True)
class CircleSpec:
    """One circle: reachable within ``minutes`` by ``mode`` from a station of ``kinds``
    (``None``: every kind)."""

    mode: str
    minutes: float
    kinds: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if self.minutes <= 0:
            raise ValueError("minutes must be positive")


@dataclass(frozen=True)
class AreaCoverage:
    adcode: str  # "" for the whole area
    population: int
    covered_population: int
    communities: int
    uncovered_communities: int
    stations: int  # located stations of the chosen kinds in the area

    @property
    def share(self) -> float | None:
        """Covered population ÷ population; ``None`` when nobody is known to live there."""
        return self.covered_population / self.population if self.population else None


@dataclass(frozen=True)
class Coverage:
    spec: CircleSpec
    communities: Communities
    stations: Stations  # the stations of the chosen kinds that have coordinates
    covered: np.ndarray  # per community
    nearest_minutes: np.ndarray  # per community: minutes to the nearest station (NaN: none)
    nearest_station: np.ndarray  # per community: row in ``stations`` (-1: none)
    overall: AreaCoverage
    districts: tuple[AreaCoverage, ...]
    stations_without_coordinates: int

    @property
    def uncovered(self) -> np.ndarray:
        """Rows of the uncovered communities, most populous first."""
        rows = np.flatnonzero(~self.covered)
        return rows[np.argsort(-self.communities.population[rows], kind="stable")]


def measure(
    communities: Communities,
    stations: Stations,
    provider: TravelTimeProvider,
    spec: CircleSpec,
    *,
    districts: Sequence[str] = (),
) -> Coverage:
    """Coverage of ``communities`` by ``stations`` of ``spec.kinds`` within ``spec.minutes``."""
    chosen = stations.of_kinds(spec.kinds)
    located = chosen.take(chosen.located)
    homes = (communities.lat, communities.lon)
    found = reach(provider, homes, (located.lat, located.lon), mode=spec.mode, minutes=spec.minutes)
    covered = found.inside.any(axis=1) if len(located) else np.zeros(len(communities), bool)
    nearest, which = found.nearest.copy(), found.nearest_to.copy()
    # For the uncovered, the nearest station however far: "32 minutes to 江岸区…服务站".
    far = np.flatnonzero(~covered)
    far_minutes, far_which = minutes_to_nearest(
        provider,
        (communities.lat[far], communities.lon[far]),
        (located.lat, located.lon),
        mode=spec.mode,
    )
    nearest[far], which[far] = far_minutes, far_which
    return Coverage(
        spec=spec,
        communities=communities,
        stations=located,
        covered=covered,
        nearest_minutes=nearest,
        nearest_station=which,
        overall=_area("", communities, covered, located, np.ones(len(communities), bool)),
        districts=_by_district(communities, covered, located, districts),
        stations_without_coordinates=int(len(chosen) - len(located)),
    )


def _area(
    adcode: str,
    communities: Communities,
    covered: np.ndarray,
    stations: Stations,
    rows: np.ndarray,
    station_rows: np.ndarray | None = None,
) -> AreaCoverage:
    population = communities.population[rows]
    return AreaCoverage(
        adcode=adcode,
        population=int(population.sum()),
        covered_population=int(population[covered[rows]].sum()),
        communities=int(rows.sum()),
        uncovered_communities=int((rows & ~covered).sum()),
        stations=int(len(stations) if station_rows is None else station_rows.sum()),
    )


def _by_district(
    communities: Communities,
    covered: np.ndarray,
    stations: Stations,
    named: Collection[str],
) -> tuple[AreaCoverage, ...]:
    codes = sorted(set(communities.adcodes.tolist()) | set(named))
    return tuple(
        _area(
            code,
            communities,
            covered,
            stations,
            communities.adcodes == code,
            stations.adcodes == code,
        )
        for code in codes
    )
