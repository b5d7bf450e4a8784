from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.events.models import EventPosting
from service.pagination import PageParams, apply_cursor, split_page
from service.postings.models import Posting, PostingReservation, PostingSourceRecord


@dataclass(frozen=True)
class PostingFilters:
    status: str | None = None
    employment_type: str | None = None
    adcode: str | None = None  # prefix
    station_id: str | None = None
    event_id: str | None = None
    source: str | None = None
    priority_group: str | None = None  # reserved for this group
    employer_id: str | None = None
    occupation: str | None = None  # code prefix, e.g. "6-18"
    q: str | None = None  # part of the title


async def get(session: AsyncSession, posting_id: str) -> Posting | None:
    return await session.get(Posting, posting_id)


async def get_by_external_id(
    session: AsyncSession, source: str, external_id: str
) -> Posting | None:
    statement = (
        select(Posting)
        .join(PostingSourceRecord, col(PostingSourceRecord.posting_id) == col(Posting.id))
        .where(PostingSourceRecord.source == source, PostingSourceRecord.external_id == external_id)
    )
    return (await session.exec(statement)).first()


def _filtered(filters: PostingFilters):  # type: ignore[no-untyped-def]
    statement = select(Posting)
    simple = {
        "status": Posting.status,
        "employment_type": Posting.employment_type,
        "station_id": Posting.station_id,
        "employer_id": Posting.employer_id,
    }
    for name, column in simple.items():
        value = getattr(filters, name)
        if value:
            statement = statement.where(column == value)
    if filters.adcode:
        statement = statement.where(col(Posting.adcode).startswith(filters.adcode))
    if filters.occupation:
        statement = statement.where(col(Posting.occupation_code).startswith(filters.occupation))
    if filters.q:
        statement = statement.where(col(Posting.title).contains(filters.q))
    if filters.source:
        statement = statement.where(
            col(Posting.id).in_(
                select(PostingSourceRecord.posting_id).where(
                    PostingSourceRecord.source == filters.source
                )
            )
        )
    if filters.priority_group:
        statement = statement.where(
            col(Posting.id).in_(
                select(PostingReservation.posting_id).where(
                    PostingReservation.group_code == filters.priority_group
                )
            )
        )
    if filters.event_id:
        statement = statement.where(
            col(Posting.id).in_(
                select(EventPosting.posting_id).where(EventPosting.event_id == filters.event_id)
            )
        )
    return statement


async def list_page(
    session: AsyncSession, params: PageParams, filters: PostingFilters, *, visible: Any = None
) -> tuple[list[Posting], str | None]:
    """``visible``: the caller's visibility clause (service.postings.access)."""
    statement = _filtered(filters)
    if visible is not None:
        statement = statement.where(visible)
    statement = apply_cursor(statement, col(Posting.id), params)
    rows = (await session.exec(statement)).all()
    return split_page(rows, params, key=lambda p: p.id)


async def event_ids_for(session: AsyncSession, posting_ids: Sequence[str]) -> dict[str, list[str]]:
    if not posting_ids:
        return {}
    statement = select(EventPosting).where(col(EventPosting.posting_id).in_(list(posting_ids)))
    links: dict[str, list[str]] = defaultdict(list)
    for link in (await session.exec(statement)).all():
        links[link.posting_id].append(link.event_id)
    return links
