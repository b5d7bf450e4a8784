from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from service.cases.clocks import CAREER_GUIDANCE, JOB_RECOMMENDATION, SKILLS_TRAINING
from service.recommendations.schemas import CasePerson, RecommendationPublic
from service.schemas import StrictModel

Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class ServiceKind(StrEnum):
    career_guidance = CAREER_GUIDANCE  # 职业指导
    skills_training = SKILLS_TRAINING  # 技能培训
    job_recommendation = JOB_RECOMMENDATION  # 岗位推荐 made outside the system


class PromiseClockPublic(BaseModel):
    """One service promise of a person and where its clock stands."""

    code: str = Field(examples=["101"])
    name: str = Field(examples=['零就业家庭"101"服务：1周内推荐岗位'])
    group: str = Field(examples=["zero_employment_household"])
    clock_starts: str = Field(examples=["registered"])
    started_on: date
    start_assumed: bool = Field(
        description="The start date was not recorded (no certification or leaving date): the "
        "registration date stands in for it."
    )
    deadline: date
    state: str = Field(description="running, met or missed", examples=["running"])
    open: bool = Field(description="Still owed: not fulfilled and the person still seeking")
    fulfilled_on: date | None = None
    days_left: int = Field(description="Days until the deadline; negative once past it")


class ScreeningPublic(BaseModel):
    """红黄蓝三色预警 status of a person in a screened group."""

    colour: str = Field(examples=["red"])
    reason: str = Field(examples=["未就业，服务承诺已逾期"])
    follow_up_on: date | None = Field(None, description="Blue: when the follow-up visit is due")


class QueueItem(BaseModel):
    jobseeker: CasePerson
    promise: PromiseClockPublic
    screening: ScreeningPublic | None = None
    last_contact_on: date | None = None
    recommendations: int = Field(description="Jobs recommended to the person so far")


class Queue(BaseModel):
    items: list[QueueItem]
    total: int = Field(description="Promises in the queue, over all pages")
    next_cursor: str | None = None


class ServiceCreate(StrictModel):
    """Record a service delivered to a person (the "311" parts) — also a contact."""

    kind: ServiceKind
    note: Note | None = Field(None, examples=["职业指导：简历修改、面试技巧"])
    delivered_on: date | None = Field(None, description="Default: today")


class ServicePublic(BaseModel):
    id: str
    kind: ServiceKind
    note: str | None
    actor: str
    actor_role: str
    delivered_on: date
    at: datetime


class BackgroundUpdate(StrictModel):
    """Where the person last worked (原工作单位): feeds the layoff early warning."""

    former_employer: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ] = Field(examples=["武汉某某汽车配件有限公司"])
    former_employer_credit_code: str | None = Field(
        None, pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$", examples=["91420100MA4KXXXX1X"]
    )
    left_job_on: date | None = None


class BackgroundPublic(BaseModel):
    former_employer: str
    former_employer_credit_code: str | None
    left_job_on: date | None
    recorded_at: datetime


class CaseFile(BaseModel):
    """A person's case page: promises with their state, screening, recommendations, services."""

    jobseeker: CasePerson
    registered_on: date
    promises: list[PromiseClockPublic]
    screening: ScreeningPublic | None = None
    last_contact_on: date | None = None
    recommendations: list[RecommendationPublic]
    services: list[ServicePublic]
    background: BackgroundPublic | None = None
