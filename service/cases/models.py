from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from service.sqltypes import UTCDateTime, new_id, utcnow


class CaseService(SQLModel, table=True):
    """A service delivered to a person and recorded by staff: career guidance (职业指导),
    skills training (技能培训) or a job recommendation made outside the system. The "311"
    promise is met when all three parts are recorded (a recommendation case counts as the
    job recommendation). Also a contact with the person, for the three-colour screening."""

    __tablename__ = "case_services"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    jobseeker_id: str = Field(
        foreign_key="jobseekers.id", index=True, max_length=32, ondelete="CASCADE"
    )
    kind: str = Field(max_length=32, index=True)
    note: str | None = Field(default=None, max_length=2000)
    actor: str = Field(max_length=64)
    actor_role: str = Field(max_length=16)
    delivered_on: date
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CaseBackground(SQLModel, table=True):
    """Where a person last worked (原工作单位), recorded at registration: many people from one
    former employer in a short time is the early warning of a layoff."""

    __tablename__ = "case_backgrounds"

    jobseeker_id: str = Field(
        foreign_key="jobseekers.id", primary_key=True, max_length=32, ondelete="CASCADE"
    )
    former_employer: str = Field(max_length=200, index=True)
    former_employer_credit_code: str | None = Field(default=None, max_length=18, index=True)
    left_job_on: date | None = None
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
