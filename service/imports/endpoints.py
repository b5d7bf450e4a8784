"""Bulk postings: a file upload, a job fair's feed, a gig station's feed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile

from ingest.readers import FileUnreadable
from service.auth.permissions import EmployerStaffAdmin
from service.caller import Role
from service.constants import API_PREFIX
from service.enums import PostingSource
from service.errors import InvalidInput, problem_responses
from service.imports.batch import ImportOptions
from service.imports.formats import read_rows
from service.imports.report import ImportReport
from service.imports.service import run_import
from service.reference.data import ReferenceDep

router = APIRouter(prefix=f"{API_PREFIX}/postings", tags=["imports"])


def wake_indexer(request: Request) -> None:
    search = getattr(request.app.state, "search", None)
    if search is not None:
        search.indexer.wake()


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
            raise InvalidInput.field("employer_id", "an employer imports only its own postings")
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
            committed=lambda: wake_indexer(request),
        )
    except FileUnreadable as exc:
        raise InvalidInput.field("file", str(exc)) from None
