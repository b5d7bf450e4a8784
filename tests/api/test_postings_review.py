"""Postings held by screening, and the staff review that releases or rejects them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from service.enums import PostingStatus
from service.postings.service import status_for
from tests.conftest import ANONYMOUS, bearer
from tests.factories import (
    API,
    REVIEW_FLAG,
    create_account,
    create_employer,
    create_held_posting,
    create_jobseeker,
    create_posting,
    create_station,
    field_errors,
)

JIANGAN = {"adcode": "420102", "lat": 30.60, "lon": 114.30}  # 江岸区
HONGSHAN = {"adcode": "420111", "lat": 30.50, "lon": 114.34}  # 洪山区
REJECT_FLAG = REVIEW_FLAG | {"code": "fee_charged", "severity": "reject"}


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not await check():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def staff_of(client: httpx.AsyncClient, app: FastAPI, place: dict[str, Any]) -> dict:
    station = await create_station(client, name="就业服务站", **place)
    account = await create_account(client, "staff", station_id=station["id"])
    return bearer(app, account["id"], "staff")


async def employer_login(client: httpx.AsyncClient, app: FastAPI, employer_id: str) -> dict:
    account = await create_account(client, "employer", employer_id=employer_id)
    return bearer(app, account["id"], "employer")


async def findable(client: httpx.AsyncClient, posting_id: str, q: str) -> bool:
    response = await client.get(f"{API}/postings/search", params={"q": q}, headers=ANONYMOUS)
    return posting_id in [item["posting"]["id"] for item in response.json()["items"]]


def review_url(posting: dict[str, Any]) -> str:
    return f"{API}/postings/{posting['id']}/review"


@pytest.mark.parametrize(
    ("flags", "status"),
    [
        ([], PostingStatus.open),
        ([REVIEW_FLAG], PostingStatus.pending_review),
        ([REVIEW_FLAG, REJECT_FLAG], PostingStatus.rejected),
        ([REJECT_FLAG], PostingStatus.rejected),
    ],
)
def test_status_follows_the_strongest_flag(
    flags: list[dict[str, str]], status: PostingStatus
) -> None:
    assert status_for(flags) == status


async def test_a_held_posting_is_seen_only_by_its_employer_and_staff_in_scope(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    owner = await create_employer(client)
    held = await create_held_posting(client, app, employer_id=owner["id"], **JIANGAN)
    assert held["status"] == "pending_review"
    assert held["screening"][0]["severity"] == "review"
    # an open posting written after it: once the index has it, it has seen the held one too
    control = await create_posting(client, title="装卸工", occupation_code=None, **JIANGAN)
    assert await eventually(lambda: findable(client, control["id"], "装卸工"))
    assert not await findable(client, held["id"], "装卸工")

    url = f"{API}/postings/{held['id']}"
    assert (await client.get(url, headers=ANONYMOUS)).status_code == 404
    public_list = (await client.get(f"{API}/postings", headers=ANONYMOUS)).json()["items"]
    assert held["id"] not in [p["id"] for p in public_list]
    person = await create_jobseeker(client, desired_titles=["装卸工"], **JIANGAN)
    matches = (await client.get(f"{API}/jobseekers/{person['id']}/matches")).json()
    assert held["id"] not in [m["posting"]["id"] for m in matches]

    seen_by_owner = await client.get(url, headers=await employer_login(client, app, owner["id"]))
    assert seen_by_owner.json()["screening"] == [REVIEW_FLAG]
    assert (await client.get(url, headers=await staff_of(client, app, JIANGAN))).status_code == 200
    assert (await client.get(url, headers=await staff_of(client, app, HONGSHAN))).status_code == 404


async def test_release_opens_the_posting_records_the_review_and_makes_it_findable(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    held = await create_held_posting(client, app, title="仓库理货员（限男性）", **JIANGAN)
    staff = await staff_of(client, app, JIANGAN)
    response = await client.post(
        review_url(held), json={"decision": "release", "note": "已核实，不限性别"}, headers=staff
    )
    assert response.status_code == 200, response.text
    released = response.json()
    assert released["status"] == "open"
    review = released["review"]
    assert (review["decision"], review["note"], review["from_status"]) == (
        "release",
        "已核实，不限性别",
        "pending_review",
    )
    assert review["reviewer"].startswith("token:") and review["reviewer_role"] == "staff"
    public = (await client.get(f"{API}/postings/{held['id']}", headers=ANONYMOUS)).json()
    assert public["status"] == "open"
    assert public["review"] is None  # the reviewer and the note are not for the public
    assert await eventually(lambda: findable(client, held["id"], "理货员")), "never indexed"
    audit = (await client.get(f"{API}/audit-log", params={"entity_id": held["id"]})).json()
    assert [row["action"] for row in audit] == ["review_release"]


async def test_a_rejection_needs_a_note_and_keeps_the_posting_unpublished(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    owner = await create_employer(client)
    held = await create_held_posting(client, app, employer_id=owner["id"], **JIANGAN)
    missing = await client.post(review_url(held), json={"decision": "reject"})
    assert missing.status_code == 422
    assert "note" in field_errors(missing)
    blank = await client.post(review_url(held), json={"decision": "reject", "note": "  "})
    assert "note" in field_errors(blank)
    too_long = await client.post(review_url(held), json={"decision": "reject", "note": "长" * 501})
    assert "note" in field_errors(too_long)
    unknown = await client.post(review_url(held), json={"decision": "approve"})
    assert "decision" in field_errors(unknown)

    note = "“限男性”属于性别歧视，请删除后重新提交"
    rejected = await client.post(review_url(held), json={"decision": "reject", "note": note})
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "rejected"
    mine = await client.get(
        f"{API}/postings/{held['id']}", headers=await employer_login(client, app, owner["id"])
    )
    assert mine.json()["review"]["note"] == note  # the employer learns why
    assert (await client.get(f"{API}/postings/{held['id']}", headers=ANONYMOUS)).status_code == 404


async def test_a_barred_employer_is_never_released(client: httpx.AsyncClient, app: FastAPI) -> None:
    barred = await create_employer(client, credit_status="c_grade")
    posting = await create_posting(client, employer_id=barred["id"], **JIANGAN)
    assert posting["status"] == "rejected"
    response = await client.post(review_url(posting), json={"decision": "release"})
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "C级" in response.json()["detail"]
    held = await create_held_posting(client, app, employer_id=barred["id"], **JIANGAN)
    assert (await client.post(review_url(held), json={"decision": "release"})).status_code == 409
    still = (await client.get(f"{API}/postings/{posting['id']}")).json()
    assert still["status"] == "rejected" and still["review"] is None

    # credit restored by an admin: the posting may now be released
    employer_url = f"{API}/employers/{barred['id']}"
    restored = await client.patch(employer_url, json={"credit_status": "normal"})
    assert restored.status_code == 200
    released = await client.post(review_url(posting), json={"decision": "release"})
    assert released.status_code == 200, released.text
    assert released.json()["status"] == "open"


async def test_only_held_and_rejected_postings_are_reviewed(client: httpx.AsyncClient) -> None:
    posting = await create_posting(client)
    response = await client.post(review_url(posting), json={"decision": "release"})
    assert response.status_code == 409
    assert "open" in response.json()["detail"]
    await client.delete(f"{API}/postings/{posting['id']}")
    closed = await client.post(review_url(posting), json={"decision": "reject", "note": "重复"})
    assert closed.status_code == 409
    nowhere = f"{API}/postings/nosuchposting/review"
    missing = await client.post(nowhere, json={"decision": "release"})
    assert missing.status_code == 404


async def test_review_is_for_staff_in_scope_and_admins(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    owner = await create_employer(client)
    held = await create_held_posting(client, app, employer_id=owner["id"], **JIANGAN)
    release = {"decision": "release"}
    elsewhere = await client.post(
        review_url(held), json=release, headers=await staff_of(client, app, HONGSHAN)
    )
    assert elsewhere.status_code == 403
    by_owner = await client.post(
        review_url(held), json=release, headers=await employer_login(client, app, owner["id"])
    )
    assert by_owner.status_code == 403
    assert (await client.post(review_url(held), json=release, headers=ANONYMOUS)).status_code == 401
    assert (await client.get(f"{API}/postings/{held['id']}")).json()["status"] == "pending_review"


async def test_an_employer_edit_keeps_a_held_posting_held(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    owner = await create_employer(client)
    held = await create_held_posting(client, app, employer_id=owner["id"], **JIANGAN)
    url = f"{API}/postings/{held['id']}"
    employer = await employer_login(client, app, owner["id"])
    edited = await client.patch(url, json={"title": "装卸工"}, headers=employer)
    assert edited.status_code == 200
    assert (edited.json()["title"], edited.json()["status"]) == ("装卸工", "pending_review")
    for status in ("open", "filled", "rejected"):
        refused = await client.patch(url, json={"status": status}, headers=employer)
        assert refused.status_code == 422, status
        assert "status" in field_errors(refused)
    # nobody sets the statuses of screening by hand, not even an admin
    open_one = await create_posting(client)
    hold = await client.patch(f"{API}/postings/{open_one['id']}", json={"status": "pending_review"})
    assert hold.status_code == 422
    # withdrawn while held, it cannot be reopened past the review either
    assert (await client.patch(url, json={"status": "closed"}, headers=employer)).status_code == 200
    reopened = await client.patch(url, json={"status": "open"}, headers=employer)
    assert reopened.status_code == 422


async def test_a_released_posting_is_managed_as_usual(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    held = await create_held_posting(client, app, **JIANGAN)
    await client.post(review_url(held), json={"decision": "release"})
    url = f"{API}/postings/{held['id']}"
    assert (await client.patch(url, json={"status": "filled"})).json()["status"] == "filled"
    assert (await client.patch(url, json={"status": "open"})).json()["status"] == "open"


async def test_the_review_queue_is_oldest_first_and_scoped(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    owner = await create_employer(client)
    barred = await create_employer(client, credit_status="wage_arrears_list")
    first = await create_held_posting(client, app, employer_id=owner["id"], **JIANGAN)
    elsewhere = await create_held_posting(client, app, employer_id=owner["id"], **HONGSHAN)
    second = await create_held_posting(client, app, employer_id=owner["id"], **JIANGAN)
    refused = await create_held_posting(client, app, employer_id=owner["id"], **JIANGAN)
    await client.post(review_url(refused), json={"decision": "reject", "note": "虚假招聘"})
    await create_posting(client, employer_id=barred["id"], **JIANGAN)  # rejected for credit
    await create_posting(client, employer_id=owner["id"], **JIANGAN)  # open

    async def queue(headers: dict[str, str], limit: int = 100) -> list[str]:
        seen: list[str] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": limit} | ({"cursor": cursor} if cursor else {})
            response = await client.get(
                f"{API}/postings/review-queue", params=params, headers=headers
            )
            assert response.status_code == 200, response.text
            page = response.json()
            seen += [p["id"] for p in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                return seen

    staff = await staff_of(client, app, JIANGAN)
    assert await queue(staff, limit=1) == [first["id"], second["id"]]
    assert await queue(await staff_of(client, app, HONGSHAN)) == [elsewhere["id"]]
    assert await queue({}) == [first["id"], elsewhere["id"], second["id"]]  # the admin
    items = (await client.get(f"{API}/postings/review-queue", headers=staff)).json()["items"]
    assert items[0]["screening"] == [REVIEW_FLAG]

    # the employer corrects the rejected posting: it comes back for another look
    employer = await employer_login(client, app, owner["id"])
    fixed = await client.patch(
        f"{API}/postings/{refused['id']}", json={"title": "装卸工"}, headers=employer
    )
    assert fixed.json()["status"] == "rejected"
    assert await queue(staff) == [first["id"], second["id"], refused["id"]]
    await client.post(review_url(first), json={"decision": "release"}, headers=staff)
    assert await queue(staff) == [second["id"], refused["id"]]
