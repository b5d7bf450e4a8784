"""Encode, in bulk, every live posting and person that has no stored vector of the model.

The running service encodes new and changed rows itself and backfills a few at a time while
it is idle; this is for the big jobs: a first import of a city, a change of model. Rows are
read in id order a page at a time and each page is committed, so an interrupted run resumes
where it stopped and a repeated run finds nothing to do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import exists, func
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.embed import Encoder
from matching.taxonomy import Taxonomy
from service.embeddings.models import StoredEmbedding
from service.embeddings.service import ensure_vectors, jobseeker_text, posting_text
from service.jobseekers.models import Jobseeker
from service.postings.models import Posting

PAGE = 1024
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
        if isinstance(row, Posting):
            return posting_text(row, taxonomy)
        return jobseeker_text(row, taxonomy)


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
    done: dict[str, int] = {}
    for target in TARGETS:
        done[target.entity] = 0
        after = ""
        while True:
            async with sessionmaker() as session:
                statement = (
                    select(target.model)
                    .where(*_missing(target, model_id), col(target.model.id) > after)
                    .order_by(col(target.model.id))
                    .limit(page)
                )
                rows = list((await session.exec(statement)).all())
                if not rows:
                    break
                texts = {row.id: target.text(row, taxonomy) for row in rows}
                await ensure_vectors(session, encoder, target.entity, texts)
                await session.commit()
            after = rows[-1].id
            done[target.entity] += len(rows)
            if progress is not None:
                progress(target.entity, done[target.entity], totals[target.entity])
    return done
