from datetime import date, datetime
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from service.sqltypes import JSONType, UTCDateTime, new_id, utcnow


class Posting(SQLModel, table=True):
    """A vacancy. Money is in whole yuan per ``salary_unit``."""

    __tablename__ = "postings"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    employer_id: str = Field(foreign_key="employers.id", index=True, max_length=32)
    title: str = Field(max_length=100)
    description: str | None = Field(default=None, max_length=5000)
    occupation_code: str | None = Field(default=None, max_length=10, index=True)
    occupation_derivation: str = Field(default="unresolved", max_length=16)
    employment_type: str = Field(max_length=16, index=True)
    salary_min: int | None = None
    salary_max: int | None = None
    salary_unit: str = Field(default="month", max_length=8)
    headcount: int = Field(default=1)
    adcode: str | None = Field(default=None, max_length=6, index=True)
    address: str | None = Field(default=None, max_length=300)
    lat: float | None = None
    lon: float | None = None
    location_precision: str = Field(default="unknown", max_length=16)
    station_id: str | None = Field(
        default=None, foreign_key="stations.id", index=True, max_length=32, ondelete="SET NULL"
    )
    source: str = Field(default="employer", max_length=16, index=True)
    requirements: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    starts_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    valid_until: date | None = None
    status: str = Field(default="open", max_length=16, index=True)
    screening: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONType)
    contact_phone: str | None = Field(default=None, max_length=20)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    reservations: list["PostingReservation"] = Relationship(
        sa_relationship_kwargs={"lazy": "selectin", "cascade": "all, delete-orphan"}
    )
    sources: list["PostingSourceRecord"] = Relationship(
        sa_relationship_kwargs={"lazy": "selectin", "cascade": "all, delete-orphan"}
    )

    @property
    def reserved_for(self) -> list[str]:
        return sorted(r.group_code for r in self.reservations)


class PostingReservation(SQLModel, table=True):
    """A post reserved for a priority group (e.g. 公益性岗位 for employment_difficulty)."""

    __tablename__ = "posting_reservations"

    posting_id: str = Field(
        foreign_key="postings.id", primary_key=True, max_length=32, ondelete="CASCADE"
    )
    group_code: str = Field(primary_key=True, max_length=40, index=True)


class PostingSourceRecord(SQLModel, table=True):
    """Where a posting came from; one posting may arrive through several channels.

    Every posting has at least one row. (source, external_id) is the idempotency key of partner
    systems; rows without an external id never collide (NULLs are distinct).
    """

    __tablename__ = "posting_sources"
    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_posting_source_external"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    posting_id: str = Field(
        foreign_key="postings.id", index=True, max_length=32, ondelete="CASCADE"
    )
    source: str = Field(max_length=16)
    external_id: str | None = Field(default=None, max_length=128)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PostingReview(SQLModel, table=True):
    """A staff decision on a posting that screening held or rejected. Every decision is kept;
    the posting shows its latest one."""

    __tablename__ = "posting_reviews"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    posting_id: str = Field(
        foreign_key="postings.id", index=True, max_length=32, ondelete="CASCADE"
    )
    decision: str = Field(max_length=16)
    note: str | None = Field(default=None, max_length=500)
    from_status: str = Field(max_length=16)
    reviewer: str = Field(max_length=64)  # the caller's actor, as in the audit log
    reviewer_role: str = Field(max_length=16)
    reviewed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
