"""The circle for planners: communities stored and imported, coverage, tiers and new sites."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.circle import (
    Candidates,
    CircleSpec,
    Communities,
    Coverage,
    Stations,
    SuggestedSite,
    at_communities,
    measure,
    on_grid,
    suggest,
)
from matching.geo import EARTH_RADIUS_KM
from matching.policy import CircleTier, PriorityPolicy
from matching.regions import RegionTable
from matching.travel import TravelTimeProvider
from service.circle import repository
from service.circle.importer import CommunityImportReport, CommunityRow, decode, read_rows
from service.circle.models import Community
from service.sqltypes import utcnow

BOX_MARGIN_KM = 0.5


# --- communities ----------------------------------------------------------------------------


async def import_communities(
    session: AsyncSession, regions: RegionTable, data: bytes
) -> CommunityImportReport:
    """Store the good rows of a CSV file (new ones added, changed ones updated); report the
    bad ones by row number. Raises ``FileRefused`` when the file as a whole is unusable."""
    rows, rejected, read = read_rows(decode(data), regions)
    report = CommunityImportReport(rows=read, rejected=rejected)
    await store_communities(session, rows, report)
    return report


async def store_communities(
    session: AsyncSession, rows: Sequence[CommunityRow], report: CommunityImportReport
) -> None:
    known = await repository.by_keys(session, [row.key for row in rows])
    now = utcnow()
    for row in rows:
        stored = known.get(row.key)
        if stored is None:
            session.add(
                Community(
                    name=row.name,
                    adcode=row.adcode,
                    lat=row.lat,
                    lon=row.lon,
                    population=row.population,
                )
            )
            report.created += 1
        elif (stored.lat, stored.lon, stored.population) == (row.lat, row.lon, row.population):
            report.unchanged += 1
        else:
            stored.lat, stored.lon, stored.population = row.lat, row.lon, row.population
            stored.updated_at = now
            session.add(stored)
            report.updated += 1
    await session.flush()


# --- coverage -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CircleQuery:
    prefixes: tuple[str, ...]  # adcode prefixes of the communities counted; () = all
    mode: str
    minutes: float
    kinds: frozenset[str] | None  # None: every kind
    suggest: int = 0
    grid_km: float | None = None  # also grid points this far apart as candidate sites


@dataclass(frozen=True)
class TierResult:
    tier: CircleTier
    mode: str
    coverage: Coverage


@dataclass(frozen=True)
class CircleResult:
    query: CircleQuery
    coverage: Coverage
    suggestions: list[SuggestedSite]
    tiers: list[TierResult]
    reach_km: float  # straight-line radius of a circle, as the provider bounds it
    district_names: dict[str, str]


@dataclass(frozen=True)
class CircleReference:
    """What the circle needs of the reference data (not the taxonomy: the CLI starts fast)."""

    regions: RegionTable
    policy: PriorityPolicy


def tier_spec(policy: PriorityPolicy, tier: CircleTier) -> CircleSpec:
    return CircleSpec(policy.tier_mode(tier), tier.minutes, frozenset(tier.kinds) or None)


async def circle_result(
    session: AsyncSession, ref: CircleReference, travel: TravelTimeProvider, query: CircleQuery
) -> CircleResult:
    rows = await repository.communities_in(session, query.prefixes)
    communities = Communities.of((c.id, c.name, c.adcode, c.lat, c.lon, c.population) for c in rows)
    spec = CircleSpec(query.mode, query.minutes, query.kinds)
    tiers = [(tier, tier_spec(ref.policy, tier)) for tier in ref.policy.circle_tiers]
    widest = max(_reach_km(travel, s) for s in [spec, *(s for _, s in tiers)])
    box = _box(communities, widest + BOX_MARGIN_KM)
    found = await repository.stations_around(session, query.prefixes, box)
    stations = Stations.of((s.id, s.name, s.kind, s.adcode, s.lat, s.lon) for s in found)
    named = sorted({s.adcode for s in found if _in_prefixes(s.adcode, query.prefixes)})
    # NumPy work of a fraction of a second: off the event loop
    return await asyncio.to_thread(
        _compute, ref, travel, query, spec, tiers, communities, stations, named
    )


def _compute(
    ref: CircleReference,
    travel: TravelTimeProvider,
    query: CircleQuery,
    spec: CircleSpec,
    tiers: list[tuple[CircleTier, CircleSpec]],
    communities: Communities,
    stations: Stations,
    named: list[str],
) -> CircleResult:
    coverage = measure(communities, stations, travel, spec, districts=named)
    suggestions: list[SuggestedSite] = []
    if query.suggest:
        candidates = at_communities(communities)
        if query.grid_km:
            outside = communities.take(~coverage.covered)
            candidates = Candidates.join(candidates, on_grid(outside, query.grid_km))
        suggestions = suggest(coverage, travel, candidates, query.suggest)
    tier_results = [
        TierResult(tier, s.mode, measure(communities, stations, travel, s, districts=named))
        for tier, s in tiers
    ]
    codes = {d.adcode for d in coverage.districts} | {s.adcode for s in suggestions}
    names = {code: _region_name(ref, code) for code in codes if code}
    return CircleResult(query, coverage, suggestions, tier_results, _reach_km(travel, spec), names)


def _reach_km(travel: TravelTimeProvider, spec: CircleSpec) -> float:
    return float(np.max(travel.reach_km(spec.mode, np.array([float(spec.minutes)]))))


def _box(communities: Communities, radius_km: float) -> tuple[float, float, float, float] | None:
    located = communities.located
    if not located.any():
        return None
    lat, lon = communities.lat[located], communities.lon[located]
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    edge = min(89.0, float(np.max(np.abs(lat))) + dlat)
    dlon = dlat / math.cos(math.radians(edge))
    return (
        float(lat.min()) - dlat,
        float(lon.min()) - dlon,
        float(lat.max()) + dlat,
        float(lon.max()) + dlon,
    )


def _in_prefixes(adcode: str, prefixes: Sequence[str]) -> bool:
    return not prefixes or any(adcode.startswith(p) for p in prefixes)


def _region_name(ref: CircleReference, adcode: str) -> str:
    region = ref.regions.get(adcode)
    return region.name if region else adcode
