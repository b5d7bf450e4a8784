"""The demo city: a deterministic generator, and a loader that is idempotent on both backends."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlmodel import SQLModel

import service.models  # noqa: F401  (every table in the metadata)
from ingest.identifiers import validate_citizen_id, validate_credit_code, validate_mobile
from matching.geo import haversine_km
from matching.policy import load_default_policy
from matching.regions import load_regions
from matching.taxonomy import load_taxonomy
from service.db import create_engine
from service.demo import DemoCity, Kind, Planned
from service.demo.generator import JOBS
from service.demo.loader import load_demo_city, load_demo_city_summary
from service.employers.models import Employer
from service.enums import CreditStatus, StationKind
from service.events.models import Event, EventPosting, EventRegistration
from service.jobseekers.models import JobseekerGroup
from service.postings.models import Posting, PostingReservation
from service.stations.models import Station
from tests.conftest import empty_tables, make_settings

TODAY = date(2026, 3, 10)
SMALL = {"postings": 60, "jobseekers": 40, "employers": 15}
WUHAN_DISTRICTS = {
    "420102", "420103", "420104", "420105", "420106", "420107", "420111",
    "420112", "420113", "420114", "420115", "420116", "420117",
}  # fmt: skip
OUTER = {"420112", "420113", "420114", "420115", "420116", "420117"}


def _city(seed: int = 7, **sizes: int) -> DemoCity:
    return DemoCity(**(SMALL | sizes), seed=seed, today=TODAY)


def _snapshot(item: Planned[Any]) -> tuple[Any, ...]:
    return item.kind, item.key, item.data.model_dump(), dict(item.refs), item.links


# --- the generator ----------------------------------------------------------------------------


def test_same_seed_same_city() -> None:
    first = [_snapshot(item) for item in _city().items()]
    second = [_snapshot(item) for item in _city().items()]
    assert first == second
    other = [_snapshot(item) for item in _city(seed=8).items()]
    assert [s[:2] for s in other] == [s[:2] for s in first]  # keys never depend on the seed
    assert other != first  # the contents do


def test_yields_the_requested_counts() -> None:
    city = _city()
    counts = Counter(item.kind for item in city.items())
    assert counts[Kind.posting] == 60
    assert counts[Kind.jobseeker] == 40
    assert counts[Kind.employer] == 15
    assert counts == Counter(city.counts())
    for kind in Kind:
        keys = [item.key for item in city.of_kind(kind)]
        assert len(keys) == len(set(keys)), kind


def test_identifiers_pass_the_validators() -> None:
    city = _city()
    for item in city.employers():
        assert validate_credit_code(item.key) == item.key
        assert item.key[:2] == "91" and item.key[2:8] in WUHAN_DISTRICTS
    ids = [j.data.id_number for j in city.jobseekers() if j.data.id_number]
    assert ids and all(validate_citizen_id(number) == number for number in ids)
    assert all(number.startswith("42") for number in ids)  # Hubei
    phones = [j.key for j in city.jobseekers()]
    assert all(validate_mobile(phone) == phone for phone in phones)
    assert len(set(phones)) == len(phones)


def _near_centroid(adcode: str | None, lat: float | None, lon: float | None) -> bool:
    """Inside the district's rough extent: 4 km from a central centroid, 10 km outside."""
    centre = load_regions().get(adcode or "")
    assert centre is not None and centre.lat is not None and centre.lon is not None
    assert lat is not None and lon is not None
    limit = 10 if adcode in OUTER else 4
    return haversine_km(lat, lon, centre.lat, centre.lon) <= limit


def test_every_station_kind_in_every_district_near_its_centroid() -> None:
    kinds_by_district: dict[str, set[StationKind]] = {}
    for station in (item.data for item in _city().stations()):
        assert station.adcode is not None
        kinds_by_district.setdefault(station.adcode, set()).add(station.kind)
        assert _near_centroid(station.adcode, station.lat, station.lon)
        assert station.opening_hours and station.services
    assert set(kinds_by_district) == WUHAN_DISTRICTS
    assert all(kinds == set(StationKind) for kinds in kinds_by_district.values())


