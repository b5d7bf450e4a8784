"""Matching through the HTTP API, with the index following the database."""

from __future__ import annotations

import asyncio
import math
import time

import httpx
from fastapi import FastAPI

from service.caller import Caller, Role
from service.postings import service as postings_service
from service.postings.schemas import PostingCreate
from tests.conftest import ANONYMOUS, bearer, polling_every
from tests.factories import API, create_account, create_employer, create_jobseeker, create_posting


async def _eventually(check, seconds: float = 5.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while True:
        result = await check()
        if result or time.monotonic() > deadline:
            return result
        await asyncio.sleep(0.05)


async def _when(answer, done):  # type: ignore[no-untyped-def]
    """``answer`` awaited, or None (try again) while ``done`` is not true of it."""
    found = await answer
    return found if done(found) else None


async def _findable(client: httpx.AsyncClient, posting_id: str, q: str) -> bool:
    response = await client.get(f"{API}/postings/search", params={"q": q}, headers=ANONYMOUS)
    return posting_id in [i["posting"]["id"] for i in response.json()["items"]]


async def test_a_posting_written_through_the_api_is_indexed_on_commit(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    """The request's commit wakes the indexer: with polling switched off (an hour) the new
    posting still becomes findable. How fast is measured by bench/match_city.py."""
    async with polling_every(app, 3600):
        made = await create_posting(client, title="叉车司机夜班", occupation_code="4-02-03-03")
        assert await _eventually(lambda: _findable(client, made["id"], "叉车")), "never indexed"


async def test_a_posting_written_by_another_process_is_found_by_polling(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    """A write that does not go through this process (an import job, another replica) wakes
    nobody: the indexer finds it in the change log at its next poll."""
    employer = await create_employer(client)
    data = PostingCreate(
        employer_id=employer["id"],
        title="冷库搬运工",
        occupation_code="4-02-06-01",
        adcode="420114",
        lat=30.54,
        lon=114.08,
    )
    caller = Caller(role=Role.admin, actor_id="another-process", via="cli")
    async with polling_every(app, 0.2):
        async with app.state.sessionmaker() as session:  # not the request's session: no wake
            made = await postings_service.create(session, app.state.reference, data, caller=caller)
            await session.commit()
        assert await _eventually(lambda: _findable(client, made.posting.id, "冷库")), "not polled"


async def test_a_registered_person_gets_matches_with_reasons(client: httpx.AsyncClient) -> None:
    welder = await create_posting(client, adcode="420111", lat=30.51, lon=114.35)
    await create_posting(
        client, title="幼儿园保育员", occupation_code=None, adcode="420111", lat=30.51, lon=114.35
    )
    person = await create_jobseeker(
        client,
        adcode="420111",
        lat=30.505,
        lon=114.345,
        desired_titles=["氩弧焊工"],
        travel={"mode": "ebike", "max_minutes": 20},
    )
    assert person["desired_occupations"] == ["6-18-02-04"]  # derived from the title
    response = await client.get(f"{API}/jobseekers/{person['id']}/matches")
    assert response.status_code == 200
    matches = response.json()
    assert matches[0]["posting"]["id"] == welder["id"]
    assert 0 <= matches[0]["score"] <= 1
    assert "职业匹配：焊工" in matches[0]["reasons"]
    assert any("电动车" in r for r in matches[0]["reasons"])
    assert matches[0]["travel_minutes"] is not None


async def test_reserved_posts_go_only_to_their_group(client: httpx.AsyncClient) -> None:
    welfare = await create_posting(
        client,
        title="社区公益性岗位保洁",
        occupation_code="4-09-08-01",
        employment_type="public_welfare",
        adcode="420102",
        lat=30.60,
        lon=114.30,
    )
    member = await create_jobseeker(
        client,
        adcode="420102",
        lat=30.601,
        lon=114.301,
        desired_titles=["保洁员"],
        priority_groups=[{"group": "employment_difficulty", "certified_at": "2026-10-01"}],
    )
    other = await create_jobseeker(
        client, adcode="420102", lat=30.601, lon=114.301, desired_titles=["保洁员"]
    )

    async def ids(person: dict) -> list[str]:
        response = await client.get(f"{API}/jobseekers/{person['id']}/matches")
        return [m["posting"]["id"] for m in response.json()]

    assert welfare["id"] in await ids(member)
    assert welfare["id"] not in await ids(other)
    public = await client.get(f"{API}/postings/search", params={"q": "保洁"}, headers=ANONYMOUS)
    assert welfare["id"] not in [i["posting"]["id"] for i in public.json()["items"]]


async def test_employers_see_only_consenting_candidates_masked(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    owner = await create_employer(client)
    posting = await create_posting(
        client, employer_id=owner["id"], adcode="420111", lat=30.51, lon=114.35
    )
    shown = await create_jobseeker(
        client,
        adcode="420111",
        lat=30.51,
        lon=114.351,
        desired_titles=["焊工"],
        consent_show_to_employers=True,
        priority_groups=[{"group": "disabled"}],
    )
    hidden = await create_jobseeker(
        client, adcode="420111", lat=30.51, lon=114.351, desired_titles=["焊工"]
    )
    boss = await create_account(client, "employer", employer_id=owner["id"])
    as_boss = bearer(app, boss["id"], "employer")

    async def candidates() -> dict[str, dict]:
        response = await client.get(f"{API}/postings/{posting['id']}/matches", headers=as_boss)
        assert response.status_code == 200, response.text
        return {c["jobseeker"]["id"]: c for c in response.json()}

    async def staff_candidates() -> dict[str, dict]:
        response = await client.get(f"{API}/postings/{posting['id']}/matches")
        assert response.status_code == 200, response.text
        return {c["jobseeker"]["id"]: c for c in response.json()}

    # both people reach the index within a second, not necessarily in the same pass
    staff_view = await _eventually(
        lambda: _when(staff_candidates(), lambda found: {shown["id"], hidden["id"]} <= set(found))
    )
    assert hidden["id"] in staff_view
    people = await candidates()
    assert shown["id"] in people and hidden["id"] not in people
    assert "*" in people[shown["id"]]["jobseeker"]["phone"]
    # membership may reveal a disability: the employer sees that the person has priority,
    # not which group
    assert people[shown["id"]]["jobseeker"]["priority_groups"] == []
    assert "优先群体：残疾人" not in people[shown["id"]]["reasons"]
    assert [g["group"] for g in staff_view[shown["id"]]["jobseeker"]["priority_groups"]] == [
        "disabled"
    ]


async def test_normalize_and_search_facets(client: httpx.AsyncClient) -> None:
    best = (
        await client.get(
            f"{API}/occupations/normalize",
            params={"title": "蔡甸工业园招聘氩弧焊工 6000-9000"},
            headers=ANONYMOUS,
        )
    ).json()
    assert best[0]["code"] == "6-18-02-04" and 0 < best[0]["score"] <= 1
    await create_posting(client, adcode="420114", lat=30.54, lon=114.08)

    async def nearby() -> dict:
        params = {"lat": 30.54, "lon": 114.08, "minutes": 15, "mode": "walk"}
        response = await client.get(f"{API}/postings/search", params=params, headers=ANONYMOUS)
        body = response.json()
        return body if body["total"] else {}

    result = await _eventually(nearby)  # the new posting reaches the index within a second
    assert result["total"] >= 1
    assert {"value": "420114", "label": "蔡甸区", "count": result["total"]} in result["facets"][
        "district"
    ]
    assert result["items"][0]["travel_minutes"] <= 15


async def test_matches_within_minutes_by_a_chosen_mode(client: httpx.AsyncClient) -> None:
    """?minutes=15&mode=ebike replaces the person's own walk of 15 minutes: a posting 2.2 km
    away (about 11 e-bike minutes, 27 on foot) comes in with its minutes in the reasons; one
    6.7 km away (about 32 e-bike minutes) stays out."""
    home = (30.5000, 114.3000)
    near = await create_posting(client, adcode="420106", lat=30.5200, lon=114.3000)  # 2.22 km N
    far = await create_posting(client, adcode="420106", lat=30.5600, lon=114.3000)  # 6.67 km N
    person = await create_jobseeker(
        client,
        adcode="420106",
        lat=home[0],
        lon=home[1],
        desired_titles=["氩弧焊工"],
        travel={"mode": "walk", "max_minutes": 15},
    )
    url = f"{API}/jobseekers/{person['id']}/matches"

    async def by_ebike() -> list[dict]:
        found = (await client.get(url, params={"minutes": 15, "mode": "ebike"})).json()
        return found if any(m["posting"]["id"] == near["id"] for m in found) else []

    matches = await _eventually(by_ebike)
    ids = [m["posting"]["id"] for m in matches]
    assert near["id"] in ids and far["id"] not in ids
    match = matches[ids.index(near["id"])]
    assert match["travel_mode"] == "ebike" and 10 <= match["travel_minutes"] <= 15
    assert f"电动车约{math.ceil(match['travel_minutes'])}分钟" in match["reasons"]
    on_foot = [m["posting"]["id"] for m in (await client.get(url)).json()]
    assert near["id"] not in on_foot  # the person's own limit: 15 minutes on foot, about 1 km
