from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, StringConstraints, model_validator

from service.enums import EventKind, RegistrationOutcome
from service.schemas import Adcode, AddressText, FieldRuleError, GroupCode, Name, StrictModel

Booth = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]


class _EventRules(StrictModel):
    @model_validator(mode="after")
    def _times(self) -> _EventRules:
        starts, ends = getattr(self, "starts_at", None), getattr(self, "ends_at", None)
        if starts is not None and ends is not None and ends <= starts:
            raise FieldRuleError("ends_at", "ends_at must be later than starts_at")
        groups = getattr(self, "target_groups", None) or []
        if len(set(groups)) != len(groups):
            raise FieldRuleError("target_groups", "lists a group twice")
        return self


class EventCreate(_EventRules):
    name: Name = Field(examples=["2026年英雄城市军岗日退役军人专场招聘会"])
    kind: EventKind
    campaign: str | None = Field(None, max_length=100, examples=["英雄城市军岗日"])
    description: str | None = Field(None, max_length=5000)
    starts_at: datetime = Field(examples=["2026-08-01T09:00:00+08:00"])
    ends_at: datetime = Field(examples=["2026-08-01T12:00:00+08:00"])
    station_id: str | None = Field(None, max_length=32, description="Venue station, if any")
    venue: AddressText | None = Field(None, examples=["武汉国际博览中心"])
    adcode: Adcode | None = None
    online_url: HttpUrl | None = Field(None, description="Stream or online-fair address")
    target_groups: list[GroupCode] = Field(default_factory=list, max_length=10)

    @model_validator(mode="after")
    def _where(self) -> EventCreate:
        if self.kind == EventKind.livestream and self.online_url is None:
            raise FieldRuleError("online_url", "a livestream needs online_url")
        if self.station_id is None and self.venue is None and self.online_url is None:
            raise FieldRuleError(
                "station_id", "give station_id, venue or online_url: where does it take place?"
            )
        return self


class EventUpdate(_EventRules):
    name: Name | None = None
    kind: EventKind | None = None
    campaign: str | None = Field(None, max_length=100)
    description: str | None = Field(None, max_length=5000)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    station_id: str | None = Field(None, max_length=32)
    venue: AddressText | None = None
    adcode: Adcode | None = None
    online_url: HttpUrl | None = None
    target_groups: list[GroupCode] | None = Field(None, max_length=10)


class EventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    kind: EventKind
    campaign: str | None
    description: str | None
    starts_at: datetime
    ends_at: datetime
    station_id: str | None
    venue: str | None
    adcode: str | None
    online_url: str | None
    target_groups: list[str]
    created_at: datetime
    updated_at: datetime


class BoothPosting(StrictModel):
    posting_id: str = Field(max_length=32)
    booth: Booth | None = Field(None, examples=["A-12"])


class EventPostingsLink(StrictModel):
    postings: list[BoothPosting] = Field(min_length=1, max_length=1000)


class EventPostingPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    event_id: str
    posting_id: str
    booth: str | None
    linked_at: datetime


class RegistrationCreate(StrictModel):
    jobseeker_id: str = Field(max_length=32)
    outcome: RegistrationOutcome = RegistrationOutcome.registered


class RegistrationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    event_id: str
    jobseeker_id: str
    outcome: RegistrationOutcome
    registered_at: datetime
