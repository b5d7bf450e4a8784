"""The partner change feed: GET /api/v1/postings/stream."""

from __future__ import annotations

import asyncio
import base64
import time
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from service.caller import Caller, Role
from service.postings import service as postings_service
from service.postings.schemas import PostingCreate
from tests.conftest import ANONYMOUS, bearer
from tests.factories import (
    API,
    POSTING_BODY,
    create_account,
    create_employer,
    create_held_posting,
    create_posting,
    create_station,
    field_errors,
)

STREAM = f"{API}/postings/stream"
Items = list[dict[str, Any]]


async def read(
    client: httpx.AsyncClient,
    since: str | None,
    headers: dict[str, str] | None = None,
    **params: Any,
) -> dict[str, Any]:
    query = params | ({"since": since} if since else {})
    response = await client.get(STREAM, params=query, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def drain(
    client: httpx.AsyncClient,
    since: str | None,
    headers: dict[str, str] | None = None,
    limit: int = 100,
) -> tuple[Items, str]:
    """Every item after ``since`` available now, page by page; and the position after them."""
    items: Items = []
    while True:
        page = await read(client, since, headers, limit=limit)
        items += page["items"]
        since = page["next_since"]
        if not page["has_more"]:
            return items, since


async def catch_up(
    client: httpx.AsyncClient,
    since: str | None,
    posting_id: str,
    headers: dict[str, str] | None = None,
    limit: int = 100,
) -> tuple[Items, str]:
    """Items after ``since`` until one for ``posting_id`` has come. (On PostgreSQL the feed
    waits for transactions still running anywhere on the server, e.g. a benchmark's load.)"""
    items: Items = []
    deadline = time.monotonic() + 20
    while True:
        more, since = await drain(client, since, headers, limit)
        items += more
        if any(item["posting_id"] == posting_id for item in items):
            assert since is not None
            return items, since
        assert time.monotonic() < deadline, f"{posting_id} never came: {items}"
        await asyncio.sleep(0.05)


async def end_of_feed(client: httpx.AsyncClient) -> str:
    return (await drain(client, None))[1]


def ops(items: Items) -> list[tuple[str, str]]:
    return [(item["op"], item["posting_id"]) for item in items]


async def test_create_update_and_close_come_in_order(client: httpx.AsyncClient) -> None:
    start = await end_of_feed(client)
    posting = await create_posting(client, title="叉车司机")
    pid = posting["id"]
    created, after_create = await catch_up(client, start, pid)
    assert ops(created) == [("created", pid)]
    assert created[0]["posting"]["title"] == "叉车司机"
    assert created[0]["occurred_at"] and created[0]["seq"] > 0

    await client.patch(f"{API}/postings/{pid}", json={"salary_max": 9500})
    updated, after_update = await catch_up(client, after_create, pid)
    assert ops(updated) == [("updated", pid)]
    assert updated[0]["posting"]["salary_max"] == 9500

    await client.delete(f"{API}/postings/{pid}")
    closed, after_close = await catch_up(client, after_update, pid)
    assert ops(closed) == [("closed", pid)]
    assert closed[0]["posting"] is None

    quiet = await read(client, after_close)
    assert (quiet["items"], quiet["next_since"], quiet["has_more"]) == ([], after_close, False)
    # from the start, the three changes come back as they are now: one closed posting that no
    # earlier item named is left out of the page with its creation
    again, _ = await drain(client, start, limit=1)
    assert ops(again) == [("closed", pid), ("closed", pid)]


async def test_pages_continue_without_repeats_or_gaps(client: httpx.AsyncClient) -> None:
    owner = await create_employer(client)
    start = await end_of_feed(client)
    made = [
        (await create_posting(client, employer_id=owner["id"], title=f"焊工{i}"))["id"]
        for i in range(5)
    ]
    await catch_up(client, start, made[-1])  # all of them are readable now
    items, _ = await drain(client, start, limit=2)
    assert [item["posting_id"] for item in items] == made
    assert all(item["op"] == "created" for item in items)
    # each item's cursor continues right after it
    rest, _ = await drain(client, items[1]["cursor"], limit=2)
    assert [item["posting_id"] for item in rest] == made[2:]


async def test_changes_of_one_posting_in_a_page_are_folded(client: httpx.AsyncClient) -> None:
    start = await end_of_feed(client)
    posting = await create_posting(client, salary_max=8000)
    url = f"{API}/postings/{posting['id']}"
    await client.patch(url, json={"salary_max": 8500})
    await client.patch(url, json={"headcount": 4})
    marker = await create_posting(client, employer_id=posting["employer_id"])
    items, _ = await catch_up(client, start, marker["id"])  # the whole history, in one page
    assert ops(items) == [("created", posting["id"]), ("created", marker["id"])]
    assert (items[0]["posting"]["salary_max"], items[0]["posting"]["headcount"]) == (8500, 4)


async def test_held_and_rejected_postings_do_not_reach_partners(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    start = await end_of_feed(client)
    barred = await create_employer(client, credit_status="wage_arrears_list")
    rejected = await create_posting(client, employer_id=barred["id"], title="保安（先交押金）")
    owner = await create_employer(client, adcode="420102")
    held = await create_held_posting(
        client, app, employer_id=owner["id"], adcode="420102", lat=30.60, lon=114.30
    )
    marker = await create_posting(client, title="仓库分拣员")
    items, position = await catch_up(client, start, marker["id"])
    assert ops(items) == [("created", marker["id"])]

    # a partner's station key (it acts as staff of the station, in the held posting's district)
    station = await create_station(client, adcode="420102")
    key = (
        await client.post(
            f"{API}/api-keys", json={"name": "招聘会系统", "station_id": station["id"]}
        )
    ).json()
    partner = ANONYMOUS | {"X-API-Key": key["key"]}
    await client.patch(f"{API}/postings/{held['id']}", json={"title": "装卸工（限男性，包住）"})
    changed, position = await catch_up(client, position, held["id"], headers=partner)
    assert ops(changed) == [("closed", held["id"])]
    assert changed[0]["posting"] is None
    everything = (await client.get(STREAM, params={"since": start}, headers=partner)).text
    for secret in ("限男性", "押金", "discrimination", rejected["id"]):
        assert secret not in everything

    # released by staff: partners get it now, as an update they have not seen before
    await client.post(f"{API}/postings/{held['id']}/review", json={"decision": "release"})
    released, _ = await catch_up(client, position, held["id"], headers=partner)
    assert ops(released) == [("updated", held["id"])]
    assert released[0]["posting"]["status"] == "open"
    assert released[0]["posting"]["review"] is None


async def test_an_employer_reads_only_its_own_postings(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    start = await end_of_feed(client)
    mine = await create_employer(client)
    theirs = await create_employer(client)
    await create_posting(client, employer_id=theirs["id"])
    own = await create_posting(client, employer_id=mine["id"])
    account = await create_account(client, "employer", employer_id=mine["id"])
    headers = bearer(app, account["id"], "employer")
    items, _ = await catch_up(client, start, own["id"], headers=headers)
    assert ops(items) == [("created", own["id"])]


async def test_a_credit_bar_closes_the_employers_postings_and_lifting_it_reopens_them(
    client: httpx.AsyncClient,
) -> None:
    owner = await create_employer(client)
    first = await create_posting(client, employer_id=owner["id"])
    second = await create_posting(client, employer_id=owner["id"])
    start = (await catch_up(client, None, second["id"]))[1]
    employer_url = f"{API}/employers/{owner['id']}"
    await client.patch(employer_url, json={"credit_status": "c_grade"})
    barred, position = await catch_up(client, start, second["id"])
    assert sorted(ops(barred)) == sorted([("closed", first["id"]), ("closed", second["id"])])
    await client.patch(employer_url, json={"credit_status": "normal"})
    lifted, _ = await catch_up(client, position, second["id"])
    assert sorted(ops(lifted)) == sorted([("updated", first["id"]), ("updated", second["id"])])
    assert all(item["posting"] is not None for item in lifted)


@pytest.mark.parametrize(
    "since",
    [
        "not-a-position",
        base64.urlsafe_b64encode(b"v2.1.2").decode(),
        base64.urlsafe_b64encode(b"v1.-1.2").decode(),
        base64.urlsafe_b64encode(b"v1.1").decode(),
        "%%%",
    ],
)
async def test_a_bad_position_is_a_422_problem(client: httpx.AsyncClient, since: str) -> None:
    response = await client.get(STREAM, params={"since": since})
    assert response.status_code == 422
    assert "since" in field_errors(response)


async def test_a_page_size_out_of_range_is_a_422_problem(client: httpx.AsyncClient) -> None:
    response = await client.get(STREAM, params={"limit": 0})
    assert "limit" in field_errors(response)


async def test_a_late_commit_is_not_skipped(client: httpx.AsyncClient, app: FastAPI) -> None:
    """PostgreSQL numbers a change when it is written, not when it commits: a feed read by
    number alone would hand out the position after a fast transaction and never show a slower
    one that wrote first. The feed holds changes back while an older transaction runs."""
    if app.state.engine.url.get_backend_name() != "postgresql":
        pytest.skip("SQLite writes one transaction at a time: commit order is write order")
    owner = await create_employer(client)
    start = await end_of_feed(client)
    data = PostingCreate.model_validate(POSTING_BODY | {"employer_id": owner["id"]})
    caller = Caller(role=Role.admin, actor_id="slow-import", via="token")
    async with app.state.sessionmaker() as slow:
        made = await postings_service.create(slow, app.state.reference, data, caller=caller)
        fast = await create_posting(client, employer_id=owner["id"])  # commits first
        waiting, position = await drain(client, start)
        assert waiting == [] and position == start
        await slow.commit()
    items, _ = await catch_up(client, start, fast["id"])
    assert ops(items) == [("created", made.posting.id), ("created", fast["id"])]
