from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.changelog.models import ChangeRecord
from tests.factories import (
    API,
    create_employer,
    create_event,
    create_posting,
    create_station,
    field_errors,
)


async def changes(app: FastAPI, entity_id: str) -> list[str]:
    async with AsyncSession(app.state.engine) as session:
        rows = await session.exec(
            select(ChangeRecord)
            .where(ChangeRecord.entity_id == entity_id)
            .order_by(ChangeRecord.seq)
        )
        return [r.op for r in rows.all()]


async def test_create_read_update_close(client: httpx.AsyncClient, app: FastAPI) -> None:
    created = await create_posting(
        client, requirements={"skills": ["氩弧焊"], "education": "vocational"}
    )
    assert created["occupation_name"] == "焊工"
    assert created["occupation_derivation"] == "provided"
    assert created["status"] == "open"
    assert created["location_precision"] == "point"
    assert created["sources"] == [{"source": "employer", "external_id": None}]

    read = (await client.get(f"{API}/postings/{created['id']}")).json()
    assert read == created

    patched = await client.patch(
        f"{API}/postings/{created['id']}", json={"salary_max": 9500, "headcount": 3}
    )
    assert patched.status_code == 200
    assert (patched.json()["salary_max"], patched.json()["headcount"]) == (9500, 3)

    assert (await client.delete(f"{API}/postings/{created['id']}")).status_code == 204
    closed = (await client.get(f"{API}/postings/{created['id']}")).json()
    assert closed["status"] == "closed"
    assert await changes(app, created["id"]) == ["created", "updated", "updated"]


async def test_missing_posting_is_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/postings/doesnotexist")
    assert response.status_code == 404
    field_errors(response)


async def test_occupation_derived_from_title_when_absent(client: httpx.AsyncClient) -> None:
    derived = await create_posting(client, title="蔡甸工业园招聘氩弧焊工", occupation_code=None)
    assert derived["occupation_code"] == "6-18-02-04"
    assert derived["occupation_derivation"] == "title"
    unknown = await create_posting(client, title="神秘岗位", occupation_code=None)
    assert unknown["occupation_code"] is None
    assert unknown["occupation_derivation"] == "unresolved"


async def test_address_alone_is_placed_in_its_district(client: httpx.AsyncClient) -> None:
    posting = await create_posting(
        client, adcode=None, lat=None, lon=None, address="武汉市江汉区解放大道688号"
    )
    assert posting["adcode"] == "420103"
    assert posting["location_precision"] == "district"
    assert posting["lat"] is not None


async def test_same_source_and_external_id_is_idempotent(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    owner = await create_employer(client)
    body = {
        "employer_id": owner["id"],
        "title": "叉车司机",
        "adcode": "420112",
        "source": "job_fair",
        "external_id": "fair-2026-0042",
        "salary_min": 5000,
        "salary_max": 7000,
    }
    first = await client.post(f"{API}/postings", json=body)
    again = await client.post(f"{API}/postings", json=body)
    changed = await client.post(f"{API}/postings", json=body | {"salary_max": 7500})
    assert (first.status_code, again.status_code, changed.status_code) == (201, 200, 200)
    assert first.json()["id"] == again.json()["id"] == changed.json()["id"]
    assert changed.json()["salary_max"] == 7500
    listed = (await client.get(f"{API}/postings", params={"source": "job_fair"})).json()["items"]
    assert [p["id"] for p in listed] == [first.json()["id"]]
    # an identical repeat writes no change record; the real change writes one
    assert await changes(app, first.json()["id"]) == ["created", "updated"]


async def test_banned_employer_postings_are_stored_rejected_with_reason(
    client: httpx.AsyncClient,
) -> None:
    owner = await create_employer(client, credit_status="wage_arrears_list")
    posting = await create_posting(client, employer_id=owner["id"])
    assert posting["status"] == "rejected"
    flag = posting["screening"][0]
    assert flag["code"] == "employer_credit"
    assert "拖欠农民工工资" in flag["message"]
    response = await client.patch(f"{API}/postings/{posting['id']}", json={"status": "open"})
    assert response.status_code == 422


async def test_filters(client: httpx.AsyncClient) -> None:
    owner = await create_employer(client)
    station = await create_station(client, kind="gig_station")
    event = await create_event(client)
    welder = await create_posting(client, employer_id=owner["id"])
    gig = await create_posting(
        client,
        employer_id=owner["id"],
        title="搬运工日结",
        occupation_code=None,
        employment_type="gig",
        salary_unit="day",
        salary_min=200,
        salary_max=260,
        adcode="420102",
        lat=30.64,
        lon=114.29,
        station_id=station["id"],
        source="gig_station",
        external_id="g-1",
        starts_at="2026-11-22T08:00:00+08:00",
        ends_at="2026-11-22T17:00:00+08:00",
    )
    welfare = await create_posting(
        client,
        employer_id=owner["id"],
        title="社区公益性岗位保洁",
        occupation_code="4-09-08-01",
        employment_type="public_welfare",
        reserved_for=["employment_difficulty"],
        event_id=event["id"],
    )

    async def ids(**params: str) -> set[str]:
        response = await client.get(f"{API}/postings", params=params)
        assert response.status_code == 200, response.text
        return {p["id"] for p in response.json()["items"]}

    assert await ids(employment_type="gig") == {gig["id"]}
    assert await ids(adcode="420102") == {gig["id"]}
    assert await ids(adcode="4201") == {welder["id"], gig["id"], welfare["id"]}
    assert await ids(station_id=station["id"]) == {gig["id"]}
    assert await ids(event_id=event["id"]) == {welfare["id"]}
    assert await ids(source="gig_station") == {gig["id"]}
    assert await ids(priority_group="employment_difficulty") == {welfare["id"]}
    assert await ids(occupation="6-18") == {welder["id"]}
    assert await ids(q="保洁") == {welfare["id"]}
    assert await ids(status="open", employer_id=owner["id"]) == {
        welder["id"],
        gig["id"],
        welfare["id"],
    }
    assert welfare["event_ids"] == [event["id"]]
    assert welfare["reserved_for"] == ["employment_difficulty"]


async def test_cursor_pagination_walks_every_row_once(client: httpx.AsyncClient) -> None:
    owner = await create_employer(client)
    made = [
        (await create_posting(client, employer_id=owner["id"], title=f"焊工{i}"))["id"]
        for i in range(7)
    ]
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = (await client.get(f"{API}/postings", params=params)).json()
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(made))  # newest first, no gaps, no repeats


async def test_reserved_groups_can_be_changed(client: httpx.AsyncClient) -> None:
    posting = await create_posting(client, reserved_for=["veteran"])
    url = f"{API}/postings/{posting['id']}"
    both = await client.patch(url, json={"reserved_for": ["veteran", "disabled"]})
    assert both.json()["reserved_for"] == ["disabled", "veteran"]
    none = await client.patch(url, json={"reserved_for": []})
    assert none.json()["reserved_for"] == []
