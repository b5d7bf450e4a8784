"""The posting change feed for partner systems (``GET /api/v1/postings/stream``).

The feed is read from the change log (outbox) and carries the public face of postings: the
same for every caller, only which postings differ (an employer gets its own). A posting is
public while it is open and its employer may post; otherwise an item says `closed` and carries
no content, so held and rejected postings never reach partners. A posting that is not public
when read is left out while its creation is in the page (no earlier item named it, so there is
nothing to remove): one created held or rejected first appears when released. A later change to
a posting a partner never saw can still show as `closed`, without content.

Order and position. Each page reads up to ``limit`` change records after the position in
``since``, in (writing transaction, seq) order, and only records of transactions older than
every transaction still running (PostgreSQL): a transaction that committed late cannot slip
in behind a position already handed out. So the feed never skips a change; it may lag a
running transaction. Changes of one posting within a page are folded into one item with the
posting's state at reading time. An employer's own update (its credit status decides whether
its postings may show) gives an item for each of its open postings.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, text, tuple_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.caller import Caller, Role
from service.changelog.models import ChangeRecord
from service.employers.models import Employer
from service.enums import ChangeOp, FeedOp, PostingStatus
from service.errors import InvalidInput
from service.postings.models import Posting
from service.postings.schemas import PostingChange, PostingFeed, PostingPublic
from service.postings.service import BANNED_CREDIT, to_public
from service.reference.data import ReferenceData

CURSOR_VERSION = "v1"


@dataclass(frozen=True, order=True)
class Position:
    """Where a change stands in the feed: its writing transaction, then its seq."""

    txid: int
    seq: int

    def encode(self) -> str:
        raw = f"{CURSOR_VERSION}.{self.txid}.{self.seq}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, cursor: str) -> Position:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raw = ""
        version, _, rest = raw.partition(".")
        txid, _, seq = rest.partition(".")
        if version != CURSOR_VERSION or not txid.isdigit() or not seq.isdigit():
            raise InvalidInput.field("since", "not a position returned by this feed", "query")
        return cls(int(txid), int(seq))


START = Position(0, 0)


@dataclass
class _Fold:
    """The changes of one posting within a page."""

    position: Position
    seq: int
    occurred_at: datetime
    created: bool = False


async def read(
    session: AsyncSession,
    ref: ReferenceData,
    *,
    caller: Caller,
    since: str | None,
    limit: int,
) -> PostingFeed:
    start = Position.decode(since) if since else START
    records = await _records_after(session, start, limit + 1, caller)
    has_more = len(records) > limit
    records = records[:limit]
    folds = _fold(records)
    await _add_employer_changes(session, records, folds)
    items = await _items(session, ref, folds)
    end = _position(records[-1]) if records else start
    return PostingFeed(items=items, next_since=end.encode(), has_more=has_more)


def _position(record: ChangeRecord) -> Position:
    return Position(record.txid or 0, record.seq or 0)


async def _records_after(
    session: AsyncSession, start: Position, count: int, caller: Caller
) -> list[ChangeRecord]:
    position = tuple_(col(ChangeRecord.txid), col(ChangeRecord.seq))
    statement = select(ChangeRecord).where(
        col(ChangeRecord.entity).in_(("posting", "employer")),
        position > tuple_(start.txid, start.seq),
    )
    horizon = await _oldest_running_transaction(session)
    if horizon is not None:
        statement = statement.where(col(ChangeRecord.txid) < horizon)
    if caller.role == Role.employer:
        own = select(Posting.id).where(col(Posting.employer_id) == caller.employer_id)
        statement = statement.where(
            or_(
                and_(col(ChangeRecord.entity) == "posting", col(ChangeRecord.entity_id).in_(own)),
                and_(
                    col(ChangeRecord.entity) == "employer",
                    col(ChangeRecord.entity_id) == caller.employer_id,
                ),
            )
        )
    statement = statement.order_by(col(ChangeRecord.txid), col(ChangeRecord.seq)).limit(count)
    return list((await session.exec(statement)).all())


async def _oldest_running_transaction(session: AsyncSession) -> int | None:
    """PostgreSQL: every transaction below this id has ended, so its records are all visible.
    SQLite writes one transaction at a time: nothing is pending behind a visible record."""
    connection = await session.connection()
    if connection.dialect.name != "postgresql":
        return None
    query = text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
    return (await connection.execute(query)).scalar_one()


def _fold(records: Sequence[ChangeRecord]) -> dict[str, _Fold]:
    folds: dict[str, _Fold] = {}
    for record in records:  # in feed order: the last record of a posting is its latest
        if record.entity != "posting":
            continue
        fold = folds.get(record.entity_id)
        created = record.op == ChangeOp.created or (fold is not None and fold.created)
        folds[record.entity_id] = _Fold(
            _position(record), record.seq or 0, record.occurred_at, created
        )
    return folds


async def _add_employer_changes(
    session: AsyncSession, records: Sequence[ChangeRecord], folds: dict[str, _Fold]
) -> None:
    """An updated employer (credit status) may show or hide its open postings."""
    updated = {
        r.entity_id: r for r in records if r.entity == "employer" and r.op == ChangeOp.updated
    }
    if not updated:
        return
    statement = select(Posting.id, Posting.employer_id).where(
        col(Posting.employer_id).in_(list(updated)),
        col(Posting.status) == PostingStatus.open,
    )
    for posting_id, employer_id in (await session.exec(statement)).all():
        record = updated[employer_id]
        fold = folds.get(posting_id)
        if fold is None or fold.position < _position(record):
            created = fold.created if fold is not None else False
            folds[posting_id] = _Fold(
                _position(record), record.seq or 0, record.occurred_at, created
            )


async def _items(
    session: AsyncSession, ref: ReferenceData, folds: dict[str, _Fold]
) -> list[PostingChange]:
    if not folds:
        return []
    rows = (await session.exec(select(Posting).where(col(Posting.id).in_(list(folds))))).all()
    postings = {p.id: p for p in rows}
    public = await _public(session, ref, list(postings.values()))
    items: list[PostingChange] = []
    for posting_id, fold in sorted(folds.items(), key=lambda kv: kv[1].position):
        shown = public.get(posting_id)
        if shown is None and fold.created:
            continue  # no earlier item named it: there is nothing to remove
        if shown is not None:
            op = FeedOp.created if fold.created else FeedOp.updated
        else:
            op = FeedOp.closed if posting_id in postings else FeedOp.deleted
        items.append(
            PostingChange(
                cursor=fold.position.encode(),
                seq=fold.seq,
                op=op,
                posting_id=posting_id,
                occurred_at=fold.occurred_at,
                posting=shown,
            )
        )
    return items


async def _public(
    session: AsyncSession, ref: ReferenceData, postings: Sequence[Posting]
) -> dict[str, PostingPublic]:
    """The public face of each posting that is public: open, and its employer may post."""
    open_ = [p for p in postings if p.status == PostingStatus.open]
    employer_ids = list({p.employer_id for p in open_})
    barred: set[str] = set()
    if employer_ids:
        statement = select(Employer.id).where(
            col(Employer.id).in_(employer_ids),
            col(Employer.credit_status).in_(list(BANNED_CREDIT)),
        )
        barred = set((await session.exec(statement)).all())
    shown = [p for p in open_ if p.employer_id not in barred]
    return {p.id: view for p, view in zip(shown, await to_public(session, ref, shown), strict=True)}
