"""``jobcircle embed`` fills in missing vectors, in a separate process, and only those."""

from __future__ import annotations

import asyncio
import subprocess

import httpx
from fastapi import FastAPI
from sqlmodel import delete, select

from service.embeddings.models import StoredEmbedding
from tests.conftest import JOBCIRCLE, cli_env, polling_every
from tests.factories import create_jobseeker, create_posting


async def _stored(app: FastAPI) -> dict[str, str]:
    async with app.state.sessionmaker() as session:
        rows = (await session.exec(select(StoredEmbedding))).all()
    return {row.entity_id: row.text_hash for row in rows}


def _embed(database_url: str) -> str:
    done = subprocess.run(
        [*JOBCIRCLE, "embed"],
        env=cli_env(database_url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stderr + done.stdout


async def test_embed_stores_what_is_missing_and_then_has_nothing_to_do(
    client: httpx.AsyncClient, app: FastAPI, database_url: str
) -> None:
    async with polling_every(app, 3600):  # no idle backfill by the service while the command runs
        posting = await create_posting(client, title="面点师", occupation_code=None)
        person = await create_jobseeker(client, desired_titles=["面点师"], skills=["发面"])
        for _ in range(100):  # the service encodes what it was told about
            if {posting["id"], person["id"]} <= set(await _stored(app)):
                break
            await asyncio.sleep(0.05)
        encoded_by_service = await _stored(app)
        assert set(encoded_by_service) == {posting["id"], person["id"]}
        async with app.state.sessionmaker() as session:
            await session.exec(delete(StoredEmbedding))  # type: ignore[call-overload]
            await session.commit()

        output = await asyncio.to_thread(_embed, database_url)
        assert "encoded 1 postings and 1 jobseekers" in output
        assert await _stored(app) == encoded_by_service  # same texts, same hashes

        again = await asyncio.to_thread(_embed, database_url)
        assert "nothing was missing" in again
