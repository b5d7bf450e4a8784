from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from service.sqltypes import JSONType, UTCDateTime, new_id, utcnow


class Event(SQLModel, table=True):
    """招聘会, 专场招聘, 直播带岗 or a named campaign such as 春风行动."""

    __tablename__ = "events"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=32, index=True)
    campaign: str | None = Field(default=None, max_length=100, index=True)
    description: str | None = Field(default=None, max_length=5000)
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    station_id: str | None = Field(
        default=None, foreign_key="stations.id", index=True, max_length=32, ondelete="SET NULL"
    )
    venue: str | None = Field(default=None, max_length=300)
    adcode: str | None = Field(default=None, max_length=6, index=True)
    online_url: str | None = Field(default=None, max_length=500)
    target_groups: list[str] = Field(default_factory=list, sa_type=JSONType)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class EventPosting(SQLModel, table=True):
    """A posting offered at an event, at a booth."""

    __tablename__ = "event_postings"

    event_id: str = Field(
        foreign_key="events.id", primary_key=True, max_length=32, ondelete="CASCADE"
    )
    posting_id: str = Field(
        foreign_key="postings.id", primary_key=True, max_length=32, ondelete="CASCADE", index=True
    )
    booth: str | None = Field(default=None, max_length=50)
    linked_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class EventRegistration(SQLModel, table=True):
    """A jobseeker registered for an event, and what came of it (意向 / 录用)."""

    __tablename__ = "event_registrations"

    event_id: str = Field(
        foreign_key="events.id", primary_key=True, max_length=32, ondelete="CASCADE"
    )
    jobseeker_id: str = Field(
        foreign_key="jobseekers.id", primary_key=True, max_length=32, ondelete="CASCADE", index=True
    )
    outcome: str = Field(default="registered", max_length=16)
    registered_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
