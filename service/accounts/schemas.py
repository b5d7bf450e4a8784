from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from service.caller import Role
from service.jobseekers.schemas import JobseekerCreate, JobseekerPublic
from service.schemas import Adcode, FieldRuleError, StrictModel

Password = Annotated[
    str,
    StringConstraints(min_length=8, max_length=128),
    Field(description="At least 8 characters", examples=["Wuhan-2026-jobs"]),
]
Username = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_.@-]{3,64}$"),
    Field(examples=["staff.jiangan01"]),
]


class Token(BaseModel):
    access_token: str
    token_type: str = Field("bearer", examples=["bearer"])
    expires_in: int = Field(description="Seconds until the token expires; then log in again")
    role: Role


class SelfRegistration(JobseekerCreate):
    """Quick registration plus a password; the phone number becomes the username."""

    password: Password


class RegistrationResult(BaseModel):
    jobseeker: JobseekerPublic
    token: Token


class AccountCreate(StrictModel):
    username: Username
    password: Password
    role: Role
    display_name: str | None = Field(None, max_length=100, examples=["江岸区后湖街道 王敏"])
    jobseeker_id: str | None = Field(None, max_length=32)
    employer_id: str | None = Field(None, max_length=32)
    station_id: str | None = Field(None, max_length=32)
    scope_adcodes: list[Adcode] = Field(
        default_factory=list, description="Staff: districts beyond their station's own"
    )

    @model_validator(mode="after")
    def _binding(self) -> AccountCreate:
        needs = {
            Role.jobseeker: "jobseeker_id",
            Role.employer: "employer_id",
            Role.staff: "station_id",
        }
        if self.role == Role.anonymous:
            raise FieldRuleError("role", "anonymous is not an account role")
        field = needs.get(self.role)
        if field and getattr(self, field) is None:
            raise FieldRuleError(field, f"a {self.role} account must be bound with {field}")
        return self


class AccountUpdate(StrictModel):
    password: Password | None = None
    display_name: str | None = Field(None, max_length=100)
    is_active: bool | None = None
    station_id: str | None = Field(None, max_length=32)
    scope_adcodes: list[Adcode] | None = None


class AccountPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    username: str
    role: Role
    display_name: str | None
    jobseeker_id: str | None
    employer_id: str | None
    station_id: str | None
    scope_adcodes: list[str]
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None


class Me(BaseModel):
    role: Role
    via: str = Field(description="token or api_key")
    actor_id: str | None
    jobseeker_id: str | None
    employer_id: str | None
    station_id: str | None
    scope_adcodes: list[str]


class ApiKeyCreate(StrictModel):
    name: str = Field(min_length=1, max_length=100, examples=["武汉国博招聘会签到系统"])
    employer_id: str | None = Field(None, max_length=32, description="Acts as this employer")
    station_id: str | None = Field(None, max_length=32, description="Acts as staff of this station")

    @model_validator(mode="after")
    def _one_binding(self) -> ApiKeyCreate:
        if (self.employer_id is None) == (self.station_id is None):
            raise FieldRuleError("employer_id", "bind the key to exactly one employer or station")
        return self


class ApiKeyPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    prefix: str = Field(description="First part of the key, to tell keys apart")
    role: Role
    employer_id: str | None
    station_id: str | None
    created_by: str | None
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiKeyCreated(ApiKeyPublic):
    key: str = Field(description="The key itself. Shown only now: store it safely.")


class AuditRecordPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    at: datetime
    actor: str
    role: str
    action: str
    entity: str
    entity_id: str | None
    client_ip: str | None
    request_id: str | None
    route: str | None
