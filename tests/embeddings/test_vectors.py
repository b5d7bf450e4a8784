from __future__ import annotations

import asyncio
import threading

import httpx
import numpy as np
import pytest
from fastapi import FastAPI
from sqlmodel import select

from matching.embed import Encoder
from service.config import Settings
from service.embeddings.models import StoredEmbedding
from service.embeddings.service import ensure_vectors, jobseeker_text, posting_text
from service.jobseekers.models import Jobseeker
from service.postings.models import Posting
from tests.factories import API, create_jobseeker, create_posting


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    return Encoder(Settings(_env_file=None).embedding_model)


class Refusing(Encoder):
    def encode(self, texts):  # type: ignore[no-untyped-def]
        raise AssertionError(f"re-encoded {texts}")


async def test_vectors_are_stored_once_and_recomputed_when_text_changes(
    client: httpx.AsyncClient, app: FastAPI, encoder: Encoder
) -> None:
    made = await create_posting(client, title="氩弧焊工", requirements={"skills": ["氩弧焊"]})
    taxonomy = app.state.reference.taxonomy
    async with app.state.sessionmaker() as session:
        posting = await session.get(Posting, made["id"])
        text = posting_text(posting, taxonomy)
        assert text == "氩弧焊工 焊工 氩弧焊"
        first = await ensure_vectors(session, encoder, "posting", {posting.id: text})
        await session.commit()
        vector = first[posting.id]
        assert vector.dtype == np.float32 and vector.shape == (384,)
        assert abs(float(np.linalg.norm(vector)) - 1) < 1e-4

        again = await ensure_vectors(
            session, Refusing(encoder.model_name), "posting", {posting.id: text}
        )
        assert np.array_equal(again[posting.id], vector)  # read back, not re-encoded

        changed = await ensure_vectors(session, encoder, "posting", {posting.id: text + " 夜班"})
        await session.commit()
        assert not np.array_equal(changed[posting.id], vector)
        rows = (await session.exec(select(StoredEmbedding))).all()
        assert len(rows) == 1  # replaced, not added


async def test_deletion_removes_the_persons_vector(
    client: httpx.AsyncClient, app: FastAPI, encoder: Encoder
) -> None:
    made = await create_jobseeker(client, desired_titles=["会计"], skills=["用友"])
    async with app.state.sessionmaker() as session:
        person = await session.get(Jobseeker, made["id"])
        text = jobseeker_text(person, app.state.reference.taxonomy)
        await ensure_vectors(session, encoder, "jobseeker", {person.id: text})
        await session.commit()
    assert (await client.delete(f"{API}/jobseekers/{made['id']}")).status_code == 204
    async with app.state.sessionmaker() as session:
        left = (await session.exec(select(StoredEmbedding))).all()
    assert left == []


async def test_a_vector_encoded_while_the_person_is_deleted_is_not_stored(
    client: httpx.AsyncClient, app: FastAPI, encoder: Encoder
) -> None:
    """The indexer may be encoding a person's text when their deletion commits: the vector it
    then writes must not outlive them."""
    made = await create_jobseeker(client, desired_titles=["出纳"], skills=["金蝶"])
    encoding, deleted = threading.Event(), threading.Event()

    class Slow(Encoder):
        def encode(self, texts):  # type: ignore[no-untyped-def]
            encoding.set()
            deleted.wait(30)
            return encoder.encode(texts)

    async with app.state.sessionmaker() as session:
        person = await session.get(Jobseeker, made["id"])
        text = jobseeker_text(person, app.state.reference.taxonomy)
        writing = asyncio.create_task(
            ensure_vectors(session, Slow(encoder.model_name), "jobseeker", {person.id: text})
        )
        assert await asyncio.to_thread(encoding.wait, 30)
        assert (await client.delete(f"{API}/jobseekers/{made['id']}")).status_code == 204
        deleted.set()
        await writing
        await session.commit()
    async with app.state.sessionmaker() as session:
        left = (
            await session.exec(
                select(StoredEmbedding).where(StoredEmbedding.entity_id == made["id"])
            )
        ).all()
    assert left == []


async def test_a_deletion_between_the_liveness_check_and_the_write_leaves_no_vector(
    client: httpx.AsyncClient,
    app: FastAPI,
    encoder: Encoder,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SQLite has no row locks: the deletion can commit after the check. (On PostgreSQL the
    check locks the row, so the deletion waits instead: the test above.)"""
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL locks the person's row during the check; no such window")
    from service.embeddings import service as embeddings

    made = await create_jobseeker(client, desired_titles=["仓管员"], skills=["盘点"])
    checked = embeddings._live_people

    async def check_then_delete(session, ids):  # type: ignore[no-untyped-def]
        live = await checked(session, ids)
        if session is not ours:  # the service's indexer encodes too; only our write is timed
            return live
        assert made["id"] in live
        assert (await client.delete(f"{API}/jobseekers/{made['id']}")).status_code == 204
        return live  # stale by now

    monkeypatch.setattr(embeddings, "_live_people", check_then_delete)
    async with app.state.sessionmaker() as session:
        ours = session
        person = await session.get(Jobseeker, made["id"])
        text = jobseeker_text(person, app.state.reference.taxonomy) + " 叉车"
        await ensure_vectors(session, encoder, "jobseeker", {person.id: text})
        await session.commit()
    async with app.state.sessionmaker() as session:
        statement = select(StoredEmbedding).where(StoredEmbedding.entity_id == made["id"])
        assert (await session.exec(statement)).all() == []
