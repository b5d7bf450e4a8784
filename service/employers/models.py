from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from service.sqltypes import UTCDateTime, new_id, utcnow


class Employer(SQLModel, table=True):
    """用人单位. The credit code is unique when present; imports may create some without one."""

    __tablename__ = "employers"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    name: str = Field(max_length=200, index=True)
    credit_code: str | None = Field(default=None, max_length=18, unique=True)
    industry: str | None = Field(default=None, max_length=100)
    adcode: str | None = Field(default=None, max_length=6, index=True)
    address: str | None = Field(default=None, max_length=300)
    contact_phone: str | None = Field(default=None, max_length=20)
    credit_status: str = Field(default="normal", max_length=32, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
