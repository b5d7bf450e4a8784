"""Which text stands for a posting or a person, and keeping their stored vectors current.

A vector is recomputed only when its text changed (the stored text hash differs) or the
model changed (another model id); everything else is read back as stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from sqlalchemy import delete, exists
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.embed import Encoder, from_bytes, text_hash, to_bytes
from matching.taxonomy import Taxonomy
from service.embeddings.models import StoredEmbedding
from service.jobseekers.models import Jobseeker
from service.postings.models import Posting
from service.sqltypes import utcnow


def _names(taxonomy: Taxonomy, codes: Sequence[str | None]) -> list[str]:
    return [o.name for code in codes if code and (o := taxonomy.get(code)) is not None]


def posting_text(posting: Posting, taxonomy: Taxonomy) -> str:
    """Title, occupation name and skills. ``posting`` may be a row of those columns."""
    skills = (posting.requirements or {}).get("skills", [])
    return " ".join([posting.title, *_names(taxonomy, [posting.occupation_code]), *skills])


def jobseeker_text(person: Jobseeker, taxonomy: Taxonomy) -> str:
    """Wished titles and occupations, and skills. ``person`` may be a row of those columns."""
    return " ".join(
        [*person.desired_titles, *_names(taxonomy, person.desired_occupations), *person.skills]
    )


# The columns the texts are made of (bulk readers select these, not whole rows).
TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "posting": ("title", "occupation_code", "requirements"),
    "jobseeker": ("desired_titles", "desired_occupations", "skills"),
}


async def stored_vectors(
    session: AsyncSession, entity: str, ids: Sequence[str], model_id: str
) -> dict[str, tuple[str, np.ndarray]]:
    """{entity_id: (text hash, vector)} for the ids that have a vector of this model."""
    if not ids:
        return {}
    statement = select(
        StoredEmbedding.entity_id, StoredEmbedding.text_hash, StoredEmbedding.vector
    ).where(  # columns, not objects: the index build reads every vector
        StoredEmbedding.entity == entity,
        StoredEmbedding.model_id == model_id,
        col(StoredEmbedding.entity_id).in_(list(ids)),
    )
    rows = (await session.exec(statement)).all()
    return {entity_id: (digest, from_bytes(vector)) for entity_id, digest, vector in rows}


async def _upsert(session: AsyncSession, rows: list[dict[str, object]]) -> None:
    """Insert or replace: the indexer and a request may store the same vector at the same
    moment. One statement run for all the rows (compiled once, not a VALUES list of thousands
    of parameters compiled for every page)."""
    connection = await session.connection()
    await connection.execute(_upsert_statement(connection.dialect.name), rows)


@lru_cache(maxsize=2)
def _upsert_statement(dialect: str) -> Any:
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(StoredEmbedding)
    return statement.on_conflict_do_update(
        index_elements=["entity", "entity_id", "model_id"],
        set_={
            name: getattr(statement.excluded, name)
            for name in ("text_hash", "dimension", "vector", "computed_at")
        },
    )


async def ensure_vectors(
    session: AsyncSession, encoder: Encoder, entity: str, texts: dict[str, str]
) -> dict[str, np.ndarray]:
    """Vectors for ``{entity_id: text}``: stored ones reused, missing or stale ones encoded
    (in a worker thread, so the event loop keeps serving) and stored."""
    model_id = encoder.model_id
    stored = await stored_vectors(session, entity, list(texts), model_id)
    result = {i: v for i, (h, v) in stored.items() if h == text_hash(texts[i])}
    todo = [i for i in texts if i not in result]
    if todo:
        vectors = await _encode_unique(encoder, [texts[i] for i in todo])
        await store_vectors(session, entity, model_id, {i: texts[i] for i in todo}, vectors)
        result.update(zip(todo, vectors, strict=True))
    return result


async def store_vectors(
    session: AsyncSession,
    entity: str,
    model_id: str,
    texts: dict[str, str],
    vectors: np.ndarray | Sequence[np.ndarray],
) -> None:
    """Store the vectors (in ``texts``' order) of ``{entity_id: text}``, in one statement;
    never for a person deleted meanwhile."""
    now = utcnow()
    rows = [
        {
            "entity": entity,
            "entity_id": entity_id,
            "model_id": model_id,
            "text_hash": text_hash(text),
            "dimension": int(vector.shape[0]),
            "vector": to_bytes(vector),
            "computed_at": now,
        }
        for (entity_id, text), vector in zip(texts.items(), vectors, strict=True)
    ]
    if entity == "jobseeker":
        live = await _live_people(session, list(texts))
        rows = [r for r in rows if r["entity_id"] in live]
    if rows:
        await _upsert(session, rows)
    if entity == "jobseeker" and rows:
        await _drop_if_deleted(session, [str(r["entity_id"]) for r in rows])


async def _encode_unique(encoder: Encoder, texts: list[str]) -> np.ndarray:
    """Encode each distinct text once (in a worker thread, so the event loop keeps serving):
    many postings share a title, many people the same wishes."""
    unique = list(dict.fromkeys(texts))
    encoded = await asyncio.to_thread(encoder.encode, unique)
    if len(unique) == len(texts):
        return encoded
    position = {text: i for i, text in enumerate(unique)}
    return encoded[[position[text] for text in texts]]


async def _drop_if_deleted(session: AsyncSession, ids: list[str]) -> None:
    """Remove, in the same transaction, vectors just written for people deleted meanwhile.

    SQLite has no row locks: a deletion may commit between the check above and the write.
    Once this transaction has written, SQLite lets no other writer in until it commits, so this
    statement sees every deletion that could have slipped through, and later deletions remove
    the vector themselves."""
    live = exists().where(
        col(Jobseeker.id) == col(StoredEmbedding.entity_id), col(Jobseeker.deleted_at).is_(None)
    )
    await session.exec(  # type: ignore[call-overload]
        delete(StoredEmbedding).where(
            col(StoredEmbedding.entity) == "jobseeker",
            col(StoredEmbedding.entity_id).in_(ids),
            ~live,
        )
    )


async def _live_people(session: AsyncSession, ids: Sequence[str]) -> set[str]:
    """The ids among ``ids`` of people not deleted, their rows locked until this transaction
    ends: a vector encoded while the person was being deleted is never stored. (PostgreSQL
    waits here for a running deletion and then sees it; SQLite serialises writers anyway.)"""
    statement = (
        select(Jobseeker.id)
        .where(col(Jobseeker.id).in_(list(ids)), col(Jobseeker.deleted_at).is_(None))
        .with_for_update(read=True)
    )
    return set((await session.exec(statement)).all())
