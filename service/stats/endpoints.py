"""/stats/*: the planners' figures (beside /stats/circle, which lives in service.circle)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from service.audit import service as audit
from service.auth.permissions import StaffOrAdmin
from service.caller import Caller
from service.cases.clocks import china_today
from service.constants import API_PREFIX
from service.db import SessionDep
from service.errors import problem_responses
from service.reference.data import ReferenceDep
from service.stats import alerts as warnings
from service.stats import service
from service.stats.export import CSV_RESPONSES, csv_response, model_rows
from service.stats.schemas import (
    Alerts,
    PriorityGroups,
    ScreeningCounts,
    SupplyDemand,
    Workload,
    Zeroing,
)

router = APIRouter(prefix=f"{API_PREFIX}/stats", tags=["stats"])
RESPONSES = CSV_RESPONSES | problem_responses(401, 403, 422)


class ExportFormat(StrEnum):
    json = "json"
    csv = "csv"


class SupplyDemandBy(StrEnum):
    occupation = "occupation"
    district = "district"


class ScreeningBy(StrEnum):
    district = "district"
    station = "station"


Format = Annotated[
    ExportFormat, Query(alias="format", description="json, or csv for a spreadsheet (audited)")
]


def _exported(
    session: SessionDep,
    caller: Caller,
    request: Request,
    figure: str,
    items: Sequence[Any],
    fields: Sequence[str],
) -> Response:
    """The figure's rows as a CSV download (``figure``.csv), its export audited."""
    audit.record_access(
        session,
        caller,
        action="export",
        entity="stats",
        entity_ids=[figure],
        route=request.url.path,
    )
    return csv_response(f"{figure.replace('_', '-')}.csv", fields, model_rows(items, fields))


@router.get("/supply-demand", response_model=SupplyDemand, responses=RESPONSES)
async def read_supply_demand(
    request: Request,
    session: SessionDep,
    ref: ReferenceDep,
    caller: StaffOrAdmin,
    by: SupplyDemandBy = SupplyDemandBy.occupation,
    output: Format = ExportFormat.json,
) -> SupplyDemand | Response:
    """Vacancies, jobseekers and 求人倍率 by occupation group (中类) or district, in your scope."""
    table = await service.supply_demand(session, ref, caller, by, china_today())
    if output == ExportFormat.json:
        return table
    fields = ["key", "name", "vacancies", "postings", "jobseekers", "ratio"]
    return _exported(session, caller, request, f"supply_demand_{by}", table.rows, fields)


@router.get("/priority-groups", response_model=PriorityGroups, responses=RESPONSES)
async def read_priority_group_figures(
    request: Request,
    session: SessionDep,
    ref: ReferenceDep,
    caller: StaffOrAdmin,
    output: Format = ExportFormat.json,
) -> PriorityGroups | Response:
    """Per priority group: registered, recommended, placed, still seeking, median days to the
    first recommendation, promises met / missed / running / overdue."""
    groups = await service.priority_groups(session, ref, caller, china_today())
    if output == ExportFormat.json:
        return PriorityGroups(groups=groups)
    fields = list(groups[0].model_dump()) if groups else ["group"]
    return _exported(session, caller, request, "priority_groups", groups, fields)


@router.get("/zeroing", response_model=Zeroing, responses=RESPONSES)
async def read_zeroing(
    request: Request,
    session: SessionDep,
    ref: ReferenceDep,
    caller: StaffOrAdmin,
    output: Format = ExportFormat.json,
    limit: Annotated[int, Query(ge=1, le=5000, description="People listed at most")] = 500,
) -> Zeroing | Response:
    """动态清零: per zeroing group how many are still open and placed, and who is still open
    and for how long (longest first). Lists people: audited."""
    groups, people = await service.zeroing(session, ref, caller, china_today())
    people = people[:limit]
    action = "export" if output == ExportFormat.csv else "list_records"
    audit.record_access(
        session,
        caller,
        action=action,
        entity="jobseeker",
        entity_ids=[p.jobseeker.id for p in people],
        route=request.url.path,
    )
    if output == ExportFormat.json:
        return Zeroing(groups=groups, people=people)
    header = ["jobseeker_id", "name", "phone", "adcode", "station_id", "groups"]
    header += ["registered_on", "days_open", "recommendations", "last_contact_on", "colour"]
    rows = [
        [
            p.jobseeker.id,
            p.jobseeker.name,
            p.jobseeker.phone,
            p.jobseeker.adcode,
            p.jobseeker.station_id,
            " ".join(p.groups),
            p.registered_on,
            p.days_open,
            p.recommendations,
            p.last_contact_on,
            p.colour,
        ]
        for p in people
    ]
    return csv_response("zeroing.csv", header, rows)


@router.get("/stations", response_model=Workload, responses=RESPONSES)
async def read_station_workload(
    request: Request,
    session: SessionDep,
    ref: ReferenceDep,
    caller: StaffOrAdmin,
    output: Format = ExportFormat.json,
) -> Workload | Response:
    """Per registering station: people, cases and hires, promises due and overdue, 红黄蓝."""
    stations = await service.station_workload(session, ref, caller, china_today())
    if output == ExportFormat.json:
        return Workload(stations=stations)
    fields = list(stations[0].model_dump()) if stations else ["station_id"]
    return _exported(session, caller, request, "stations", stations, fields)


@router.get("/screening", response_model=ScreeningCounts, responses=RESPONSES)
async def read_screening_counts(
    request: Request,
    session: SessionDep,
    ref: ReferenceDep,
    caller: StaffOrAdmin,
    by: ScreeningBy = ScreeningBy.district,
    output: Format = ExportFormat.json,
) -> ScreeningCounts | Response:
    """红黄蓝三色预警: red, yellow and blue people of the screened groups by district or station."""
    rows = await service.screening_counts(session, ref, caller, by, china_today())
    if output == ExportFormat.json:
        return ScreeningCounts(by=by, rows=rows)
    fields = ["key", "name", "red", "yellow", "blue"]
    return _exported(session, caller, request, f"screening_{by}", rows, fields)


@router.get("/alerts", response_model=Alerts, responses=RESPONSES)
async def read_alerts(
    request: Request,
    session: SessionDep,
    ref: ReferenceDep,
    caller: StaffOrAdmin,
    output: Format = ExportFormat.json,
) -> Alerts | Response:
    """Early warning: registrations jumping in a district or from one former employer, and
    occupation groups whose 求人倍率 left the policy's band."""
    found = await warnings.all_alerts(session, ref, caller, china_today())
    if output == ExportFormat.json:
        return Alerts(alerts=found)
    fields = ["kind", "key", "name", "message", "value", "baseline", "threshold"]
    return _exported(session, caller, request, "alerts", found, fields)
