from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from service.sqltypes import UTCDateTime, new_id, utcnow


class Community(SQLModel, table=True):
    """A population point of the circle: a residential community (社区) or village (村) with the
    number of people living there. (adcode, name) is its identity: an import sending it again
    updates it instead of adding a second one."""

    __tablename__ = "communities"
    __table_args__ = (UniqueConstraint("adcode", "name", name="uq_communities_adcode_name"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    name: str = Field(max_length=100)
    adcode: str = Field(max_length=6, index=True)
    lat: float
    lon: float
    population: int
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
