from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, model_validator

from service.enums import (
    Education,
    EmploymentType,
    JobseekerStatus,
    LocationPrecision,
    SalaryUnit,
    TravelMode,
)
from service.schemas import (
    Adcode,
    AddressText,
    CitizenId,
    FieldRuleError,
    GroupCode,
    Latitude,
    Longitude,
    MobilePhone,
    OccupationCode,
    StrictModel,
)

PersonName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class Travel(StrictModel):
    mode: TravelMode = TravelMode.walk
    max_minutes: int = Field(15, ge=1, le=180)


class Availability(StrictModel):
    available_from: date | None = None
    weekdays: list[Annotated[int, Field(ge=1, le=7)]] = Field(
        default_factory=list, description="ISO weekdays the person can work; empty = any"
    )
    day_parts: list[
        Annotated[str, StringConstraints(pattern=r"^(morning|afternoon|evening|night)$")]
    ] = Field(default_factory=list, examples=[["morning", "afternoon"]])


class GroupMembership(StrictModel):
    group: GroupCode
    certified_at: date | None = Field(None, description="Date of certification (认定)")
    evidence: str | None = Field(
        None, max_length=500, description="Certificate or document reference (证明材料)"
    )


class _JobseekerRules(StrictModel):
    @model_validator(mode="after")
    def _rules(self) -> _JobseekerRules:
        self._check_own_coordinates()
        groups = [m.group for m in getattr(self, "priority_groups", None) or []]
        if len(set(groups)) != len(groups):
            raise FieldRuleError("priority_groups", "lists a group twice")
        return self


class JobseekerCreate(_JobseekerRules):
    """Quick registration needs name, phone, where the person lives and what they want."""

    name: PersonName = Field(examples=["张伟"])
    phone: MobilePhone
    id_number: CitizenId | None = None
    adcode: Adcode | None = None
    address: AddressText | None = Field(None, examples=["武汉市洪山区珞南街道"])
    lat: Latitude | None = Field(None, description="Home; never shown back, only the district")
    lon: Longitude | None = None
    desired_titles: list[Title] = Field(default_factory=list, max_length=10, examples=[["焊工"]])
    desired_occupations: list[OccupationCode] = Field(default_factory=list, max_length=10)
    skills: list[Tag] = Field(default_factory=list, max_length=30)
    certificates: list[Tag] = Field(default_factory=list, max_length=20)
    education: Education | None = None
    experience_years: int | None = Field(None, ge=0, le=60)
    employment_types: list[EmploymentType] = Field(default_factory=list, max_length=5)
    salary_expectation: int | None = Field(None, ge=0, le=10_000_000, examples=[5000])
    salary_expectation_unit: SalaryUnit = SalaryUnit.month
    availability: Availability = Field(default_factory=Availability)
    travel: Travel | None = None
    priority_groups: list[GroupMembership] = Field(default_factory=list, max_length=10)
    not_choosy: bool = Field(False, description="不挑不拣: accepts any suitable job")
    consent_show_to_employers: bool = False
    consent_recommendations: bool = True
    station_id: str | None = Field(None, max_length=32, description="Station that registered them")
    left_school_on: date | None = Field(None, description="Graduates: date of leaving school")

    @model_validator(mode="after")
    def _quick_registration(self) -> JobseekerCreate:
        if self.adcode is None and self.address is None and self.lat is None:
            raise FieldRuleError("adcode", "say where the person lives: adcode, address or lat/lon")
        if not self.desired_titles and not self.desired_occupations:
            raise FieldRuleError(
                "desired_titles", "say what the person wants: desired_titles or desired_occupations"
            )
        return self


class JobseekerUpdate(_JobseekerRules):
    coordinates_pair_required = False

    name: PersonName | None = None
    phone: MobilePhone | None = None
    id_number: CitizenId | None = None
    adcode: Adcode | None = None
    address: AddressText | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None
    desired_titles: list[Title] | None = Field(None, max_length=10)
    desired_occupations: list[OccupationCode] | None = Field(None, max_length=10)
    skills: list[Tag] | None = Field(None, max_length=30)
    certificates: list[Tag] | None = Field(None, max_length=20)
    education: Education | None = None
    experience_years: int | None = Field(None, ge=0, le=60)
    employment_types: list[EmploymentType] | None = Field(None, max_length=5)
    salary_expectation: int | None = Field(None, ge=0, le=10_000_000)
    salary_expectation_unit: SalaryUnit | None = None
    availability: Availability | None = None
    travel: Travel | None = None
    priority_groups: list[GroupMembership] | None = Field(None, max_length=10)
    not_choosy: bool | None = None
    consent_show_to_employers: bool | None = None
    consent_recommendations: bool | None = None
    status: JobseekerStatus | None = None
    station_id: str | None = Field(None, max_length=32)
    left_school_on: date | None = None


class JobseekerPublic(BaseModel):
    """Phone and ID number are masked unless the caller is the person or in-scope staff."""

    id: str
    name: str
    phone: str
    id_number: str | None = Field(None, description="Masked (420102********123X) for most callers")
    personal_data_masked: bool
    adcode: str | None
    district_name: str | None
    location_precision: LocationPrecision
    desired_titles: list[str]
    desired_occupations: list[str]
    skills: list[str]
    certificates: list[str]
    education: Education | None
    experience_years: int | None
    employment_types: list[EmploymentType]
    salary_expectation: int | None
    salary_expectation_unit: SalaryUnit
    availability: Availability
    travel: Travel | None
    priority_groups: list[GroupMembership]
    not_choosy: bool
    consent_show_to_employers: bool
    consent_recommendations: bool
    status: JobseekerStatus
    station_id: str | None
    left_school_on: date | None
    created_at: datetime
    updated_at: datetime
