"""embed_missing page by page: every missing row stored once, a repeated text encoded once, a
failure leaves the pages stored before it, and the next run finishes the job."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import httpx
import numpy as np
import pytest
from fastapi import FastAPI
from sqlmodel import delete, select

from matching.embed import Encoder, text_hash
from service.config import Settings
from service.embeddings.backfill import embed_missing
from service.embeddings.models import StoredEmbedding
from service.embeddings.service import jobseeker_text, posting_text
from service.jobseekers.models import Jobseeker
from service.postings.models import Posting
from tests.conftest import polling_every
from tests.factories import create_jobseeker, create_posting


class Counting(Encoder):
    """Encodes, counting the texts; refuses from call ``fail_on`` on."""

    def __init__(self, model: str, fail_on: int | None = None) -> None:
        super().__init__(model)
        self.texts: list[str] = []
        self.calls = 0
        self.fail_on = fail_on

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        if self.fail_on is not None and self.calls >= self.fail_on:
            raise RuntimeError("the model stopped")
        self.texts.extend(texts)
        return super().encode(texts)


@pytest.fixture(scope="module")
def model() -> str:
    return Settings(_env_file=None).embedding_model


async def _stored(app: FastAPI) -> dict[str, str]:
    async with app.state.sessionmaker() as session:
        rows = (await session.exec(select(StoredEmbedding))).all()
    return {row.entity_id: row.text_hash for row in rows}


async def _texts(app: FastAPI) -> dict[str, str]:
    taxonomy = app.state.reference.taxonomy
    async with app.state.sessionmaker() as session:
        postings = (await session.exec(select(Posting))).all()
        people = (await session.exec(select(Jobseeker))).all()
    return {p.id: posting_text(p, taxonomy) for p in postings} | {
        j.id: jobseeker_text(j, taxonomy) for j in people
    }


async def _forget_vectors(app: FastAPI, ids: set[str]) -> None:
    """Once the service has encoded what it was told about (it would store them again),
    delete every vector."""
    for _ in range(200):
        if ids <= set(await _stored(app)):
            break
        await asyncio.sleep(0.05)
    assert ids <= set(await _stored(app))
    async with app.state.sessionmaker() as session:
        await session.exec(delete(StoredEmbedding))  # type: ignore[call-overload]
        await session.commit()


async def test_pages_store_every_missing_vector_and_encode_a_repeated_text_once(
    client: httpx.AsyncClient, app: FastAPI, model: str
) -> None:
    async with polling_every(app, 3600):  # no idle backfill by the service meanwhile
        made = [
            await create_posting(client, title=title, occupation_code=None)
            for title in ("面点师", "焊工", "面点师", "保安", "面点师")
        ]
        made += [
            await create_jobseeker(client, desired_titles=[wish], skills=[])
            for wish in ("焊工", "保安", "焊工")
        ]
        await _forget_vectors(app, {m["id"] for m in made})
        texts = await _texts(app)
        seen: list[tuple[str, int, int]] = []
        encoder = Counting(model)
        done = await embed_missing(
            app.state.sessionmaker,
            encoder,
            app.state.reference.taxonomy,
            page=2,
            progress=lambda entity, n, total: seen.append((entity, n, total)),
        )
        assert done == {"posting": 5, "jobseeker": 3}
        assert await _stored(app) == {i: text_hash(t) for i, t in texts.items()}
        assert sorted(encoder.texts) == sorted(set(texts.values()))  # each text once
        assert [n for e, n, _ in seen if e == "posting"] == [2, 4, 5]
        assert [n for e, n, _ in seen if e == "jobseeker"] == [2, 3]
        again = await embed_missing(
            app.state.sessionmaker, Counting(model, fail_on=1), app.state.reference.taxonomy
        )
        assert again == {"posting": 0, "jobseeker": 0}


async def test_a_failure_keeps_the_pages_stored_before_it_and_a_rerun_finishes(
    client: httpx.AsyncClient, app: FastAPI, model: str
) -> None:
    async with polling_every(app, 3600):
        made = [
            await create_posting(client, title=title, occupation_code=None)
            for title in ("面点师", "焊工", "保安", "电工", "叉车司机", "厨师")
        ]
        await _forget_vectors(app, {m["id"] for m in made})
        texts = await _texts(app)
        with pytest.raises(RuntimeError, match="the model stopped"):
            await embed_missing(
                app.state.sessionmaker,
                Counting(model, fail_on=3),
                app.state.reference.taxonomy,
                page=2,
            )
        kept = await _stored(app)
        assert len(kept) == 4  # the two pages encoded before the failure
        rest = Counting(model)
        done = await embed_missing(
            app.state.sessionmaker, rest, app.state.reference.taxonomy, page=2
        )
        assert done == {"posting": 2, "jobseeker": 0}
        assert await _stored(app) == {i: text_hash(t) for i, t in texts.items()}
        assert sorted(rest.texts) == sorted(t for i, t in texts.items() if i not in kept)
