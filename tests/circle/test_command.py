"""`jobcircle communities import` and `jobcircle circle report` as an operator runs them, on
both databases: the CSV files and the SVG map are checked for what they must show."""

from __future__ import annotations

import asyncio
import csv
import subprocess
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.db import create_engine, create_sessionmaker, upgrade
from service.stations.models import Station
from tests.circle.geometry import north
from tests.conftest import (
    JOBCIRCLE,
    _create_postgres_database,
    _drop_postgres_database,
    cli_env,
    make_settings,
)

HERE = (30.60, 114.30)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / f'{uuid.uuid4().hex}.db'}"
    else:
        url = asyncio.run(_create_postgres_database())
    asyncio.run(_prepare(url))
    yield url
    if request.param == "postgresql":
        asyncio.run(_drop_postgres_database(url))


async def _prepare(url: str) -> None:
    """The schema, and three stations: one at HERE, one without coordinates, one training base."""
    engine = create_engine(make_settings(url))
    try:
        await upgrade(engine, url)
        async with create_sessionmaker(engine)() as session:
            session.add(Station(name="中心服务站", kind="service_station", adcode="420102",
                                lat=HERE[0], lon=HERE[1]))  # fmt: skip
            session.add(Station(name="无坐标服务站", kind="service_station", adcode="420102"))
            lat, lon = north(8.0, HERE)
            session.add(Station(name="培训基地", kind="training_base", adcode="420102",
                                lat=lat, lon=lon))  # fmt: skip
            await session.commit()
    finally:
        await engine.dispose()


def run(url: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*JOBCIRCLE, *args], env=cli_env(url), cwd=cwd, capture_output=True, text=True, timeout=180
    )


def write_communities(path: Path) -> Path:
    rows = [
        ("内圈社区", "420102", north(0.5, HERE), 1200),
        ("外圈社区", "420102", north(1.5, HERE), 3400),
        ("洪山社区", "420111", north(-15.0, HERE), 2600),
    ]
    lines = ["name,adcode,lat,lon,population"]
    lines += [f"{n},{a},{lat!r},{lon!r},{p}" for n, a, (lat, lon), p in rows]
    lines.append("坏行社区,420102,30.6,114.3,-5")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_import_then_report_writes_the_tables_and_the_map(database: str, tmp_path: Path) -> None:
    source = write_communities(tmp_path / "communities.csv")
    first = run(database, "communities", "import", str(source), cwd=tmp_path)
    assert first.returncode == 1, first.stderr  # one bad row
    assert "3 created" in first.stdout and "row 5: population" in first.stdout
    again = run(database, "communities", "import", str(source), cwd=tmp_path)
    assert "0 created, 0 updated, 3 unchanged, 1 rejected" in again.stdout

    out = tmp_path / "report"
    done = run(database, "circle", "report", "--out", str(out), "--suggest", "2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1,200 of 7,200 people inside (16.7%)" in done.stdout
    assert "1 without coordinates skipped" in done.stdout

    districts = read_csv(out / "circle_districts.csv")
    assert [
        (d["adcode"], d["district"], d["population"], d["share"], d["stations"]) for d in districts
    ] == [
        ("420102", "江岸区", "4600", "0.2609", "2"),
        ("420111", "洪山区", "2600", "0.0000", "0"),
        ("", "合计 total", "7200", "0.1667", "2"),
    ]
    # tiers side by side: 20 walking minutes reach 1.33 km (not 1.5), 30 minutes 2 km
    assert [d["employment_20min_share"] for d in districts] == ["0.2609", "0.0000", "0.1667"]
    assert [d["training_30min_share"] for d in districts] == ["0.0000", "0.0000", "0.0000"]
    uncovered = read_csv(out / "circle_uncovered.csv")
    assert [(u["name"], u["population"], u["nearest_station"]) for u in uncovered] == [
        ("外圈社区", "3400", "中心服务站"),
        ("洪山社区", "2600", "中心服务站"),
    ]
    assert float(uncovered[0]["nearest_minutes"]) == pytest.approx(22.5)
    sites = read_csv(out / "circle_sites.csv")
    assert [(s["rank"], s["label"], s["added_population"], s["share_after"]) for s in sites] == [
        # 内圈 (0.5 km) reaches 外圈 (1.0 km away) as well as 外圈 itself: a tie, won by the
        # earlier candidate in (district, name) order
        ("1", "内圈社区", "3400", "0.6389"),
        ("2", "洪山社区", "2600", "1.0000"),
    ]

    root = ET.parse(out / "circle_map.svg").getroot()
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g")}
    assert len(groups["stations"].findall(f"{SVG}rect")) == 2  # the one without coordinates: not
    assert len(groups["circles"].findall(f"{SVG}circle")) == 2
    assert len(groups["uncovered-communities"].findall(f"{SVG}circle")) == 2
    assert len(groups["covered-communities"].findall(f"{SVG}circle")) == 1
    assert len(groups["suggested-sites"].findall(f"{SVG}path")) == 2
    legend = " ".join(t.text or "" for t in groups["legend"].iter(f"{SVG}text"))
    for words in ("station", "circle", "uncovered community", "suggested site"):
        assert words in legend
    station_ring = groups["circles"].find(f"{SVG}circle")
    scale = [t.text for t in groups["scale"].iter(f"{SVG}text")]
    assert station_ring is not None and float(station_ring.get("r", "0")) > 0 and scale


def test_report_refuses_bad_options(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"
    bad = run(url, "circle", "report", "--out", str(tmp_path), "--kinds", "castle", cwd=tmp_path)
    assert bad.returncode == 2 and "castle" in bad.stderr
    bad = run(url, "circle", "report", "--out", str(tmp_path), "--mode", "rocket", cwd=tmp_path)
    assert bad.returncode == 2 and "walk, bike" in bad.stderr
