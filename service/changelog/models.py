from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlmodel import Field, SQLModel

from service.sqltypes import AutoIncrementBigInt, UTCDateTime, utcnow


class writer_txid(FunctionElement[int]):
    """The id of the writing transaction: PostgreSQL's 64-bit one, 0 on SQLite."""

    type = BigInteger()
    inherit_cache = True


@compiles(writer_txid)
def _txid_default(element: writer_txid, compiler: Any, **kw: Any) -> str:
    return "0"


@compiles(writer_txid, "postgresql")
def _txid_postgresql(element: writer_txid, compiler: Any, **kw: Any) -> str:
    return "(pg_current_xact_id()::text::bigint)"


class ChangeRecord(SQLModel, table=True):
    """Outbox row, written in the same transaction as the change it records.

    The sequence number orders changes; the indexer and ``/postings/stream`` read from it.

    ``txid`` is the writing transaction's id (PostgreSQL; always 0 on SQLite). PostgreSQL hands
    out ``seq`` at insert, not at commit, so a reader can see seq 12 while seq 11 is still
    uncommitted; a reader that must never skip a change (the partner feed) reads in (txid, seq)
    order, and only rows of transactions older than every one still running. SQLite has one
    writer at a time, so there seq order is commit order. A logical restore (pg_dump) into
    another cluster must advance its transaction counter past the stored txids (pg_resetwal -x)
    or partners start their feed over.
    """

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_txid_seq", "txid", "seq"),)

    seq: int | None = Field(default=None, primary_key=True, sa_type=AutoIncrementBigInt)
    txid: int | None = Field(
        default=None,
        nullable=False,
        sa_type=BigInteger,
        sa_column_kwargs={"server_default": writer_txid()},
    )
    entity: str = Field(max_length=32, index=True)
    entity_id: str = Field(max_length=32, index=True)
    op: str = Field(max_length=16)
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
