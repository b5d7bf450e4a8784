from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.employers.models import Employer
from service.enums import PostingStatus, ReviewDecision
from service.events.models import EventPosting
from service.pagination import PageParams, apply_cursor, decode_cursor, split_page
from service.postings.models import (
    Posting,
    PostingReservation,
    PostingReview,
    PostingSourceRecord,
)


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


async def latest_reviews(
    session: AsyncSession, posting_ids: Sequence[str]
) -> dict[str, PostingReview]:
    if not posting_ids:
        return {}
    statement = (
        select(PostingReview)
        .where(col(PostingReview.posting_id).in_(list(posting_ids)))
        .order_by(col(PostingReview.reviewed_at), col(PostingReview.id))
    )
    return {review.posting_id: review for review in (await session.exec(statement)).all()}


def awaiting_review_clause(barred_credit: Collection[str]) -> Any:
    """Held postings, and rejected ones staff could release that no review has rejected since
    their last change (an employer who corrects a rejected posting puts it back)."""
    rejected_since_change = exists().where(
        col(PostingReview.posting_id) == col(Posting.id),
        col(PostingReview.decision) == ReviewDecision.reject,
        col(PostingReview.reviewed_at) >= col(Posting.updated_at),
    )
    may_post = select(Employer.id).where(col(Employer.credit_status).not_in(list(barred_credit)))
    return or_(
        col(Posting.status) == PostingStatus.pending_review,
        and_(
            col(Posting.status) == PostingStatus.rejected,
            ~rejected_since_change,
            col(Posting.employer_id).in_(may_post),
        ),
    )


async def review_queue_page(
    session: AsyncSession, params: PageParams, *, waiting: Any, scope: Any
) -> tuple[list[Posting], str | None]:
    """Oldest first (ids are time-ordered), ``limit`` + 1 rows to tell if there is more."""
    statement = select(Posting).where(waiting, scope)
    if params.cursor:
        statement = statement.where(col(Posting.id) > decode_cursor(params.cursor))
    statement = statement.order_by(col(Posting.id)).limit(params.limit + 1)
    rows = (await session.exec(statement)).all()
    return split_page(rows, params, key=lambda p: p.id)
