from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Response, status

from service import examples
from service.auth.errors import Forbidden
from service.auth.permissions import JobseekerStaffAdmin, StaffOrAdmin
from service.caller import CallerDep
from service.constants import API_PREFIX
from service.db import SessionDep
from service.enums import EventKind
from service.errors import problem_responses
from service.events import repository, service
from service.events.repository import EventFilters
from service.events.schemas import (
    EventCreate,
    EventPostingPublic,
    EventPostingsLink,
    EventPublic,
    EventUpdate,
    RegistrationCreate,
    RegistrationPublic,
)
from service.pagination import Page, PageParams, page_params
from service.reference.data import ReferenceDep

router = APIRouter(prefix=f"{API_PREFIX}/events", tags=["events"])


def event_filters(
    kind: EventKind | None = None,
    campaign: Annotated[str | None, Query(max_length=100, examples=["春风行动"])] = None,
    station_id: Annotated[str | None, Query(max_length=32)] = None,
    adcode: Annotated[str | None, Query(pattern=r"^\d{2,6}$", description="Adcode prefix")] = None,
    target_group: Annotated[str | None, Query(max_length=40)] = None,
    starts_after: datetime | None = None,
    starts_before: datetime | None = None,
) -> EventFilters:
    return EventFilters(
        kind=kind,
        campaign=campaign,
        station_id=station_id,
        adcode=adcode,
        target_group=target_group,
        starts_after=starts_after,
        starts_before=starts_before,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=EventPublic,
    responses=problem_responses(422),
)
async def create_event(
    body: Annotated[EventCreate, Body(openapi_examples={"event": examples.EVENT})],
    session: SessionDep,
    ref: ReferenceDep,
    caller: StaffOrAdmin,
) -> EventPublic:
    """Announce a job fair, special recruitment, live-stream or campaign."""
    return EventPublic.model_validate(await service.create(session, ref, body))


@router.get("", response_model=Page[EventPublic], responses=problem_responses(422))
async def list_events(
    session: SessionDep,
    caller: CallerDep,
    page: Annotated[PageParams, Depends(page_params)],
    filters: Annotated[EventFilters, Depends(event_filters)],
) -> Page[EventPublic]:
    """List events, newest first."""
    rows, cursor = await repository.list_page(session, page, filters)
    return Page(items=[EventPublic.model_validate(r) for r in rows], next_cursor=cursor)


@router.get("/{event_id}", response_model=EventPublic, responses=problem_responses(404))
async def read_event(event_id: str, session: SessionDep, caller: CallerDep) -> EventPublic:
    """One event."""
    return EventPublic.model_validate(await service.get_or_404(session, event_id))


@router.patch("/{event_id}", response_model=EventPublic, responses=problem_responses(404, 422))
async def update_event(
    event_id: str, body: EventUpdate, session: SessionDep, ref: ReferenceDep, caller: StaffOrAdmin
) -> EventPublic:
    """Change an event."""
    event = await service.get_or_404(session, event_id)
    if not caller.in_scope(adcode=event.adcode, station_id=event.station_id):
        raise Forbidden("this event is organised outside your districts")
    return EventPublic.model_validate(await service.update(session, ref, event, body))


@router.post(
    "/{event_id}/postings",
    response_model=list[EventPostingPublic],
    responses=problem_responses(404, 422),
)
async def link_event_postings(
    event_id: str, body: EventPostingsLink, session: SessionDep, caller: StaffOrAdmin
) -> list[EventPostingPublic]:
    """Offer postings at the event, each at a booth; repeating a link changes nothing."""
    event = await service.get_or_404(session, event_id)
    links = await service.link_postings(session, event, body)
    return [EventPostingPublic.model_validate(link) for link in links]


@router.get(
    "/{event_id}/postings",
    response_model=Page[EventPostingPublic],
    responses=problem_responses(404, 422),
)
async def list_event_postings(
    event_id: str,
    session: SessionDep,
    caller: CallerDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[EventPostingPublic]:
    """The booths and postings of an event."""
    await service.get_or_404(session, event_id)
    rows, cursor = await repository.postings_of(session, event_id, page)
    return Page(items=[EventPostingPublic.model_validate(x) for x in rows], next_cursor=cursor)


@router.post(
    "/{event_id}/registrations",
    status_code=status.HTTP_201_CREATED,
    response_model=RegistrationPublic,
    responses={200: {"description": "Already registered; outcome updated if given"}}
    | problem_responses(404, 422),
)
async def register_for_event(
    event_id: str,
    body: RegistrationCreate,
    session: SessionDep,
    caller: JobseekerStaffAdmin,
    response: Response,
) -> RegistrationPublic:
    """Register a jobseeker for the event, or record the outcome (意向 / 录用)."""
    event = await service.get_or_404(session, event_id)
    registration, created = await service.register(session, event, body, caller=caller)
    if not created:
        response.status_code = status.HTTP_200_OK
    return RegistrationPublic.model_validate(registration)


@router.get(
    "/{event_id}/registrations",
    response_model=Page[RegistrationPublic],
    responses=problem_responses(404, 422),
)
async def list_event_registrations(
    event_id: str,
    session: SessionDep,
    caller: StaffOrAdmin,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[RegistrationPublic]:
    """Who registered for the event, and the outcomes."""
    await service.get_or_404(session, event_id)
    rows, cursor = await repository.registrations_of(session, event_id, page)
    return Page(items=[RegistrationPublic.model_validate(x) for x in rows], next_cursor=cursor)
