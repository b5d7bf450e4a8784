"""A station's desk: a station in 江岸区 with a staff account, an employer with an account and
postings, and helpers to register people and act as each role."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from service.cases.clocks import china_today
from tests.conftest import ADMIN_ID, bearer
from tests.factories import (
    API,
    create_account,
    create_employer,
    create_jobseeker,
    create_posting,
    create_station,
)

JIANGAN = {"adcode": "420102", "lat": 30.60, "lon": 114.30}  # 江岸区: the desk's district
HONGSHAN = {"adcode": "420111", "lat": 30.50, "lon": 114.34}  # 洪山区: outside it


@dataclass
class Desk:
    client: httpx.AsyncClient
    app: FastAPI
    station: str
    staff: dict[str, str]
    employer: str
    employer_headers: dict[str, str]
    postings: list[str]
    admin: dict[str, str] = field(default_factory=dict)

    async def person(self, *, groups: list[dict[str, Any]] | None = None, **fields: Any) -> str:
        body = {"station_id": self.station, **JIANGAN, "desired_titles": ["焊工"]} | fields
        if groups is not None:
            body["priority_groups"] = groups
        return (await create_jobseeker(self.client, **body))["id"]

    async def login_as(self, jobseeker_id: str) -> dict[str, str]:
        account = await create_account(self.client, "jobseeker", jobseeker_id=jobseeker_id)
        return bearer(self.app, account["id"], "jobseeker")

    async def recommend(self, jobseeker_id: str, posting_id: str | None = None) -> dict[str, Any]:
        response = await self.client.post(
            f"{API}/recommendations",
            json={"jobseeker_id": jobseeker_id, "posting_id": posting_id or self.postings[0]},
            headers=self.staff,
        )
        assert response.status_code == 201, response.text
        return response.json()

    async def step(self, rec_id: str, status: str, headers: dict[str, str] | None = None) -> Any:
        return await self.client.patch(
            f"{API}/recommendations/{rec_id}",
            json={"status": status},
            headers=headers or self.staff,
        )

    async def hire(self, rec_id: str) -> None:
        for status in ("contacted", "interviewed", "hired"):
            response = await self.step(rec_id, status)
            assert response.status_code == 200, response.text


def days_ago(days: int) -> str:
    return (china_today() - timedelta(days=days)).isoformat()


def in_days(days: int) -> date:
    return china_today() + timedelta(days=days)


async def open_desk(client: httpx.AsyncClient, app: FastAPI, postings: int = 2) -> Desk:
    station = await create_station(client, **JIANGAN)
    staff = await create_account(client, "staff", station_id=station["id"])
    employer = await create_employer(client, adcode="420102")
    employer_account = await create_account(client, "employer", employer_id=employer["id"])
    titles = ["氩弧焊工", "电焊工", "焊接操作工", "二保焊工", "焊工学徒"]
    made = [
        (await create_posting(client, employer_id=employer["id"], title=titles[i], **JIANGAN))["id"]
        for i in range(postings)
    ]
    return Desk(
        client=client,
        app=app,
        station=station["id"],
        staff=bearer(app, staff["id"], "staff"),
        employer=employer["id"],
        employer_headers=bearer(app, employer_account["id"], "employer"),
        postings=made,
        admin=bearer(app, ADMIN_ID),
    )
