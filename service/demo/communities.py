"""The demo city's population points: residential communities (社区) over Wuhan's districts.

Each district gets about one community per 10,000 residents (Wuhan's 2020 census figures in
the catalogue), spread over its streets (街道): every street has a centre somewhere in the
district, and its communities cluster around it, so people bunch up the way they do in a city
rather than filling the district's disc evenly. Populations vary around 10,000 (a typical urban
社区 holds 5,000–15,000 people) and add up to the district's residents. Deterministic by seed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from service.circle.importer import CommunityImportReport, CommunityRow
from service.circle.service import store_communities
from service.demo.catalogue import _COMMUNITIES
from service.demo.generator import District, _scatter

PEOPLE_PER_COMMUNITY = 10_000
STREET_SPREAD = 0.22  # communities lie this share of the district radius around their street


def _stream(seed: int) -> random.Random:
    return random.Random(f"jobcircle-demo/{seed}/communities")


def _near(rng: random.Random, district: District, lat: float, lon: float) -> tuple[float, float]:
    """A point around (lat, lon), kept inside the district's disc."""
    sigma = district.radius_km * STREET_SPREAD
    for _ in range(20):
        north, east = rng.gauss(0.0, sigma), rng.gauss(0.0, sigma)
        p_lat = lat + north / 110.574
        p_lon = lon + east / (111.320 * math.cos(math.radians(p_lat)))
        d_north = (p_lat - district.lat) * 110.574
        d_east = (p_lon - district.lon) * 111.320 * math.cos(math.radians(p_lat))
        if math.hypot(d_north, d_east) <= district.radius_km:
            return round(p_lat, 6), round(p_lon, 6)
    return lat, lon


def _district_communities(rng: random.Random, district: District) -> Iterator[CommunityRow]:
    residents = district.spec.residents * 10_000
    count = max(1, residents // PEOPLE_PER_COMMUNITY)
    streets = [(unit, *_scatter(rng, district)) for unit in district.spec.units]
    weights = [rng.lognormvariate(0.0, 0.45) for _ in range(count)]
    scale = residents / sum(weights)
    for number in range(count):
        unit, street_lat, street_lon = streets[number % len(streets)]
        name = _COMMUNITIES[(number // len(streets)) % len(_COMMUNITIES)]
        lap = number // (len(streets) * len(_COMMUNITIES))
        suffix = f"{lap + 1}" if lap else ""
        lat, lon = _near(rng, district, street_lat, street_lon)
        yield CommunityRow(
            row=0,
            name=f"{unit}{name}{suffix}社区",
            adcode=district.adcode,
            lat=lat,
            lon=lon,
            population=round(weights[number] * scale),
        )


def demo_communities(districts: tuple[District, ...], seed: int) -> list[CommunityRow]:
    """About 1,100 communities for Wuhan, the same for the same seed."""
    rng = _stream(seed)
    return [row for district in districts for row in _district_communities(rng, district)]


async def load_demo_communities(
    maker: async_sessionmaker[AsyncSession], districts: tuple[District, ...], seed: int
) -> CommunityImportReport:
    """Store the demo communities as an import would: known ones are left as they are."""
    rows = demo_communities(districts, seed)
    report = CommunityImportReport(rows=len(rows))
    async with maker() as session:
        await store_communities(session, rows, report)
        await session.commit()
    return report
