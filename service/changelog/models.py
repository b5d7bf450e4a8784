from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from service.sqltypes import AutoIncrementBigInt, UTCDateTime, utcnow


class ChangeRecord(SQLModel, table=True):
    """Outbox row, written in the same transaction as the change it records.

    The sequence number orders changes; the indexer and ``/postings/stream`` read from it.
    """

    __tablename__ = "change_log"

    seq: int | None = Field(default=None, primary_key=True, sa_type=AutoIncrementBigInt)
    entity: str = Field(max_length=32, index=True)
    entity_id: str = Field(max_length=32, index=True)
    op: str = Field(max_length=16)
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
