"""/recommendations: cases made by staff (or by match runs) and followed to a hire."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status

from service.audit import service as audit
from service.auth.permissions import Authenticated, StaffOrAdmin
from service.caller import Caller
from service.constants import API_PREFIX
from service.db import SessionDep
from service.enums import RecommendationStatus
from service.errors import problem_responses
from service.pagination import Page, PageParams, page_params
from service.recommendations import service
from service.recommendations.models import Recommendation
from service.recommendations.schemas import (
    RecommendationCreate,
    RecommendationPublic,
    RecommendationUpdate,
)
from service.recommendations.service import RecommendationFilters
from service.reference.data import ReferenceDep

router = APIRouter(prefix=f"{API_PREFIX}/recommendations", tags=["cases"])


def _audit(
    session: SessionDep, caller: Caller, request: Request, action: str, recs: list[Recommendation]
) -> None:
    audit.record_access(
        session,
        caller,
        action=action,
        entity="jobseeker",
        entity_ids=list(dict.fromkeys(r.jobseeker_id for r in recs)),
        route=request.url.path,
    )


def recommendation_filters(
    jobseeker_id: Annotated[str | None, Query(max_length=32)] = None,
    posting_id: Annotated[str | None, Query(max_length=32)] = None,
    status: RecommendationStatus | None = None,
    match_run_id: Annotated[str | None, Query(max_length=32)] = None,
) -> RecommendationFilters:
    return RecommendationFilters(
        jobseeker_id=jobseeker_id, posting_id=posting_id, status=status, match_run_id=match_run_id
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=RecommendationPublic,
    responses=problem_responses(401, 403, 409, 422),
)
async def create_recommendation(
    body: RecommendationCreate,
    request: Request,
    session: SessionDep,
    ref: ReferenceDep,
    caller: StaffOrAdmin,
) -> RecommendationPublic:
    """Recommend a posting to a person in your scope (推荐岗位); starts a case."""
    rec = await service.create(session, ref, caller, body)
    _audit(session, caller, request, "recommend", [rec])
    return (await service.to_public(session, ref, caller, [rec]))[0]


@router.get(
    "",
    response_model=Page[RecommendationPublic],
    responses=problem_responses(401, 403, 422),
)
async def list_recommendations(
    request: Request,
    session: SessionDep,
    ref: ReferenceDep,
    caller: Authenticated,
    page: Annotated[PageParams, Depends(page_params)],
    filters: Annotated[RecommendationFilters, Depends(recommendation_filters)],
) -> Page[RecommendationPublic]:
    """Cases, newest first: a person's own, an employer's postings', staff's people (masked as
    elsewhere)."""
    rows, cursor = await service.list_page(session, caller, page, filters)
    _audit(session, caller, request, "list_records", rows)
    return Page(items=await service.to_public(session, ref, caller, rows), next_cursor=cursor)


@router.get(
    "/{recommendation_id}",
    response_model=RecommendationPublic,
    responses=problem_responses(401, 403, 404),
)
async def read_recommendation(
    recommendation_id: str,
    request: Request,
    session: SessionDep,
    ref: ReferenceDep,
    caller: Authenticated,
) -> RecommendationPublic:
    """One case with its history."""
    rec = await service.get_or_404(session, recommendation_id)
    service.require_see(caller, await service.parties(session, rec))
    _audit(session, caller, request, "read_record", [rec])
    return (await service.to_public(session, ref, caller, [rec]))[0]


@router.patch(
    "/{recommendation_id}",
    response_model=RecommendationPublic,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def update_recommendation(
    recommendation_id: str,
    body: RecommendationUpdate,
    request: Request,
    session: SessionDep,
    ref: ReferenceDep,
    caller: Authenticated,
) -> RecommendationPublic:
    """Move a case on (recommended → contacted → interviewed → hired | rejected | declined)
    and/or add a follow-up note; 409 names `status` when the step is not allowed. A hire marks
    the person placed and closes their promises."""
    rec = await service.get_or_404(session, recommendation_id)
    rec = await service.update(session, caller, rec, body)
    _audit(session, caller, request, "update_case", [rec])
    return (await service.to_public(session, ref, caller, [rec]))[0]
