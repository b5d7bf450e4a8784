"""Recommendations as cases: creation, the status machine, history, who sees what."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from tests.cases.desk import HONGSHAN, Desk, open_desk
from tests.conftest import ANONYMOUS
from tests.factories import API, create_jobseeker, create_posting, field_errors


@pytest.fixture
async def desk(client: httpx.AsyncClient, app: FastAPI) -> Desk:
    return await open_desk(client, app)


async def test_staff_recommend_and_follow_to_a_hire(desk: Desk) -> None:
    person = await desk.person(groups=[{"group": "zero_employment_household"}])
    rec = await desk.recommend(person)
    assert rec["status"] == "recommended"
    assert rec["jobseeker"]["id"] == person and rec["posting"]["id"] == desk.postings[0]
    assert rec["posting"]["employer_name"]
    assert [s["to_status"] for s in rec["history"]] == ["recommended"]
    assert rec["history"][0]["from_status"] is None and rec["history"][0]["actor_role"] == "staff"

    for status in ("contacted", "interviewed"):
        response = await desk.step(rec["id"], status)
        assert response.status_code == 200, response.text
    noted = await desk.client.patch(
        f"{API}/recommendations/{rec['id']}",
        json={"note": "面试通过，等待通知"},
        headers=desk.staff,
    )
    assert noted.status_code == 200 and noted.json()["status"] == "interviewed"
    hired = await desk.step(rec["id"], "hired")
    assert hired.status_code == 200, hired.text
    steps = hired.json()["history"]
    assert [(s["from_status"], s["to_status"]) for s in steps] == [
        (None, "recommended"),
        ("recommended", "contacted"),
        ("contacted", "interviewed"),
        ("interviewed", "interviewed"),
        ("interviewed", "hired"),
    ]
    assert steps[3]["note"] == "面试通过，等待通知"
    assert all(s["at"] and s["actor"].startswith("token:") for s in steps)
    person_now = (await desk.client.get(f"{API}/jobseekers/{person}")).json()
    assert person_now["status"] == "placed"


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        ([], "hired"),  # recommended → hired skips the steps
        ([], "interviewed"),
        (["contacted"], "recommended"),  # no way back
        (["declined"], "contacted"),  # final
        (["contacted", "interviewed", "hired"], "rejected"),
    ],
)
async def test_illegal_steps_are_refused_naming_the_field(
    desk: Desk, path: list[str], wanted: str
) -> None:
    rec = await desk.recommend(await desk.person())
    for status in path:
        assert (await desk.step(rec["id"], status)).status_code == 200
    response = await desk.step(rec["id"], wanted)
    assert response.status_code == 409
    assert "status" in field_errors(response)
    after = (await desk.client.get(f"{API}/recommendations/{rec['id']}")).json()
    assert after["status"] == (path[-1] if path else "recommended")
    assert len(after["history"]) == len(path) + 1  # the refused step left no trace


async def test_unknown_status_and_empty_patch_are_validation_errors(desk: Desk) -> None:
    rec = await desk.recommend(await desk.person())
    bad = await desk.step(rec["id"], "fired")
    assert bad.status_code == 422 and "status" in field_errors(bad)
    empty = await desk.client.patch(f"{API}/recommendations/{rec['id']}", json={})
    assert empty.status_code == 422 and "status" in field_errors(empty)


async def test_same_pair_twice_is_a_conflict_naming_the_posting(desk: Desk) -> None:
    person = await desk.person()
    await desk.recommend(person)
    again = await desk.client.post(
        f"{API}/recommendations",
        json={"jobseeker_id": person, "posting_id": desk.postings[0]},
        headers=desk.staff,
    )
    assert again.status_code == 409 and "posting_id" in field_errors(again)
    other = await desk.recommend(person, desk.postings[1])
    assert other["status"] == "recommended"


async def test_refusals_name_the_field(desk: Desk) -> None:
    person = await desk.person()
    missing = await desk.client.post(
        f"{API}/recommendations", json={"jobseeker_id": person, "posting_id": "nope"}
    )
    assert missing.status_code == 422 and "posting_id" in field_errors(missing)
    closed = desk.postings[1]
    await desk.client.patch(f"{API}/postings/{closed}", json={"status": "closed"})
    refused = await desk.client.post(
        f"{API}/recommendations", json={"jobseeker_id": person, "posting_id": closed}
    )
    assert refused.status_code == 422 and "posting_id" in field_errors(refused)
    welfare = await create_posting(
        desk.client,
        employer_id=desk.employer,
        title="社区保洁公益性岗位",
        employment_type="public_welfare",
    )
    reserved = await desk.client.post(
        f"{API}/recommendations", json={"jobseeker_id": person, "posting_id": welfare["id"]}
    )
    assert reserved.status_code == 422 and "就业困难人员" in field_errors(reserved)["posting_id"]
    member = await desk.person(groups=[{"group": "employment_difficulty"}])
    assert (await desk.recommend(member, welfare["id"]))["status"] == "recommended"


async def test_staff_only_for_people_in_scope(desk: Desk) -> None:
    outside = (await create_jobseeker(desk.client, **HONGSHAN))["id"]
    response = await desk.client.post(
        f"{API}/recommendations",
        json={"jobseeker_id": outside, "posting_id": desk.postings[0]},
        headers=desk.staff,
    )
    assert response.status_code == 403
    admin_made = (
        await desk.client.post(
            f"{API}/recommendations", json={"jobseeker_id": outside, "posting_id": desk.postings[0]}
        )
    ).json()
    assert (await desk.step(admin_made["id"], "contacted")).status_code == 403
    listed = await desk.client.get(f"{API}/recommendations", headers=desk.staff)
    assert admin_made["id"] not in {r["id"] for r in listed.json()["items"]}


async def test_each_party_sees_its_own_cases_masked_as_elsewhere(desk: Desk) -> None:
    person = await desk.person(
        name="王小明", phone="13912345678", groups=[{"group": "disabled", "evidence": "残疾证"}]
    )
    other = await desk.person()
    mine = await desk.recommend(person)
    theirs = await desk.recommend(other)
    await desk.client.patch(
        f"{API}/recommendations/{mine['id']}",
        json={"note": "本人腿部残疾，需无障碍工位"},
        headers=desk.staff,
    )

    staff_view = await desk.client.get(f"{API}/recommendations/{mine['id']}", headers=desk.staff)
    assert staff_view.json()["jobseeker"]["phone"] == "13912345678"
    assert staff_view.json()["jobseeker"]["priority_groups"] == ["disabled"]

    seeker = await desk.login_as(person)
    own = (await desk.client.get(f"{API}/recommendations", headers=seeker)).json()["items"]
    assert [r["id"] for r in own] == [mine["id"]]
    assert own[0]["jobseeker"]["phone"] == "13912345678"
    assert (
        await desk.client.get(f"{API}/recommendations/{theirs['id']}", headers=seeker)
    ).status_code == 403

    employer = (
        await desk.client.get(f"{API}/recommendations", headers=desk.employer_headers)
    ).json()
    seen = {r["id"]: r for r in employer["items"]}
    assert set(seen) == {mine["id"], theirs["id"]}
    masked = seen[mine["id"]]
    assert masked["jobseeker"]["phone"] == "139****5678"
    assert masked["jobseeker"]["name"] == "王**"  # not agreed to be shown to employers
    assert masked["jobseeker"]["priority_groups"] == []
    assert all(step["note"] is None for step in masked["history"])  # staff notes stay inside

    other_employer = await create_posting(desk.client, **HONGSHAN)
    foreign = await desk.recommend(person, other_employer["id"])
    employer_ids = {
        r["id"]
        for r in (
            await desk.client.get(f"{API}/recommendations", headers=desk.employer_headers)
        ).json()["items"]
    }
    assert foreign["id"] not in employer_ids
    assert (await desk.client.get(f"{API}/recommendations", headers=ANONYMOUS)).status_code == 401


async def test_who_may_take_which_step(desk: Desk) -> None:
    person = await desk.person()
    seeker = await desk.login_as(person)
    rec = await desk.recommend(person)
    assert (await desk.step(rec["id"], "contacted", seeker)).status_code == 403
    assert (await desk.step(rec["id"], "contacted", desk.employer_headers)).status_code == 403
    assert (await desk.step(rec["id"], "contacted")).status_code == 200
    interviewed = await desk.step(rec["id"], "interviewed", desk.employer_headers)
    assert interviewed.status_code == 200
    declined = await desk.step(rec["id"], "declined", seeker)
    assert (
        declined.status_code == 200 and declined.json()["history"][-1]["actor_role"] == "jobseeker"
    )
    person_now = (await desk.client.get(f"{API}/jobseekers/{person}")).json()
    assert person_now["status"] == "seeking"


async def test_list_filters_and_pages(desk: Desk) -> None:
    people = [await desk.person() for _ in range(3)]
    made = [await desk.recommend(p) for p in people]
    await desk.step(made[0]["id"], "contacted")
    page = (await desk.client.get(f"{API}/recommendations?limit=2", headers=desk.staff)).json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = (
        await desk.client.get(
            f"{API}/recommendations?limit=2&cursor={page['next_cursor']}", headers=desk.staff
        )
    ).json()
    ids = [r["id"] for r in page["items"] + rest["items"]]
    assert sorted(ids) == sorted(r["id"] for r in made) and ids == sorted(ids, reverse=True)
    contacted = (
        await desk.client.get(f"{API}/recommendations?status=contacted", headers=desk.staff)
    ).json()
    assert [r["id"] for r in contacted["items"]] == [made[0]["id"]]
    by_person = (await desk.client.get(f"{API}/recommendations?jobseeker_id={people[1]}")).json()
    assert [r["id"] for r in by_person["items"]] == [made[1]["id"]]
