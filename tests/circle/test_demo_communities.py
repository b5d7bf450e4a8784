"""The demo city's communities: plausible, inside their districts, the same for a seed."""

from __future__ import annotations

import math

from service.demo.communities import demo_communities
from service.demo.generator import DemoCity


def test_communities_cover_every_district_with_its_census_population() -> None:
    districts = DemoCity(postings=0, jobseekers=0, employers=0).districts
    rows = demo_communities(districts, 2026)
    assert rows == demo_communities(districts, 2026)
    assert rows != demo_communities(districts, 7)
    assert len({(r.adcode, r.name) for r in rows}) == len(rows)
    for district in districts:
        mine = [r for r in rows if r.adcode == district.adcode]
        total = sum(r.population for r in mine)
        assert abs(total - district.spec.residents * 10_000) <= len(mine), district.name
        for r in mine:
            north = (r.lat - district.lat) * 110.574
            east = (r.lon - district.lon) * 111.320 * math.cos(math.radians(r.lat))
            assert math.hypot(north, east) <= district.radius_km + 0.01, r.name
    assert 1000 <= len(rows) <= 1300
    people = sorted(r.population for r in rows)
    median = people[len(people) // 2]
    assert 5_000 <= median <= 15_000
