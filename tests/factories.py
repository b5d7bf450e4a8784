"""Small factories that create records through the HTTP API, with keyword defaults."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import httpx

from ingest.identifiers import make_citizen_id, make_credit_code

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


async def create_posting(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    if "employer_id" not in fields:
        fields["employer_id"] = (await create_employer(client))["id"]
    body = {
        "title": "氩弧焊工",
        "occupation_code": "6-18-02-04",
        "salary_min": 6000,
        "salary_max": 9000,
        "adcode": "420114",
        "lat": 30.54,
        "lon": 114.08,
    }
    return await _post(client, "/postings", body | fields)


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
