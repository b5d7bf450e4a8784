"""Match runs through the API: selection and scope, top-k cases with reasons, progress, and
running again without doubling anything."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from service.caller import Caller, Role
from service.matchruns import service as matchruns
from service.matchruns.runner import runner_for
from service.matchruns.schemas import MatchRunCreate
from tests.cases.desk import HONGSHAN, Desk, days_ago, in_days, open_desk
from tests.factories import API, create_jobseeker, field_errors


@pytest.fixture
async def desk(client: httpx.AsyncClient, app: FastAPI) -> Desk:
    made = await open_desk(client, app, postings=3)
    yield made
    await runner_for(app).wait()  # no run may outlive its test's tables


async def indexed(desk: Desk, person: str, postings: int) -> None:
    """Until the index (fed by the change log) offers the person every posting of the desk."""
    for _ in range(100):
        response = await desk.client.get(f"{API}/jobseekers/{person}/matches")
        if len(response.json()) >= postings:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the postings never reached the index")


async def run(desk: Desk, body: dict[str, Any], headers: dict | None = None) -> dict[str, Any]:
    response = await desk.client.post(f"{API}/match-runs", json=body, headers=headers or desk.staff)
    assert response.status_code == 202, response.text
    started = response.json()
    assert started["status"] == "queued"
    await runner_for(desk.app).wait()
    done = await desk.client.get(f"{API}/match-runs/{started['id']}", headers=headers or desk.staff)
    assert done.status_code == 200, done.text
    return done.json()


async def cases_of(desk: Desk, person: str) -> list[dict[str, Any]]:
    page = await desk.client.get(f"{API}/recommendations?jobseeker_id={person}&limit=100")
    return page.json()["items"]


async def test_a_run_records_top_k_cases_with_reasons_and_can_run_again(desk: Desk) -> None:
    household = await desk.person(groups=[{"group": "zero_employment_household"}])
    graduate = await desk.person(groups=[{"group": "graduate"}], left_school_on=days_ago(5))
    plain = await desk.person()  # in no priority group
    await indexed(desk, household, 3)

    first = await run(desk, {"station_id": desk.station, "top_k": 2})
    assert first["status"] == "done", first
    assert (first["people_total"], first["people_done"]) == (2, 2)
    assert first["recommendations_created"] == 4 and first["progress"] == 1.0
    assert first["seconds"] is not None and first["ms_per_person"] is not None
    for person in (household, graduate):
        made = await cases_of(desk, person)
        assert len(made) == 2
        assert all(c["match_run_id"] == first["id"] and c["reasons"] for c in made)
        assert all(0 <= c["score"] <= 1 for c in made)
        assert made[0]["history"][0]["actor_role"] == "staff"
    assert await cases_of(desk, plain) == []

    second = await run(desk, {"station_id": desk.station, "top_k": 2})
    assert second["recommendations_created"] == 2  # only the third posting is new to each
    assert second["pairs_already_recommended"] == 4
    third = await run(desk, {"station_id": desk.station, "top_k": 2})
    assert third["recommendations_created"] == 0 and third["people_skipped"] == 2
    for person in (household, graduate):
        postings = [c["posting"]["id"] for c in await cases_of(desk, person)]
        assert sorted(postings) == sorted(desk.postings)  # each once

    case = (await desk.client.get(f"{API}/cases/{household}", headers=desk.staff)).json()
    assert case["promises"][0]["state"] == "met"
    assert case["promises"][0]["fulfilled_on"] == in_days(0).isoformat()


async def test_selection_by_group_ids_and_everyone(desk: Desk) -> None:
    veteran = await desk.person(groups=[{"group": "veteran"}])
    household = await desk.person(groups=[{"group": "zero_employment_household"}])
    plain = await desk.person()
    await indexed(desk, veteran, 3)
    by_group = await run(desk, {"group": "veteran", "top_k": 1})
    assert by_group["people_total"] == 1
    assert len(await cases_of(desk, veteran)) == 1 and await cases_of(desk, household) == []
    by_ids = await run(desk, {"jobseeker_ids": [plain], "priority_only": False, "top_k": 1})
    assert by_ids["people_total"] == 1 and len(await cases_of(desk, plain)) == 1


async def test_people_without_consent_or_placed_are_skipped(desk: Desk) -> None:
    unwilling = await desk.person(groups=[{"group": "veteran"}], consent_recommendations=False)
    placed = await desk.person(groups=[{"group": "veteran"}])
    await desk.client.patch(f"{API}/jobseekers/{placed}", json={"status": "placed"})
    await indexed(desk, unwilling, 3)
    result = await run(desk, {"group": "veteran"})
    assert result["people_total"] == 1 and result["people_skipped"] == 1
    assert result["recommendations_created"] == 0


async def test_staff_runs_stay_in_scope(desk: Desk) -> None:
    outside = (await create_jobseeker(desk.client, **HONGSHAN))["id"]
    refused = await desk.client.post(
        f"{API}/match-runs", json={"jobseeker_ids": [outside]}, headers=desk.staff
    )
    assert refused.status_code == 403
    # a district outside their scope simply selects nobody
    empty = await run(desk, {"adcode": "420111", "priority_only": False})
    assert empty["people_total"] == 0 and empty["status"] == "done"
    bad = await desk.client.post(f"{API}/match-runs", json={"group": "nobody"}, headers=desk.staff)
    assert bad.status_code == 422 and "group" in field_errors(bad)
    listed = await desk.client.get(f"{API}/match-runs", headers=desk.staff)
    assert [r["id"] for r in listed.json()] == [empty["id"]]
    admin_run = await run(desk, {"adcode": "420111"}, headers=desk.admin)
    hidden = await desk.client.get(f"{API}/match-runs/{admin_run['id']}", headers=desk.staff)
    assert hidden.status_code == 403


async def test_people_come_in_promise_deadline_order(desk: Desk) -> None:
    later = await desk.person(
        groups=[{"group": "employment_difficulty", "certified_at": days_ago(2)}]
    )
    sooner = await desk.person(
        groups=[{"group": "employment_difficulty", "certified_at": days_ago(20)}]
    )
    household = await desk.person(groups=[{"group": "zero_employment_household"}])
    veteran = await desk.person(groups=[{"group": "veteran"}])  # no promise: last
    admin = Caller(role=Role.admin, actor_id="tests", via="token")
    async with desk.app.state.sessionmaker() as session:
        order = await matchruns.choose_people(
            session,
            desk.app.state.reference,
            admin,
            MatchRunCreate(station_id=desk.station),
            in_days(0),
        )
    assert order == [household, sooner, later, veteran]
