from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Request, Response, status

from service import examples
from service.audit import service as audit
from service.auth.errors import Forbidden
from service.auth.permissions import JobseekerStaffAdmin, StaffOrAdmin
from service.caller import Role
from service.constants import API_PREFIX
from service.crypto import PersonalDataCipher, cipher_for
from service.db import SessionDep
from service.enums import JobseekerStatus
from service.errors import problem_responses
from service.jobseekers import repository, service
from service.jobseekers.repository import JobseekerFilters
from service.jobseekers.schemas import JobseekerCreate, JobseekerPublic, JobseekerUpdate
from service.pagination import Page, PageParams, page_params
from service.reference.data import ReferenceDep

router = APIRouter(prefix=f"{API_PREFIX}/jobseekers", tags=["jobseekers"])


def get_cipher(request: Request) -> PersonalDataCipher:
    return cipher_for(request.app.state.settings.secret_key)


CipherDep = Annotated[PersonalDataCipher, Depends(get_cipher)]


def jobseeker_filters(
    adcode: Annotated[str | None, Query(pattern=r"^\d{2,6}$", description="Adcode prefix")] = None,
    station_id: Annotated[str | None, Query(max_length=32)] = None,
    priority_group: Annotated[str | None, Query(max_length=40, examples=["veteran"])] = None,
    event_id: Annotated[str | None, Query(max_length=32, description="Registered for")] = None,
    status: JobseekerStatus | None = None,
) -> JobseekerFilters:
    return JobseekerFilters(
        adcode=adcode,
        station_id=station_id,
        priority_group=priority_group,
        event_id=event_id,
        status=status,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=JobseekerPublic,
    responses=problem_responses(401, 403, 409, 422),
)
async def create_jobseeker(
    body: Annotated[
        JobseekerCreate,
        Body(
            openapi_examples={
                "jobseeker": examples.JOBSEEKER,
                "jobseeker_full": examples.JOBSEEKER_FULL,
            }
        ),
    ],
    request: Request,
    session: SessionDep,
    ref: ReferenceDep,
    cipher: CipherDep,
    caller: StaffOrAdmin,
) -> JobseekerPublic:
    """Register a person at the counter (quick registration); staff's station is recorded."""
    if caller.role == Role.staff:
        body = body.model_copy(update={"station_id": caller.station_id})
    jobseeker = await service.create(session, ref, cipher, body)
    audit.record_access(
        session,
        caller,
        action="register",
        entity="jobseeker",
        entity_ids=[jobseeker.id],
        route=request.url.path,
    )
    return service.to_public(jobseeker, caller=caller, ref=ref, cipher=cipher)


@router.get("", response_model=Page[JobseekerPublic], responses=problem_responses(401, 403, 422))
async def list_jobseekers(
    request: Request,
    session: SessionDep,
    ref: ReferenceDep,
    cipher: CipherDep,
    caller: StaffOrAdmin,
    page: Annotated[PageParams, Depends(page_params)],
    filters: Annotated[JobseekerFilters, Depends(jobseeker_filters)],
) -> Page[JobseekerPublic]:
    """List the jobseekers in the caller's districts (all, for admins), newest first."""
    rows, cursor = await repository.list_page(
        session, page, filters, scope=repository.scope_clause(caller)
    )
    audit.record_access(
        session,
        caller,
        action="list_records",
        entity="jobseeker",
        entity_ids=[j.id for j in rows],
        route=request.url.path,
    )
    items = [service.to_public(j, caller=caller, ref=ref, cipher=cipher) for j in rows]
    return Page(items=items, next_cursor=cursor)


@router.get(
    "/{jobseeker_id}",
    response_model=JobseekerPublic,
    responses=problem_responses(401, 403, 404),
)
async def read_jobseeker(
    jobseeker_id: str,
    request: Request,
    session: SessionDep,
    ref: ReferenceDep,
    cipher: CipherDep,
    caller: JobseekerStaffAdmin,
) -> JobseekerPublic:
    """One jobseeker's full record: the person, in-scope staff or an admin. Staff reads are
    audited."""
    jobseeker = await service.get_or_404(session, jobseeker_id)
    service.require_access(caller, jobseeker)
    audit.record_access(
        session,
        caller,
        action="read_record",
        entity="jobseeker",
        entity_ids=[jobseeker.id],
        route=request.url.path,
    )
    return service.to_public(jobseeker, caller=caller, ref=ref, cipher=cipher)


@router.patch(
    "/{jobseeker_id}",
    response_model=JobseekerPublic,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def update_jobseeker(
    jobseeker_id: str,
    body: JobseekerUpdate,
    session: SessionDep,
    ref: ReferenceDep,
    cipher: CipherDep,
    caller: JobseekerStaffAdmin,
) -> JobseekerPublic:
    """Change a record, groups or consent: the person, in-scope staff or an admin."""
    jobseeker = await service.get_or_404(session, jobseeker_id)
    service.require_access(caller, jobseeker)
    if caller.role == Role.jobseeker and "station_id" in body.model_fields_set:
        raise Forbidden("the registering station is set by staff")
    jobseeker = await service.update(session, ref, cipher, jobseeker, body)
    return service.to_public(jobseeker, caller=caller, ref=ref, cipher=cipher)


@router.delete(
    "/{jobseeker_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404),
)
async def delete_jobseeker(
    jobseeker_id: str, session: SessionDep, caller: JobseekerStaffAdmin
) -> Response:
    """Delete a person's personal data (the person or an admin); anonymous statistics stay."""
    jobseeker = await service.get_or_404(session, jobseeker_id)
    own = caller.role == Role.jobseeker and caller.jobseeker_id == jobseeker.id
    if not (own or caller.role == Role.admin):
        raise Forbidden("only the person or an admin may delete a record")
    await service.delete_personal_data(session, jobseeker)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
