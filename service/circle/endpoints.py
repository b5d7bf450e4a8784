"""Planners' routes: /stats/circle and the community import."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile

from service.auth.errors import Forbidden
from service.auth.permissions import AdminOnly, StaffOrAdmin
from service.caller import Caller, Role
from service.circle import service
from service.circle.importer import CommunityImportReport, FileRefused
from service.circle.schemas import CircleStats, circle_stats
from service.circle.travel import TravelDep
from service.constants import API_PREFIX
from service.db import SessionDep
from service.enums import StationKind, TravelMode
from service.errors import InvalidInput, problem_responses
from service.reference.data import ReferenceDep

router = APIRouter(prefix=API_PREFIX, tags=["circle"])


def scope_of(caller: Caller, adcode: str | None) -> tuple[str, ...]:
    """The adcode prefixes whose communities the caller may count: staff only their own."""
    if caller.role == Role.staff:
        if adcode is None:
            if not caller.adcodes:
                raise Forbidden("this staff account has no districts")
            return tuple(caller.adcodes)
        if not any(adcode.startswith(prefix) for prefix in caller.adcodes):
            raise Forbidden(f"{adcode} is outside your districts")
    return (adcode,) if adcode else ()


def parse_kinds(text: str | None) -> frozenset[str] | None:
    if not text or not text.strip():
        return None
    kinds = [part.strip() for part in text.split(",") if part.strip()]
    known = {kind.value for kind in StationKind}
    for kind in kinds:
        if kind not in known:
            raise InvalidInput.field("kinds", f"unknown station kind {kind!r}", "query")
    return frozenset(kinds)


@router.get(
    "/stats/circle",
    response_model=CircleStats,
    tags=["stats"],
    responses=problem_responses(422),
)
async def read_circle_stats(
    session: SessionDep,
    ref: ReferenceDep,
    travel: TravelDep,
    caller: StaffOrAdmin,
    adcode: Annotated[
        str | None,
        Query(pattern=r"^\d{2,6}$", description="Count the communities of this division only"),
    ] = None,
    minutes: Annotated[
        float | None, Query(gt=0, le=180, description="Default: the policy's travel_defaults")
    ] = None,
    mode: Annotated[TravelMode | None, Query(description="Default: the policy's mode")] = None,
    kinds: Annotated[
        str | None,
        Query(
            description="Station kinds that count, comma-separated (default: all)",
            examples=["service_station,gig_station"],
        ),
    ] = None,
    suggest: Annotated[int, Query(ge=0, le=50, description="New sites to suggest")] = 5,
    grid_km: Annotated[
        float | None,
        Query(ge=0.2, le=10, description="Also consider grid points this far apart as sites"),
    ] = None,
    uncovered_limit: Annotated[int, Query(ge=0, le=5000)] = 100,
) -> CircleStats:
    """Share of population inside the circle, per district; uncovered communities; new sites."""
    defaults = ref.policy.travel_defaults
    query = service.CircleQuery(
        prefixes=scope_of(caller, adcode),
        mode=(mode or TravelMode(defaults.mode)).value,
        minutes=minutes or defaults.max_minutes,
        kinds=parse_kinds(kinds),
        suggest=suggest,
        grid_km=grid_km,
    )
    reference = service.CircleReference(ref.regions, ref.policy)
    result = await service.circle_result(session, reference, travel, query)
    return circle_stats(result, uncovered_limit=uncovered_limit)


@router.post(
    "/communities/import",
    response_model=CommunityImportReport,
    tags=["circle"],
    responses=problem_responses(413, 422),
)
async def import_communities(
    session: SessionDep,
    ref: ReferenceDep,
    caller: AdminOnly,
    file: Annotated[
        UploadFile,
        File(
            description="CSV: name/社区名称, adcode/区划代码, lat/纬度, lon/经度, population/人口"
        ),
    ],
) -> CommunityImportReport:
    """Import population points (communities) from CSV; bad rows are reported by number."""
    data = await file.read()
    if not data.strip():
        raise InvalidInput.field("file", "the file is empty")
    try:
        return await service.import_communities(session, ref.regions, data)
    except FileRefused as exc:
        raise InvalidInput.field("file", str(exc)) from None
