from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Response, status

from service import examples
from service.auth.permissions import EmployerStaffAdmin
from service.caller import CallerDep
from service.constants import API_PREFIX
from service.db import SessionDep
from service.enums import EmploymentType, PostingSource, PostingStatus
from service.errors import problem_responses
from service.pagination import Page, PageParams, page_params
from service.postings import access, repository, service
from service.postings.repository import PostingFilters
from service.postings.schemas import PostingCreate, PostingPublic, PostingUpdate
from service.reference.data import ReferenceDep

router = APIRouter(prefix=f"{API_PREFIX}/postings", tags=["postings"])


def posting_filters(
    status: PostingStatus | None = None,
    employment_type: EmploymentType | None = None,
    adcode: Annotated[
        str | None, Query(pattern=r"^\d{2,6}$", description="Adcode prefix: 42 Hubei, 4201 Wuhan")
    ] = None,
    station_id: Annotated[str | None, Query(max_length=32)] = None,
    event_id: Annotated[str | None, Query(max_length=32)] = None,
    source: PostingSource | None = None,
    priority_group: Annotated[
        str | None, Query(max_length=40, description="Postings reserved for this group")
    ] = None,
    employer_id: Annotated[str | None, Query(max_length=32)] = None,
    occupation: Annotated[
        str | None,
        Query(pattern=r"^\d(-\d{2}){0,3}$", description="Occupation code or prefix, e.g. 6-18"),
    ] = None,
    q: Annotated[str | None, Query(max_length=50, description="Part of the title")] = None,
) -> PostingFilters:
    return PostingFilters(
        status=status,
        employment_type=employment_type,
        adcode=adcode,
        station_id=station_id,
        event_id=event_id,
        source=source,
        priority_group=priority_group,
        employer_id=employer_id,
        occupation=occupation,
        q=q,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=PostingPublic,
    responses={200: {"description": "Same (source, external_id) seen before: updated"}}
    | problem_responses(401, 403, 422),
)
async def create_posting(
    body: Annotated[
        PostingCreate, Body(openapi_examples={"posting": examples.POSTING, "gig": examples.GIG})
    ],
    session: SessionDep,
    ref: ReferenceDep,
    caller: EmployerStaffAdmin,
    response: Response,
) -> PostingPublic:
    """Post a vacancy; with `source` and `external_id` the call is idempotent."""
    result = await service.create(session, ref, body, caller=caller)
    if not result.created:
        response.status_code = status.HTTP_200_OK
    return (await service.to_public(session, ref, [result.posting]))[0]


@router.get("", response_model=Page[PostingPublic], responses=problem_responses(422))
async def list_postings(
    session: SessionDep,
    ref: ReferenceDep,
    caller: CallerDep,
    page: Annotated[PageParams, Depends(page_params)],
    filters: Annotated[PostingFilters, Depends(posting_filters)],
) -> Page[PostingPublic]:
    """List postings, newest first, with filters."""
    rows, cursor = await repository.list_page(
        session, page, filters, visible=access.visible_clause(caller)
    )
    return Page(items=await service.to_public(session, ref, rows), next_cursor=cursor)


@router.get("/{posting_id}", response_model=PostingPublic, responses=problem_responses(404))
async def read_posting(
    posting_id: str, session: SessionDep, ref: ReferenceDep, caller: CallerDep
) -> PostingPublic:
    """One posting, with its occupation name, sources and screening flags."""
    posting = await service.get_or_404(session, posting_id, caller=caller)
    return (await service.to_public(session, ref, [posting]))[0]


@router.patch("/{posting_id}", response_model=PostingPublic, responses=problem_responses(404, 422))
async def update_posting(
    posting_id: str,
    body: PostingUpdate,
    session: SessionDep,
    ref: ReferenceDep,
    caller: EmployerStaffAdmin,
) -> PostingPublic:
    """Change a posting (pay, headcount, status...)."""
    posting = await service.get_or_404(session, posting_id, caller=caller)
    posting = await service.update(session, ref, posting, body, caller=caller)
    return (await service.to_public(session, ref, [posting]))[0]


@router.delete(
    "/{posting_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(404)
)
async def delete_posting(
    posting_id: str, session: SessionDep, caller: EmployerStaffAdmin
) -> Response:
    """Withdraw a posting: it is closed, not erased, so that its history stays."""
    posting = await service.get_or_404(session, posting_id, caller=caller)
    await service.close(session, posting, caller=caller)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
