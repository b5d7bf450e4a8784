"""A case made by hand offers a reserved post only to its groups, whichever way it is reserved:
named on the posting, by the policy's rule on its employment type, or by the rule on an event it
is offered at (a veterans' special recruitment) — as the index offers it."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from tests.cases.desk import Desk, open_desk
from tests.factories import API, create_event, create_posting, field_errors


@pytest.fixture
async def desk(client: httpx.AsyncClient, app: FastAPI) -> Desk:
    return await open_desk(client, app, postings=3)


async def offer(desk: Desk, person: str, posting: str) -> httpx.Response:
    return await desk.client.post(
        f"{API}/recommendations",
        json={"jobseeker_id": person, "posting_id": posting},
        headers=desk.staff,
    )


async def at_event(desk: Desk, posting: str, kind: str, groups: list[str]) -> None:
    event = await create_event(desk.client, kind=kind, target_groups=groups)
    body = {"postings": [{"posting_id": posting}]}
    linked = await desk.client.post(f"{API}/events/{event['id']}/postings", json=body)
    assert linked.status_code == 200, linked.text


async def test_a_post_at_a_veterans_special_recruitment_is_refused_to_others(desk: Desk) -> None:
    special, fair = desk.postings[0], desk.postings[1]
    await at_event(desk, special, "special_recruitment", ["veteran"])
    await at_event(desk, fair, "job_fair", ["veteran"])  # aimed at veterans, not reserved
    graduate = await desk.person(groups=[{"group": "graduate"}])
    plain = await desk.person()
    veteran = await desk.person(groups=[{"group": "veteran"}])

    for person in (graduate, plain):
        refused = await offer(desk, person, special)
        assert refused.status_code == 422, refused.text
        assert "退役军人" in field_errors(refused)["posting_id"]
    assert (await offer(desk, veteran, special)).status_code == 201
    assert (await offer(desk, graduate, fair)).status_code == 201


async def test_a_post_named_for_a_group_is_refused_to_other_groups(desk: Desk) -> None:
    named = await create_posting(
        desk.client, employer_id=desk.employer, title="残疾人专岗 客服", reserved_for=["disabled"]
    )
    graduate = await desk.person(groups=[{"group": "graduate"}])
    refused = await offer(desk, graduate, named["id"])
    assert refused.status_code == 422
    assert "残疾人" in field_errors(refused)["posting_id"]
    disabled = await desk.person(groups=[{"group": "disabled"}])
    assert (await offer(desk, disabled, named["id"])).status_code == 201
