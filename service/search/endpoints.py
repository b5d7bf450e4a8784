"""Matching and search routes. Registered before the postings routes, so that
/postings/search is not read as a posting id."""

from __future__ import annotations

import asyncio
from typing import Annotated

import numpy as np
from fastapi import APIRouter, Query, Request

from matching.index.base import PostingFilters, TravelFilter
from service.audit import service as audit
from service.auth.errors import Forbidden
from service.auth.permissions import EmployerStaffAdmin, JobseekerStaffAdmin
from service.caller import CallerDep, Role
from service.constants import API_PREFIX
from service.crypto import cipher_for
from service.db import SessionDep
from service.enums import EmploymentType, TravelMode
from service.errors import InvalidInput, problem_responses
from service.events.service import get_or_404 as get_event
from service.jobseekers import service as jobseekers
from service.pagination import decode_cursor, encode_cursor
from service.postings import access as posting_access
from service.postings import service as postings
from service.reference.data import ReferenceDep
from service.search import service
from service.search.runtime import SearchDep, SearchRuntime
from service.search.schemas import CandidatePublic, PostingMatchPublic, SearchItem, SearchResult
from service.sqltypes import utcnow

router = APIRouter(prefix=API_PREFIX, tags=["matching"])

Minutes = Annotated[int | None, Query(ge=1, le=180, description="Travel-time limit")]
Limit = Annotated[int, Query(ge=1, le=100)]


@router.get(
    "/postings/search",
    response_model=SearchResult,
    tags=["postings"],
    responses=problem_responses(422),
)
async def search_postings(
    session: SessionDep,
    ref: ReferenceDep,
    search: SearchDep,
    caller: CallerDep,
    q: Annotated[str | None, Query(max_length=100, examples=["焊工"])] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
    minutes: Minutes = None,
    mode: TravelMode = TravelMode.walk,
    include_imprecise: Annotated[
        bool, Query(description="Include postings placed only to a district")
    ] = True,
    employment_type: EmploymentType | None = None,
    occupation: Annotated[str | None, Query(pattern=r"^\d(-\d{2}){0,3}$")] = None,
    adcode: Annotated[str | None, Query(pattern=r"^\d{2,6}$")] = None,
    salary_min: Annotated[int | None, Query(ge=0, description="Monthly pay at least")] = None,
    limit: Limit = 20,
    cursor: str | None = None,
) -> SearchResult:
    """Public job search: free text, within N minutes of a place, with facets."""
    if (lat is None) != (lon is None):
        raise InvalidInput.field("lat" if lat is None else "lon", "give both lat and lon", "query")
    if minutes is not None and lat is None:
        raise InvalidInput.field("minutes", "a travel limit needs lat and lon", "query")
    offset = _offset(cursor)
    groups: tuple[str, ...] = ()
    if caller.role == Role.jobseeker and caller.jobseeker_id:
        person = await jobseekers.get_or_404(session, caller.jobseeker_id)
        groups = tuple(g.group_code for g in person.groups)
    travel = None
    if lat is not None and lon is not None:
        travel = TravelFilter(lat, lon, mode, minutes, include_imprecise)
    filters = PostingFilters(
        now=utcnow(),
        employment_types=(employment_type,) if employment_type else (),
        adcode_prefixes=(adcode,) if adcode else (),
        occupation_prefixes=(occupation,) if occupation else (),
        min_monthly_pay=salary_min,
        viewer_groups=groups,
        include_reserved=caller.role in (Role.staff, Role.admin),
        travel=travel,
    )
    tokens = list(search.tokenize(q)) if q else []
    vector = None
    if q:
        vector = await _encode(search, q)
    hits, facets = await search.matcher.search_postings(
        tokens, vector, filters, limit=limit, offset=offset
    )
    public = await service.postings_in_order(session, ref, [h.posting_id for h in hits])
    items = [
        SearchItem(
            posting=public[h.posting_id],
            travel_minutes=h.travel_minutes,
            distance_km=h.distance_km,
            location_estimated=h.imprecise,
        )
        for h in hits
        if h.posting_id in public
    ]
    more = offset + limit < facets.total
    return SearchResult(
        items=items,
        total=facets.total,
        facets=service.facets_public(facets, ref),
        next_cursor=encode_cursor(f"o{offset + limit}") if more else None,
    )


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    value = decode_cursor(cursor)
    if not value.startswith("o") or not value[1:].isdigit():
        raise InvalidInput.field("cursor", "not a cursor returned by this search", "query")
    return int(value[1:])


