"""Every sample file and feed in tests/ingest/samples, imported twice: the second time changes
nothing in the database, and the report says why row by row."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.factories import API, create_station

SAMPLES = Path(__file__).resolve().parent.parent / "ingest" / "samples"
TABLES = ("postings", "posting_sources", "posting_reservations", "event_postings", "employers",
          "events", "change_log")  # fmt: skip


async def snapshot(app: FastAPI) -> dict[str, list[Any]]:
    """Every row of the tables an import writes, in a stable order."""
    out: dict[str, list[Any]] = {}
    async with AsyncSession(app.state.engine) as session:
        for table in TABLES:
            rows = (await session.exec(text(f"SELECT * FROM {table}"))).all()  # type: ignore[call-overload]
            out[table] = sorted(tuple(str(v) for v in row) for row in rows)
    return out


async def upload(client: httpx.AsyncClient, name: str) -> dict[str, Any]:
    data = (SAMPLES / name).read_bytes()
    response = await client.post(f"{API}/postings/import", files={"file": (name, data)})
    assert response.status_code == 200, response.text
    return response.json()


def _bad_rows(report: dict[str, Any]) -> list[int]:
    return sorted(bad["row"] for bad in report["rejected"])


@pytest.mark.parametrize(
    ("name", "stored", "bad_rows"),
    [
        ("postings_utf8.csv", 14, []),
        ("postings_gbk.csv", None, []),
        ("postings_mixed_encoding.csv", None, None),
        ("postings.jsonl", None, None),
        ("postings.xlsx", None, None),
        ("postings_bad.csv", None, None),
    ],
)
async def test_each_sample_file_twice_gives_the_same_database(
    client: httpx.AsyncClient, app: FastAPI, name: str, stored: int | None,
    bad_rows: list[int] | None,
) -> None:  # fmt: skip
    first = await upload(client, name)
    assert first["accepted"] > 0, first
    if stored is not None:
        assert first["accepted"] == stored
    if bad_rows is not None:
        assert _bad_rows(first) == bad_rows, first["rejected"]
    # the rows it read are all accounted for
    assert first["rows"] == first["accepted"] + first["duplicate"] + len(first["rejected"])
    before = await snapshot(app)
    second = await upload(client, name)
    assert (second["accepted"], second["updated"]) == (0, 0)
    assert second["duplicate"] == first["accepted"] + first["duplicate"]
    assert _bad_rows(second) == _bad_rows(first)
    assert await snapshot(app) == before


async def test_broken_rows_are_reported_by_number_and_the_good_kept(
    client: httpx.AsyncClient,
) -> None:
    report = await upload(client, "postings_bad.csv")
    reasons = {bad["row"]: bad["errors"] for bad in report["rejected"]}
    assert report["accepted"] == 2  # rows 2 and 5
    assert set(reasons) == {3, 4, 6}
    assert reasons[3][0]["field"] == "title"
    assert "UTF-8" in reasons[4][0]["message"]  # neither UTF-8 nor GBK
    assert "quoted" in reasons[6][0]["message"]


async def test_the_xlsx_sample_reports_its_uncalculated_formula(client: httpx.AsyncClient) -> None:
    report = await upload(client, "postings.xlsx")
    messages = [e["message"] for bad in report["rejected"] for e in bad["errors"]]
    assert any("formula" in m for m in messages), report["rejected"]


async def _feed(client: httpx.AsyncClient, path: str, name: str) -> dict[str, Any]:
    document = json.loads((SAMPLES / name).read_text(encoding="utf-8"))
    response = await client.post(f"{API}{path}", json=document)
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_fair_feed_twice_gives_the_same_database_and_one_event(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    first = await _feed(client, "/events/feed", "fair_feed.json")
    assert first["event_created"] is True and first["report"]["accepted"] > 0
    event = (await client.get(f"{API}/events/{first['event_id']}")).json()
    assert event["name"] == "2027年春风行动江岸区重点企业专场招聘会"
    linked = (await client.get(f"{API}/postings", params={"event_id": event["id"]})).json()
    assert len(linked["items"]) == first["report"]["accepted"]
    before = await snapshot(app)
    second = await _feed(client, "/events/feed", "fair_feed.json")
    assert (second["event_id"], second["event_created"]) == (first["event_id"], False)
    assert second["report"]["accepted"] == second["report"]["updated"] == 0
    assert await snapshot(app) == before


async def test_a_station_feed_twice_gives_the_same_database(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    station = await create_station(
        client, name="江岸区后湖街零工驿站", kind="gig_station", adcode="420102"
    )
    first = await _feed(client, "/stations/feed", "station_feed.json")
    assert first["station_id"] == station["id"] and first["report"]["accepted"] > 0
    gigs = (await client.get(f"{API}/postings", params={"station_id": station["id"]})).json()
    assert {p["employment_type"] for p in gigs["items"]} == {"gig"}
    assert all(p["starts_at"] and p["salary_unit"] in ("day", "hour") for p in gigs["items"])
    before = await snapshot(app)
    second = await _feed(client, "/stations/feed", "station_feed.json")
    assert second["report"]["accepted"] == second["report"]["updated"] == 0
    assert await snapshot(app) == before


async def test_an_unknown_station_is_404_and_a_broken_feed_422(client: httpx.AsyncClient) -> None:
    document = json.loads((SAMPLES / "station_feed.json").read_text(encoding="utf-8"))
    assert (await client.post(f"{API}/stations/feed", json=document)).status_code == 404
    broken = await client.post(f"{API}/events/feed", json={"employers": []})
    assert broken.status_code == 422


async def test_the_forklift_driver_from_the_file_and_the_fair_is_one_posting(
    client: httpx.AsyncClient,
) -> None:
    await upload(client, "postings_utf8.csv")
    fair = await _feed(client, "/events/feed", "fair_feed.json")
    merged = fair["report"]["merged"]
    assert len(merged) >= 1
    posting = (await client.get(f"{API}/postings/{merged[0]['posting_id']}")).json()
    assert posting["title"] == "叉车司机"
    assert sorted(s["source"] for s in posting["sources"]) == ["import", "job_fair"]
    assert fair["event_id"] in posting["event_ids"]
