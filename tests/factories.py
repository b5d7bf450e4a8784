"""Small factories that create records through the HTTP API, with keyword defaults."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import httpx
from fastapi import FastAPI

from ingest.identifiers import make_citizen_id, make_credit_code
from service.caller import Caller, Role
from service.postings import service as postings_service
from service.postings.schemas import PostingCreate

API = "/api/v1"
_counter = itertools.count(1)


def unique_credit_code() -> str:
    n = next(_counter)
    return make_credit_code(f"91420100MA{n:07d}")


def unique_phone() -> str:
    return f"139{next(_counter):08d}"


def citizen_id(seq: int = 1, region: str = "420102", birth: date = date(1990, 5, 6)) -> str:
    return make_citizen_id(region, birth, seq)


async def _post(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(API + path, json=body)
    assert response.status_code in (200, 201), response.text
    return response.json()


async def create_employer(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {
        "name": "武汉江城汽车零部件有限公司",
        "credit_code": unique_credit_code(),
        "adcode": "420114",
    }
    return await _post(client, "/employers", body | fields)


async def create_station(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {
        "name": "江岸区后湖街道就业服务站",
        "kind": "service_station",
        "adcode": "420102",
        "lat": 30.64,
        "lon": 114.29,
    }
    return await _post(client, "/stations", body | fields)


POSTING_BODY: dict[str, Any] = {
    "title": "氩弧焊工",
    "occupation_code": "6-18-02-04",
    "salary_min": 6000,
    "salary_max": 9000,
    "adcode": "420114",
    "lat": 30.54,
    "lon": 114.08,
}
REVIEW_FLAG = {
    "code": "discrimination_gender",
    "message": "岗位要求含“限男性”，可能构成性别歧视，需人工审核",
    "matched": "限男性",
    "severity": "review",
}


async def create_posting(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    if "employer_id" not in fields:
        fields["employer_id"] = (await create_employer(client))["id"]
    return await _post(client, "/postings", POSTING_BODY | fields)


async def create_held_posting(
    client: httpx.AsyncClient, app: FastAPI, **fields: Any
) -> dict[str, Any]:
    """A posting that screening holds for staff review (pending_review), stored as the create
    path stores one whose flags all ask for review: in one transaction, so never open."""
    if "employer_id" not in fields:
        fields["employer_id"] = (await create_employer(client))["id"]
    data = PostingCreate.model_validate(POSTING_BODY | {"title": "装卸工（限男性）"} | fields)
    caller = Caller(role=Role.admin, actor_id="tests", via="token")
    async with app.state.sessionmaker() as session:
        made = await postings_service.create(session, app.state.reference, data, caller=caller)
        made.posting.screening = [REVIEW_FLAG]
        made.posting.status = postings_service.status_for([REVIEW_FLAG])
        await session.commit()
        posting_id = made.posting.id
    app.state.search.indexer.wake()
    response = await client.get(f"{API}/postings/{posting_id}")  # as the (admin) client
    assert response.status_code == 200, response.text
    return response.json()


async def create_jobseeker(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {
        "name": "张伟",
        "phone": unique_phone(),
        "adcode": "420111",
        "desired_titles": ["焊工"],
    }
    return await _post(client, "/jobseekers", body | fields)


async def create_event(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {
        "name": "2026年春风行动专场招聘会",
        "kind": "job_fair",
        "campaign": "春风行动",
        "starts_at": "2026-03-01T09:00:00+08:00",
        "ends_at": "2026-03-01T12:00:00+08:00",
        "venue": "武汉国际博览中心",
        "adcode": "420105",
    }
    return await _post(client, "/events", body | fields)


def field_errors(response: httpx.Response) -> dict[str, str]:
    """{field: message} of a problem document; asserts it is one."""
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    body = response.json()
    assert body["status"] == response.status_code
    return {e["field"]: e["message"] for e in body.get("errors", [])}


async def create_account(
    client: httpx.AsyncClient, role: str, password: str = "correct-horse-1", **binding: Any
) -> dict[str, Any]:
    """An account made by the (admin) client; binding: jobseeker_id, employer_id, station_id."""
    body = {"username": f"user{next(_counter)}", "password": password, "role": role} | binding
    return await _post(client, "/accounts", body)
