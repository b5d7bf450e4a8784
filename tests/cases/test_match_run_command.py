"""``jobcircle match-run`` in a subprocess, on the suite's databases: cases recorded, counts
printed, and a second run adds nothing new."""

from __future__ import annotations

import asyncio
import subprocess

import httpx
from fastapi import FastAPI

from tests.cases.desk import open_desk
from tests.conftest import JOBCIRCLE, TEST_SECRET, cli_env
from tests.factories import API


def match_run(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = cli_env(database_url, JOBCIRCLE_SECRET_KEY=TEST_SECRET, JOBCIRCLE_ENVIRONMENT="test")
    return subprocess.run(
        [*JOBCIRCLE, "match-run", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


async def test_match_run_command(
    client: httpx.AsyncClient, app: FastAPI, database_url: str
) -> None:
    desk = await open_desk(client, app, postings=2)
    veteran = await desk.person(groups=[{"group": "veteran"}])
    await desk.person()  # in no group: not selected
    first = await asyncio.to_thread(
        match_run, database_url, "--station-id", desk.station, "--top-k", "1"
    )
    assert first.returncode == 0, first.stderr
    assert "1 people, 1 recommendations recorded" in first.stdout, first.stdout
    made = (await client.get(f"{API}/recommendations?jobseeker_id={veteran}")).json()["items"]
    assert len(made) == 1 and made[0]["reasons"] and made[0]["match_run_id"]
    assert made[0]["history"][0]["actor"].startswith("cli:")

    again = await asyncio.to_thread(match_run, database_url, "--id", veteran, "--top-k", "1")
    assert again.returncode == 0, again.stderr
    assert "1 recommendations recorded, 1 matches recommended before" in again.stdout
    runs = (await client.get(f"{API}/match-runs")).json()
    assert len(runs) == 2 and all(r["status"] == "done" for r in runs)

    unknown = await asyncio.to_thread(match_run, database_url, "--group", "nobody")
    assert unknown.returncode == 2 and "nobody" in unknown.stderr