async def _encode(search: SearchRuntime, text: str) -> np.ndarray:
    """The query's vector, off the event loop."""
    return (await asyncio.to_thread(search.encoder.encode, [text]))[0]


@router.get(
    "/jobseekers/{jobseeker_id}/matches",
    response_model=list[PostingMatchPublic],
    tags=["jobseekers"],
    responses=problem_responses(404, 422),
)
async def match_postings_for_jobseeker(
    jobseeker_id: str,
    session: SessionDep,
    ref: ReferenceDep,
    search: SearchDep,
    caller: JobseekerStaffAdmin,
    limit: Limit = 20,
    minutes: Minutes = None,
    mode: TravelMode | None = None,
    employment_type: EmploymentType | None = None,
    event_id: Annotated[str | None, Query(max_length=32)] = None,
    include_imprecise: bool = True,
) -> list[PostingMatchPublic]:
    """Jobs for a person, best first, each with its reasons (the person, staff, admins)."""
    person = await jobseekers.get_or_404(session, jobseeker_id)
    jobseekers.require_access(caller, person)
    doc = await service.person_doc(session, search, ref, person)
    matches = await search.matcher.postings_for(
        doc,
        limit=limit,
        minutes=minutes,
        mode=mode,
        employment_type=employment_type,
        event_id=event_id,
        include_imprecise=include_imprecise,
        now=utcnow(),
    )
    public = await service.postings_in_order(session, ref, [m.posting_id for m in matches])
    return [
        PostingMatchPublic(
            posting=public[m.posting_id],
            score=m.score,
            travel_minutes=m.travel_minutes,
            travel_mode=m.travel_mode,
            location_estimated=m.imprecise,
            reasons=list(m.reasons),
        )
        for m in matches
        if m.posting_id in public
    ]


@router.get(
    "/events/{event_id}/matches",
    response_model=list[PostingMatchPublic],
    tags=["events"],
    responses=problem_responses(404, 422),
)
async def match_event_booths(
    event_id: str,
    session: SessionDep,
    ref: ReferenceDep,
    search: SearchDep,
    caller: JobseekerStaffAdmin,
    jobseeker_id: Annotated[str, Query(max_length=32)],
    limit: Limit = 20,
) -> list[PostingMatchPublic]:
    """Which booths of a job fair a person should visit, best first."""
    await get_event(session, event_id)
    return await match_postings_for_jobseeker(
        jobseeker_id, session, ref, search, caller, limit=limit, event_id=event_id
    )


@router.get(
    "/postings/{posting_id}/matches",
    response_model=list[CandidatePublic],
    tags=["postings"],
    responses=problem_responses(404, 422),
)
async def match_candidates_for_posting(
    posting_id: str,
    request: Request,
    session: SessionDep,
    ref: ReferenceDep,
    search: SearchDep,
    caller: EmployerStaffAdmin,
    limit: Limit = 20,
) -> list[CandidatePublic]:
    """Candidates for a posting: priority groups first among the qualified. Employers see only
    people who agreed to be shown, with personal data masked."""
    posting = await postings.get_or_404(session, posting_id, caller=caller)
    if not posting_access.may_manage(
        caller,
        employer_id=posting.employer_id,
        adcode=posting.adcode,
        station_id=posting.station_id,
    ):
        raise Forbidden(
            "candidates are shown for your own postings or those in your districts"
        ) from None
    doc = await service.posting_doc(session, search, ref, posting)
    for_employer = caller.role == Role.employer
    matches = await search.matcher.jobseekers_for(
        doc, limit=limit, for_employer=for_employer, now=utcnow()
    )
    people = await service.people_by_id(session, [m.jobseeker_id for m in matches])
    cipher = cipher_for(request.app.state.settings.secret_key)
    shown = [m for m in matches if m.jobseeker_id in people]
    if for_employer:  # consent is checked here too, whatever the index said
        shown = [m for m in shown if people[m.jobseeker_id].consent_show_to_employers]
    audit.record_access(
        session,
        caller,
        action="list_candidates",
        entity="jobseeker",
        entity_ids=[m.jobseeker_id for m in shown],
        route=request.url.path,
    )
    return [
        CandidatePublic(
            jobseeker=jobseekers.to_public(
                people[m.jobseeker_id], caller=caller, ref=ref, cipher=cipher
            ),
            score=m.score,
            priority_tier=m.priority_tier,
            travel_minutes=m.travel_minutes,
            travel_mode=m.travel_mode,
            reasons=list(m.reasons),
        )
        for m in shown
    ]
