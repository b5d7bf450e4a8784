from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from service.enums import StationKind
from service.schemas import (
    Adcode,
    AddressText,
    FieldRuleError,
    Latitude,
    Longitude,
    Name,
    StrictModel,
)

HHMM = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")]
ServiceName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]


class OpeningHours(StrictModel):
    weekdays: list[Annotated[int, Field(ge=1, le=7)]] = Field(
        min_length=1, description="ISO weekdays, 1 = Monday", examples=[[1, 2, 3, 4, 5]]
    )
    opens: HHMM = Field(examples=["09:00"])
    closes: HHMM = Field(examples=["17:30"])

    @model_validator(mode="after")
    def _order(self) -> OpeningHours:
        if self.closes <= self.opens:
            raise FieldRuleError("closes", "closes must be later than opens")
        return self


class _StationFields(StrictModel):
    @model_validator(mode="after")
    def _coordinates(self) -> _StationFields:
        self._check_own_coordinates()
        return self

    @field_validator("services", check_fields=False)
    @classmethod
    def _unique_services(cls, value: list[str] | None) -> list[str] | None:
        return list(dict.fromkeys(value)) if value is not None else None


class StationCreate(_StationFields):
    name: Name = Field(examples=["江岸区后湖街道就业服务站"])
    kind: StationKind
    adcode: Adcode | None = Field(None, description="Derived from the address when absent")
    lat: Latitude | None = None
    lon: Longitude | None = None
    address: AddressText | None = Field(None, examples=["武汉市江岸区后湖大道111号"])
    phone: str | None = Field(None, max_length=20, examples=["027-82345678"])
    opening_hours: list[OpeningHours] = Field(default_factory=list, max_length=14)
    services: list[ServiceName] = Field(
        default_factory=list, max_length=30, examples=[["求职登记", "岗位推荐", "职业指导"]]
    )


class StationUpdate(_StationFields):
    coordinates_pair_required = False

    name: Name | None = None
    kind: StationKind | None = None
    adcode: Adcode | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None
    address: AddressText | None = None
    phone: str | None = Field(None, max_length=20)
    opening_hours: list[OpeningHours] | None = Field(None, max_length=14)
    services: list[ServiceName] | None = Field(None, max_length=30)


class StationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    kind: StationKind
    adcode: str
    lat: float | None
    lon: float | None
    address: str | None
    phone: str | None
    opening_hours: list[OpeningHours] = Field(
        description="Readable entries only: rows stored before validation may hold others"
    )
    services: list[str]
    created_at: datetime
    updated_at: datetime

    @field_validator("opening_hours", mode="before")
    @classmethod
    def _readable_hours(cls, value: Any) -> Any:
        """Show a station whose stored hours are partly unreadable rather than fail on it."""
        if not isinstance(value, list):
            return []
        readable = []
        for entry in value:
            try:
                readable.append(OpeningHours.model_validate(entry))
            except ValueError:
                continue
        return readable


class NearbyStation(BaseModel):
    station: StationPublic = Field(description="The station, with its services and hours")
    travel_minutes: float = Field(description="Estimated minutes from the given place")
    travel: str = Field(description="The same in words", examples=["步行约8分钟"])
    distance_km: float = Field(description="Straight-line distance")
    open_now: bool | None = Field(
        description="Open at the moment asked (default: now, China time); null when the hours "
        "are missing or unreadable"
    )


class NearbyStations(BaseModel):
    mode: str
    minutes: float
    items: list[NearbyStation] = Field(description="Nearest first")
