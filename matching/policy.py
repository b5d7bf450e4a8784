"""The priority policy: priority groups, service promises, reserved posts, zeroing targets.

Cities edit ``policy/priority_policy.yaml``; nothing here hard-codes a group. The models are
strict (unknown keys are errors) so that a typo in the file fails at start-up with a message that
names the entry, instead of silently switching a rule off.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

DEFAULT_POLICY_PATH = Path(__file__).resolve().parent.parent / "policy" / "priority_policy.yaml"

ClockStart = Literal["registered", "certified", "left_school"]
Fulfilment = Literal["recommendation", "service_311", "placement"]
TravelMode = Literal["walk", "bike", "ebike", "transit", "drive"]


def _number_to_str(value: Any) -> Any:
    # YAML reads an unquoted 101 or 2025.1 as a number; codes and versions are text.
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


GroupCode = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Code = Annotated[
    str, BeforeValidator(_number_to_str), Field(pattern=r"^[A-Za-z0-9_]+$", max_length=64)
]
Version = Annotated[str, BeforeValidator(_number_to_str), Field(min_length=1, max_length=64)]
Text = Annotated[str, Field(min_length=1, max_length=500)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class PriorityGroup(_Model):
    """A priority group (重点群体). ``order`` ranks groups in queues and among equal candidates."""

    code: GroupCode
    name: Text
    description: str = ""
    order: int = Field(ge=0)


class Promise(_Model):
    """A service promise: something must happen within ``deadline_days`` of a start event."""

    code: Code
    group: GroupCode
    name: Text
    clock_starts: ClockStart
    deadline_days: int = Field(ge=1, le=3650)
    fulfilled_by: Fulfilment


class PostSelector(_Model):
    """Which postings a reservation covers; every field that is given must match."""

    employment_type: str | None = None
    event_kind: str | None = None
    event_target_group: GroupCode | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> PostSelector:
        if (self.employment_type, self.event_kind, self.event_target_group) == (None, None, None):
            raise ValueError("give at least one of employment_type, event_kind, event_target_group")
        return self

    def matches(
        self,
        *,
        employment_type: str | None = None,
        event_kind: str | None = None,
        event_target_groups: Iterable[str] = (),
    ) -> bool:
        if self.employment_type is not None and self.employment_type != employment_type:
            return False
        if self.event_kind is not None and self.event_kind != event_kind:
            return False
        return self.event_target_group is None or self.event_target_group in event_target_groups


class ReservedPostRule(_Model):
    """Postings that match ``when`` are offered only to members of ``groups``."""

    code: Code
    name: Text
    description: str = ""
    when: PostSelector
    groups: tuple[GroupCode, ...] = Field(min_length=1)


class TravelDefaults(_Model):
    """The service circle: reachable within ``max_minutes`` by ``mode``."""

    mode: TravelMode = "walk"
    max_minutes: int = Field(default=15, ge=1, le=240)


StationKindCode = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=32)]


class CircleTier(_Model):
    """One circle of a tiered plan (湖南: 10-minute service, 20-minute employment, 30-minute
    training), reported beside the others. ``mode`` defaults to ``travel_defaults.mode``; empty
    ``kinds`` count stations of every kind."""

    code: Code
    name: Text
    minutes: int = Field(ge=1, le=240)
    mode: TravelMode | None = None
    kinds: tuple[StationKindCode, ...] = ()


class RedRule(_Model):
    """红色 (urgent): without work, and a promise overdue or no contact for ``no_contact_days``."""

    promise_overdue: bool = True
    no_contact_days: int | None = Field(default=30, ge=1, le=3650)


class BlueRule(_Model):
    """蓝色: placed; a follow-up visit is due ``follow_up_days`` after the placement."""

    follow_up_days: int = Field(default=30, ge=1, le=3650)


class ThreeColourScreening(_Model):
    """红黄蓝三色预警: members of ``groups`` are red, yellow (without work, not red) or blue."""

    groups: tuple[GroupCode, ...] = Field(min_length=1)
    red: RedRule = RedRule()
    blue: BlueRule = BlueRule()


class RegistrationJump(_Model):
    """Registrations in the last ``window_days`` against the average of the windows before."""

    window_days: int = Field(default=7, ge=1, le=90)
    baseline_windows: int = Field(default=4, ge=1, le=52)
    ratio: float = Field(default=2.0, gt=1)
    min_count: int = Field(default=10, ge=1)


class SupplyDemandBand(_Model):
    """求人倍率 (vacancies per jobseeker) outside [low, high] for an occupation group."""

    low: float = Field(default=0.5, ge=0)
    high: float = Field(default=3.0, gt=0)
    min_people: int = Field(default=5, ge=1, description="ignore groups smaller than this")


class AlertRules(_Model):
    district_registrations: RegistrationJump = RegistrationJump()
    former_employer_registrations: RegistrationJump = RegistrationJump(min_count=5)
    supply_demand: SupplyDemandBand = SupplyDemandBand()


class PriorityPolicy(_Model):
    version: Version
    groups: tuple[PriorityGroup, ...] = Field(min_length=1)
    promises: tuple[Promise, ...] = ()
    reserved_posts: tuple[ReservedPostRule, ...] = ()
    zeroing: tuple[GroupCode, ...] = ()
    travel_defaults: TravelDefaults = TravelDefaults()
    equal_conditions_first: tuple[GroupCode, ...] = ()
    circle_tiers: tuple[CircleTier, ...] = ()
    three_colour: ThreeColourScreening | None = None
    alerts: AlertRules = AlertRules()

    @model_validator(mode="after")
    def _check_references(self) -> PriorityPolicy:
        _reject_duplicates("circle_tiers", [tier.code for tier in self.circle_tiers])
        _reject_duplicates("groups", [group.code for group in self.groups])
        _reject_duplicates("promises", [promise.code for promise in self.promises])
        _reject_duplicates("reserved_posts", [rule.code for rule in self.reserved_posts])
        known = {group.code for group in self.groups}
        for index, promise in enumerate(self.promises):
            _require_known(f"promises[{index}] ({promise.code})", [promise.group], known)
        for index, rule in enumerate(self.reserved_posts):
            where = f"reserved_posts[{index}] ({rule.code})"
            target = [rule.when.event_target_group] if rule.when.event_target_group else []
            _require_known(where, [*rule.groups, *target], known)
        _require_known("zeroing", self.zeroing, known)
        _require_known("equal_conditions_first", self.equal_conditions_first, known)
        if self.three_colour is not None:
            _require_known("three_colour.groups", self.three_colour.groups, known)
        return self

    def group(self, code: str) -> PriorityGroup:
        """The group with this code; ``KeyError`` if the policy has none."""
        for group in self.groups:
            if group.code == code:
                return group
        raise KeyError(f"unknown priority group {code!r}")

    def tier_mode(self, tier: CircleTier) -> str:
        """The tier's travel mode, or the policy's default one."""
        return tier.mode or self.travel_defaults.mode

    def has_group(self, code: str) -> bool:
        return any(group.code == code for group in self.groups)

    @property
    def ordered_groups(self) -> tuple[PriorityGroup, ...]:
        """Groups by rank (``order``, then their position in the file)."""
        return tuple(sorted(self.groups, key=lambda group: group.order))

    @property
    def group_codes(self) -> tuple[str, ...]:
        """Group codes by rank."""
        return tuple(group.code for group in self.ordered_groups)

    def promises_for(self, group: str) -> tuple[Promise, ...]:
        return tuple(promise for promise in self.promises if promise.group == group)

    def reserved_for(
        self,
        *,
        employment_type: str | None = None,
        event_kind: str | None = None,
        event_target_groups: Iterable[str] = (),
    ) -> frozenset[str] | None:
        """Groups a posting is reserved for, or ``None`` when it is open to everyone.

        When several rules match, members of any of their groups may see the posting.
        """
        targets = tuple(event_target_groups)
        matched = [
            rule
            for rule in self.reserved_posts
            if rule.when.matches(
                employment_type=employment_type,
                event_kind=event_kind,
                event_target_groups=targets,
            )
        ]
        if not matched:
            return None
        return frozenset(code for rule in matched for code in rule.groups)


def _reject_duplicates(section: str, codes: list[str]) -> None:
    repeated = sorted(code for code, count in Counter(codes).items() if count > 1)
    if repeated:
        raise ValueError(f"{section}: duplicate code {', '.join(repeated)}")


def _require_known(where: str, codes: Iterable[str], known: set[str]) -> None:
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValueError(f"{where}: unknown group {', '.join(unknown)}")


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        where = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in item["loc"]
        )
        where = where.removeprefix(".")
        message = item["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {message}" if where else message)
    return "; ".join(lines)


def parse_policy(data: Any, *, source: str = "policy") -> PriorityPolicy:
    """Validate an already parsed document; errors become one ``ValueError`` naming entries."""
    if not isinstance(data, dict):
        raise ValueError(f"{source}: expected a mapping at the top level")
    try:
        return PriorityPolicy.model_validate(data)
    except ValidationError as error:
        raise ValueError(f"{source}: {_describe(error)}") from None


def load_policy(path: str | Path) -> PriorityPolicy:
    """Read and validate a policy file. Raises ``ValueError`` naming the faulty entries."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ValueError(f"{path}: not valid YAML: {error}") from None
    return parse_policy(data, source=str(path))


@lru_cache(maxsize=1)
def load_default_policy() -> PriorityPolicy:
    """The repository's policy file, read once."""
    return load_policy(DEFAULT_POLICY_PATH)
