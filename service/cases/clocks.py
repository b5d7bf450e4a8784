"""Promise clocks and three-colour screening, computed from a person's facts: plain Python, no
database, so that the rules are tested on their own and the same code serves the queue, the
person's case page and the figures.

A promise of the policy (``promises:``) applies to every member of its group. Its clock starts on
the day of registration, certification or leaving school (registration when that date is not
known); it is fulfilled by the first recommendation on or after that day, by the "311" service
(a job recommendation, career guidance and skills training all recorded on or after it) or by a
placement. A placement closes every promise: before the deadline it counts as met.

- ``met``: fulfilled (or placed) on or before the deadline.
- ``missed``: fulfilled or placed after the deadline, or the deadline passed with nothing.
- ``running``: nothing yet, deadline today or later.
``open`` says the promise is still owed: not fulfilled, person not placed and still seeking.
Overdue = missed and open; due = running (always open).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from enum import StrEnum

from matching.policy import PriorityPolicy, Promise

# Dates of the promises are days in China Standard Time (UTC+8, no daylight saving).
CHINA = timezone(timedelta(hours=8), "CST")

CAREER_GUIDANCE = "career_guidance"
SKILLS_TRAINING = "skills_training"
JOB_RECOMMENDATION = "job_recommendation"
SERVICE_311_PARTS = (JOB_RECOMMENDATION, CAREER_GUIDANCE, SKILLS_TRAINING)


class PromiseState(StrEnum):
    running = "running"
    met = "met"
    missed = "missed"


class Colour(StrEnum):
    red = "red"
    yellow = "yellow"
    blue = "blue"


def china_date(moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CHINA).date()


def china_today() -> date:
    return datetime.now(CHINA).date()


@dataclass
class PersonFacts:
    """What the clocks need to know of one person."""

    jobseeker_id: str
    registered_on: date
    status: str  # seeking | placed | inactive
    groups: dict[str, date | None]  # group code → certification date
    left_school_on: date | None = None
    recommended_on: list[date] = field(default_factory=list)
    services: dict[str, list[date]] = field(default_factory=dict)  # kind → days delivered
    placed_on: date | None = None
    last_contact_on: date | None = None

    @property
    def placed(self) -> bool:
        return self.status == "placed"


@dataclass(frozen=True)
class PromiseClock:
    code: str
    name: str
    group: str
    clock_starts: str
    started_on: date
    start_assumed: bool  # the start date was not known: registration stands in for it
    deadline: date
    state: PromiseState
    open: bool
    fulfilled_on: date | None
    days_left: int  # negative once overdue


def _start(promise: Promise, facts: PersonFacts) -> tuple[date, bool]:
    if promise.clock_starts == "certified":
        certified = facts.groups.get(promise.group)
        return (certified, False) if certified else (facts.registered_on, True)
    if promise.clock_starts == "left_school":
        left = facts.left_school_on
        return (left, False) if left else (facts.registered_on, True)
    return facts.registered_on, False


def _first_on_or_after(days: Iterable[date], start: date) -> date | None:
    return min((d for d in days if d >= start), default=None)


def _fulfilled_on(promise: Promise, facts: PersonFacts, start: date) -> date | None:
    if promise.fulfilled_by == "recommendation":
        return _first_on_or_after(facts.recommended_on, start)
    if promise.fulfilled_by == "service_311":
        parts = []
        for kind in SERVICE_311_PARTS:
            days = list(facts.services.get(kind, ()))
            if kind == JOB_RECOMMENDATION:
                days += facts.recommended_on
            first = _first_on_or_after(days, start)
            if first is None:
                return None
            parts.append(first)
        return max(parts)
    return None  # placement: see below


def promise_clocks(policy: PriorityPolicy, facts: PersonFacts, today: date) -> list[PromiseClock]:
    """Every promise the person's groups carry, in the order of the policy file."""
    clocks = []
    for promise in policy.promises:
        if promise.group not in facts.groups:
            continue
        start, assumed = _start(promise, facts)
        deadline = start + timedelta(days=promise.deadline_days)
        done = _fulfilled_on(promise, facts, start)
        if facts.placed_on is not None and (done is None or facts.placed_on < done):
            done = facts.placed_on
        if done is None and facts.placed:  # placed, day unknown: closed, judged by today
            done = today
        if done is not None:
            state = PromiseState.met if done <= deadline else PromiseState.missed
        else:
            state = PromiseState.running if today <= deadline else PromiseState.missed
        clocks.append(
            PromiseClock(
                code=promise.code,
                name=promise.name,
                group=promise.group,
                clock_starts=promise.clock_starts,
                started_on=start,
                start_assumed=assumed,
                deadline=deadline,
                state=state,
                open=done is None and facts.status == "seeking",
                fulfilled_on=done,
                days_left=(deadline - today).days,
            )
        )
    return clocks


@dataclass(frozen=True)
class Screening:
    colour: Colour
    reason: str
    follow_up_on: date | None = None


def screen(
    policy: PriorityPolicy, facts: PersonFacts, clocks: Sequence[PromiseClock], today: date
) -> Screening | None:
    """The person's colour, or ``None`` when they are in no screened group."""
    rules = policy.three_colour
    if rules is None or not any(group in facts.groups for group in rules.groups):
        return None
    if facts.placed:
        placed = facts.placed_on or facts.registered_on
        follow_up = placed + timedelta(days=rules.blue.follow_up_days)
        return Screening(Colour.blue, "已就业，按期回访", follow_up)
    if rules.red.promise_overdue and any(c.open and c.state == PromiseState.missed for c in clocks):
        return Screening(Colour.red, "未就业，服务承诺已逾期")
    if rules.red.no_contact_days is not None:
        since = facts.last_contact_on or facts.registered_on
        silent = (today - since).days
        if silent >= rules.red.no_contact_days:
            what = "未联系" if facts.last_contact_on else "登记后未联系"
            return Screening(Colour.red, f"未就业，{silent}天{what}")
    return Screening(Colour.yellow, "未就业，跟踪服务中")


def queue_key(policy: PriorityPolicy, clock: PromiseClock, jobseeker_id: str) -> tuple:
    """Staff queues: nearest deadline first, then the group's rank, then a stable tie-break."""
    return (clock.deadline, _group_rank(policy, clock.group), jobseeker_id, clock.code)


def _group_rank(policy: PriorityPolicy, code: str) -> int:
    try:
        return policy.group_codes.index(code)
    except ValueError:
        return len(policy.group_codes)


def nearest_open_deadline(clocks: Sequence[PromiseClock]) -> date | None:
    return min((c.deadline for c in clocks if c.open), default=None)
