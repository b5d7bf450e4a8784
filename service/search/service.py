"""Matches and search: builds the query side from the database, asks the matcher, and turns
its answers into API objects."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.documents import JobseekerDoc, PostingDoc
from matching.index.base import FacetCount, Facets
from service.embeddings.service import ensure_vectors, jobseeker_text, posting_text
from service.jobseekers.models import Jobseeker
from service.postings import service as postings
from service.postings.models import Posting
from service.postings.schemas import PostingPublic
from service.reference.data import ReferenceData
from service.search.documents import jobseeker_doc, posting_docs
from service.search.runtime import SearchRuntime
from service.search.schemas import FacetValue, SearchFacets


async def person_doc(
    session: AsyncSession, search: SearchRuntime, ref: ReferenceData, person: Jobseeker
) -> JobseekerDoc:
    """Built from the row itself, so that a person registered a moment ago gets matches."""
    text = jobseeker_text(person, ref.taxonomy)
    vectors = await ensure_vectors(session, search.encoder, "jobseeker", {person.id: text})
    return jobseeker_doc(person, vectors.get(person.id), search.tokenize)


async def posting_doc(
    session: AsyncSession, search: SearchRuntime, ref: ReferenceData, posting: Posting
) -> PostingDoc:
    text = posting_text(posting, ref.taxonomy)
    vectors = await ensure_vectors(session, search.encoder, "posting", {posting.id: text})
    docs = await posting_docs(session, [posting], vectors, search.tokenize, ref.policy)
    return docs[0]


async def postings_in_order(
    session: AsyncSession, ref: ReferenceData, ids: Sequence[str]
) -> dict[str, PostingPublic]:
    if not ids:
        return {}
    rows = (await session.exec(select(Posting).where(col(Posting.id).in_(list(ids))))).all()
    public = await postings.to_public(session, ref, rows)
    return {p.id: p for p in public}


async def people_by_id(session: AsyncSession, ids: Sequence[str]) -> dict[str, Jobseeker]:
    if not ids:
        return {}
    rows = (await session.exec(select(Jobseeker).where(col(Jobseeker.id).in_(list(ids))))).all()
    return {p.id: p for p in rows if p.deleted_at is None}


def _values(counts: Sequence[FacetCount]) -> list[FacetValue]:
    return [FacetValue(value=c.value, label=c.label, count=c.count) for c in counts]


def facets_public(facets: Facets, ref: ReferenceData) -> SearchFacets:
    districts = [
        FacetValue(
            value=c.value,
            label=(region.name if (region := ref.regions.get(c.value)) else None),
            count=c.count,
        )
        for c in facets.adcode
    ]
    return SearchFacets(
        occupation_major=_values(facets.occupation_major),
        occupation_medium=_values(facets.occupation_medium),
        district=districts,
        employment_type=_values(facets.employment_type),
    )
