"""The staff queue (due and overdue promises), a person's case file, services and backgrounds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.policy import PriorityPolicy
from service.caller import Caller
from service.cases.clocks import (
    PromiseClock,
    PromiseState,
    Screening,
    promise_clocks,
    queue_key,
    screen,
)
from service.cases.models import CaseBackground, CaseService
from service.cases.people import case_person
from service.cases.repository import PeopleFilter, PersonRow, load_people, people_clause
from service.cases.schemas import (
    BackgroundPublic,
    BackgroundUpdate,
    PromiseClockPublic,
    ScreeningPublic,
    ServiceCreate,
    ServicePublic,
)
from service.jobseekers.models import Jobseeker
from service.recommendations.schemas import CasePerson
from service.reference.data import ReferenceData


@dataclass(frozen=True)
class Assessed:
    person: PersonRow
    clocks: list[PromiseClock]
    screening: Screening | None


def assess(policy: PriorityPolicy, person: PersonRow, today: date) -> Assessed:
    clocks = promise_clocks(policy, person.facts, today)
    return Assessed(person, clocks, screen(policy, person.facts, clocks, today))


async def assess_people(
    session: AsyncSession,
    ref: ReferenceData,
    caller: Caller,
    people: PeopleFilter,
    today: date,
) -> list[Assessed]:
    rows = await load_people(session, people_clause(caller, people))
    return [assess(ref.policy, person, today) for person in rows.values()]


QueueKind = Literal["due", "overdue"]


async def queue(
    session: AsyncSession,
    ref: ReferenceData,
    caller: Caller,
    *,
    kind: QueueKind,
    people: PeopleFilter,
    today: date,
    within_days: int = 7,
) -> list[tuple[Assessed, PromiseClock]]:
    """Open promises of the people in scope: due within ``within_days`` (running) or overdue
    (missed and still owed), nearest deadline first, then the group's rank."""
    with_promises = tuple(sorted({p.group for p in ref.policy.promises}))
    if not with_promises:
        return []
    narrowed = PeopleFilter(
        station_id=people.station_id,
        adcode=people.adcode,
        group=people.group,
        groups_any=with_promises,
        statuses=("seeking",),
    )
    entries = []
    for assessed in await assess_people(session, ref, caller, narrowed, today):
        for clock in assessed.clocks:
            if not clock.open or (people.group and clock.group != people.group):
                continue
            overdue = clock.state == PromiseState.missed
            due = clock.state == PromiseState.running and clock.days_left <= within_days
            if (kind == "overdue" and overdue) or (kind == "due" and due):
                entries.append((assessed, clock))
    entries.sort(key=lambda e: queue_key(ref.policy, e[1], e[0].person.id))
    return entries


def clock_public(clock: PromiseClock) -> PromiseClockPublic:
    return PromiseClockPublic(
        code=clock.code,
        name=clock.name,
        group=clock.group,
        clock_starts=clock.clock_starts,
        started_on=clock.started_on,
        start_assumed=clock.start_assumed,
        deadline=clock.deadline,
        state=clock.state,
        open=clock.open,
        fulfilled_on=clock.fulfilled_on,
        days_left=clock.days_left,
    )


def screening_public(screening: Screening | None) -> ScreeningPublic | None:
    if screening is None:
        return None
    return ScreeningPublic(
        colour=screening.colour, reason=screening.reason, follow_up_on=screening.follow_up_on
    )


def person_public(caller: Caller, ref: ReferenceData, person: PersonRow) -> CasePerson:
    return case_person(
        caller,
        ref,
        id=person.id,
        name=person.name,
        phone=person.phone,
        adcode=person.adcode,
        station_id=person.station_id,
        status=person.status,
        groups=person.facts.groups,
    )


async def record_service(
    session: AsyncSession, caller: Caller, jobseeker: Jobseeker, data: ServiceCreate, today: date
) -> CaseService:
    row = CaseService(
        jobseeker_id=jobseeker.id,
        kind=data.kind,
        note=data.note,
        actor=caller.actor,
        actor_role=caller.role,
        delivered_on=data.delivered_on or today,
    )
    session.add(row)
    await session.flush()
    return row


async def services_of(session: AsyncSession, jobseeker_id: str) -> list[ServicePublic]:
    rows = (
        await session.exec(
            select(CaseService)
            .where(CaseService.jobseeker_id == jobseeker_id)
            .order_by(col(CaseService.delivered_on), col(CaseService.id))
        )
    ).all()
    return [ServicePublic.model_validate(r, from_attributes=True) for r in rows]


async def set_background(
    session: AsyncSession, jobseeker: Jobseeker, data: BackgroundUpdate
) -> CaseBackground:
    row = await session.get(CaseBackground, jobseeker.id)
    if row is None:
        row = CaseBackground(jobseeker_id=jobseeker.id, former_employer=data.former_employer)
    row.former_employer = data.former_employer
    row.former_employer_credit_code = data.former_employer_credit_code
    row.left_job_on = data.left_job_on
    session.add(row)
    await session.flush()
    return row


async def background_of(session: AsyncSession, jobseeker_id: str) -> BackgroundPublic | None:
    row = await session.get(CaseBackground, jobseeker_id)
    return BackgroundPublic.model_validate(row, from_attributes=True) if row else None
