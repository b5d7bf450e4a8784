from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from service.sqltypes import JSONType, UTCDateTime, new_id, utcnow


class Recommendation(SQLModel, table=True):
    """A job recommended to a person: the unit of casework and of the service promises."""

    __tablename__ = "recommendations"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    jobseeker_id: str = Field(
        foreign_key="jobseekers.id", index=True, max_length=32, ondelete="CASCADE"
    )
    posting_id: str = Field(
        foreign_key="postings.id", index=True, max_length=32, ondelete="CASCADE"
    )
    status: str = Field(default="recommended", max_length=16, index=True)
    score: float | None = None
    reasons: list[str] = Field(default_factory=list, sa_type=JSONType)
    note: str | None = Field(default=None, max_length=2000)
    created_by: str | None = Field(default=None, max_length=64)
    match_run_id: str | None = Field(default=None, max_length=32, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
