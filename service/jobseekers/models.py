from datetime import date, datetime
from typing import Any

from sqlmodel import Field, Relationship, SQLModel

from service.sqltypes import JSONType, UTCDateTime, new_id, utcnow


class Jobseeker(SQLModel, table=True):
    """求职者. The ID number is stored only encrypted, with a keyed hash for exact lookup.

    Exact home coordinates stay inside the service; responses carry the district.
    """

    __tablename__ = "jobseekers"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    name: str = Field(max_length=50)
    phone: str | None = Field(default=None, max_length=11, unique=True)
    id_number_encrypted: str | None = Field(default=None, max_length=256)
    id_number_hash: str | None = Field(default=None, max_length=64, unique=True)
    adcode: str | None = Field(default=None, max_length=6, index=True)
    address: str | None = Field(default=None, max_length=300)
    home_lat: float | None = None
    home_lon: float | None = None
    location_precision: str = Field(default="unknown", max_length=16)
    desired_titles: list[str] = Field(default_factory=list, sa_type=JSONType)
    desired_occupations: list[str] = Field(default_factory=list, sa_type=JSONType)
    skills: list[str] = Field(default_factory=list, sa_type=JSONType)
    certificates: list[str] = Field(default_factory=list, sa_type=JSONType)
    education: str | None = Field(default=None, max_length=16)
    experience_years: int | None = None
    employment_types: list[str] = Field(default_factory=list, sa_type=JSONType)
    salary_expectation: int | None = None
    salary_expectation_unit: str = Field(default="month", max_length=8)
    availability: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    travel_mode: str | None = Field(default=None, max_length=16)
    travel_max_minutes: int | None = None
    not_choosy: bool = False
    consent_show_to_employers: bool = False
    consent_recommendations: bool = True
    status: str = Field(default="seeking", max_length=16, index=True)
    station_id: str | None = Field(
        default=None, foreign_key="stations.id", index=True, max_length=32, ondelete="SET NULL"
    )
    left_school_on: date | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Set when the person asked for deletion: personal data is gone, the anonymous rest
    # (district, groups, dates, status) stays for statistics.
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)

    groups: list["JobseekerGroup"] = Relationship(
        sa_relationship_kwargs={"lazy": "selectin", "cascade": "all, delete-orphan"}
    )


class JobseekerGroup(SQLModel, table=True):
    """Membership of a priority group, certified on a date with evidence (证明材料)."""

    __tablename__ = "jobseeker_groups"

    jobseeker_id: str = Field(
        foreign_key="jobseekers.id", primary_key=True, max_length=32, ondelete="CASCADE"
    )
    group_code: str = Field(primary_key=True, max_length=40, index=True)
    certified_at: date | None = None
    evidence: str | None = Field(default=None, max_length=500)
