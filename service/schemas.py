"""Field types shared by the request and response schemas of several domains."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from ingest.identifiers import validate_citizen_id, validate_credit_code, validate_mobile
from matching.geo import in_china


def _strip(value: str) -> str:
    return value.strip()


Adcode = Annotated[
    str,
    StringConstraints(pattern=r"^\d{6}$"),
    Field(description="6-digit administrative division code (GB/T 2260)", examples=["420102"]),
]
MobilePhone = Annotated[
    str,
    StringConstraints(max_length=20),
    AfterValidator(validate_mobile),
    Field(description="Mainland mobile number", examples=["13812345678"]),
]
CitizenId = Annotated[
    str,
    StringConstraints(max_length=18, min_length=18, strip_whitespace=True),
    AfterValidator(validate_citizen_id),
    Field(description="18-digit citizen ID number (GB 11643), check digit verified"),
]
CreditCode = Annotated[
    str,
    StringConstraints(max_length=18, min_length=18, strip_whitespace=True),
    AfterValidator(validate_credit_code),
    Field(
        description="Unified social credit code (统一社会信用代码, GB 32100), check char verified",
        examples=["91420100MA4KXXXX0A"],
    ),
]
Latitude = Annotated[float, Field(ge=-90, le=90, description="WGS-84 latitude", examples=[30.6])]
Longitude = Annotated[
    float, Field(ge=-180, le=180, description="WGS-84 longitude", examples=[114.3])
]
OccupationCode = Annotated[
    str,
    StringConstraints(pattern=r"^\d-\d{2}-\d{2}-\d{2}$"),
    Field(description="CSCO-2022 occupation code", examples=["6-18-02-04"]),
]
GroupCode = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,39}$"),
    Field(description="Priority-group code from the policy file", examples=["veteran"]),
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
AddressText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=300)]


class FieldRuleError(ValueError):
    """A rule across fields, raised from a model validator, that still names one field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class StrictModel(BaseModel):
    """Request bodies: unknown fields are an error, so that typos do not pass silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    # Create bodies need both coordinates or neither; PATCH bodies may carry one.
    coordinates_pair_required: ClassVar[bool] = True

    def _check_own_coordinates(self) -> None:
        check_coordinates(
            getattr(self, "lat", None),
            getattr(self, "lon", None),
            pair_required=self.coordinates_pair_required,
        )


def check_coordinates(
    lat: float | None, lon: float | None, *, prefix: str = "", pair_required: bool = True
) -> None:
    """Both or neither, and inside China. Raises ValueError naming the field.

    A PATCH may carry one coordinate (the other is stored): ``pair_required=False`` then, and
    the service checks the merged pair.
    """
    if (lat is None) != (lon is None):
        if not pair_required:
            return
        missing = f"{prefix}lon" if lon is None else f"{prefix}lat"
        raise FieldRuleError(missing, f"{missing} is required when the other coordinate is given")
    if lat is not None and lon is not None and not in_china(lat, lon):
        raise FieldRuleError(f"{prefix}lat", f"({lat}, {lon}) is not inside China")


def require_coordinates(lat: float | None, lon: float | None) -> None:
    """``check_coordinates`` for merged PATCH values, as a problem document naming the field."""
    from service.errors import InvalidInput

    try:
        check_coordinates(lat, lon)
    except FieldRuleError as exc:
        raise InvalidInput.field(exc.field, str(exc)) from None


def present_fields(model: BaseModel) -> dict[str, Any]:
    """The fields a PATCH body actually carried."""
    return model.model_dump(exclude_unset=True)


def patch_changes(model: BaseModel, *, not_null: set[str]) -> dict[str, Any]:
    """Fields a PATCH body carried; ``null`` is refused for fields that cannot be empty."""
    from service.errors import InvalidInput

    changes = model.model_dump(exclude_unset=True)
    for name in sorted(not_null):
        if name in changes and changes[name] is None:
            raise InvalidInput.field(name, "may not be null")
    return changes
