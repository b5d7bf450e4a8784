"""A match run whose batches are shared with a forked worker (``JOBCIRCLE_MATCH_WORKERS=1``),
and pipelined (the worker matches a batch while the run records the one before), records the
very cases a run in one process records."""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import col, delete, select

from matching.parallel import MatchWorkers
from service.matchruns import service as matchruns
from service.matchruns.runner import runner_for
from service.recommendations.models import Recommendation, RecommendationEvent
from service.sqltypes import utcnow
from tests.cases.desk import Desk, open_desk
from tests.cases.test_match_runs import indexed, run
from tests.factories import create_posting

PLACES = [(30.60, 114.30), (30.62, 114.28), (30.58, 114.33), (30.65, 114.31), (30.59, 114.26)]
TITLES = ["焊工", "叉车司机", "收银员", "厨师", "保安员"]
GROUPS = ["veteran", "zero_employment_household", "graduate", "employment_difficulty"]


@pytest.fixture
async def desk(client: httpx.AsyncClient, app: FastAPI) -> Desk:
    made = await open_desk(client, app, postings=3)
    yield made
    await runner_for(app).wait()  # no run may outlive its test's tables


class Counted(MatchWorkers):
    """The service's wrapper, noting how many workers each run forked."""

    forked: ClassVar[list[int]] = []

    async def __aenter__(self) -> MatchWorkers:
        entered = await super().__aenter__()
        Counted.forked.append(self.count)
        return entered


async def every_posting_indexed(desk: Desk, count: int) -> None:
    index = desk.app.state.search.matcher.index
    for _ in range(100):
        if await index.count_postings() >= count:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the postings never reached the index")


async def recorded(desk: Desk, run_id: str) -> dict[tuple[str, str], tuple[Any, ...]]:
    async with desk.app.state.sessionmaker() as session:
        rows = await session.exec(
            select(Recommendation).where(col(Recommendation.match_run_id) == run_id)
        )
        return {
            (r.jobseeker_id, r.posting_id): (r.score, tuple(r.reasons), r.status)
            for r in rows.all()
        }


async def forget_cases(desk: Desk) -> None:
    async with desk.app.state.sessionmaker() as session:
        await session.exec(delete(RecommendationEvent))  # type: ignore[call-overload]
        await session.exec(delete(Recommendation))  # type: ignore[call-overload]
        await session.commit()


async def test_a_run_with_a_worker_records_what_a_run_in_one_process_records(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i, title in enumerate(TITLES):
        lat, lon = PLACES[i]
        await create_posting(
            desk.client, employer_id=desk.employer, title=title, adcode="420102", lat=lat, lon=lon
        )
    people = []
    for i in range(12):
        lat, lon = PLACES[i % len(PLACES)]
        people.append(
            await desk.person(
                groups=[{"group": GROUPS[i % len(GROUPS)]}],
                desired_titles=[TITLES[i % len(TITLES)]],
                lat=lat + 0.003 * i,
                lon=lon,
                travel={"mode": ("transit", "ebike", "drive")[i % 3], "max_minutes": 60},
            )
        )
    await indexed(desk, people[0], 3)
    await every_posting_indexed(desk, 3 + len(TITLES))
    monkeypatch.setattr(matchruns, "MatchWorkers", Counted)
    # Both runs at one moment: freshness, and so the scores, move with the clock.
    moment = utcnow()
    monkeypatch.setattr(matchruns, "utcnow", lambda: moment)
    monkeypatch.setattr(Counted, "forked", [])
    monkeypatch.setattr(matchruns, "BATCH", 5)  # three batches: the pipeline at work
    settings = desk.app.state.settings

    monkeypatch.setattr(settings, "match_workers", 0)
    alone = await run(desk, {"station_id": desk.station, "top_k": 4})
    assert alone["status"] == "done" and alone["people_done"] == 12, alone
    in_one = await recorded(desk, alone["id"])
    assert len(in_one) > 24 and len({person for person, _ in in_one}) == 12
    await forget_cases(desk)

    monkeypatch.setattr(settings, "match_workers", 1)
    shared = await run(desk, {"station_id": desk.station, "top_k": 4})
    assert shared["status"] == "done", shared
    assert Counted.forked == [0, 1]
    assert await recorded(desk, shared["id"]) == in_one
    for key in ("people_done", "people_skipped", "recommendations_created"):
        assert shared[key] == alone[key]
