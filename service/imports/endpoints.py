"""Bulk postings: a file upload, a job fair's feed, a gig station's feed."""

from __future__ import annotations

import json
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Form, Request, UploadFile

from ingest.feeds import read_fair_feed, read_station_feed
from ingest.readers import FileUnreadable
from service.auth.errors import Forbidden
from service.auth.permissions import EmployerStaffAdmin, StaffOrAdmin
from service.caller import Role
from service.constants import API_PREFIX
from service.db import wake_indexer
from service.enums import PostingSource
from service.errors import InvalidInput, problem_responses
from service.imports.batch import ImportOptions
from service.imports.feeds import (
    FairFeedResult,
    StationFeedResult,
    import_fair_feed,
    import_station_feed,
)
from service.imports.formats import read_rows
from service.imports.report import ImportReport
from service.imports.service import run_import
from service.reference.data import ReferenceDep

router = APIRouter(prefix=f"{API_PREFIX}/postings", tags=["imports"])


async def _file_bytes(file: UploadFile) -> bytes:
    data = await file.read()
    if not data.strip():
        raise InvalidInput.field("file", "the file is empty")
    return data


@router.post(
    "/import",
    response_model=ImportReport,
    responses=problem_responses(413, 422),
    summary="Import postings from a CSV, XLSX or JSON-lines file",
)
async def import_postings(
    request: Request,
    ref: ReferenceDep,
    caller: EmployerStaffAdmin,
    file: Annotated[
        UploadFile,
        File(description="CSV (UTF-8 or GBK), XLSX or JSON lines; headers such as 岗位名称, 薪资"),
    ],
    employer_id: Annotated[
        str | None,
        Form(max_length=32, description="Every row is this employer's; else rows name theirs"),
    ] = None,
    source: Annotated[
        PostingSource, Form(description="Channel the rows came through; keys are per channel")
    ] = PostingSource.import_,
) -> ImportReport:
    """Store every good row and report every bad one by its row number.

    Rows name their employer by 统一社会信用代码 or 单位名称 unless `employer_id` is given
    (staff may register unknown employers this way). A row's key is its 岗位编号 (external
    id), or a fingerprint of its content when it has none: sending the same file again
    changes nothing (`duplicate`), a changed row updates its posting (`updated`). Rows that
    are a vacancy already received through another channel become one more source of that
    posting (`merged`). Postings caught by the posting rules are stored, held or refused,
    and listed under `screened`."""
    if caller.role == Role.employer:
        if employer_id not in (None, caller.employer_id):
            raise Forbidden("an employer imports only its own postings: employer_id must be yours")
        employer_id = caller.employer_id
    data = await _file_bytes(file)
    options = ImportOptions(source=source, caller=caller, employer_id=employer_id)
    try:
        rows = read_rows(data, file.filename)
        return await run_import(
            request.app.state.sessionmaker,
            ref,
            rows,
            options,
            committed=partial(wake_indexer, request.app),
        )
    except FileUnreadable as exc:
        raise InvalidInput.field("file", str(exc)) from None


feeds_router = APIRouter(prefix=API_PREFIX, tags=["imports"])

FAIR_EXAMPLE = {
    "event": {
        "name": "2026年春风行动江岸区重点企业专场招聘会",
        "kind": "special_recruitment",
        "campaign": "春风行动",
        "starts_at": "2026-02-26T09:00:00+08:00",
        "ends_at": "2026-02-26T12:00:00+08:00",
        "venue": "江岸区人力资源市场",
        "target_groups": ["migrant_worker"],
    },
    "employers": [
        {
            "name": "武汉汉江物流有限公司",
            "credit_code": "91420102MA4KHJWL1G",
            "contact_phone": "13871230416",
            "booth": "A-12",
            "postings": [{"external_id": "HJWL-F-001", "title": "叉车司机", "pay": "6-8K"}],
        }
    ],
}
STATION_EXAMPLE = {
    "station": {"name": "江岸区后湖街零工驿站"},
    "jobs": [
        {
            "external_id": "HJLG-0521-01",
            "title": "搬运工",
            "employer": "武汉汉江物流有限公司",
            "pay": "260元/天",
            "starts_at": "2026-05-21T08:00:00+08:00",
            "ends_at": "2026-05-21T18:00:00+08:00",
            "headcount": 2,
        }
    ],
}


def _feed_bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


@feeds_router.post(
    "/events/feed",
    response_model=FairFeedResult,
    responses=problem_responses(422),
    summary="A job fair's feed: the event, its employers' booths and their postings",
)
async def fair_feed(
    request: Request,
    ref: ReferenceDep,
    caller: StaffOrAdmin,
    document: Annotated[
        dict[str, Any], Body(description="The fair feed document", examples=[FAIR_EXAMPLE])
    ],
) -> FairFeedResult:
    """The event is found again by its name and start time, or created; each posting is
    imported like a file's row (keyed by its `external_id`), linked to the event at its
    booth. Re-sending the same feed changes nothing."""
    try:
        feed = read_fair_feed(_feed_bytes(document))
    except FileUnreadable as exc:
        raise InvalidInput.field("body", str(exc)) from None
    return await import_fair_feed(
        request.app.state.sessionmaker,
        ref,
        feed,
        caller,
        committed=partial(wake_indexer, request.app),
    )


@feeds_router.post(
    "/stations/feed",
    response_model=StationFeedResult,
    responses=problem_responses(403, 404, 422),
    summary="A gig station's feed: its day jobs (日结零工)",
)
async def station_feed(
    request: Request,
    ref: ReferenceDep,
    caller: StaffOrAdmin,
    document: Annotated[
        dict[str, Any], Body(description="The station feed document", examples=[STATION_EXAMPLE])
    ],
) -> StationFeedResult:
    """The station must be registered (by id or exact name) and, for staff, one they serve.
    Jobs without a place of their own are at the station; jobs without an employment type
    are gigs."""
    try:
        feed = read_station_feed(_feed_bytes(document))
    except FileUnreadable as exc:
        raise InvalidInput.field("body", str(exc)) from None
    return await import_station_feed(
        request.app.state.sessionmaker,
        ref,
        feed,
        caller,
        committed=partial(wake_indexer, request.app),
    )