def test_postings_and_homes_stay_in_their_district() -> None:
    city = _city(postings=500, jobseekers=300, employers=60)
    for posting in (item.data for item in city.postings()):
        assert posting.adcode in WUHAN_DISTRICTS
        assert _near_centroid(posting.adcode, posting.lat, posting.lon)
    homes = [item.data for item in city.jobseekers() if item.data.lat is not None]
    assert homes
    for home in homes:
        assert home.adcode in WUHAN_DISTRICTS
        assert _near_centroid(home.adcode, home.lat, home.lon)


def test_every_priority_group_a_handful_of_times() -> None:
    policy = load_default_policy()
    city = _city(jobseekers=3 * len(policy.groups))
    counts = Counter(m.group for item in city.jobseekers() for m in item.data.priority_groups)
    assert set(counts) == set(policy.group_codes)
    assert min(counts.values()) >= 3
    for item in city.jobseekers():
        for membership in item.data.priority_groups:
            assert membership.evidence
            if membership.group == "employment_difficulty":
                assert membership.evidence.startswith("就业困难人员认定表 ")
                assert membership.certified_at is not None
        if any(m.group == "graduate" for m in item.data.priority_groups):
            assert item.data.left_school_on is not None


def test_postings_cover_every_kind_of_work() -> None:
    city = _city()
    postings = [item for item in city.postings()]
    by_type = Counter(item.data.employment_type.value for item in postings)
    assert {"full_time", "gig", "part_time", "internship", "public_welfare"} <= set(by_type)
    assert by_type["full_time"] == max(by_type.values())
    for item in postings:
        data = item.data
        assert data.external_id == item.key and item.key.startswith("demo-p-")
        assert item.refs["employer_id"].kind == Kind.employer
        if data.employment_type.value == "gig":
            assert data.source.value == "gig_station" and "station_id" in item.refs
            assert data.starts_at is not None and data.ends_at is not None
            assert 0 < (data.starts_at.date() - TODAY).days <= 7
            assert data.salary_unit.value in ("day", "hour")
        if data.employment_type.value == "public_welfare":
            assert data.reserved_for == ["employment_difficulty"]
        if data.salary_unit.value == "month" and data.salary_min is not None:
            assert 2000 <= data.salary_min <= (data.salary_max or 0) <= 15000
    fair = [item for item in postings if item.links]
    assert fair and all(item.data.source.value == "job_fair" for item in fair)


def test_events_are_the_named_campaigns() -> None:
    events = {item.data.campaign: item for item in _city().events()}
    assert set(events) >= {
        "春风行动", "民营企业招聘月", "金秋招聘月", "就业援助月", "高校毕业生就业服务月",
        "英雄城市军岗日", "为百姓送岗位社区行", "直播带岗",
    }  # fmt: skip
    veteran = events["英雄城市军岗日"].data
    assert veteran.target_groups == ["veteran"]
    assert veteran.kind.value == "special_recruitment"
    assert events["直播带岗"].data.online_url is not None


def test_occupation_codes_are_real() -> None:
    taxonomy = load_taxonomy()
    assert len(JOBS) >= 60
    for job in JOBS:
        found = taxonomy.search(job.code, limit=1)
        assert found and found[0].code == job.code and found[0].name == job.name


def test_city_scale_stays_unique() -> None:
    city = DemoCity(postings=20_000, jobseekers=5_000, employers=2_000, seed=1, today=TODAY)
    external_ids = {item.key for item in city.postings()}
    assert len(external_ids) == 20_000
    assert len({item.key for item in city.employers()}) == 2_000
    assert len({item.data.name for item in city.employers()}) == 2_000
    phones = {item.key for item in city.jobseekers()}
    assert len(phones) == 5_000
    assert len({item.key for item in city.stations()}) == city.counts()[Kind.station]


# --- the loader -------------------------------------------------------------------------------


async def _empty(database_url: str) -> None:
    engine = create_engine(make_settings(database_url))
    try:
        await empty_tables(engine)
    finally:
        await engine.dispose()


@pytest.fixture
async def empty_database(database_url: str) -> AsyncIterator[str]:
    await _empty(database_url)
    yield database_url
    await _empty(database_url)


# Derived rows, written in the background by the running app's indexer and audit: not data the
# loader owns, so they are left out of "loading twice changes nothing".
DERIVED = {"embeddings", "audit_log"}


