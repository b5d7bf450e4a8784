from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from service.enums import (
    Education,
    EmploymentType,
    FeedOp,
    LocationPrecision,
    OccupationDerivation,
    PostingSource,
    PostingStatus,
    ReviewDecision,
    SalaryUnit,
)
from service.schemas import (
    Adcode,
    AddressText,
    FieldRuleError,
    GroupCode,
    Latitude,
    Longitude,
    OccupationCode,
    StrictModel,
)

Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
ContactPhone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9\- ]{5,18}$"),
    Field(description="Mobile or landline of the recruiter", examples=["027-85123456"]),
]
ExternalId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
Money = Annotated[int, Field(ge=0, le=10_000_000, description="Whole yuan per salary_unit")]


class Requirements(StrictModel):
    education: Education | None = Field(None, description="Minimum education")
    experience_years: int | None = Field(None, ge=0, le=50)
    certificates: list[Tag] = Field(default_factory=list, max_length=20, examples=[["焊工证"]])
    skills: list[Tag] = Field(default_factory=list, max_length=30, examples=[["氩弧焊"]])


class _PostingRules(StrictModel):
    @model_validator(mode="after")
    def _consistent(self) -> _PostingRules:
        low, high = getattr(self, "salary_min", None), getattr(self, "salary_max", None)
        if low is not None and high is not None and low > high:
            raise FieldRuleError("salary_min", "salary_min must not exceed salary_max")
        starts, ends = getattr(self, "starts_at", None), getattr(self, "ends_at", None)
        if starts is not None and ends is not None and ends <= starts:
            raise FieldRuleError("ends_at", "ends_at must be later than starts_at")
        self._check_own_coordinates()
        groups = getattr(self, "reserved_for", None) or []
        if len(set(groups)) != len(groups):
            raise FieldRuleError("reserved_for", "lists a group twice")
        return self


class PostingCreate(_PostingRules):
    employer_id: str = Field(max_length=32)
    title: Title = Field(examples=["氩弧焊工"])
    description: str | None = Field(
        None, max_length=5000, examples=["汽车零部件焊接，两班倒，包住宿"]
    )
    occupation_code: OccupationCode | None = Field(
        None, description="CSCO-2022 code; derived from the title when absent"
    )
    employment_type: EmploymentType = EmploymentType.full_time
    salary_min: Money | None = Field(None, examples=[6000])
    salary_max: Money | None = Field(None, examples=[9000])
    salary_unit: SalaryUnit = SalaryUnit.month
    headcount: int = Field(1, ge=1, le=100_000)
    adcode: Adcode | None = None
    address: AddressText | None = Field(None, examples=["武汉市蔡甸区常福工业园"])
    lat: Latitude | None = None
    lon: Longitude | None = None
    station_id: str | None = Field(None, max_length=32, description="Gig station that posted it")
    event_id: str | None = Field(None, max_length=32, description="Link to a job fair or campaign")
    source: PostingSource = PostingSource.employer
    external_id: ExternalId | None = Field(
        None, description="The sender's id; with source it makes the request idempotent"
    )
    requirements: Requirements = Field(default_factory=Requirements)
    reserved_for: list[GroupCode] = Field(
        default_factory=list, max_length=10, description="Priority groups the post is reserved for"
    )
    starts_at: datetime | None = Field(None, description="Start of a gig")
    ends_at: datetime | None = None
    valid_until: date | None = None
    contact_phone: ContactPhone | None = None


class PostingUpdate(_PostingRules):
    coordinates_pair_required = False

    title: Title | None = None
    description: str | None = Field(None, max_length=5000)
    occupation_code: OccupationCode | None = None
    employment_type: EmploymentType | None = None
    salary_min: Money | None = None
    salary_max: Money | None = None
    salary_unit: SalaryUnit | None = None
    headcount: int | None = Field(None, ge=1, le=100_000)
    adcode: Adcode | None = None
    address: AddressText | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None
    station_id: str | None = Field(None, max_length=32)
    requirements: Requirements | None = None
    reserved_for: list[GroupCode] | None = Field(None, max_length=10)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    valid_until: date | None = None
    status: PostingStatus | None = None
    contact_phone: ContactPhone | None = None


