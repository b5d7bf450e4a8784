from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, model_validator

from service.enums import RecommendationStatus
from service.schemas import FieldRuleError, StrictModel

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]

# recommended → contacted → interviewed → hired; a case may end as rejected (by the employer)
# or declined (by the person) at any step before that
TRANSITIONS: dict[str, frozenset[str]] = {
    "recommended": frozenset({"contacted", "rejected", "declined"}),
    "contacted": frozenset({"interviewed", "rejected", "declined"}),
    "interviewed": frozenset({"hired", "rejected", "declined"}),
    "hired": frozenset(),
    "rejected": frozenset(),
    "declined": frozenset(),
}
OPEN_STATUSES = ("recommended", "contacted", "interviewed")


class RecommendationCreate(StrictModel):
    """Recommend a posting to a person; the case starts as ``recommended``."""

    jobseeker_id: Id
    posting_id: Id
    note: Note | None = Field(None, examples=["电话沟通后推荐，本人有意向"])


class RecommendationUpdate(StrictModel):
    """Move the case on (``status``) and/or add a follow-up note."""

    status: RecommendationStatus | None = Field(None, examples=["contacted"])
    note: Note | None = Field(None, examples=["已电话联系，约周三面试"])

    @model_validator(mode="after")
    def _something(self) -> RecommendationUpdate:
        if self.status is None and self.note is None:
            raise FieldRuleError("status", "give a new status, a note, or both")
        return self


class CasePerson(BaseModel):
    """The person of a case. Phone masked, and the name too for employers unless the person
    agreed to be shown to employers; groups only for those who see personal data."""

    id: str
    name: str = Field(examples=["张伟"])
    phone: str | None = Field(None, examples=["138****5678"])
    personal_data_masked: bool
    adcode: str | None = None
    district_name: str | None = None
    station_id: str | None = None
    status: str = Field(examples=["seeking"])
    priority_groups: list[str] = Field(default_factory=list, examples=[["graduate"]])


class CasePosting(BaseModel):
    id: str
    title: str = Field(examples=["氩弧焊工"])
    employer_id: str
    employer_name: str | None = None
    occupation_code: str | None = None
    employment_type: str
    adcode: str | None = None
    status: str


class CaseStep(BaseModel):
    """One step of the history: created (no ``from_status``), a change of status, or a note
    (``from_status`` = ``to_status``)."""

    at: datetime
    actor: str = Field(examples=["token:0190a1b2c3d4e5f60718293a4b"])
    actor_role: str = Field(examples=["staff"])
    from_status: str | None = None
    to_status: str
    note: str | None = None


class RecommendationPublic(BaseModel):
    id: str
    status: RecommendationStatus
    jobseeker: CasePerson
    posting: CasePosting
    score: float | None = None
    reasons: list[str] = Field(default_factory=list, examples=[["职业匹配：焊工", "步行约12分钟"]])
    note: str | None = None
    created_by: str | None = None
    match_run_id: str | None = None
    created_at: datetime
    updated_at: datetime
    history: list[CaseStep] = Field(default_factory=list)
