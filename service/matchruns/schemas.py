from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from service.schemas import StrictModel

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]


class MatchRunCreate(StrictModel):
    """Which people (every given filter applies; staff only ever get people in their scope)
    and how many postings to recommend to each."""

    station_id: Id | None = Field(None, description="People registered at this station")
    adcode: str | None = Field(None, pattern=r"^\d{2,6}$", description="Adcode prefix of home")
    group: str | None = Field(None, max_length=40, examples=["zero_employment_household"])
    jobseeker_ids: list[Id] | None = Field(None, max_length=1000)
    priority_only: bool = Field(True, description="Only members of a priority group")
    top_k: int = Field(5, ge=1, le=20, description="New recommendations per person at most")
    min_score: float = Field(0.0, ge=0, le=1, description="Recommend only from this score up")


class MatchRunPublic(BaseModel):
    id: str
    status: str = Field(
        description="queued, running, done or failed (a run whose process stopped is failed, "
        'its error starting "interrupted:"; start it again)',
        examples=["running"],
    )
    selection: dict[str, Any]
    top_k: int
    min_score: float
    created_by: str
    people_total: int
    people_done: int
    people_skipped: int = Field(description="No consent to recommendations, or nothing new")
    recommendations_created: int
    pairs_already_recommended: int = Field(description="Matches skipped: recommended before")
    progress: float = Field(ge=0, le=1)
    error: str | None = None
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    seconds: float | None = None
    ms_per_person: float | None = None
