from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from service.sqltypes import JSONType, UTCDateTime, new_id, utcnow


class Recommendation(SQLModel, table=True):
    """A job recommended to a person: the unit of casework and of the service promises.

    One person is recommended one posting once: a second recommendation of the same pair is
    refused, which is what makes match runs safe to repeat.
    """

    __tablename__ = "recommendations"
    __table_args__ = (
        UniqueConstraint("jobseeker_id", "posting_id", name="uq_recommendations_pair"),
    )

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


class RecommendationEvent(SQLModel, table=True):
    """One step of a case: its creation, a change of status, or a follow-up note. Never
    changed or removed: the history of who did what, when."""

    __tablename__ = "recommendation_events"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    recommendation_id: str = Field(
        foreign_key="recommendations.id", index=True, max_length=32, ondelete="CASCADE"
    )
    # denormalised so that contact dates per person are one indexed read
    jobseeker_id: str = Field(max_length=32, index=True)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str = Field(max_length=16, index=True)
    note: str | None = Field(default=None, max_length=2000)
    actor: str = Field(max_length=64)  # the caller's actor, as in the audit log
    actor_role: str = Field(max_length=16)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
