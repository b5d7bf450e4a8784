"""A match run whose process died does not stay "running" for ever: after a restart, the runs
that do not move are marked failed, saying they were interrupted; runs that move (alive in
another process, such as ``jobcircle match-run``) are left alone."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from service.matchruns import service as matchruns
from service.matchruns.models import MatchRun
from service.matchruns.runner import runner_for
from tests.factories import API


async def add_run(app: FastAPI, status: str, done: int = 0) -> str:
    run = MatchRun(
        status=status,
        created_by="account:staff",
        created_by_role="staff",
        people_total=500,
        people_done=done,
    )
    async with app.state.sessionmaker() as session:
        session.add(run)
        await session.commit()
    return run.id


async def advance(app: FastAPI, run_id: str, **values: object) -> None:
    async with app.state.sessionmaker() as session:
        run = await session.get(MatchRun, run_id)
        assert run is not None
        for key, value in values.items():
            setattr(run, key, value)
        session.add(run)
        await session.commit()


async def status_of(client: httpx.AsyncClient, run_id: str) -> dict:
    response = await client.get(f"{API}/match-runs/{run_id}")
    assert response.status_code == 200, response.text
    return response.json()


async def test_runs_that_do_not_move_after_a_restart_are_marked_interrupted(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    dead = await add_run(app, "running", done=200)
    never_started = await add_run(app, "queued")
    alive = await add_run(app, "running", done=100)
    starting = await add_run(app, "queued")
    finished = await add_run(app, "done", done=500)

    seen = await matchruns.unfinished_runs(app.state.sessionmaker)
    assert set(seen) >= {dead, never_started, alive, starting}
    assert finished not in seen
    # meanwhile, in the processes that are alive:
    await advance(app, alive, people_done=200)
    await advance(app, starting, status="running")

    stalled = await matchruns.fail_stalled(app.state.sessionmaker, seen, seconds=300)
    assert set(stalled) == {dead, never_started}
    for run_id in (dead, never_started):
        body = await status_of(client, run_id)
        assert body["status"] == "failed"
        assert body["error"].startswith("interrupted: the process running it stopped")
        assert "start it again" in body["error"]
        assert body["finished_at"] is not None
    assert (await status_of(client, dead))["people_done"] == 200  # progress kept
    assert (await status_of(client, alive))["status"] == "running"
    assert (await status_of(client, starting))["status"] == "running"
    assert (await status_of(client, finished))["status"] == "done"


async def test_the_start_up_sweep_waits_then_fails_what_did_not_move(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    dead = await add_run(app, "running", done=7)
    assert await matchruns.sweep_interrupted(app.state.sessionmaker, seconds=0.05) == [dead]
    assert (await status_of(client, dead))["status"] == "failed"
    # nothing left to do: no waiting at all
    assert await matchruns.sweep_interrupted(app.state.sessionmaker, seconds=3600) == []


async def test_the_service_starts_the_sweep(app: FastAPI) -> None:
    sweeper = runner_for(app).sweeper
    assert sweeper is not None
    assert sweeper.get_name() == "jobcircle-match-run-sweep"
