"""Keeps the search index derived from the database.

- ``build`` replaces the whole index from the rows and their STORED vectors (nothing stored
  is re-encoded); rows still without a vector are indexed lexically first.
- Afterwards the indexer follows the change log (outbox): woken at once after a commit in
  this process, polling for changes written by other processes (imports, workers, replicas).
  Changed rows get their vector computed if their text changed.
- While the log is quiet, rows indexed without a vector are encoded a batch at a time.

The embedded index lives in the API process and is followed there. An index outside the process
(Elasticsearch) records the change-log position it is up to on itself (``DurablePosition``):
``jobcircle reindex`` builds it, ``jobcircle index-worker`` follows the log (``follow_durably``)
and resumes from that position after a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol, TypeVar, runtime_checkable

import numpy as np
import structlog
from sqlalchemy import func
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.documents import JobseekerDoc, PostingDoc
from matching.embed import Encoder
from matching.index.base import SearchIndex
from matching.policy import PriorityPolicy
from matching.taxonomy import Taxonomy
from service.changelog.models import ChangeRecord
from service.embeddings.models import StoredEmbedding
from service.embeddings.service import (
    ensure_vectors,
    jobseeker_text,
    posting_text,
    stored_vectors,
)
from service.jobseekers.models import Jobseeker
from service.memory import long_lived_objects, return_freed_memory
from service.postings.models import Posting
from service.search import build as reading
from service.search.documents import Tokenize, jobseeker_doc, posting_docs

log = structlog.get_logger("jobcircle.indexer")
BATCH = 500
Doc = TypeVar("Doc", PostingDoc, JobseekerDoc)
Progress = Callable[[str, int, int], None]  # (what, done, total): "postings", "jobseekers", "index"


@runtime_checkable
class DurablePosition(Protocol):
    """An index that keeps, on itself, the change-log position its content is up to."""

    async def bulk_load(
        self, docs: Iterable[PostingDoc | JobseekerDoc], *, changelog_seq: int | None = None
    ) -> None: ...

    async def changelog_position(self) -> tuple[int | None, tuple[str, ...]]: ...

    async def save_changelog_position(self, seq: int, indices: Sequence[str]) -> bool: ...


BACKFILL_PAGE = 2000  # ids compared with stored vectors per backfill round and kind


def _with_new_vectors(docs: Sequence[Doc], vectors: dict[str, np.ndarray]) -> Iterator[Doc]:
    """The documents whose vector arrived or changed, carrying it."""
    for doc in docs:
        vector = vectors.get(doc.id)
        if vector is not None and (doc.vector is None or not np.array_equal(doc.vector, vector)):
            yield dataclasses.replace(doc, vector=vector)


class IndexNotBuilt(RuntimeError):
    """The index was never built from the database, so there is no position to follow from."""


class Indexer:
    def __init__(
        self,
        index: SearchIndex,
        sessionmaker: async_sessionmaker[AsyncSession],
        encoder: Encoder,
        taxonomy: Taxonomy,
        policy: PriorityPolicy,
        tokenize: Tokenize,
        *,
        poll_seconds: float = 1.0,
        close_index: bool = False,
    ) -> None:
        self.index = index
        self.sessionmaker = sessionmaker
        self.encoder = encoder
        self.taxonomy = taxonomy
        self.policy = policy
        self.tokenize = tokenize
        self.poll_seconds = poll_seconds
        self.close_index = close_index  # stop() closes the index's client (Elasticsearch)
        self.applied_seq = 0
        self.ready = False
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._backfill_after: dict[str, str] = {}  # where backfill goes on, per kind

    # --- documents from rows -----------------------------------------------------------------

    async def _stored(
        self, session: AsyncSession, entity: str, rows: Sequence[Posting] | Sequence[Jobseeker]
    ) -> dict[str, np.ndarray]:
        stored = await stored_vectors(session, entity, [r.id for r in rows], self.encoder.model_id)
        return {i: v for i, (_, v) in stored.items()}

    async def _encoded(
        self, session: AsyncSession, entity: str, rows: Sequence[Posting] | Sequence[Jobseeker]
    ) -> dict[str, np.ndarray]:
        """Vectors of the rows' current texts, encoded where not stored yet (and then stored)."""
        text_of = posting_text if entity == "posting" else jobseeker_text
        texts = {r.id: text_of(r, self.taxonomy) for r in rows}  # type: ignore[arg-type]
        vectors = await ensure_vectors(session, self.encoder, entity, texts)
        await session.commit()
        return vectors

    async def _posting_docs(
        self, session: AsyncSession, rows: Sequence[Posting]
    ) -> list[PostingDoc]:
        docs: list[PostingDoc] = []
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            vectors = await self._stored(session, "posting", batch)
            docs += await posting_docs(session, batch, vectors, self.tokenize, self.policy)
        return docs

    async def _people_docs(
        self, session: AsyncSession, rows: Sequence[Jobseeker]
    ) -> list[JobseekerDoc]:
        docs: list[JobseekerDoc] = []
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            vectors = await self._stored(session, "jobseeker", batch)
            docs += [jobseeker_doc(p, vectors.get(p.id), self.tokenize) for p in batch]
        return docs

    # --- whole index -------------------------------------------------------------------------

    async def build(self, progress: Progress | None = None) -> dict[str, float]:
        """Replace the index with every open posting and every live person of the database.

        ``progress`` hears how far the documents and the load are (``jobcircle reindex``). An
        index with a durable position is told the change-log seq the rows were read at."""
        started = time.perf_counter()
        async with self.sessionmaker() as session:
            # where the log stands before reading: changes written meanwhile are applied later
            self.applied_seq = (await session.exec(select(func.max(ChangeRecord.seq)))).one() or 0
        with long_lived_objects():
            n_postings, n_people = await self._read_and_load(progress)
        return_freed_memory()
        self.ready = True
        seconds = time.perf_counter() - started
        log.info("index_built", postings=n_postings, jobseekers=n_people, seconds=round(seconds, 2))
        return {"postings": n_postings, "jobseekers": n_people, "seconds": seconds}

    async def _read_and_load(self, progress: Progress | None) -> tuple[int, int]:
        # Postings and people are read side by side, each on its own connection: while one
        # waits for the database, the other turns its rows into documents.
        postings, people = await asyncio.gather(
            self._read_all("postings", progress), self._read_all("jobseekers", progress)
        )
        n_postings, n_people = len(postings), len(people)
        docs: list[PostingDoc | JobseekerDoc] = [*postings, *people]
        del postings, people
        if progress is not None:
            progress("index", 0, len(docs))
        if isinstance(self.index, DurablePosition):
            await self.index.bulk_load(docs, changelog_seq=self.applied_seq)
        else:
            await self.index.bulk_load(docs)
        if progress is not None:
            progress("index", len(docs), len(docs))
        return n_postings, n_people  # the build's list goes here; the index keeps its copies

    async def _read_all(self, what: str, progress: Progress | None) -> list[Any]:
        """Every open posting (``what`` = "postings") or live person as documents."""
        docs: list[Any] = []
        model_id = self.encoder.model_id
        async with self.sessionmaker() as session:
            if what == "postings":
                total = await reading.count(session, Posting, reading.OPEN)
                pages = reading.posting_doc_pages(session, model_id, self.tokenize, self.policy)
            else:
                total = await reading.count(session, Jobseeker, reading.LIVE)
                pages = reading.people_doc_pages(session, model_id, self.tokenize)
            async for page in pages:
                docs += page
                if progress is not None:
                    progress(what, len(docs), total)
        return docs

    # --- changes -----------------------------------------------------------------------------

    async def refresh_postings(self, session: AsyncSession, ids: Sequence[str]) -> None:
        rows = list(
            (await session.exec(select(Posting).where(col(Posting.id).in_(list(ids))))).all()
        )
        live = [p for p in rows if p.status == "open"]
        for gone in set(ids) - {p.id for p in live}:
            await self.index.delete_posting(gone)
        # at once with what is stored (filters and text work), again when the vector is ready
        docs = await self._posting_docs(session, live)
        for doc in docs:
            await self.index.upsert_posting(doc)
        vectors = await self._encoded(session, "posting", live)
        for doc in _with_new_vectors(docs, vectors):
            await self.index.upsert_posting(doc)

    async def refresh_people(self, session: AsyncSession, ids: Sequence[str]) -> None:
        rows = list(
            (await session.exec(select(Jobseeker).where(col(Jobseeker.id).in_(list(ids))))).all()
        )
        live = [p for p in rows if p.deleted_at is None]
        gone = set(ids) - {p.id for p in live}
        for person_id in gone:
            await self.index.delete_jobseeker(person_id)
        docs = await self._people_docs(session, live)
        for doc in docs:
            await self.index.upsert_jobseeker(doc)
        vectors = await self._encoded(session, "jobseeker", live)
        for doc in _with_new_vectors(docs, vectors):
            await self.index.upsert_jobseeker(doc)

    async def apply_pending(self) -> int:
        """Apply the change records after ``applied_seq``; returns how many were read."""
        async with self.sessionmaker() as session:
            statement = (
                select(ChangeRecord)
                .where(col(ChangeRecord.seq) > self.applied_seq)
                .order_by(col(ChangeRecord.seq))
                .limit(BATCH)
            )
            records = list((await session.exec(statement)).all())
            if not records:
                return 0
            postings = {r.entity_id for r in records if r.entity == "posting"}
            people = {r.entity_id for r in records if r.entity == "jobseeker"}
            employers = {r.entity_id for r in records if r.entity == "employer"}
            if employers:  # credit status decides whether an employer's postings may show
                rows = await session.exec(
                    select(Posting.id).where(col(Posting.employer_id).in_(list(employers)))
                )
                postings.update(rows.all())
            if postings:
                await self.refresh_postings(session, sorted(postings))
            if people:
                await self.refresh_people(session, sorted(people))
            self.applied_seq = records[-1].seq or self.applied_seq
        return len(records)

    async def backfill(self, limit: int = 8) -> int:
        """Encode and re-index up to ``limit`` live rows that still have no stored vector.

        The rows are walked in id order, a page per round and each kind from where the last
        round stopped (starting over at the end), comparing the page's ids with the stored
        vectors of the same id range: two index range scans a round, whatever the size of the
        city. (An anti-join over all rows each round took seconds at city scale, and changes
        waited behind it.) Small rounds: a change that arrives meanwhile waits at most for one.
        """
        done = 0
        model_id = self.encoder.model_id
        async with self.sessionmaker() as session:
            for entity, model, live in (
                ("posting", Posting, reading.OPEN),
                ("jobseeker", Jobseeker, reading.LIVE),
            ):
                after = self._backfill_after.get(entity, "")
                page = (
                    select(model.id)
                    .where(live, col(model.id) > after)
                    .order_by(col(model.id))
                    .limit(BACKFILL_PAGE)
                    .subquery()
                )
                # The database compares the page with the stored vectors and answers with the
                # page's end and its first missing ids: a few rows, not the page's 2,000 ids
                # twice, which the event loop had to turn into objects (10–15 ms a second of
                # stalled requests at city scale, where nothing was missing).
                end = (await session.exec(select(func.max(page.c.id)))).one()
                if end is None:
                    self._backfill_after[entity] = ""  # the next round starts over
                    continue
                stored = select(StoredEmbedding.entity_id).where(
                    StoredEmbedding.entity == entity,
                    StoredEmbedding.model_id == model_id,
                    StoredEmbedding.entity_id == page.c.id,
                )
                wanted = limit - done
                without = list(
                    (
                        await session.exec(
                            select(page.c.id)
                            .where(~stored.exists())
                            .order_by(page.c.id)
                            .limit(wanted + 1)
                        )
                    ).all()
                )
                missing = without[:wanted]
                # past the page when all of its missing rows are taken, else past the last taken
                self._backfill_after[entity] = end if len(without) <= wanted else missing[-1]
                if missing and entity == "posting":
                    await self.refresh_postings(session, missing)
                elif missing:
                    await self.refresh_people(session, missing)
                done += len(missing)
                if done >= limit:
                    break
        return done

    # --- the loop ----------------------------------------------------------------------------

    def wake(self) -> None:
        """Called after a commit in this process: apply changes now, not at the next poll."""
        self._wake.set()

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self._follow(), name="jobcircle-indexer")

    async def stop(self, timeout: float = 30.0) -> None:
        """Let the round under way finish, then stop following.

        Cancelling a round in the middle of a transaction could leave its connection holding
        the database's write lock (SQLite) until it is collected; so the loop is asked to end
        and is cancelled only if the round does not finish within ``timeout`` seconds."""
        if self._task is not None:
            self._stopping = True
            self._wake.set()
            try:
                await asyncio.wait_for(asyncio.shield(self._task), timeout=timeout)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
            self._task = None
        close = getattr(self.index, "close", None)
        if self.close_index and close is not None:
            await close()

    async def follow_durably(self, *, once: bool = False) -> int:
        """Follow the change log into an index that keeps its own position (``index-worker``).

        The position is read from the index each round and saved on it after every batch, so
        a restart resumes where the last batch ended. A rebuild puts the position of its
        snapshot on the new indices; the next round takes it up and applies the changes since
        (again, if they had reached the old indices: applying a change twice is harmless).
        ``once`` returns when the log is drained; otherwise rows still without a vector are
        encoded while the log is quiet, as the in-process indexer does. Returns records read.
        """
        index = self.index
        if not isinstance(index, DurablePosition):
            raise TypeError("follow_durably needs an index that keeps its change-log position")
        saved: int | None = None
        read_total = 0
        while True:
            stored, indices = await index.changelog_position()
            if stored is None:
                raise IndexNotBuilt(
                    "the search index was never built from the database: run `jobcircle reindex`"
                )
            if stored != saved:  # the first round, or a rebuild replaced the indices
                self.applied_seq = stored
            try:
                read = await self.apply_pending()
            except Exception:  # keep following; the next round retries from the saved seq
                log.exception("index_update_failed", applied_seq=self.applied_seq)
                saved = None
                await asyncio.sleep(self.poll_seconds)
                continue
            if read:
                read_total += read
                kept = await index.save_changelog_position(self.applied_seq, indices)
                saved = self.applied_seq if kept else None
                log.info("index_followed", records=read, applied_seq=self.applied_seq)
                continue
            if once:
                return read_total
            if not await self.backfill():
                await asyncio.sleep(self.poll_seconds)

    async def _follow(self) -> None:
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
            self._wake.clear()
            if self._stopping:
                return
            try:
                if not await self.apply_pending():
                    await self.backfill()
            except Exception:  # keep following; the next round retries from the same seq
                log.exception("index_update_failed", applied_seq=self.applied_seq)
