"""``CaseRows`` stores exactly what a plain bulk insert of the models' tables stores (every value
processed per row by its column type), read back raw from the database, on SQLite and
PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import asyncpg, psycopg2

from service.matchruns.caserows import CASES, EVENTS, CaseRows, _statement
from service.matchruns.models import MatchRun
from service.recommendations.models import Recommendation
from service.sqltypes import new_id, new_ids
from tests.cases.desk import Desk, open_desk

REASONS = ["职业相同：焊工", 'say "yes" \\ then', "通勤约 25 分钟（公交）"]


@pytest.fixture
async def desk(client: httpx.AsyncClient, app: FastAPI) -> Desk:
    return await open_desk(client, app, postings=3)


async def raw_rows(desk: Desk, table: str, order: str) -> list[tuple[Any, ...]]:
    """The rows as the driver hands them over: no column type converts them back."""
    async with desk.app.state.engine.connect() as connection:
        result = await connection.exec_driver_sql(f"SELECT * FROM {table} ORDER BY {order}")
        return [tuple(row) for row in result.all()]


def without(rows: list[tuple[Any, ...]], *positions: int) -> list[tuple[Any, ...]]:
    return [tuple(v for i, v in enumerate(row) if i not in positions) for row in rows]


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 3, 1, 8, 30, 5, 123456, tzinfo=UTC),
        datetime(2026, 3, 1, 16, 30, 5, tzinfo=timezone(timedelta(hours=8))),  # no microseconds
    ],
)
async def test_case_rows_store_what_a_plain_insert_stores(desk: Desk, now: datetime) -> None:
    person = await desk.person()
    run = MatchRun(id="run-1", created_by="staff-1", created_by_role="staff", top_k=3)
    cases = CaseRows(run, now)
    for i, posting in enumerate(desk.postings):
        cases.add(person, posting, 0.5 + i / 7, REASONS[: i + 1])
    async with desk.app.state.sessionmaker() as session:
        await cases.insert(session)
        await session.commit()
    fast = {
        "recommendations": await raw_rows(desk, "recommendations", "posting_id"),
        "recommendation_events": await raw_rows(desk, "recommendation_events", "id"),
    }
    assert len(fast["recommendations"]) == 3 and len(fast["recommendation_events"]) == 3

    # The same rows, every value in every row, through the column types (the insert before).
    plain_cases = [row | cases.shared_case() for row in cases.recommendations]
    plain_events = [row | cases.shared_event() for row in cases.events]
    async with desk.app.state.sessionmaker() as session:
        connection = await session.connection()
        await connection.execute(EVENTS.delete())
        await connection.execute(CASES.delete())
        await connection.execute(insert(CASES), plain_cases)
        await connection.execute(insert(EVENTS), plain_events)
        await session.commit()
    plain = {
        "recommendations": await raw_rows(desk, "recommendations", "posting_id"),
        "recommendation_events": await raw_rows(desk, "recommendation_events", "id"),
    }
    assert fast == plain
    # and read through the models, the moment is the one given, in UTC
    async with desk.app.state.sessionmaker() as session:
        stored = await session.get(Recommendation, cases.recommendations[0]["id"])
        assert stored is not None
        assert stored.created_at == now and stored.created_at.tzinfo == UTC
        assert stored.reasons == REASONS[:1] and stored.status == "recommended"
        assert stored.match_run_id == "run-1" and stored.created_by == "staff-1"


async def test_no_cases_no_statement(desk: Desk) -> None:
    run = MatchRun(id="run-2", created_by="staff-1", created_by_role="staff", top_k=3)
    async with desk.app.state.sessionmaker() as session:
        await CaseRows(run, datetime.now(UTC)).insert(session)
        await session.commit()
    assert await raw_rows(desk, "recommendations", "id") == []


def test_drivers_with_named_parameters_get_the_same_values_by_name() -> None:
    run = MatchRun(id="run-3", created_by="staff-1", created_by_role="staff", top_k=3)
    cases = CaseRows(run, datetime(2026, 3, 1, tzinfo=UTC))
    cases.add("p1", "j1", 0.75, REASONS)
    positional = _statement(CASES, asyncpg.dialect())
    named = _statement(CASES, psycopg2.dialect())
    assert positional.positional and not named.positional
    (by_position,) = positional.rows(cases.recommendations, cases.shared_case())
    (by_name,) = named.rows(cases.recommendations, cases.shared_case())
    assert by_name == dict(zip(positional.names, by_position, strict=True))
    assert by_name["reasons"] == json.dumps(REASONS) and by_name["match_run_id"] == "run-3"


def test_ids_made_many_at_once_look_like_new_id() -> None:
    before = int(new_id()[:12], 16)
    made = new_ids(1000)
    after = int(new_id()[:12], 16)
    assert len(set(made)) == 1000
    assert all(len(i) == 26 and set(i) <= set("0123456789abcdef") for i in made)
    assert all(before <= int(i[:12], 16) <= after for i in made)  # milliseconds first
    cases = CaseRows(
        MatchRun(id="run-4", created_by="s", created_by_role="staff", top_k=1), datetime.now(UTC)
    )
    for n in range(600):  # past one refill
        cases.add(f"p{n}", "j1", 0.5, ())
    ids = [c["id"] for c in cases.recommendations] + [e["id"] for e in cases.events]
    assert len(set(ids)) == 1200
    assert [e["recommendation_id"] for e in cases.events] == ids[:600]
