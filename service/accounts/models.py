from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from service.sqltypes import JSONType, UTCDateTime, new_id, utcnow


class Account(SQLModel, table=True):
    """A person who logs in. A jobseeker's username is their phone number.

    An account is bound to what it acts for: a jobseeker record, an employer, or (staff) a
    station, whose district plus ``scope_adcodes`` bound what the staff member may see.
    """

    __tablename__ = "accounts"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    username: str = Field(max_length=64, unique=True)
    password_hash: str = Field(max_length=256)
    role: str = Field(max_length=16, index=True)
    display_name: str | None = Field(default=None, max_length=100)
    jobseeker_id: str | None = Field(
        default=None, foreign_key="jobseekers.id", max_length=32, ondelete="CASCADE", index=True
    )
    employer_id: str | None = Field(
        default=None, foreign_key="employers.id", max_length=32, ondelete="CASCADE", index=True
    )
    station_id: str | None = Field(
        default=None, foreign_key="stations.id", max_length=32, ondelete="SET NULL", index=True
    )
    scope_adcodes: list[str] = Field(default_factory=list, sa_type=JSONType)
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ApiKey(SQLModel, table=True):
    """A machine client's key: stored as a keyed hash, shown once, revocable.

    A key bound to an employer acts as that employer; a key bound to a station (kiosk,
    job-fair system) acts as staff of that station.
    """

    __tablename__ = "api_keys"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=16, unique=True)
    key_hash: str = Field(max_length=64)
    role: str = Field(max_length=16)
    employer_id: str | None = Field(
        default=None, foreign_key="employers.id", max_length=32, ondelete="CASCADE", index=True
    )
    station_id: str | None = Field(
        default=None, foreign_key="stations.id", max_length=32, ondelete="CASCADE", index=True
    )
    created_by: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
