"""Database rows → the matching library's documents (the one place that knows both)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date

import numpy as np
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.documents import GroupMembership, JobseekerDoc, PostingDoc
from matching.policy import PriorityPolicy
from matching.priority import reserved_groups
from service.employers.models import Employer
from service.events.models import Event, EventPosting
from service.jobseekers.models import Jobseeker
from service.postings.models import Posting

Tokenize = Callable[[str], Iterable[str]]


EventLinks = dict[str, list[tuple[str, str, list[str]]]]  # posting → [(event id, kind, groups)]


async def _posting_context(
    session: AsyncSession, postings: Sequence[Posting]
) -> tuple[dict[str, str], EventLinks]:
    """Employer credit per employer; linked events (id, kind, target groups) per posting."""
    employer_ids = list({p.employer_id for p in postings})
    credit: dict[str, str] = {}
    if employer_ids:
        rows = await session.exec(
            select(Employer.id, Employer.credit_status).where(col(Employer.id).in_(employer_ids))
        )
        credit = dict(rows.all())
    events: EventLinks = defaultdict(list)
    posting_ids = [p.id for p in postings]
    if posting_ids:
        rows = await session.exec(
            select(EventPosting.posting_id, Event.id, Event.kind, Event.target_groups)
            .join(Event, col(Event.id) == col(EventPosting.event_id))
            .where(col(EventPosting.posting_id).in_(posting_ids))
        )
        for posting_id, event_id, kind, groups in rows.all():
            events[posting_id].append((event_id, kind, list(groups or [])))
    return credit, events


async def posting_docs(
    session: AsyncSession,
    postings: Sequence[Posting],
    vectors: dict[str, np.ndarray],
    tokenize: Tokenize,
    policy: PriorityPolicy,
) -> list[PostingDoc]:
    credit, events = await _posting_context(session, postings)
    return make_posting_docs(postings, vectors, tokenize, policy, credit, events)


def make_posting_docs(
    postings: Sequence[Posting],
    vectors: dict[str, np.ndarray],
    tokenize: Tokenize,
    policy: PriorityPolicy,
    credit: dict[str, str],
    events: EventLinks,
    named: dict[str, list[str]] | None = None,
) -> list[PostingDoc]:
    """Documents from rows and their context (employer credit, linked events) read already.

    ``named`` gives the groups named on each posting when the rows are plain column rows
    (an index build); otherwise each row's ``reserved_for`` is read."""
    docs = []
    for p in postings:
        linked = events.get(p.id, [])
        # the effective reservation: named on the posting, or by a policy rule (公益性岗位,
        # a veteran-only fair it is offered at)
        reserved = reserved_groups(
            policy,
            employment_type=p.employment_type,
            explicit=p.reserved_for if named is None else sorted(named.get(p.id, ())),
            events=[(kind, groups) for _, kind, groups in linked],
        )
        requirements = p.requirements or {}
        skills = tuple(requirements.get("skills") or ())
        docs.append(
            PostingDoc(
                id=p.id,
                employer_id=p.employer_id,
                title=p.title,
                occupation_code=p.occupation_code,
                employment_type=p.employment_type,
                status=p.status,
                valid_until=p.valid_until,
                starts_at=p.starts_at,
                ends_at=p.ends_at,
                salary_min=p.salary_min,
                salary_max=p.salary_max,
                salary_unit=p.salary_unit,  # type: ignore[arg-type]
                adcode=p.adcode,
                lat=p.lat,
                lon=p.lon,
                location_precision=p.location_precision,  # type: ignore[arg-type]
                station_id=p.station_id,
                reserved_for=reserved,
                event_ids=tuple(event_id for event_id, _, _ in linked),
                event_target_groups=tuple(sorted({g for _, _, gs in linked for g in gs})),
                employer_credit=credit.get(p.employer_id, "normal"),  # type: ignore[arg-type]
                skills=skills,
                certificates=tuple(requirements.get("certificates") or ()),
                education=requirements.get("education"),
                experience_years=requirements.get("experience_years"),
                created_at=p.created_at,
                tokens=tuple(tokenize(" ".join([p.title, *skills]))),
                vector=vectors.get(p.id),
            )
        )
    return docs


def _date(value: object) -> date | None:
    """A date kept in a JSON column comes back as its ISO text."""
    if isinstance(value, date) or value is None:
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def jobseeker_doc(
    person: Jobseeker,
    vector: np.ndarray | None,
    tokenize: Tokenize,
    groups: Sequence[GroupMembership] | None = None,
) -> JobseekerDoc:
    """``groups`` are given when ``person`` is a plain column row (an index build)."""
    if groups is None:
        groups = [GroupMembership(g.group_code, g.certified_at) for g in person.groups]
    availability = person.availability or {}
    return JobseekerDoc(
        id=person.id,
        desired_occupations=tuple(person.desired_occupations),
        desired_titles=tuple(person.desired_titles),
        skills=tuple(person.skills),
        certificates=tuple(person.certificates),
        education=person.education,
        experience_years=person.experience_years,
        employment_types=tuple(person.employment_types),
        salary_expectation=person.salary_expectation,
        salary_expectation_unit=person.salary_expectation_unit,  # type: ignore[arg-type]
        adcode=person.adcode,
        lat=person.home_lat,
        lon=person.home_lon,
        location_precision=person.location_precision,  # type: ignore[arg-type]
        travel_mode=person.travel_mode,
        travel_max_minutes=person.travel_max_minutes,
        groups=tuple(groups),
        not_choosy=person.not_choosy,
        consent_show_to_employers=person.consent_show_to_employers,
        status=person.status,
        available_from=_date(availability.get("available_from")),
        available_weekdays=tuple(availability.get("weekdays") or ()),
        available_day_parts=tuple(availability.get("day_parts") or ()),
        registered_at=person.created_at,
        tokens=tuple(tokenize(" ".join([*person.desired_titles, *person.skills]))),
        vector=vector,
    )
