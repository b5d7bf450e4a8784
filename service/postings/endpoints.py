from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Request, Response, status

from service import examples
from service.auth.permissions import EmployerStaffAdmin, StaffOrAdmin
from service.caller import CallerDep
from service.constants import API_PREFIX
from service.db import SessionDep
from service.enums import EmploymentType, PostingSource, PostingStatus
from service.errors import problem_responses
from service.pagination import Page, PageParams, page_params
from service.persistence import fetch
from service.postings import access, feed, repository, review, service
from service.postings.models import Posting
from service.postings.repository import PostingFilters
from service.postings.schemas import (
    PostingCreate,
    PostingFeed,
    PostingPublic,
    PostingReviewCreate,
    PostingUpdate,
)
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
    return (await service.to_public(session, ref, [result.posting], caller=caller))[0]


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
    return Page(
        items=await service.to_public(session, ref, rows, caller=caller), next_cursor=cursor
    )


STREAM_DESCRIPTION = """
Postings created, changed and closed after `since`, oldest first, for partner systems
(provincial platforms, job-fair systems, kiosks) that keep their own copy of the public
postings.

**Who may call**: admins and staff (token or a station's API key) get every posting;
employers (token or an employer's API key) get their own. Anonymous callers and jobseekers may
not: the feed is a bulk export, so its readers are accounts or keys that can be revoked.

**What partners see** is the posting as the public sees it, whoever calls. `created` and
`updated` carry it (add or replace by `posting_id`; a posting released by staff review first
appears as `updated`). `closed` carries no content: the posting was filled, withdrawn, held for
review, rejected, or its employer lost the right to post (C-grade credit, wage-arrears list):
remove it. A held or rejected posting never shows its content or why it was stopped. A posting
that is not public is left out of the page that holds its creation (a posting created held
first appears when staff release it); a later change to a posting you never saw may still come
as `closed`: drop ids you do not know. `deleted`: the row is gone.

**Position**: pass `next_since` as `since` to continue; without `since` the feed starts at the
beginning. Every change appears after `since` exactly once; changes of one posting within a
page are folded into one item showing its state now. `has_more` says another page is waiting.
The feed follows committed transactions only and may lag a long-running one by its duration.
Expiry by `valid_until` writes no change: respect the date carried in the posting.
"""


@router.get(
    "/stream",
    response_model=PostingFeed,
    summary="Change feed of postings for partner systems",
    description=STREAM_DESCRIPTION,
    responses=problem_responses(422),
)
async def stream_posting_changes(
    session: SessionDep,
    ref: ReferenceDep,
    caller: EmployerStaffAdmin,
    since: Annotated[
        str | None,
        Query(
            max_length=100,
            description="`next_since` of the previous page; absent: from the beginning",
            examples=["djEuNzU2LjEy"],
        ),
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=500, description="Change records read per page (max 500)")
    ] = 100,
) -> PostingFeed:
    return await feed.read(session, ref, caller=caller, since=since, limit=limit)


@router.get(
    "/review-queue",
    response_model=Page[PostingPublic],
    summary="Postings waiting for staff review",
    responses=problem_responses(422),
)
async def list_review_queue(
    session: SessionDep,
    ref: ReferenceDep,
    caller: StaffOrAdmin,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[PostingPublic]:
    """Postings held by screening (待审核), and rejected ones that staff could release and no
    review has rejected since their last change, in the caller's districts (admins: all),
    oldest first, each with its screening flags."""
    rows, cursor = await review.queue_page(session, page, caller=caller)
    return Page(
        items=await service.to_public(session, ref, rows, caller=caller), next_cursor=cursor
    )


@router.get("/{posting_id}", response_model=PostingPublic, responses=problem_responses(404))
async def read_posting(
    posting_id: str, session: SessionDep, ref: ReferenceDep, caller: CallerDep
) -> PostingPublic:
    """One posting, with its occupation name, sources and screening flags."""
    posting = await service.get_or_404(session, posting_id, caller=caller)
    return (await service.to_public(session, ref, [posting], caller=caller))[0]


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
    return (await service.to_public(session, ref, [posting], caller=caller))[0]


@router.post(
    "/{posting_id}/review",
    response_model=PostingPublic,
    summary="Release or reject a held posting",
    responses=problem_responses(404, 409, 422),
)
async def review_posting(
    posting_id: str,
    body: Annotated[
        PostingReviewCreate,
        Body(
            openapi_examples={"release": examples.REVIEW_RELEASE, "reject": examples.REVIEW_REJECT}
        ),
    ],
    request: Request,
    session: SessionDep,
    ref: ReferenceDep,
    caller: StaffOrAdmin,
) -> PostingPublic:
    """Staff in scope (and admins) decide on a posting that screening held (`pending_review`)
    or rejected: `release` opens it, `reject` keeps it unpublished and needs a `note`. The
    decision is shown on the posting and written to the audit log. 409 when the posting is in
    any other status, or when releasing a posting whose employer is barred by its credit
    (C grade, wage-arrears list). A posting outside the caller's districts is 403."""
    posting = await fetch(session, Posting, posting_id, what="posting")
    posting = await review.review(session, posting, body, caller=caller, route=request.url.path)
    return (await service.to_public(session, ref, [posting], caller=caller))[0]


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
