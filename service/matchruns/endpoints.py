"""/match-runs: staff match whole groups of people at once."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from service.auth.permissions import StaffOrAdmin
from service.cases.clocks import china_today
from service.constants import API_PREFIX
from service.db import SessionDep
from service.errors import problem_responses
from service.matchruns import service
from service.matchruns.runner import runner_for
from service.matchruns.schemas import MatchRunCreate, MatchRunPublic
from service.reference.data import ReferenceDep

router = APIRouter(prefix=f"{API_PREFIX}/match-runs", tags=["cases"])


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=MatchRunPublic,
    responses=problem_responses(401, 403, 422),
)
async def create_match_run(
    body: MatchRunCreate,
    request: Request,
    session: SessionDep,
    ref: ReferenceDep,
    caller: StaffOrAdmin,
) -> MatchRunPublic:
    """Start a match run for people of a station, a district, a priority group or a list (in
    your scope; nearest promise deadline first): top-k new postings each, recorded as cases
    with their reasons. Pairs recommended before are skipped, so running it again is safe.
    Follow it at `GET /match-runs/{id}`."""
    people = await service.choose_people(session, ref, caller, body, china_today())
    run = service.new_run(caller, body, len(people))
    session.add(run)
    await session.flush()
    runner_for(request.app).start_after_commit(session, run.id, people)
    return service.to_public(run)


@router.get("", response_model=list[MatchRunPublic], responses=problem_responses(401, 403))
async def list_match_runs(
    session: SessionDep,
    caller: StaffOrAdmin,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[MatchRunPublic]:
    """Recent match runs: your own and your station's (all, for admins), newest first."""
    return [service.to_public(r) for r in await service.list_visible(session, caller, limit)]


@router.get("/{run_id}", response_model=MatchRunPublic, responses=problem_responses(401, 403, 404))
async def read_match_run(run_id: str, session: SessionDep, caller: StaffOrAdmin) -> MatchRunPublic:
    """A match run's progress and results."""
    return service.to_public(await service.get_visible(session, caller, run_id))
