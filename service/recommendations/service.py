"""Recommendations as cases: creation, the status machine with its history, who sees what.

- Staff in the person's scope and admins create cases and move them through every step.
- An employer moves the cases of its own postings to interviewed, hired or rejected.
- The person moves their own cases to declined.
- Anyone who may act on a case may add a follow-up note.
A hire marks the person placed, which closes their open promises (``service.cases.clocks``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import false
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching import priority
from service.auth.errors import Forbidden
from service.caller import Caller, Role
from service.cases.people import case_person
from service.employers.models import Employer
from service.enums import PostingStatus
from service.errors import Conflict, FieldError, InvalidInput
from service.events.models import Event, EventPosting
from service.jobseekers import repository as jobseekers_repository
from service.jobseekers import service as jobseekers
from service.jobseekers.models import Jobseeker
from service.pagination import PageParams, apply_cursor, split_page
from service.persistence import fetch
from service.postings.models import Posting
from service.recommendations.models import Recommendation, RecommendationEvent
from service.recommendations.schemas import (
    TRANSITIONS,
    CasePosting,
    CaseStep,
    RecommendationCreate,
    RecommendationPublic,
    RecommendationUpdate,
)
from service.reference.data import ReferenceData
from service.sqltypes import utcnow

EMPLOYER_STEPS = frozenset({"interviewed", "hired", "rejected"})
JOBSEEKER_STEPS = frozenset({"declined"})


async def reserved_groups(
    session: AsyncSession, ref: ReferenceData, posting: Posting
) -> frozenset[str]:
    """The groups the posting is reserved for, as the index has them: named on the posting,
    or by a policy rule on its employment type (公益性岗位) or on an event it is offered at
    (a veterans' special recruitment)."""
    rows = await session.exec(
        select(Event.kind, Event.target_groups)
        .join(EventPosting, col(EventPosting.event_id) == col(Event.id))
        .where(col(EventPosting.posting_id) == posting.id)
    )
    events = [(kind, list(groups or [])) for kind, groups in rows.all()]
    return frozenset(
        priority.reserved_groups(
            ref.policy,
            employment_type=posting.employment_type,
            explicit=posting.reserved_for,
            events=events,
        )
    )


def _event(
    rec: Recommendation, caller: Caller, from_status: str | None, note: str | None
) -> RecommendationEvent:
    return RecommendationEvent(
        recommendation_id=rec.id,
        jobseeker_id=rec.jobseeker_id,
        from_status=from_status,
        to_status=rec.status,
        note=note,
        actor=caller.actor,
        actor_role=caller.role,
    )


async def pair_exists(session: AsyncSession, jobseeker_id: str, posting_id: str) -> bool:
    statement = select(Recommendation.id).where(
        Recommendation.jobseeker_id == jobseeker_id, Recommendation.posting_id == posting_id
    )
    return (await session.exec(statement)).first() is not None


async def create(
    session: AsyncSession, ref: ReferenceData, caller: Caller, data: RecommendationCreate
) -> Recommendation:
    """A case made by hand: the person must be in the caller's scope, the posting open and
    offered to them (a reserved post only to its groups), the pair new."""
    person = await fetch(
        session, Jobseeker, data.jobseeker_id, what="jobseeker", field="jobseeker_id"
    )
    if person.deleted_at is not None:
        raise InvalidInput.field("jobseeker_id", f"jobseeker {person.id} does not exist")
    jobseekers.require_access(caller, person)
    posting = await fetch(session, Posting, data.posting_id, what="posting", field="posting_id")
    if posting.status != PostingStatus.open:
        raise InvalidInput.field("posting_id", f"posting {posting.id} is not open")
    reserved = await reserved_groups(session, ref, posting)
    if reserved and reserved.isdisjoint(g.group_code for g in person.groups):
        names = "、".join(ref.policy.group(code).name for code in sorted(reserved))
        raise InvalidInput.field("posting_id", f"this post is reserved for {names}")
    if await pair_exists(session, person.id, posting.id):
        raise _already_recommended()
    rec = Recommendation(
        jobseeker_id=person.id, posting_id=posting.id, note=data.note, created_by=caller.actor
    )
    session.add(rec)
    session.add(_event(rec, caller, None, data.note))
    try:
        await session.flush()
    except IntegrityError:  # the same pair, recommended at the same moment by someone else
        raise _already_recommended() from None
    return rec


def _already_recommended() -> Conflict:
    return Conflict(
        "this posting has already been recommended to this person",
        errors=[FieldError(field="posting_id", message="already recommended", location="body")],
    )


def record_created(session: AsyncSession, rec: Recommendation, caller: Caller) -> None:
    """The history's first step for a case made elsewhere (a match run)."""
    session.add(_event(rec, caller, None, rec.note))


async def get_or_404(session: AsyncSession, recommendation_id: str) -> Recommendation:
    return await fetch(session, Recommendation, recommendation_id, what="recommendation")


@dataclass(frozen=True)
class Parties:
    person: Jobseeker
    posting: Posting


async def parties(session: AsyncSession, rec: Recommendation) -> Parties:
    person = await session.get(Jobseeker, rec.jobseeker_id)
    posting = await session.get(Posting, rec.posting_id)
    assert person is not None and posting is not None  # foreign keys, cascading deletes
    return Parties(person, posting)


def _may_see(caller: Caller, who: Parties) -> bool:
    if caller.role == Role.jobseeker:
        return caller.jobseeker_id == who.person.id and who.person.deleted_at is None
    if caller.role == Role.employer:
        return caller.employer_id == who.posting.employer_id
    return caller.in_scope(adcode=who.person.adcode, station_id=who.person.station_id)


def require_see(caller: Caller, who: Parties) -> None:
    if not _may_see(caller, who):
        raise Forbidden("this case belongs to a person or posting outside your scope")


def _refuse_step(current: str, wanted: str, why: str) -> Conflict:
    return Conflict(
        f"cannot move a case from {current} to {wanted}: {why}",
        errors=[FieldError(field="status", message=why, location="body")],
    )


def _check_step(caller: Caller, rec: Recommendation, wanted: str) -> None:
    allowed = TRANSITIONS[rec.status]
    if wanted not in allowed:
        why = (
            f"{rec.status} is final"
            if not allowed
            else f"from {rec.status} a case goes to {', '.join(sorted(allowed))}"
        )
        raise _refuse_step(rec.status, wanted, why)
    if caller.role == Role.employer and wanted not in EMPLOYER_STEPS:
        raise Forbidden("an employer records interviews, hires and rejections")
    if caller.role == Role.jobseeker and wanted not in JOBSEEKER_STEPS:
        raise Forbidden("a person may decline a recommendation; staff record the other steps")


async def update(
    session: AsyncSession, caller: Caller, rec: Recommendation, data: RecommendationUpdate
) -> Recommendation:
    """Move a case on and/or note a follow-up; each call is one step of the history."""
    who = await parties(session, rec)
    require_see(caller, who)
    before = rec.status
    if data.status is not None:
        _check_step(caller, rec, data.status)
        rec.status = data.status
        if rec.status == "hired" and who.person.status != "placed":
            who.person.status = "placed"
            who.person.updated_at = utcnow()
            session.add(who.person)
    rec.updated_at = utcnow()
    session.add(rec)
    session.add(_event(rec, caller, before, data.note))
    await session.flush()
    return rec


# --- lists and the public face ----------------------------------------------------------


def scope_clause(caller: Caller) -> Any:
    """The cases a caller may list, as a WHERE clause."""
    if caller.role == Role.admin:
        return None
    if caller.role == Role.jobseeker:
        if not caller.jobseeker_id:
            return false()
        return col(Recommendation.jobseeker_id) == caller.jobseeker_id
    if caller.role == Role.employer:
        if not caller.employer_id:
            return false()
        own = select(Posting.id).where(Posting.employer_id == caller.employer_id)
        return col(Recommendation.posting_id).in_(own)
    people = select(Jobseeker.id).where(jobseekers_repository.scope_clause(caller))
    return col(Recommendation.jobseeker_id).in_(people)


@dataclass(frozen=True)
class RecommendationFilters:
    jobseeker_id: str | None = None
    posting_id: str | None = None
    status: str | None = None
    match_run_id: str | None = None


async def list_page(
    session: AsyncSession, caller: Caller, params: PageParams, filters: RecommendationFilters
) -> tuple[list[Recommendation], str | None]:
    statement = select(Recommendation)
    scope = scope_clause(caller)
    if scope is not None:
        statement = statement.where(scope)
    for name in ("jobseeker_id", "posting_id", "status", "match_run_id"):
        value = getattr(filters, name)
        if value:
            statement = statement.where(getattr(Recommendation, name) == value)
    rows = (await session.exec(apply_cursor(statement, col(Recommendation.id), params))).all()
    return split_page(rows, params, key=lambda r: r.id)


async def of_person(session: AsyncSession, jobseeker_id: str) -> list[Recommendation]:
    """All of a person's cases, newest first."""
    statement = (
        select(Recommendation)
        .where(Recommendation.jobseeker_id == jobseeker_id)
        .order_by(col(Recommendation.id).desc())
    )
    return list((await session.exec(statement)).all())


async def to_public(
    session: AsyncSession, ref: ReferenceData, caller: Caller, recs: Sequence[Recommendation]
) -> list[RecommendationPublic]:
    if not recs:
        return []
    person_ids = list({r.jobseeker_id for r in recs})
    posting_ids = list({r.posting_id for r in recs})
    people = {
        p.id: p
        for p in (await session.exec(select(Jobseeker).where(col(Jobseeker.id).in_(person_ids))))
    }
    postings = {
        p.id: p
        for p in (await session.exec(select(Posting).where(col(Posting.id).in_(posting_ids))))
    }
    employer_ids = list({p.employer_id for p in postings.values()})
    employers = dict(
        (
            await session.exec(
                select(Employer.id, Employer.name).where(col(Employer.id).in_(employer_ids))
            )
        ).all()
    )
    events = (
        await session.exec(
            select(RecommendationEvent)
            .where(col(RecommendationEvent.recommendation_id).in_([r.id for r in recs]))
            .order_by(col(RecommendationEvent.at), col(RecommendationEvent.id))
        )
    ).all()
    history: dict[str, list[RecommendationEvent]] = {}
    for event in events:
        history.setdefault(event.recommendation_id, []).append(event)
    return [
        _public(ref, caller, r, people[r.jobseeker_id], postings[r.posting_id], employers, history)
        for r in recs
    ]


def _public(
    ref: ReferenceData,
    caller: Caller,
    rec: Recommendation,
    person: Jobseeker,
    posting: Posting,
    employers: dict[str, str],
    history: dict[str, list[RecommendationEvent]],
) -> RecommendationPublic:
    who = case_person(
        caller,
        ref,
        id=person.id,
        name=person.name,
        phone=person.phone,
        adcode=person.adcode,
        station_id=person.station_id,
        status=person.status,
        groups=[g.group_code for g in person.groups],
        shown_to_employers=person.consent_show_to_employers,
    )
    # staff notes may speak of the person's situation: an employer sees only its own notes
    private = caller.role == Role.employer

    def note_of(event: RecommendationEvent) -> str | None:
        return event.note if not private or event.actor == caller.actor else None

    steps = [
        CaseStep(
            at=e.at,
            actor=e.actor,
            actor_role=e.actor_role,
            from_status=e.from_status,
            to_status=e.to_status,
            note=note_of(e),
        )
        for e in history.get(rec.id, [])
    ]
    return RecommendationPublic(
        id=rec.id,
        status=rec.status,
        jobseeker=who,
        posting=CasePosting(
            id=posting.id,
            title=posting.title,
            employer_id=posting.employer_id,
            employer_name=employers.get(posting.employer_id),
            occupation_code=posting.occupation_code,
            employment_type=posting.employment_type,
            adcode=posting.adcode,
            status=posting.status,
        ),
        score=rec.score,
        reasons=rec.reasons,
        note=None if private else rec.note,
        created_by=rec.created_by,
        match_run_id=rec.match_run_id,
        created_at=rec.created_at,
        updated_at=rec.updated_at,
        history=steps,
    )
