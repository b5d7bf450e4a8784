"""The planners' figures, each for the caller's scope (staff: their districts and station).

Counting is done in Python over columns read once per figure: a district's people and
postings are tens of thousands of short rows, and the same clock code then serves the queue,
the case page and the figures."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.caller import Caller, Role
from service.cases.clocks import Colour, PromiseState
from service.cases.repository import PeopleFilter, people_clause
from service.cases.service import Assessed, assess_people, person_public
from service.enums import PostingStatus
from service.jobseekers import repository as jobseekers
from service.jobseekers.models import Jobseeker
from service.postings import access as posting_access
from service.postings.models import Posting
from service.recommendations.models import Recommendation
from service.recommendations.schemas import OPEN_STATUSES
from service.reference.data import ReferenceData
from service.stations.models import Station
from service.stats.schemas import (
    ColourCount,
    GroupFigures,
    StationWorkload,
    SupplyDemand,
    SupplyDemandRow,
    ZeroingGroup,
    ZeroingPerson,
)

UNKNOWN = "unknown"


def medium_group(code: str | None) -> str:
    """6-18-02-04 → 6-18 (中类), the level planners read 求人倍率 at."""
    return "-".join(code.split("-")[:2]) if code else UNKNOWN


def _ratio(vacancies: int, people: int) -> float | None:
    return round(vacancies / people, 3) if people else None


async def supply_demand(
    session: AsyncSession, ref: ReferenceData, caller: Caller, by: str, today: date
) -> SupplyDemand:
    postings = select(Posting.occupation_code, Posting.adcode, Posting.headcount).where(
        col(Posting.status) == PostingStatus.open,
        or_(col(Posting.valid_until).is_(None), col(Posting.valid_until) >= today),
    )
    if caller.role != Role.admin:
        postings = postings.where(posting_access.managed_clause(caller))
    people = select(Jobseeker.desired_occupations, Jobseeker.adcode).where(
        people_clause(caller, PeopleFilter(statuses=("seeking",)))
    )
    vacancies: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    seekers: Counter[str] = Counter()
    for code, adcode, headcount in (await session.exec(postings)).all():
        key = medium_group(code) if by == "occupation" else (adcode or UNKNOWN)
        vacancies[key] += headcount or 1
        counts[key] += 1
    total_people = 0
    for wishes, adcode in (await session.exec(people)).all():
        total_people += 1
        keys = {medium_group(c) for c in wishes or []} or {UNKNOWN}
        for key in keys if by == "occupation" else {adcode or UNKNOWN}:
            seekers[key] += 1
    rows = [
        SupplyDemandRow(
            key=key,
            name=_name(ref, by, key),
            vacancies=vacancies[key],
            postings=counts[key],
            jobseekers=seekers[key],
            ratio=_ratio(vacancies[key], seekers[key]),
        )
        for key in sorted(set(vacancies) | set(seekers))
    ]
    total = sum(vacancies.values())
    return SupplyDemand(
        by=by,
        rows=rows,
        vacancies=total,
        jobseekers=total_people,
        ratio=_ratio(total, total_people),
    )


def _name(ref: ReferenceData, by: str, key: str) -> str | None:
    if key == UNKNOWN:
        return "未知"
    if by == "occupation":
        occupation = ref.taxonomy.get(f"{key}-00-00")
        return occupation.name if occupation else None
    region = ref.regions.get(key)
    return region.name if region else None


async def _assessed_members(
    session: AsyncSession, ref: ReferenceData, caller: Caller, groups: Iterable[str], today: date
) -> list[Assessed]:
    people = PeopleFilter(groups_any=tuple(groups))
    return await assess_people(session, ref, caller, people, today)


async def priority_groups(
    session: AsyncSession, ref: ReferenceData, caller: Caller, today: date
) -> list[GroupFigures]:
    assessed = await _assessed_members(session, ref, caller, ref.policy.group_codes, today)
    figures = []
    for group in ref.policy.ordered_groups:
        members = [a for a in assessed if group.code in a.person.facts.groups]
        clocks = [c for a in members for c in a.clocks if c.group == group.code]
        waits = [
            (a.person.facts.recommended_on[0] - a.person.facts.registered_on).days
            for a in members
            if a.person.facts.recommended_on
        ]
        figures.append(
            GroupFigures(
                group=group.code,
                name=group.name,
                registered=len(members),
                seeking=sum(1 for a in members if a.person.status == "seeking"),
                placed=sum(1 for a in members if a.person.status == "placed"),
                recommended=len(waits),
                median_days_to_first_recommendation=statistics.median(waits) if waits else None,
                promises_met=sum(1 for c in clocks if c.state == PromiseState.met),
                promises_missed=sum(1 for c in clocks if c.state == PromiseState.missed),
                promises_running=sum(1 for c in clocks if c.state == PromiseState.running),
                promises_overdue=sum(
                    1 for c in clocks if c.state == PromiseState.missed and c.open
                ),
            )
        )
    return figures


async def zeroing(
    session: AsyncSession, ref: ReferenceData, caller: Caller, today: date
) -> tuple[list[ZeroingGroup], list[ZeroingPerson]]:
    """动态清零: members of the policy's zeroing groups still without work, longest first."""
    codes = ref.policy.zeroing
    if not codes:
        return [], []
    assessed = await _assessed_members(session, ref, caller, codes, today)
    groups = []
    for code in codes:
        members = [a for a in assessed if code in a.person.facts.groups]
        groups.append(
            ZeroingGroup(
                group=code,
                name=ref.policy.group(code).name,
                open=sum(1 for a in members if a.person.status == "seeking"),
                placed=sum(1 for a in members if a.person.status == "placed"),
            )
        )
    people = [
        ZeroingPerson(
            jobseeker=person_public(caller, ref, a.person),
            groups=sorted(g for g in a.person.facts.groups if g in codes),
            registered_on=a.person.facts.registered_on,
            days_open=(today - a.person.facts.registered_on).days,
            recommendations=len(a.person.facts.recommended_on),
            last_contact_on=a.person.facts.last_contact_on,
            colour=a.screening.colour if a.screening else None,
        )
        for a in assessed
        if a.person.status == "seeking"
    ]
    people.sort(key=lambda p: (-p.days_open, p.jobseeker.id))
    return groups, people