async def _row_counts(database_url: str) -> dict[str, int]:
    engine = create_engine(make_settings(database_url))
    try:
        async with engine.connect() as conn:
            counts = {}
            for table in SQLModel.metadata.sorted_tables:
                if table.name in DERIVED:
                    continue
                result = await conn.execute(select(func.count()).select_from(table))
                counts[table.name] = result.scalar_one()
            return counts
    finally:
        await engine.dispose()


async def _scalars(database_url: str, statement: Any) -> list[Any]:
    engine = create_engine(make_settings(database_url))
    try:
        async with engine.connect() as conn:
            return list((await conn.execute(statement)).scalars())
    finally:
        await engine.dispose()


async def test_loading_twice_changes_nothing(empty_database: str) -> None:
    url = empty_database
    settings = make_settings(url)
    first = await load_demo_city_summary(
        settings, **SMALL, seed=2026, today=TODAY, show_progress=False
    )
    counts = await _row_counts(url)
    city = DemoCity(**SMALL, seed=2026, today=TODAY)
    assert first.tallies[Kind.posting].created == 60
    assert first.tallies[Kind.jobseeker].created == 40
    assert counts["stations"] == city.counts()[Kind.station]
    assert counts["employers"] == 15 and counts["postings"] == 60 and counts["jobseekers"] == 40
    assert counts["event_postings"] > 0 and counts["event_registrations"] > 0
    assert counts["change_log"] > 0

    report = await load_demo_city(settings, **SMALL, seed=2026, today=TODAY, show_progress=False)
    assert "Nothing new" in report
    assert await _row_counts(url) == counts

    again = await load_demo_city_summary(
        settings, **SMALL, seed=99, today=TODAY, show_progress=False
    )
    assert again.created == 0  # another seed finds the same keys
    assert await _row_counts(url) == counts


async def test_loaded_city_has_everything(empty_database: str) -> None:
    url = empty_database
    await load_demo_city(make_settings(url), **SMALL, seed=2026, today=TODAY, show_progress=False)

    kinds = await _scalars(url, select(Station.kind).distinct())
    assert set(kinds) == {kind.value for kind in StationKind}
    districts = await _scalars(url, select(Station.adcode).distinct())
    assert set(districts) == WUHAN_DISTRICTS
    groups = await _scalars(url, select(JobseekerGroup.group_code).distinct())
    assert set(groups) == set(load_default_policy().group_codes)

    types = await _scalars(url, select(Posting.employment_type).distinct())
    assert {"full_time", "gig", "internship", "part_time", "public_welfare"} <= set(types)
    gig_stations = await _scalars(
        url, select(Posting.station_id).where(Posting.employment_type == "gig")
    )
    assert gig_stations and all(gig_stations)
    welfare = await _scalars(
        url,
        select(PostingReservation.group_code)
        .join(Posting, Posting.id == PostingReservation.posting_id)  # type: ignore[arg-type]
        .where(Posting.employment_type == "public_welfare"),
    )
    assert welfare and set(welfare) == {"employment_difficulty"}
    linked = await _scalars(url, select(EventPosting.posting_id))
    assert linked
    assert await _scalars(url, select(EventRegistration.outcome))

    statuses = await _scalars(url, select(Employer.credit_status).distinct())
    assert {s.value for s in CreditStatus} <= set(statuses)
    veteran = await _scalars(
        url, select(Event.target_groups).where(Event.campaign == "英雄城市军岗日")
    )
    assert veteran == [["veteran"]]


async def test_the_planner_knows_the_new_row_counts_after_a_load(empty_database: str) -> None:
    """Where autovacuum is off or has not come round yet, plans made on empty-table statistics
    make the first index build crawl; the loader refreshes them itself."""
    url = empty_database
    await load_demo_city(make_settings(url), **SMALL, seed=2026, today=TODAY, show_progress=False)
    if url.startswith("sqlite"):
        statement = text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'postings'")
    else:
        statement = text(
            "SELECT count(*) FROM pg_stat_user_tables "
            "WHERE relname = 'postings' AND last_analyze IS NOT NULL"
        )
    assert (await _scalars(url, statement))[0] >= 1
