from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, status

from matching.travel import travel_phrase
from service import examples
from service.auth.errors import Forbidden
from service.auth.permissions import AdminOnly, StaffOrAdmin
from service.caller import CallerDep, Role
from service.circle.travel import TravelDep
from service.constants import API_PREFIX
from service.db import SessionDep
from service.enums import StationKind, TravelMode
from service.errors import problem_responses
from service.pagination import Page, PageParams, page_params
from service.reference.data import ReferenceDep
from service.sqltypes import utcnow
from service.stations import repository, service
from service.stations.schemas import (
    NearbyStation,
    NearbyStations,
    StationCreate,
    StationPublic,
    StationUpdate,
)

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


@router.get("/nearby", response_model=NearbyStations, responses=problem_responses(422))
async def read_nearby_stations(
    session: SessionDep,
    ref: ReferenceDep,
    travel: TravelDep,
    caller: CallerDep,
    lat: Annotated[float, Query(ge=-90, le=90, examples=[30.5928])],
    lon: Annotated[float, Query(ge=-180, le=180, examples=[114.3055])],
    minutes: Annotated[
        float | None, Query(gt=0, le=180, description="Default: the policy's travel_defaults")
    ] = None,
    mode: Annotated[TravelMode | None, Query(description="Default: the policy's mode")] = None,
    kind: StationKind | None = None,
    at: Annotated[
        datetime | None,
        Query(description="Say whether stations are open at this moment instead of now"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> NearbyStations:
    """Stations within N minutes of a place, nearest first, with what they offer and whether
    they are open now."""
    defaults = ref.policy.travel_defaults
    chosen = (mode or TravelMode(defaults.mode)).value
    limit_minutes = minutes or defaults.max_minutes
    found = await service.nearby(
        session,
        travel,
        lat=lat,
        lon=lon,
        minutes=limit_minutes,
        mode=chosen,
        kind=kind,
        at=at or utcnow(),
        limit=limit,
    )
    return NearbyStations(
        mode=chosen,
        minutes=limit_minutes,
        items=[
            NearbyStation(
                station=StationPublic.model_validate(item.station),
                travel_minutes=round(item.minutes, 2),
                travel=travel_phrase(chosen, item.minutes),
                distance_km=round(item.distance_km, 3),
                open_now=item.open_now,
            )
            for item in found
        ],
    )


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
