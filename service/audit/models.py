from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from service.sqltypes import AutoIncrementBigInt, UTCDateTime, utcnow


class AuditRecord(SQLModel, table=True):
    """Who read or exported whose personal data, when and from where. Append-only: database
    triggers refuse UPDATE and DELETE on this table."""

    __tablename__ = "audit_log"

    seq: int | None = Field(default=None, primary_key=True, sa_type=AutoIncrementBigInt)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    actor: str = Field(max_length=64, index=True)  # "staff:<account id>", "apikey:<id>"
    role: str = Field(max_length=16)
    action: str = Field(max_length=32)  # read_record, list_records, export
    entity: str = Field(max_length=32)
    entity_id: str | None = Field(default=None, max_length=32, index=True)
    client_ip: str | None = Field(default=None, max_length=64)
    request_id: str | None = Field(default=None, max_length=64)
    route: str | None = Field(default=None, max_length=200)
