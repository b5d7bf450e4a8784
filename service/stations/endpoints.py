from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, status

from service import examples
from service.auth.errors import Forbidden
from service.auth.permissions import AdminOnly, StaffOrAdmin
from service.caller import CallerDep, Role
from service.constants import API_PREFIX
from service.db import SessionDep
from service.enums import StationKind
from service.errors import problem_responses
from service.pagination import Page, PageParams, page_params
from service.reference.data import ReferenceDep
from service.stations import repository, service
from service.stations.schemas import StationCreate, StationPublic, StationUpdate

router = APIRouter(prefix=f"{API_PREFIX}/stations", tags=["stations"])
StationBody = Annotated[
    StationCreate,
    Body(
        openapi_examples={
            "station": examples.STATION,
        }
    ),
]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=StationPublic,
    responses=problem_responses(422),
)
async def create_station(
    body: StationBody,
    session: SessionDep,
    ref: ReferenceDep,
    caller: AdminOnly,
) -> StationPublic:
    """Add a service point of the 15-minute circle."""
    return StationPublic.model_validate(await service.create(session, ref, body))


@router.get("", response_model=Page[StationPublic], responses=problem_responses(422))
async def list_stations(
    session: SessionDep,
    caller: CallerDep,
    page: Annotated[PageParams, Depends(page_params)],
    kind: StationKind | None = None,
    adcode: Annotated[str | None, Query(pattern=r"^\d{2,6}$", description="Adcode prefix")] = None,
    q: Annotated[str | None, Query(max_length=50, description="Part of the name")] = None,
) -> Page[StationPublic]:
    """List stations, newest first."""
    rows, cursor = await repository.list_page(session, page, kind=kind, adcode=adcode, q=q)
    return Page(items=[StationPublic.model_validate(r) for r in rows], next_cursor=cursor)


@router.get("/{station_id}", response_model=StationPublic, responses=problem_responses(404))
async def read_station(station_id: str, session: SessionDep, caller: CallerDep) -> StationPublic:
    """One station."""
    return StationPublic.model_validate(await service.get_or_404(session, station_id))


@router.patch("/{station_id}", response_model=StationPublic, responses=problem_responses(404, 422))
async def update_station(
    station_id: str,
    body: StationUpdate,
    session: SessionDep,
    ref: ReferenceDep,
    caller: StaffOrAdmin,
) -> StationPublic:
    """Change a station's details, hours or services."""
    station = await service.get_or_404(session, station_id)
    if caller.role == Role.staff and caller.station_id != station.id:
        raise Forbidden("staff change only their own station")
    return StationPublic.model_validate(await service.update(session, ref, station, body))
