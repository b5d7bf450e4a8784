"""/cases: the staff queue of promises, a person's case file, services and former employer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status

from service.audit import service as audit
from service.auth.permissions import JobseekerStaffAdmin, StaffOrAdmin
from service.caller import Caller
from service.cases import service
from service.cases.clocks import china_today
from service.cases.repository import PeopleFilter, load_people, people_clause
from service.cases.schemas import (
    BackgroundPublic,
    BackgroundUpdate,
    CaseFile,
    Queue,
    QueueItem,
    ServiceCreate,
    ServicePublic,
)
from service.constants import API_PREFIX
from service.db import SessionDep
from service.errors import InvalidInput, problem_responses
from service.jobseekers import service as jobseekers
from service.pagination import decode_cursor, encode_cursor
from service.recommendations import service as recommendations
from service.reference.data import ReferenceData, ReferenceDep

router = APIRouter(prefix=f"{API_PREFIX}/cases", tags=["cases"])

Limit = Annotated[int, Query(ge=1, le=100, description="Page size (max 100).")]


def queue_filters(
    station_id: Annotated[str | None, Query(max_length=32)] = None,
    adcode: Annotated[str | None, Query(pattern=r"^\d{2,6}$", description="Adcode prefix")] = None,
    group: Annotated[str | None, Query(max_length=40, examples=["zero_employment_household"])] = (
        None
    ),
) -> PeopleFilter:
    return PeopleFilter(station_id=station_id, adcode=adcode, group=group)


QueueFilters = Annotated[PeopleFilter, Depends(queue_filters)]


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    value = decode_cursor(cursor)
    if not value.startswith("o") or not value[1:].isdigit():
        raise InvalidInput.field("cursor", "not a cursor returned by this queue", "query")
    return int(value[1:])


async def _queue_page(
    request: Request,
    session: SessionDep,
    ref: ReferenceData,
    caller: Caller,
    *,
    kind: service.QueueKind,
    people: PeopleFilter,
    within_days: int,
    limit: int,
    cursor: str | None,
) -> Queue:
    if people.group and not ref.policy.has_group(people.group):
        raise InvalidInput.field("group", f"unknown priority group {people.group}", "query")
    offset = _offset(cursor)
    entries = await service.queue(
        session,
        ref,
        caller,
        kind=kind,
        people=people,
        today=china_today(),
        within_days=within_days,
    )
    page = entries[offset : offset + limit]
    audit.record_access(
        session,
        caller,
        action="list_records",
        entity="jobseeker",
        entity_ids=list(dict.fromkeys(a.person.id for a, _ in page)),
        route=request.url.path,
    )
    items = [
        QueueItem(
            jobseeker=service.person_public(caller, ref, assessed.person),
            promise=service.clock_public(clock),
            screening=service.screening_public(assessed.screening),
            last_contact_on=assessed.person.facts.last_contact_on,
            recommendations=len(assessed.person.facts.recommended_on),
        )
        for assessed, clock in page
    ]
    more = offset + limit < len(entries)
    return Queue(
        items=items,
        total=len(entries),
        next_cursor=encode_cursor(f"o{offset + limit}") if more else None,
    )


@router.get("/due", response_model=Queue, responses=problem_responses(401, 403, 422))
async def list_due_cases(
    request: Request,
    session: SessionDep,
    ref: ReferenceDep,
    caller: StaffOrAdmin,
    people: QueueFilters,
    within_days: Annotated[
        int, Query(ge=0, le=3650, description="Deadlines from today to this many days ahead")
    ] = 7,
    limit: Limit = 20,
    cursor: str | None = None,
) -> Queue:
    """Promises still running whose deadline falls within `within_days`, in your scope:
    nearest deadline first, then the group's rank (待办队列)."""
    return await _queue_page(
        request,
        session,
        ref,
        caller,
        kind="due",
        people=people,
        within_days=within_days,
        limit=limit,
        cursor=cursor,
    )


@router.get("/overdue", response_model=Queue, responses=problem_responses(401, 403, 422))
async def list_overdue_cases(
    request: Request,
    session: SessionDep,
    ref: ReferenceDep,
    caller: StaffOrAdmin,
    people: QueueFilters,
    limit: Limit = 20,
    cursor: str | None = None,
) -> Queue:
    """Promises past their deadline and still owed, in your scope: longest overdue first
    (逾期)."""
    return await _queue_page(
        request,
        session,
        ref,
        caller,
        kind="overdue",
        people=people,
        within_days=0,
        limit=limit,
        cursor=cursor,
    )


@router.get("/{jobseeker_id}", response_model=CaseFile, responses=problem_responses(401, 403, 404))
async def read_case(
    jobseeker_id: str,
    request: Request,
    session: SessionDep,
    ref: ReferenceDep,
    caller: JobseekerStaffAdmin,
) -> CaseFile:
    """A person's case: each promise with its state and deadline, the three-colour status,
    every recommendation with its history, services delivered, former employer."""
    person = await jobseekers.get_or_404(session, jobseeker_id)
    jobseekers.require_access(caller, person)
    rows = await load_people(session, people_clause(None, PeopleFilter(ids=(person.id,))))
    assessed = service.assess(ref.policy, rows[person.id], china_today())
    recs = await recommendations.of_person(session, person.id)
    audit.record_access(
        session,
        caller,
        action="read_record",
        entity="jobseeker",
        entity_ids=[person.id],
        route=request.url.path,
    )
    return CaseFile(
        jobseeker=service.person_public(caller, ref, assessed.person),
        registered_on=assessed.person.facts.registered_on,
        promises=[service.clock_public(c) for c in assessed.clocks],
        screening=service.screening_public(assessed.screening),
        last_contact_on=assessed.person.facts.last_contact_on,
        recommendations=await recommendations.to_public(session, ref, caller, recs),
        services=await service.services_of(session, person.id),
        background=await service.background_of(session, person.id),
    )


@router.post(
    "/{jobseeker_id}/services",
    status_code=status.HTTP_201_CREATED,
    response_model=ServicePublic,
    responses=problem_responses(401, 403, 404, 422),
)
async def record_case_service(
    jobseeker_id: str,
    body: ServiceCreate,
    session: SessionDep,
    caller: StaffOrAdmin,
) -> ServicePublic:
    """Record career guidance, skills training or a job recommended outside the system (the
    "311" service); counts as a contact."""
    person = await jobseekers.get_or_404(session, jobseeker_id)
    jobseekers.require_access(caller, person)
    row = await service.record_service(session, caller, person, body, china_today())
    return ServicePublic.model_validate(row, from_attributes=True)


@router.put(
    "/{jobseeker_id}/background",
    response_model=BackgroundPublic,
    responses=problem_responses(401, 403, 404, 422),
)
async def set_case_background(
    jobseeker_id: str,
    body: BackgroundUpdate,
    session: SessionDep,
    caller: StaffOrAdmin,
) -> BackgroundPublic:
    """Record the person's former employer (原工作单位), watched by the layoff early warning."""
    person = await jobseekers.get_or_404(session, jobseeker_id)
    jobseekers.require_access(caller, person)
    row = await service.set_background(session, person, body)
    return BackgroundPublic.model_validate(row, from_attributes=True)
