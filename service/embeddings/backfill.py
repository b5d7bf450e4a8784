"""Encode, in bulk, every live posting and person that has no stored vector of the model.

The running service encodes new and changed rows itself and backfills a few at a time while
it is idle; this is for the big jobs: a first import of a city, a change of model. Rows are
read in id order a page at a time and each page is committed, so an interrupted run resumes
where it stopped and a repeated run finds nothing to do.

Encoding is nearly all of the time, so nothing else waits for it: while the model encodes a
page (in a worker thread; the model's own threads use the cores), the next page is read and the
previous one stored. Only the columns a text is made of are read, and a text met before in the
run (postings share titles, people the same wishes) is not encoded again.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sqlalchemy import exists, func
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.embed import Encoder
from matching.taxonomy import Taxonomy
from service.embeddings.models import StoredEmbedding
from service.embeddings.service import TEXT_COLUMNS, jobseeker_text, posting_text, store_vectors
from service.jobseekers.models import Jobseeker
from service.postings.models import Posting

PAGE = 1024
RECENT_TEXTS = 20_000  # vectors of recent texts kept for repeats (~30 MB at 384 dimensions)
Progress = Callable[[str, int, int], None]  # (entity, done so far, total missing)


@dataclass
class Target:
    entity: str
    model: type[Posting] | type[Jobseeker]

    def live(self):  # type: ignore[no-untyped-def]
        if self.model is Posting:
            return col(Posting.status) == "open"
        return col(Jobseeker.deleted_at).is_(None)

    def text(self, row: Posting | Jobseeker, taxonomy: Taxonomy) -> str:
        if self.entity == "posting":
            return posting_text(row, taxonomy)  # type: ignore[arg-type]
        return jobseeker_text(row, taxonomy)  # type: ignore[arg-type]


TARGETS = (Target("posting", Posting), Target("jobseeker", Jobseeker))


def _missing(target: Target, model_id: str):  # type: ignore[no-untyped-def]
    stored = exists().where(
        StoredEmbedding.entity == target.entity,
        StoredEmbedding.model_id == model_id,
        col(StoredEmbedding.entity_id) == col(target.model.id),
    )
    return (target.live(), ~stored)


async def count_missing(session: AsyncSession, model_id: str) -> dict[str, int]:
    counts = {}
    for target in TARGETS:
        statement = select(func.count()).select_from(target.model)
        counts[target.entity] = (
            await session.exec(statement.where(*_missing(target, model_id)))
        ).one()
    return counts


class _RecentVectors:
    """Vectors of recently encoded texts, a bounded number, the least recently used dropped."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()

    def encode(self, encoder: Encoder, texts: list[str]) -> list[np.ndarray]:
        """One vector per text, encoding (in one call) only the distinct texts not seen."""
        items = self._items
        new = [text for text in dict.fromkeys(texts) if text not in items]
        if new:  # rows copied: a kept row must not keep its whole batch's array alive
            items.update(zip(new, (row.copy() for row in encoder.encode(new)), strict=True))
        out = []
        for text in texts:
            items.move_to_end(text)
            out.append(items[text])
        while len(items) > self._size:
            items.popitem(last=False)
        return out


async def embed_missing(
    sessionmaker: async_sessionmaker[AsyncSession],
    encoder: Encoder,
    taxonomy: Taxonomy,
    *,
    page: int = PAGE,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Store a vector for every live row that lacks one; returns how many were encoded."""
    model_id = encoder.model_id
    async with sessionmaker() as session:
        totals = await count_missing(session, model_id)
    recent = _RecentVectors(max(RECENT_TEXTS, page))
    done: dict[str, int] = {}
    for target in TARGETS:
        done[target.entity] = 0

        def stored(n: int, entity: str = target.entity) -> None:
            done[entity] += n
            if progress is not None:
                progress(entity, done[entity], totals[entity])

        await _pipeline(sessionmaker, encoder, taxonomy, target, page, recent, stored)
    return done


async def _pipeline(
    sessionmaker: async_sessionmaker[AsyncSession],
    encoder: Encoder,
    taxonomy: Taxonomy,
    target: Target,
    page: int,
    recent: _RecentVectors,
    stored: Callable[[int], None],
) -> None:
    """Read page k+1 and store page k-1 while page k is encoded; page k+1 is handed to the
    model as soon as page k is done, so the model never waits for the database."""
    model_id = encoder.model_id

    def encode(texts: dict[str, str]) -> asyncio.Future[list[np.ndarray]]:
        return asyncio.ensure_future(
            asyncio.to_thread(recent.encode, encoder, list(texts.values()))
        )

    storing: asyncio.Task[int] | None = None
    encoding: asyncio.Future[list[np.ndarray]] | None = None
    try:
        texts = await _read(sessionmaker, target, model_id, taxonomy, "", page)
        if texts:
            encoding = encode(texts)
        while texts and encoding is not None:
            following = await _read(
                sessionmaker, target, model_id, taxonomy, next(reversed(texts)), page
            )
            current, encoding = encoding, None
            vectors = await current
            if following:
                encoding = encode(following)
            if storing is not None:
                previous, storing = storing, None
                stored(await previous)
            storing = asyncio.create_task(
                _store(sessionmaker, target.entity, model_id, texts, vectors)
            )
            texts = following
    finally:
        if encoding is not None:  # a read failed: let the model finish before leaving
            await asyncio.gather(encoding, return_exceptions=True)
        if storing is not None:
            stored(await storing)


async def _read(
    sessionmaker: async_sessionmaker[AsyncSession],
    target: Target,
    model_id: str,
    taxonomy: Taxonomy,
    after: str,
    page: int,
) -> dict[str, str]:
    """``{id: text}`` of the next ``page`` rows after ``after`` (id order) that lack a vector."""
    columns = [col(target.model.id)]
    columns += [getattr(target.model, name) for name in TEXT_COLUMNS[target.entity]]
    statement = (
        select(*columns)
        .where(*_missing(target, model_id), col(target.model.id) > after)
        .order_by(col(target.model.id))
        .limit(page)
    )
    async with sessionmaker() as session:
        rows = (await session.exec(statement)).all()  # type: ignore[call-overload]
    return {row.id: target.text(row, taxonomy) for row in rows}


async def _store(
    sessionmaker: async_sessionmaker[AsyncSession],
    entity: str,
    model_id: str,
    texts: dict[str, str],
    vectors: list[np.ndarray],
) -> int:
    async with sessionmaker() as session:
        await store_vectors(session, entity, model_id, texts, vectors)
        await session.commit()
    return len(texts)
