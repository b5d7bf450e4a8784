from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from service.caller import Caller, Role
from tests.factories import API, citizen_id, create_event, create_jobseeker, create_station


async def raw_row(app: FastAPI, jobseeker_id: str) -> dict:
    async with app.state.engine.connect() as conn:
        result = await conn.execute(
            text("SELECT * FROM jobseekers WHERE id = :id"), {"id": jobseeker_id}
        )
        row = result.mappings().first()
    return dict(row) if row else {}


async def test_masking_depends_on_who_asks(client: httpx.AsyncClient, app: FastAPI) -> None:
    id_number = citizen_id(31)
    person = await create_jobseeker(
        client,
        phone="13807150001",
        id_number=id_number,
        lat=30.51,
        lon=114.35,
        priority_groups=[
            {"group": "veteran", "certified_at": "2025-06-30", "evidence": "退役军人证 A123"}
        ],
    )
    # an admin sees the full record, but never the home coordinates
    assert (person["phone"], person["id_number"]) == ("13807150001", id_number)
    assert person["personal_data_masked"] is False
    assert person["priority_groups"][0]["evidence"] == "退役军人证 A123"
    assert person["district_name"] == "湖北省武汉市洪山区"
    assert not {"lat", "lon", "home_lat", "home_lon", "address"} & person.keys() - {"address"}

    from service.crypto import cipher_for
    from service.jobseekers.service import get_or_404, to_public
    from tests.conftest import TEST_SECRET

    async with app.state.sessionmaker() as session:
        row = await get_or_404(session, person["id"])
        cipher = cipher_for(TEST_SECRET)
        ref = app.state.reference
        outsiders = [
            Caller(role=Role.employer, employer_id="e1"),
            Caller(role=Role.staff, station_id="elsewhere", adcodes=("420102",)),
            Caller(role=Role.jobseeker, jobseeker_id="someone-else"),
            Caller(role=Role.anonymous),
        ]
        for outsider in outsiders:
            seen = to_public(row, caller=outsider, ref=ref, cipher=cipher)
            assert seen.phone == "138****0001", outsider
            assert seen.id_number == id_number[:6] + "********" + id_number[-4:]
            assert seen.personal_data_masked
            if outsider.role == Role.employer:  # membership itself may reveal a disability
                assert seen.priority_groups == []
            else:
                assert [(g.group, g.evidence) for g in seen.priority_groups] == [("veteran", None)]
        insiders = [
            Caller(role=Role.jobseeker, jobseeker_id=person["id"]),
            Caller(role=Role.staff, station_id="s", adcodes=("420111",)),
        ]
        for insider in insiders:
            seen = to_public(row, caller=insider, ref=ref, cipher=cipher)
            assert (seen.phone, seen.id_number) == ("13807150001", id_number)


async def test_id_number_is_encrypted_at_rest(client: httpx.AsyncClient, app: FastAPI) -> None:
    id_number = citizen_id(32)
    person = await create_jobseeker(client, id_number=id_number)
    row = await raw_row(app, person["id"])
    assert id_number not in str(row["id_number_encrypted"])
    assert id_number not in str(row["id_number_hash"])
    assert "id_number" not in row


async def test_update_groups_travel_and_location(client: httpx.AsyncClient, app: FastAPI) -> None:
    person = await create_jobseeker(client)
    url = f"{API}/jobseekers/{person['id']}"
    response = await client.patch(
        url,
        json={
            "priority_groups": [
                {"group": "employment_difficulty", "certified_at": "2026-10-01"},
                {"group": "older_worker"},
            ],
            "travel": {"mode": "ebike", "max_minutes": 20},
            "adcode": "420115",
            "status": "placed",
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [g["group"] for g in body["priority_groups"]] == [
        "employment_difficulty",
        "older_worker",
    ]
    assert body["travel"] == {"mode": "ebike", "max_minutes": 20}
    assert (body["adcode"], body["status"]) == ("420115", "placed")
    row = await raw_row(app, person["id"])
    assert row["home_lat"] is not None  # the district centroid stands in for the home
    response = await client.patch(url, json={"priority_groups": [{"group": "older_worker"}]})
    assert [g["group"] for g in response.json()["priority_groups"]] == ["older_worker"]


async def test_filters_by_group_station_event_district(client: httpx.AsyncClient) -> None:
    station = await create_station(client)
    event = await create_event(client)
    veteran = await create_jobseeker(
        client, priority_groups=[{"group": "veteran"}], station_id=station["id"], adcode="420102"
    )
    other = await create_jobseeker(client, adcode="420111")
    response = await client.post(
        f"{API}/events/{event['id']}/registrations", json={"jobseeker_id": other["id"]}
    )
    assert response.status_code == 201

    async def ids(**params: str) -> set[str]:
        response = await client.get(f"{API}/jobseekers", params=params)
        assert response.status_code == 200, response.text
        return {j["id"] for j in response.json()["items"]}

    assert await ids(priority_group="veteran") == {veteran["id"]}
    assert await ids(station_id=station["id"]) == {veteran["id"]}
    assert await ids(event_id=event["id"]) == {other["id"]}
    assert await ids(adcode="420111") == {other["id"]}
    assert await ids(status="seeking") == {veteran["id"], other["id"]}


async def database_text(app: FastAPI) -> str:
    """Every value of every row of every table, as one string."""
    from sqlmodel import SQLModel

    chunks: list[str] = []
    async with app.state.engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            rows = (await conn.execute(table.select())).all()
            chunks += [repr(tuple(row)) for row in rows]
    return "\n".join(chunks)


async def test_deletion_leaves_no_personal_data(client: httpx.AsyncClient, app: FastAPI) -> None:
    secret_id = citizen_id(33)
    person = await create_jobseeker(
        client,
        name="欧阳娜娜",
        phone="13807159999",
        id_number=secret_id,
        address="武汉市洪山区珞喻路1037号",
        desired_titles=["会计"],
        skills=["用友财务软件"],
        priority_groups=[
            {"group": "disabled", "certified_at": "2024-02-01", "evidence": "残疾证 肢体四级"}
        ],
    )
    before = await database_text(app)
    assert "欧阳娜娜" in before and "13807159999" in before

    assert (await client.delete(f"{API}/jobseekers/{person['id']}")).status_code == 204
    assert (await client.get(f"{API}/jobseekers/{person['id']}")).status_code == 404
    listed = (await client.get(f"{API}/jobseekers")).json()["items"]
    assert person["id"] not in [j["id"] for j in listed]

    after = await database_text(app)
    for trace in ("欧阳娜娜", "13807159999", secret_id, "珞喻路", "用友财务软件", "残疾证"):
        assert trace not in after, trace
    row = await raw_row(app, person["id"])  # the anonymous rest stays for statistics
    assert row["deleted_at"] is not None
    assert row["adcode"] == "420111"
    async with app.state.engine.connect() as conn:
        groups = (
            (
                await conn.execute(
                    text("SELECT group_code FROM jobseeker_groups WHERE jobseeker_id = :id"),
                    {"id": person["id"]},
                )
            )
            .scalars()
            .all()
        )
        ops = (
            (
                await conn.execute(
                    text("SELECT op FROM change_log WHERE entity_id = :id ORDER BY seq"),
                    {"id": person["id"]},
                )
            )
            .scalars()
            .all()
        )
    assert groups == ["disabled"]
    assert ops == ["created", "deleted"]
