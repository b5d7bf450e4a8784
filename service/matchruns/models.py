from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from service.sqltypes import JSONType, UTCDateTime, new_id, utcnow


class MatchRun(SQLModel, table=True):
    """One staff match run: who asked, for which people, and how far it has come."""

    __tablename__ = "match_runs"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    status: str = Field(default="queued", max_length=16, index=True)
    selection: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    top_k: int = 5
    min_score: float = 0.0
    created_by: str = Field(max_length=64, index=True)
    created_by_role: str = Field(max_length=16)
    station_id: str | None = Field(default=None, max_length=32)
    people_total: int = 0
    people_done: int = 0
    people_skipped: int = 0  # no consent to recommendations, or no suitable posting left
    recommendations_created: int = 0
    pairs_already_recommended: int = 0
    error: str | None = Field(default=None, max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