class ScreeningFlag(BaseModel):
    code: str = Field(description="Which rule raised the flag", examples=["employer_credit"])
    message: str = Field(
        description="The reason, in plain Chinese",
        examples=["用人单位被列入拖欠农民工工资失信名单，不得发布岗位"],
    )
    matched: str | None = Field(None, description="The text or value that triggered the flag")
    severity: str = Field(
        "reject",
        description="`reject`: the posting is not published; `review`: staff look first "
        "(the posting is held as `pending_review`)",
        examples=["reject", "review"],
    )


ReviewNote = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class PostingReviewCreate(StrictModel):
    decision: ReviewDecision = Field(
        description="`release` opens the posting; `reject` keeps it unpublished"
    )
    note: ReviewNote | None = Field(
        None,
        description="Why; required to reject (the employer sees it), at most 500 characters",
        examples=["岗位要求“限男性”属于性别歧视，请修改后重新提交"],
    )

    @model_validator(mode="after")
    def _reason_for_rejection(self) -> PostingReviewCreate:
        if self.decision == ReviewDecision.reject and not self.note:
            raise FieldRuleError("note", "a rejection needs a note that tells the employer why")
        return self


class PostingReviewPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    decision: ReviewDecision
    note: str | None = Field(description="The reviewer's reason", examples=["已核实，无歧视内容"])
    from_status: PostingStatus = Field(description="The status the posting had when reviewed")
    reviewer: str = Field(
        description="Who decided: `token:<account id>` or `api_key:<key id>`, as in the audit log"
    )
    reviewer_role: str = Field(examples=["staff"])
    reviewed_at: datetime


class SourceRef(BaseModel):
    source: PostingSource
    external_id: str | None


class PostingPublic(BaseModel):
    id: str
    employer_id: str
    title: str
    description: str | None
    occupation_code: str | None
    occupation_name: str | None
    occupation_derivation: OccupationDerivation
    employment_type: EmploymentType
    salary_min: int | None
    salary_max: int | None
    salary_unit: SalaryUnit
    headcount: int
    adcode: str | None
    address: str | None
    lat: float | None
    lon: float | None
    location_precision: LocationPrecision
    station_id: str | None
    event_ids: list[str]
    source: PostingSource
    sources: list[SourceRef]
    requirements: Requirements
    reserved_for: list[str]
    starts_at: datetime | None
    ends_at: datetime | None
    valid_until: date | None
    status: PostingStatus = Field(
        description="`pending_review` (待审核): held by screening until staff review it; "
        "`rejected`: not published (see `screening` and `review`)"
    )
    screening: list[ScreeningFlag]
    review: PostingReviewPublic | None = Field(
        None,
        description="The latest staff review; shown to the employer, staff in scope and admins, "
        "null for everyone else",
    )
    contact_phone: str | None
    created_at: datetime
    updated_at: datetime


def posting_public(
    posting: Any,
    *,
    occupation_name: str | None,
    event_ids: list[str],
    review: Any = None,
) -> PostingPublic:
    return PostingPublic(
        **{name: getattr(posting, name) for name in _COPIED},
        requirements=Requirements.model_validate(posting.requirements or {}),
        reserved_for=posting.reserved_for,
        sources=[SourceRef(source=s.source, external_id=s.external_id) for s in posting.sources],
        occupation_name=occupation_name,
        event_ids=event_ids,
        review=PostingReviewPublic.model_validate(review) if review is not None else None,
    )


_COPIED = [
    name
    for name in PostingPublic.model_fields
    if name
    not in {"requirements", "reserved_for", "sources", "occupation_name", "event_ids", "review"}
]


class PostingChange(BaseModel):
    cursor: str = Field(description="Pass as `since` to continue after this item")
    seq: int = Field(
        description="Change-log number of the latest change folded into the item (for logs; "
        "follow the order of the list and the cursors, not this number)"
    )
    op: FeedOp = Field(
        description="`created` / `updated`: the posting is public, add or replace it; "
        "`closed`: it is no longer public, remove it; `deleted`: it is gone"
    )
    posting_id: str
    occurred_at: datetime = Field(description="When the latest folded change was written")
    posting: PostingPublic | None = Field(
        description="The posting as the public sees it now; null when it is not public"
    )


class PostingFeed(BaseModel):
    items: list[PostingChange]
    next_since: str = Field(
        description="Pass as `since` for the changes after this page (the same value when "
        "there was nothing new: poll again later)"
    )
    has_more: bool = Field(description="More changes are waiting: ask again at once")
