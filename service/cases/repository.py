"""Reads the facts of many people at once (five indexed queries, whatever their number)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.caller import Caller
from service.cases.clocks import PersonFacts, china_date
from service.cases.models import CaseService
from service.jobseekers import repository as jobseekers
from service.jobseekers.models import Jobseeker, JobseekerGroup
from service.recommendations.models import Recommendation, RecommendationEvent


@dataclass
class PersonRow:
    """The columns of a person that cases show, and their facts."""

    id: str
    name: str
    phone: str | None
    adcode: str | None
    station_id: str | None
    status: str
    created_at: datetime
    facts: PersonFacts


@dataclass(frozen=True)
class PeopleFilter:
    """Which people: the caller's scope, narrowed by any of these."""

    station_id: str | None = None
    adcode: str | None = None
    group: str | None = None
    groups_any: tuple[str, ...] = ()  # members of any of these groups
    ids: tuple[str, ...] | None = None
    statuses: tuple[str, ...] = ()


def people_clause(caller: Caller | None, people: PeopleFilter) -> Any:
    """The people of the filter inside the caller's scope (``None``: access already checked)."""
    clauses: list[Any] = [col(Jobseeker.deleted_at).is_(None)]
    scope = jobseekers.scope_clause(caller) if caller is not None else None
    if scope is not None:
        clauses.append(scope)
    if people.station_id:
        clauses.append(col(Jobseeker.station_id) == people.station_id)
    if people.adcode:
        clauses.append(col(Jobseeker.adcode).startswith(people.adcode))
    if people.ids is not None:
        clauses.append(col(Jobseeker.id).in_(list(people.ids)))
    if people.statuses:
        clauses.append(col(Jobseeker.status).in_(list(people.statuses)))
    for codes in ((people.group,) if people.group else (), people.groups_any):
        if codes:
            members = select(JobseekerGroup.jobseeker_id).where(
                col(JobseekerGroup.group_code).in_(list(codes))
            )
            clauses.append(col(Jobseeker.id).in_(members))
    return and_(*clauses)


async def load_people(session: AsyncSession, clause: Any) -> dict[str, PersonRow]:
    """The people the clause selects, with their groups, recommendations, contacts, services
    and placement."""
    rows = (
        await session.exec(
            select(
                Jobseeker.id,
                Jobseeker.name,
                Jobseeker.phone,
                Jobseeker.adcode,
                Jobseeker.station_id,
                Jobseeker.status,
                Jobseeker.created_at,
                Jobseeker.left_school_on,
            ).where(clause)
        )
    ).all()
    people = {
        r[0]: PersonRow(
            id=r[0],
            name=r[1],
            phone=r[2],
            adcode=r[3],
            station_id=r[4],
            status=r[5],
            created_at=r[6],
            facts=PersonFacts(
                jobseeker_id=r[0],
                registered_on=china_date(r[6]),
                status=r[5],
                groups={},
                left_school_on=r[7],
            ),
        )
        for r in rows
    }
    if not people:
        return people
    ids = select(Jobseeker.id).where(clause)
    await _add_groups(session, ids, people)
    await _add_recommendations(session, ids, people)
    await _add_events(session, ids, people)
    await _add_services(session, ids, people)
    for person in people.values():
        person.facts.recommended_on.sort()
    return people


async def _add_groups(session: AsyncSession, ids: Any, people: dict[str, PersonRow]) -> None:
    statement = select(
        JobseekerGroup.jobseeker_id, JobseekerGroup.group_code, JobseekerGroup.certified_at
    ).where(col(JobseekerGroup.jobseeker_id).in_(ids))
    for person_id, code, certified in (await session.exec(statement)).all():
        people[person_id].facts.groups[code] = certified


async def _add_recommendations(
    session: AsyncSession, ids: Any, people: dict[str, PersonRow]
) -> None:
    statement = select(Recommendation.jobseeker_id, Recommendation.created_at).where(
        col(Recommendation.jobseeker_id).in_(ids)
    )
    for person_id, created in (await session.exec(statement)).all():
        people[person_id].facts.recommended_on.append(china_date(created))


async def _add_events(session: AsyncSession, ids: Any, people: dict[str, PersonRow]) -> None:
    # every step after the creation of a case (a change of status, a follow-up note) means
    # someone spoke to the person; a recommendation alone does not
    statement = select(
        RecommendationEvent.jobseeker_id,
        RecommendationEvent.from_status,
        RecommendationEvent.to_status,
        RecommendationEvent.at,
    ).where(
        col(RecommendationEvent.jobseeker_id).in_(ids),
        col(RecommendationEvent.from_status).is_not(None),
    )
    for person_id, from_status, to_status, at in (await session.exec(statement)).all():
        facts = people[person_id].facts
        day = china_date(at)
        _note_contact(facts, day)
        hired = to_status == "hired" and from_status != "hired"
        if hired and (facts.placed_on is None or day < facts.placed_on):
            facts.placed_on = day


async def _add_services(session: AsyncSession, ids: Any, people: dict[str, PersonRow]) -> None:
    statement = select(CaseService.jobseeker_id, CaseService.kind, CaseService.delivered_on).where(
        col(CaseService.jobseeker_id).in_(ids)
    )
    for person_id, kind, delivered in (await session.exec(statement)).all():
        facts = people[person_id].facts
        facts.services.setdefault(kind, []).append(delivered)
        _note_contact(facts, delivered)


def _note_contact(facts: PersonFacts, day: Any) -> None:
    if facts.last_contact_on is None or day > facts.last_contact_on:
        facts.last_contact_on = day


def group_people(people: dict[str, PersonRow], key: Any) -> dict[Any, list[PersonRow]]:
    grouped: dict[Any, list[PersonRow]] = defaultdict(list)
    for person in people.values():
        grouped[key(person)].append(person)
    return grouped
