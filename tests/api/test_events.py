from __future__ import annotations

import httpx

from tests.factories import API, create_event, create_jobseeker, create_posting, create_station


async def test_event_lifecycle_with_booths_and_registrations(client: httpx.AsyncClient) -> None:
    station = await create_station(client, adcode="420106", lat=30.55, lon=114.32)
    event = await create_event(
        client,
        name="英雄城市军岗日退役军人专场招聘会",
        kind="special_recruitment",
        campaign="英雄城市军岗日",
        venue=None,
        adcode=None,
        station_id=station["id"],
        target_groups=["veteran"],
    )
    assert event["adcode"] == "420106"  # taken from the venue station
    first, second = await create_posting(client), await create_posting(client)
    url = f"{API}/events/{event['id']}"
    body = {
        "postings": [{"posting_id": first["id"], "booth": "A-01"}, {"posting_id": second["id"]}]
    }
    assert (await client.post(f"{url}/postings", json=body)).status_code == 200
    assert (await client.post(f"{url}/postings", json=body)).status_code == 200  # repeat: no-op
    booths = (await client.get(f"{url}/postings")).json()["items"]
    assert {(b["posting_id"], b["booth"]) for b in booths} == {
        (first["id"], "A-01"),
        (second["id"], None),
    }
    person = await create_jobseeker(client)
    registration = {"jobseeker_id": person["id"]}
    assert (await client.post(f"{url}/registrations", json=registration)).status_code == 201
    again = await client.post(f"{url}/registrations", json=registration | {"outcome": "intent"})
    assert (again.status_code, again.json()["outcome"]) == (200, "intent")
    registered = (await client.get(f"{url}/registrations")).json()["items"]
    assert [(r["jobseeker_id"], r["outcome"]) for r in registered] == [(person["id"], "intent")]

    patched = await client.patch(url, json={"campaign": "2026英雄城市军岗日"})
    assert patched.json()["campaign"] == "2026英雄城市军岗日"
    listed = await client.get(f"{API}/events", params={"target_group": "veteran"})
    assert [e["id"] for e in listed.json()["items"]] == [event["id"]]
    assert (await client.get(f"{API}/events", params={"target_group": "graduate"})).json()[
        "items"
    ] == []


async def test_links_to_missing_records_name_the_field(client: httpx.AsyncClient) -> None:
    event = await create_event(client)
    url = f"{API}/events/{event['id']}"
    response = await client.post(f"{url}/postings", json={"postings": [{"posting_id": "nope"}]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "postings.0.posting_id"
    response = await client.post(f"{url}/registrations", json={"jobseeker_id": "nope"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "jobseeker_id"
    assert (await client.get(f"{API}/events/nope")).status_code == 404


async def test_livestream_and_time_filters(client: httpx.AsyncClient) -> None:
    stream = await create_event(
        client,
        name="直播带岗：武汉经开区制造业专场",
        kind="livestream",
        venue=None,
        online_url="https://live.example.cn/room/42",
        starts_at="2026-12-01T19:00:00+08:00",
        ends_at="2026-12-01T21:00:00+08:00",
    )
    await create_event(client)  # March
    response = await client.get(
        f"{API}/events", params={"starts_after": "2026-11-01T00:00:00+08:00", "kind": "livestream"}
    )
    assert [e["id"] for e in response.json()["items"]] == [stream["id"]]
