"""While the change log is quiet, the indexer encodes rows that have no stored vector, a few
per round, walking the rows in id order and starting over at the end."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI
from sqlmodel import delete, select

from service.embeddings.models import StoredEmbedding
from tests.conftest import polling_every
from tests.factories import create_jobseeker, create_posting


async def _stored(app: FastAPI) -> set[str]:
    async with app.state.sessionmaker() as session:
        return set((await session.exec(select(StoredEmbedding.entity_id))).all())


async def test_backfill_restores_missing_vectors_a_few_at_a_time(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    indexer = app.state.search.indexer
    async with polling_every(app, 3600):  # this test drives the rounds itself
        made = [await create_posting(client, title=f"面点师{i}") for i in range(3)]
        made += [await create_jobseeker(client, desired_titles=["面点师"]) for _ in range(2)]
        ids = {m["id"] for m in made}
        for _ in range(200):
            if ids <= await _stored(app):
                break
            await asyncio.sleep(0.05)
        # The loop's last round may still be under way (woken by a commit, it finds the log
        # read and backfills on its own): it would restore vectors deleted below. Let it end.
        await indexer.stop()
        try:
            async with app.state.sessionmaker() as session:
                await session.exec(delete(StoredEmbedding))  # type: ignore[call-overload]
                await session.commit()

            first = await indexer.backfill(limit=2)
            assert first == 2 and len(await _stored(app)) == 2
            rounds = [await indexer.backfill(limit=2) for _ in range(4)]
            assert sum(rounds) == 3 and await _stored(app) == ids
            assert await indexer.backfill(limit=2) == 0  # nothing left, however often it looks
            assert await indexer.backfill(limit=2) == 0
        finally:
            indexer.start()
