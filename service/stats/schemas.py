from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from service.recommendations.schemas import CasePerson


class SupplyDemandRow(BaseModel):
    key: str = Field(description="Occupation medium group (6-18) or district adcode")
    name: str | None = Field(None, examples=["机械制造基础加工人员"])
    vacancies: int = Field(description="Headcount of open postings")
    postings: int
    jobseekers: int = Field(description="People seeking work who want this group / live here")
    ratio: float | None = Field(None, description="求人倍率 = vacancies / jobseekers")


class SupplyDemand(BaseModel):
    by: str
    rows: list[SupplyDemandRow]
    vacancies: int
    jobseekers: int
    ratio: float | None


class GroupFigures(BaseModel):
    group: str
    name: str
    registered: int
    seeking: int
    placed: int
    recommended: int = Field(description="Members recommended at least one job")
    median_days_to_first_recommendation: float | None = None
    promises_met: int
    promises_missed: int
    promises_running: int
    promises_overdue: int = Field(description="Missed and still owed")


class PriorityGroups(BaseModel):
    groups: list[GroupFigures]


class ZeroingPerson(BaseModel):
    jobseeker: CasePerson
    groups: list[str]
    registered_on: date
    days_open: int
    recommendations: int
    last_contact_on: date | None = None
    colour: str | None = None


class ZeroingGroup(BaseModel):
    group: str
    name: str
    open: int = Field(description="Still without work (动态清零 target: zero)")
    placed: int


class Zeroing(BaseModel):
    groups: list[ZeroingGroup]
    people: list[ZeroingPerson] = Field(description="Who is still open, longest first")


class StationWorkload(BaseModel):
    station_id: str | None
    name: str | None
    people: int
    seeking: int
    placed: int
    recommendations: int
    open_cases: int = Field(description="Recommended, contacted or interviewed")
    hired: int
    due_7_days: int
    overdue: int
    red: int
    yellow: int
    blue: int


class Workload(BaseModel):
    stations: list[StationWorkload]


class ColourCount(BaseModel):
    key: str | None
    name: str | None
    red: int = 0
    yellow: int = 0
    blue: int = 0


class ScreeningCounts(BaseModel):
    by: str
    rows: list[ColourCount]


class Alert(BaseModel):
    kind: str = Field(examples=["district_registrations"])
    key: str = Field(examples=["420102"])
    name: str | None = None
    message: str = Field(examples=["江岸区近7天登记42人，为此前4周平均的3.5倍"])
    value: float
    baseline: float | None = None
    threshold: float


class Alerts(BaseModel):
    alerts: list[Alert]
