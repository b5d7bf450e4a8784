from __future__ import annotations

from pydantic import BaseModel, Field

from service.jobseekers.schemas import JobseekerPublic
from service.postings.schemas import PostingPublic


class PostingMatchPublic(BaseModel):
    posting: PostingPublic
    score: float = Field(ge=0, le=1, examples=[0.82])
    travel_minutes: float | None = Field(None, description="Estimated door-to-door minutes")
    travel_mode: str | None = Field(None, examples=["ebike"])
    location_estimated: bool = Field(
        False, description="The posting or the home is placed only to its district"
    )
    reasons: list[str] = Field(examples=[["职业匹配：焊工", "电动车约8分钟", "薪资高于期望"]])


class CandidatePublic(BaseModel):
    jobseeker: JobseekerPublic
    score: float = Field(ge=0, le=1)
    priority_tier: int = Field(
        description="0: priority-group member, qualified; 1: other qualified; 2: below threshold"
    )
    travel_minutes: float | None = None
    travel_mode: str | None = None
    reasons: list[str] = Field(examples=[["职业匹配：焊工", "步行约12分钟", "优先群体：退役军人"]])


class FacetValue(BaseModel):
    value: str = Field(examples=["6-18"])
    label: str | None = Field(None, examples=["机械制造基础加工人员"])
    count: int


class SearchFacets(BaseModel):
    occupation_major: list[FacetValue]
    occupation_medium: list[FacetValue]
    district: list[FacetValue]
    employment_type: list[FacetValue]


class SearchItem(BaseModel):
    posting: PostingPublic
    travel_minutes: float | None = None
    distance_km: float | None = None
    location_estimated: bool = False


class SearchResult(BaseModel):
    items: list[SearchItem]
    total: int = Field(description="Postings matching the filters")
    facets: SearchFacets
    next_cursor: str | None = None
