"""What /stats/circle answers, and what ``jobcircle circle report`` writes out of the same."""

from __future__ import annotations

import math

from pydantic import BaseModel, Field

from matching.circle import AreaCoverage, Coverage
from service.circle.service import CircleResult


class AreaCoveragePublic(BaseModel):
    adcode: str | None = Field(description="District code; null for the whole scope")
    name: str | None = Field(None, examples=["江岸区"])
    population: int = Field(description="People in the area's communities")
    covered_population: int = Field(description="Of them, within the limit of a station")
    share: float | None = Field(
        description="covered_population ÷ population; null when no community is known there",
        examples=[0.83],
    )
    communities: int
    uncovered_communities: int
    stations: int = Field(description="Stations of the chosen kinds with coordinates in the area")


class UncoveredCommunity(BaseModel):
    id: str
    name: str = Field(examples=["后湖街道幸福社区"])
    adcode: str
    lat: float
    lon: float
    population: int
    nearest_minutes: float | None = Field(
        description="Minutes to the nearest station of the chosen kinds (null: there is none)"
    )
    nearest_station_id: str | None
    nearest_station_name: str | None


class SuggestedSitePublic(BaseModel):
    rank: int = Field(description="1 = the site to open first")
    lat: float
    lon: float
    label: str = Field(description="The community a site is in, or the grid point")
    adcode: str | None
    source: str = Field(description="community or grid")
    added_population: int = Field(description="People this site adds to the circle")
    added_communities: int
    share_after: float | None = Field(description="The scope's share once sites 1..rank open")


class TierCoverage(BaseModel):
    code: str = Field(examples=["service"])
    name: str = Field(examples=["10分钟就业服务圈"])
    mode: str
    minutes: float
    kinds: list[str] | None = Field(description="Station kinds that count; null: all")
    overall: AreaCoveragePublic
    districts: list[AreaCoveragePublic]


class CircleStats(BaseModel):
    scope: list[str] = Field(description="Adcode prefixes of the communities counted; [] = all")
    mode: str
    minutes: float
    kinds: list[str] | None = Field(description="Station kinds that count; null: all")
    reach_km: float = Field(description="Straight-line radius of a circle (the map draws it)")
    overall: AreaCoveragePublic
    districts: list[AreaCoveragePublic]
    stations_counted: int = Field(description="Stations of the chosen kinds with coordinates")
    stations_without_coordinates: int = Field(
        description="Stations of the chosen kinds in scope that have no coordinates: skipped"
    )
    uncovered_total: int
    uncovered: list[UncoveredCommunity] = Field(description="Most populous first")
    suggestions: list[SuggestedSitePublic]
    tiers: list[TierCoverage] = Field(description="The policy's circle tiers, side by side")


def _area(area: AreaCoverage, names: dict[str, str]) -> AreaCoveragePublic:
    code = area.adcode or None
    return AreaCoveragePublic(
        adcode=code,
        name=names.get(code) if code else None,
        population=area.population,
        covered_population=area.covered_population,
        share=area.share,
        communities=area.communities,
        uncovered_communities=area.uncovered_communities,
        stations=area.stations,
    )


def _uncovered(coverage: Coverage, limit: int | None) -> list[UncoveredCommunity]:
    c, s = coverage.communities, coverage.stations
    out = []
    for row in coverage.uncovered[:limit]:
        which = int(coverage.nearest_station[row])
        minutes = float(coverage.nearest_minutes[row])
        out.append(
            UncoveredCommunity(
                id=str(c.ids[row]),
                name=str(c.names[row]),
                adcode=str(c.adcodes[row]),
                lat=float(c.lat[row]),
                lon=float(c.lon[row]),
                population=int(c.population[row]),
                nearest_minutes=None if math.isnan(minutes) else round(minutes, 1),
                nearest_station_id=str(s.ids[which]) if which >= 0 else None,
                nearest_station_name=str(s.names[which]) if which >= 0 else None,
            )
        )
    return out


def circle_stats(result: CircleResult, *, uncovered_limit: int | None = None) -> CircleStats:
    coverage, names = result.coverage, result.district_names
    population = coverage.overall.population
    kinds = sorted(result.query.kinds) if result.query.kinds is not None else None
    return CircleStats(
        scope=list(result.query.prefixes),
        mode=result.query.mode,
        minutes=result.query.minutes,
        kinds=kinds,
        reach_km=round(result.reach_km, 4),
        overall=_area(coverage.overall, names),
        districts=[_area(d, names) for d in coverage.districts],
        stations_counted=len(coverage.stations),
        stations_without_coordinates=coverage.stations_without_coordinates,
        uncovered_total=int((~coverage.covered).sum()),
        uncovered=_uncovered(coverage, uncovered_limit),
        suggestions=[
            SuggestedSitePublic(
                rank=site.rank,
                lat=round(site.lat, 6),
                lon=round(site.lon, 6),
                label=site.label,
                adcode=site.adcode or None,
                source=site.source,
                added_population=site.added_population,
                added_communities=site.added_communities,
                share_after=site.covered_population_after / population if population else None,
            )
            for site in result.suggestions
        ],
        tiers=[
            TierCoverage(
                code=t.tier.code,
                name=t.tier.name,
                mode=t.mode,
                minutes=t.tier.minutes,
                kinds=list(t.tier.kinds) or None,
                overall=_area(t.coverage.overall, names),
                districts=[_area(d, names) for d in t.coverage.districts],
            )
            for t in result.tiers
        ],
    )
