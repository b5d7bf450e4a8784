"""The demo city can be driven as each role with the accounts it prints."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from service.demo.loader import load_demo_city_summary
from tests.conftest import ANONYMOUS, make_settings
from tests.factories import API


async def _as(client: httpx.AsyncClient, username: str, password: str) -> dict[str, str]:
    response = await client.post(
        f"{API}/auth/token", data={"username": username, "password": password}, headers=ANONYMOUS
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_demo_city_driven_as_each_role(
    client: httpx.AsyncClient, app: FastAPI, database_url: str
) -> None:
    summary = await load_demo_city_summary(
        make_settings(database_url),
        postings=80,
        jobseekers=60,
        employers=20,
        seed=3,
        show_progress=False,
    )
    accounts = {a.role.value: a for a in summary.accounts}
    assert set(accounts) == {"admin", "staff", "employer", "jobseeker"}

    person = accounts["jobseeker"]
    as_person = await _as(client, person.username, person.password)
    me = (await client.get(f"{API}/auth/me", headers=as_person)).json()
    own = await client.get(f"{API}/jobseekers/{me['jobseeker_id']}", headers=as_person)
    assert own.status_code == 200 and own.json()["phone"] == person.username
    assert own.json()["priority_groups"]

    boss = accounts["employer"]
    as_boss = await _as(client, boss.username, boss.password)
    employer_id = (await client.get(f"{API}/auth/me", headers=as_boss)).json()["employer_id"]
    posted = await client.post(
        f"{API}/postings",
        json={"employer_id": employer_id, "title": "门店店员", "adcode": "420103"},
        headers=as_boss,
    )
    assert posted.status_code == 201, posted.text
    mine = await client.get(f"{API}/postings", params={"employer_id": employer_id}, headers=as_boss)
    assert posted.json()["id"] in [p["id"] for p in mine.json()["items"]]

    worker = accounts["staff"]
    as_staff = await _as(client, worker.username, worker.password)
    scope = (await client.get(f"{API}/auth/me", headers=as_staff)).json()["scope_adcodes"]
    assert scope == ["420102"]
    people = (await client.get(f"{API}/jobseekers", headers=as_staff)).json()["items"]
    assert people, "the demo city registers people in 江岸区"
    assert all(p["adcode"].startswith("420102") or p["station_id"] for p in people)
    first = await client.get(f"{API}/jobseekers/{people[0]['id']}", headers=as_staff)
    assert first.status_code == 200 and "*" not in first.json()["phone"]

    chief = accounts["admin"]
    as_admin = await _as(client, chief.username, chief.password)
    listed = (await client.get(f"{API}/accounts", headers=as_admin)).json()["items"]
    assert {"demo.admin", "demo.staff", "demo.employer"} <= {a["username"] for a in listed}
