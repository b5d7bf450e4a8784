from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from service.sqltypes import JSONType, UTCDateTime, new_id, utcnow


class Station(SQLModel, table=True):
    """A point of the 15-minute circle: service station, gig station, kiosk..."""

    __tablename__ = "stations"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=32, index=True)
    adcode: str = Field(max_length=6, index=True)
    lat: float | None = None
    lon: float | None = None
    address: str | None = Field(default=None, max_length=300)
    phone: str | None = Field(default=None, max_length=20)
    # [{"weekdays": [1..7], "opens": "HH:MM", "closes": "HH:MM"}]; 1 = Monday
    opening_hours: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONType)
    services: list[str] = Field(default_factory=list, sa_type=JSONType)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