async def station_workload(
    session: AsyncSession, ref: ReferenceData, caller: Caller, today: date
) -> list[StationWorkload]:
    """Per registering station: people, cases and their results, promises, colours."""
    everyone = await assess_people(session, ref, caller, PeopleFilter(), today)
    by_station: dict[str | None, list[Assessed]] = defaultdict(list)
    for a in everyone:
        by_station[a.person.station_id].append(a)
    cases = await _case_counts(session, caller)
    names = await _station_names(session, [s for s in by_station if s])
    rows = []
    for station_id, members in by_station.items():
        clocks = [c for a in members for c in a.clocks if c.open]
        colours = Counter(a.screening.colour for a in members if a.screening)
        case = cases.get(station_id, Counter())
        rows.append(
            StationWorkload(
                station_id=station_id,
                name=names.get(station_id) if station_id else "未经服务站登记",
                people=len(members),
                seeking=sum(1 for a in members if a.person.status == "seeking"),
                placed=sum(1 for a in members if a.person.status == "placed"),
                recommendations=sum(case.values()),
                open_cases=sum(case[s] for s in OPEN_STATUSES),
                hired=case["hired"],
                due_7_days=sum(
                    1 for c in clocks if c.state == PromiseState.running and c.days_left <= 7
                ),
                overdue=sum(1 for c in clocks if c.state == PromiseState.missed),
                red=colours[Colour.red],
                yellow=colours[Colour.yellow],
                blue=colours[Colour.blue],
            )
        )
    rows.sort(key=lambda r: (r.station_id is None, -r.people, r.station_id or ""))
    return rows


async def _case_counts(session: AsyncSession, caller: Caller) -> dict[str | None, Counter[str]]:
    statement = (
        select(Jobseeker.station_id, Recommendation.status, func.count())
        .join(Jobseeker, col(Jobseeker.id) == col(Recommendation.jobseeker_id))
        .where(col(Jobseeker.deleted_at).is_(None))
        .group_by(col(Jobseeker.station_id), col(Recommendation.status))
    )
    scope = jobseekers.scope_clause(caller)
    if scope is not None:
        statement = statement.where(scope)
    counts: dict[str | None, Counter[str]] = defaultdict(Counter)
    for station_id, status, n in (await session.exec(statement)).all():
        counts[station_id][status] += n
    return counts


async def _station_names(session: AsyncSession, ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    statement = select(Station.id, Station.name).where(col(Station.id).in_(ids))
    return dict((await session.exec(statement)).all())


async def screening_counts(
    session: AsyncSession, ref: ReferenceData, caller: Caller, by: str, today: date
) -> list[ColourCount]:
    """红黄蓝 counts of the screened groups by district or by registering station."""
    rules = ref.policy.three_colour
    if rules is None:
        return []
    assessed = await _assessed_members(session, ref, caller, rules.groups, today)
    counts: dict[str | None, Counter[str]] = defaultdict(Counter)
    for a in assessed:
        if a.screening is not None:
            key = a.person.adcode if by == "district" else a.person.station_id
            counts[key][a.screening.colour] += 1
    names: dict[Any, str | None]
    if by == "station":
        names = dict(await _station_names(session, [k for k in counts if k]))
    else:
        names = {k: _name(ref, "district", k) for k in counts if k}
    return [
        ColourCount(
            key=key,
            name=names.get(key),
            red=count[Colour.red],
            yellow=count[Colour.yellow],
            blue=count[Colour.blue],
        )
        for key, count in sorted(counts.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
    ]
