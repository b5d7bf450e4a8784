"""The staff queue of promises, a person's case file, services: through the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import update

from service.jobseekers.models import Jobseeker
from tests.cases.desk import HONGSHAN, Desk, days_ago, in_days, open_desk
from tests.factories import API, create_jobseeker, field_errors


@pytest.fixture
async def desk(client: httpx.AsyncClient, app: FastAPI) -> Desk:
    return await open_desk(client, app)


async def registered_days_ago(app: FastAPI, jobseeker_id: str, days: int) -> None:
    moment = datetime.now(UTC) - timedelta(days=days)
    async with app.state.sessionmaker() as session:
        await session.exec(  # type: ignore[call-overload]
            update(Jobseeker).where(Jobseeker.id == jobseeker_id).values(created_at=moment)
        )
        await session.commit()


async def queue(desk: Desk, kind: str, query: str = "", headers: dict | None = None) -> dict:
    response = await desk.client.get(f"{API}/cases/{kind}{query}", headers=headers or desk.staff)
    assert response.status_code == 200, response.text
    return response.json()


def codes(page: dict) -> list[tuple[str, str]]:
    return [(item["jobseeker"]["id"], item["promise"]["code"]) for item in page["items"]]


async def test_due_and_overdue_in_deadline_order(desk: Desk) -> None:
    fresh_household = await desk.person(groups=[{"group": "zero_employment_household"}])
    late_household = await desk.person(groups=[{"group": "zero_employment_household"}])
    await registered_days_ago(desk.app, late_household, 10)
    long_overdue = await desk.person(
        groups=[{"group": "employment_difficulty", "certified_at": days_ago(40)}]
    )
    due_soon = await desk.person(
        groups=[{"group": "employment_difficulty", "certified_at": days_ago(25)}]
    )
    graduate = await desk.person(groups=[{"group": "graduate"}], left_school_on=days_ago(10))
    await desk.person(groups=[{"group": "veteran"}])  # no promise
    outside = (
        await create_jobseeker(
            desk.client, **HONGSHAN, priority_groups=[{"group": "zero_employment_household"}]
        )
    )["id"]

    overdue = await queue(desk, "overdue")
    assert codes(overdue) == [(long_overdue, "difficulty_30d"), (late_household, "101")]
    first = overdue["items"][0]
    assert first["promise"]["deadline"] == in_days(-10).isoformat()
    assert first["promise"]["state"] == "missed" and first["promise"]["days_left"] == -10
    assert first["jobseeker"]["phone"] and "*" not in first["jobseeker"]["phone"]

    due = await queue(desk, "due")  # within 7 days by default
    assert codes(due) == [(due_soon, "difficulty_30d"), (fresh_household, "101")]
    month = await queue(desk, "due", "?within_days=30")
    assert codes(month)[-1] == (graduate, "graduate_311")
    assert outside not in {pid for pid, _ in codes(month)}
    admin = await queue(desk, "due", headers=desk.admin)
    assert outside in {pid for pid, _ in codes(admin)}

    group_only = await queue(desk, "due", "?within_days=30&group=zero_employment_household")
    assert codes(group_only) == [(fresh_household, "101")]
    paged = await queue(desk, "due", "?within_days=30&limit=2")
    assert paged["total"] == 3 and len(paged["items"]) == 2
    rest = await queue(desk, "due", f"?within_days=30&limit=2&cursor={paged['next_cursor']}")
    assert codes(paged) + codes(rest) == codes(month) and rest["next_cursor"] is None
    bad = await desk.client.get(f"{API}/cases/due?group=nobody", headers=desk.staff)
    assert bad.status_code == 422 and "group" in field_errors(bad)


async def test_a_recommendation_meets_the_101_promise(desk: Desk) -> None:
    person = await desk.person(groups=[{"group": "zero_employment_household"}])
    assert codes(await queue(desk, "due")) == [(person, "101")]
    await desk.recommend(person)
    assert codes(await queue(desk, "due")) == []
    case = (await desk.client.get(f"{API}/cases/{person}", headers=desk.staff)).json()
    (promise,) = case["promises"]
    assert (promise["state"], promise["open"]) == ("met", False)
    assert promise["fulfilled_on"] == in_days(0).isoformat()
    assert len(case["recommendations"]) == 1


async def test_a_hire_closes_overdue_promises_and_counts_as_placed(desk: Desk) -> None:
    person = await desk.person(
        groups=[
            {"group": "zero_employment_household"},
            {"group": "employment_difficulty", "certified_at": days_ago(3)},
        ]
    )
    await registered_days_ago(desk.app, person, 20)
    assert codes(await queue(desk, "overdue")) == [(person, "101")]
    rec = await desk.recommend(person)  # late for 101, in time for the 30 days
    assert codes(await queue(desk, "overdue")) == []
    case = (await desk.client.get(f"{API}/cases/{person}", headers=desk.staff)).json()
    states = {p["code"]: (p["state"], p["open"]) for p in case["promises"]}
    assert states == {"101": ("missed", False), "difficulty_30d": ("met", False)}
    await desk.hire(rec["id"])
    case = (await desk.client.get(f"{API}/cases/{person}", headers=desk.staff)).json()
    assert case["jobseeker"]["status"] == "placed"
    assert case["recommendations"][0]["status"] == "hired"


async def test_placement_alone_closes_an_overdue_promise(desk: Desk) -> None:
    person = await desk.person(groups=[{"group": "zero_employment_household"}])
    await registered_days_ago(desk.app, person, 9)
    assert codes(await queue(desk, "overdue")) == [(person, "101")]
    other = await desk.person(groups=[{"group": "zero_employment_household"}])
    rec = await desk.recommend(other)
    await desk.hire(rec["id"])
    await desk.client.patch(f"{API}/jobseekers/{person}", json={"status": "placed"})
    assert codes(await queue(desk, "overdue")) == []
    case = (await desk.client.get(f"{API}/cases/{person}", headers=desk.staff)).json()
    assert (case["promises"][0]["state"], case["promises"][0]["open"]) == ("missed", False)


async def test_311_services_recorded_by_staff(desk: Desk) -> None:
    person = await desk.person(groups=[{"group": "graduate"}], left_school_on=days_ago(29))
    assert codes(await queue(desk, "due")) == [(person, "graduate_311")]
    for kind in ("career_guidance", "skills_training"):
        made = await desk.client.post(
            f"{API}/cases/{person}/services",
            json={"kind": kind, "note": "已完成"},
            headers=desk.staff,
        )
        assert made.status_code == 201, made.text
        assert made.json()["delivered_on"] == in_days(0).isoformat()
    assert codes(await queue(desk, "due")) == [(person, "graduate_311")]  # no job yet
    await desk.recommend(person)
    assert codes(await queue(desk, "due")) == []
    case = (await desk.client.get(f"{API}/cases/{person}", headers=desk.staff)).json()
    assert case["promises"][0]["state"] == "met"
    assert [s["kind"] for s in case["services"]] == ["career_guidance", "skills_training"]
    assert case["last_contact_on"] == in_days(0).isoformat()
    bad = await desk.client.post(f"{API}/cases/{person}/services", json={"kind": "haircut"})
    assert bad.status_code == 422 and "kind" in field_errors(bad)


async def test_the_person_sees_their_own_case(desk: Desk) -> None:
    person = await desk.person(groups=[{"group": "zero_employment_household"}])
    other = await desk.person()
    seeker = await desk.login_as(person)
    own = await desk.client.get(f"{API}/cases/{person}", headers=seeker)
    assert own.status_code == 200 and own.json()["promises"][0]["code"] == "101"
    assert (await desk.client.get(f"{API}/cases/{other}", headers=seeker)).status_code == 403
    assert (await desk.client.get(f"{API}/cases/due", headers=seeker)).status_code == 403


async def test_colour_on_the_case_changes_as_the_case_moves(desk: Desk) -> None:
    person = await desk.person(groups=[{"group": "migrant_worker"}])
    await registered_days_ago(desk.app, person, 40)
    case = (await desk.client.get(f"{API}/cases/{person}", headers=desk.staff)).json()
    assert case["screening"]["colour"] == "red"  # 40 days without contact
    rec = await desk.recommend(person)
    assert (await desk.step(rec["id"], "contacted")).status_code == 200
    case = (await desk.client.get(f"{API}/cases/{person}", headers=desk.staff)).json()
    assert case["screening"]["colour"] == "yellow"
    for status in ("interviewed", "hired"):
        assert (await desk.step(rec["id"], status)).status_code == 200
    case = (await desk.client.get(f"{API}/cases/{person}", headers=desk.staff)).json()
    assert case["screening"]["colour"] == "blue"
    assert case["screening"]["follow_up_on"] == in_days(30).isoformat()
