"""Reading the whole database for an index build, fast.

A build reads every open posting and every live person: at city scale (100,000 postings,
200,000 people) the way of reading is most of the start-up time. So, unlike the refresh of a
few changed rows, a build reads plain column tuples (no ORM objects, which cost more than the
rest), skips columns the documents do not need (personal data, long texts), walks the rows in
id order a page at a time (keyset: no offset scans) and fetches each page's companions —
reservations, group memberships, event links, stored vectors — by the page's id range, not
by lists of thousands of ids.
"""

from __future__ import annotations

from collections import defaultdict, namedtuple
from collections.abc import AsyncIterator, Sequence
from functools import cache
from typing import Any

import numpy as np
from sqlalchemy import JSON, func, type_coerce
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.documents import GroupMembership, JobseekerDoc, PostingDoc
from matching.embed import from_bytes
from matching.policy import PriorityPolicy
from service.embeddings.models import StoredEmbedding
from service.employers.models import Employer
from service.events.models import Event, EventPosting
from service.jobseekers.models import Jobseeker, JobseekerGroup
from service.postings.models import Posting, PostingReservation
from service.search.documents import EventLinks, Tokenize, jobseeker_doc, make_posting_docs
from service.sqltypes import JSONType

PAGE = 2000  # rows per query
OPEN = col(Posting.status) == "open"
LIVE = col(Jobseeker.deleted_at).is_(None)
_POSTING_SKIPPED = {"description", "address", "contact_phone", "screening"}
_PERSON_SKIPPED = {"name", "phone", "id_number_encrypted", "id_number_hash", "address"}
_BUNDLE = "json_columns"


async def count(session: AsyncSession, model: type[SQLModel], where: Any) -> int:
    return (await session.exec(select(func.count()).select_from(model).where(where))).one()


def _json_bundle(dialect: str, columns: list[Any]) -> Any:
    """The JSON columns as one JSON array, so the driver decodes one document per row, not six
    (decoding was a third of reading people)."""
    if dialect == "postgresql":
        bundle = func.jsonb_build_array(*columns)
    else:  # SQLite keeps JSON as text: json() makes each a value of the array, not a string
        bundle = func.json_array(*(func.json(c) for c in columns))
    return type_coerce(bundle, JSONType).label(_BUNDLE)


@cache
def _row_type(names: tuple[str, ...]) -> Any:
    return namedtuple("Row", names)


async def _pages(
    session: AsyncSession, table: Any, where: Any, skipped: set[str]
) -> AsyncIterator[tuple[list[Any], str, str]]:
    """(rows, first id, last id), a page at a time in id order; rows are plain tuples read by
    attribute like the model's objects (the JSON columns read as one array, then spread)."""
    plain = [c for c in table.c if c.name not in skipped and not isinstance(c.type, JSON)]
    documents = [c for c in table.c if c.name not in skipped and isinstance(c.type, JSON)]
    row_type = _row_type(tuple(c.name for c in (*plain, *documents)))
    selected = [*plain, _json_bundle(session.get_bind().dialect.name, documents)]
    after = ""
    while True:
        statement = (
            select(*selected).where(where, table.c.id > after).order_by(table.c.id).limit(PAGE)
        )
        result = await session.exec(statement)  # type: ignore[call-overload]
        rows = [row_type(*row[:-1], *(row[-1] or (None,) * len(documents))) for row in result]
        if not rows:
            return
        yield rows, rows[0].id, rows[-1].id
        after = rows[-1].id


async def _vectors(
    session: AsyncSession, entity: str, model_id: str, first: str, last: str
) -> dict[str, np.ndarray]:
    statement = select(StoredEmbedding.entity_id, StoredEmbedding.vector).where(
        StoredEmbedding.entity == entity,
        StoredEmbedding.model_id == model_id,
        col(StoredEmbedding.entity_id).between(first, last),
    )
    rows = (await session.exec(statement)).all()
    if not rows:
        return {}
    ids, blobs = zip(*rows, strict=True)
    if len({len(blob) for blob in blobs}) > 1:  # mixed lengths: left to the index to refuse
        return {entity_id: from_bytes(blob) for entity_id, blob in rows}
    # One matrix per page, and each document a row of it: 300,000 separate little arrays
    # (and the blobs behind them) fragmented the heap, which kept the memory after a build.
    matrix = from_bytes(b"".join(blobs)).reshape(len(blobs), -1)
    return dict(zip(ids, matrix, strict=True))


async def posting_doc_pages(
    session: AsyncSession, model_id: str, tokenize: Tokenize, policy: PriorityPolicy
) -> AsyncIterator[list[PostingDoc]]:
    credit = dict((await session.exec(select(Employer.id, Employer.credit_status))).all())
    async for rows, first, last in _pages(session, Posting.__table__, OPEN, _POSTING_SKIPPED):
        reserved: dict[str, list[str]] = defaultdict(list)
        statement = select(PostingReservation.posting_id, PostingReservation.group_code).where(
            col(PostingReservation.posting_id).between(first, last)
        )
        for posting_id, group in await session.exec(statement):
            reserved[posting_id].append(group)
        events: EventLinks = defaultdict(list)
        linked = (
            select(EventPosting.posting_id, Event.id, Event.kind, Event.target_groups)
            .join(Event, col(Event.id) == col(EventPosting.event_id))
            .where(col(EventPosting.posting_id).between(first, last))
        )
        for posting_id, event_id, kind, groups in await session.exec(linked):
            events[posting_id].append((event_id, kind, list(groups or [])))
        vectors = await _vectors(session, "posting", model_id, first, last)
        yield make_posting_docs(rows, vectors, tokenize, policy, credit, events, reserved)


async def people_doc_pages(
    session: AsyncSession, model_id: str, tokenize: Tokenize
) -> AsyncIterator[list[JobseekerDoc]]:
    async for rows, first, last in _pages(session, Jobseeker.__table__, LIVE, _PERSON_SKIPPED):
        groups: dict[str, list[GroupMembership]] = defaultdict(list)
        statement = select(
            JobseekerGroup.jobseeker_id, JobseekerGroup.group_code, JobseekerGroup.certified_at
        ).where(col(JobseekerGroup.jobseeker_id).between(first, last))
        for person_id, group, certified_at in await session.exec(statement):
            groups[person_id].append(GroupMembership(group, certified_at))
        vectors = await _vectors(session, "jobseeker", model_id, first, last)
        yield [
            jobseeker_doc(row, vectors.get(row.id), tokenize, groups.get(row.id, ()))
            for row in rows
        ]


__all__: Sequence[str] = ("LIVE", "OPEN", "count", "people_doc_pages", "posting_doc_pages")
