"""Match runs: choose the people (nearest promise deadline first), ask the matcher for each,
and record the top-k new postings per person as recommendation cases with their reasons.

The pairs a person was already recommended are skipped (and the table refuses a second row
for a pair), so a run can be repeated, or started again after a crash, without doubling
anything. The work is committed a batch of people at a time; the run row carries the progress.

A run lives in the process that started it (the API's or ``jobcircle match-run``'s). If that
process dies, its run would stay "queued" or "running" for ever: so when the API starts it
notes every such run, and those that have not moved ``STALL_SECONDS`` later (a live run
commits a batch every second or so, in whichever process runs it) are marked "failed" with an
error saying they were interrupted and can simply be started again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import structlog
from pydantic_core import PydanticUndefined
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.parallel import MatchWorkers
from service.auth.errors import Forbidden
from service.caller import Caller, Role
from service.cases.clocks import nearest_open_deadline
from service.cases.repository import PeopleFilter, load_people, people_clause
from service.cases.service import assess
from service.embeddings.service import ensure_vectors, jobseeker_text
from service.errors import InvalidInput, NotFound
from service.jobseekers.models import Jobseeker
from service.matchruns.models import MatchRun
from service.matchruns.schemas import MatchRunCreate, MatchRunPublic
from service.recommendations.models import Recommendation, RecommendationEvent
from service.reference.data import ReferenceData
from service.search.documents import jobseeker_doc
from service.search.runtime import SearchRuntime
from service.sqltypes import new_id, utcnow

log = structlog.get_logger("jobcircle.matchruns")

BATCH = 100  # people per transaction
STALL_SECONDS = 300.0  # a run that has not moved for this long after a restart was interrupted
UNFINISHED = ("queued", "running")
INTERRUPTED = (
    "interrupted: the process running it stopped (no progress for {seconds:.0f} s after the "
    "service started); start it again: the pairs already recommended are skipped"
)
Progress = Callable[[int, int], None]


async def choose_people(
    session: AsyncSession,
    ref: ReferenceData,
    caller: Caller,
    data: MatchRunCreate,
    today: date,
) -> list[str]:
    """The people of the selection inside the caller's scope, still seeking: the nearest open
    promise deadline first, then the rank of their best group, people without promises last."""
    if data.group and not ref.policy.has_group(data.group):
        raise InvalidInput.field("group", f"unknown priority group {data.group}")
    if data.jobseeker_ids is not None and caller.role != Role.admin:
        await _require_ids_in_scope(session, caller, data.jobseeker_ids)
    people = PeopleFilter(
        station_id=data.station_id,
        adcode=data.adcode,
        group=data.group,
        groups_any=ref.policy.group_codes if data.priority_only else (),
        ids=tuple(data.jobseeker_ids) if data.jobseeker_ids is not None else None,
        statuses=("seeking",),
    )
    rows = await load_people(session, people_clause(caller, people))
    ranks = {code: i for i, code in enumerate(ref.policy.group_codes)}
    keyed = []
    for person in rows.values():
        deadline = nearest_open_deadline(assess(ref.policy, person, today).clocks)
        rank = min((ranks.get(g, len(ranks)) for g in person.facts.groups), default=len(ranks))
        keyed.append((deadline is None, deadline or today, rank, person.id))
    keyed.sort()
    return [key[-1] for key in keyed]


async def _require_ids_in_scope(session: AsyncSession, caller: Caller, ids: Sequence[str]) -> None:
    found = await load_people(session, people_clause(caller, PeopleFilter(ids=tuple(ids))))
    outside = sorted(set(ids) - set(found))
    if outside:
        raise Forbidden(f"outside your scope or unknown: {', '.join(outside[:5])}")


def new_run(caller: Caller, data: MatchRunCreate, total: int) -> MatchRun:
    return MatchRun(
        selection=data.model_dump(exclude={"top_k", "min_score"}, exclude_none=True),
        top_k=data.top_k,
        min_score=data.min_score,
        created_by=caller.actor,
        created_by_role=caller.role,
        station_id=caller.station_id,
        people_total=total,
    )


async def get_visible(session: AsyncSession, caller: Caller, run_id: str) -> MatchRun:
    run = await session.get(MatchRun, run_id)
    if run is None:
        raise NotFound(f"match run {run_id} does not exist")
    if not may_see(caller, run):
        raise Forbidden("this match run was started by someone else")
    return run


def may_see(caller: Caller, run: MatchRun) -> bool:
    """Admins see every run; staff the runs they started and those of their station."""
    if caller.role == Role.admin:
        return True
    own = run.created_by == caller.actor
    return own or (run.station_id is not None and run.station_id == caller.station_id)


async def list_visible(session: AsyncSession, caller: Caller, limit: int) -> list[MatchRun]:
    statement = select(MatchRun).order_by(col(MatchRun.id).desc()).limit(limit)
    if caller.role != Role.admin:
        mine = col(MatchRun.created_by) == caller.actor
        if caller.station_id:
            mine = mine | (col(MatchRun.station_id) == caller.station_id)
        statement = statement.where(mine)
    return list((await session.exec(statement)).all())


def to_public(run: MatchRun) -> MatchRunPublic:
    seconds = None
    if run.started_at is not None:
        end = run.finished_at or utcnow()
        seconds = round((end - run.started_at).total_seconds(), 3)
    per_person = (
        round(1000 * seconds / run.people_done, 2)
        if seconds is not None and run.people_done
        else None
    )
    return MatchRunPublic(
        id=run.id,
        status=run.status,
        selection=run.selection,
        top_k=run.top_k,
        min_score=run.min_score,
        created_by=run.created_by,
        people_total=run.people_total,
        people_done=run.people_done,
        people_skipped=run.people_skipped,
        recommendations_created=run.recommendations_created,
        pairs_already_recommended=run.pairs_already_recommended,
        progress=round(run.people_done / run.people_total, 4) if run.people_total else 1.0,
        error=run.error,
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        seconds=seconds,
        ms_per_person=per_person,
    )


# --- the work ---------------------------------------------------------------------------


@dataclass
class BatchResult:
    done: int = 0
    skipped: int = 0
    created: int = 0
    already: int = 0


async def _existing_pairs(session: AsyncSession, ids: Sequence[str]) -> dict[str, set[str]]:
    statement = select(Recommendation.jobseeker_id, Recommendation.posting_id).where(
        col(Recommendation.jobseeker_id).in_(list(ids))
    )
    pairs: dict[str, set[str]] = {i: set() for i in ids}
    for person_id, posting_id in (await session.exec(statement)).all():
        pairs[person_id].add(posting_id)
    return pairs


async def _run_batch(
    session: AsyncSession,
    search: SearchRuntime,
    matcher: MatchWorkers,
    ref: ReferenceData,
    run: MatchRun,
    ids: Sequence[str],
) -> BatchResult:
    result = BatchResult(done=len(ids))
    statement = select(Jobseeker).where(
        col(Jobseeker.id).in_(list(ids)),
        col(Jobseeker.deleted_at).is_(None),
        col(Jobseeker.status) == "seeking",
        col(Jobseeker.consent_recommendations).is_(True),
    )
    people = list((await session.exec(statement)).all())
    result.skipped = len(ids) - len(people)
    texts = {p.id: jobseeker_text(p, ref.taxonomy) for p in people}
    vectors = await ensure_vectors(session, search.encoder, "jobseeker", texts)
    existing = await _existing_pairs(session, [p.id for p in people])
    now = utcnow()
    docs = [jobseeker_doc(p, vectors.get(p.id), search.tokenize) for p in people]
    # Asked for k more than the pairs recommended before, so k new ones remain after skipping.
    limits = [run.top_k + len(existing[p.id]) for p in people]
    found = await matcher.postings_for_many(docs, limit=limits, now=now)
    cases = CaseRows(run, now)
    for person, matches in zip(people, found, strict=True):
        seen = existing[person.id]
        fresh = [m for m in matches if m.posting_id not in seen and m.score >= run.min_score]
        result.already += sum(1 for m in matches if m.posting_id in seen)
        for match in fresh[: run.top_k]:
            cases.add(person.id, match.posting_id, match.score, match.reasons)
        if not fresh:
            result.skipped += 1
    await cases.insert(session)
    result.created = len(cases.recommendations)
    return result


class CaseRows:
    """A batch's new cases as rows for two bulk inserts (one statement run for all rows of
    each table): building an ORM object per case and per event was most of a batch's writing.
    The rows carry what the models would fill in themselves (ids, status, timestamps)."""

    def __init__(self, run: MatchRun, now: datetime) -> None:
        self.run, self.now = run, now
        self.recommendations: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.status = _default(Recommendation, "status")
        self.note = f"匹配批次 {run.id}"

    def add(self, person_id: str, posting_id: str, score: float, reasons: Sequence[str]) -> None:
        case_id = new_id()
        self.recommendations.append(
            {
                "id": case_id,
                "jobseeker_id": person_id,
                "posting_id": posting_id,
                "status": self.status,
                "score": score,
                "reasons": list(reasons),
                "note": None,
                "created_by": self.run.created_by,
                "match_run_id": self.run.id,
                "created_at": self.now,
                "updated_at": self.now,
            }
        )
        self.events.append(
            {
                "id": new_id(),
                "recommendation_id": case_id,
                "jobseeker_id": person_id,
                "from_status": None,
                "to_status": self.status,
                "note": self.note,
                "actor": self.run.created_by,
                "actor_role": self.run.created_by_role,
                "at": self.now,
            }
        )

    async def insert(self, session: AsyncSession) -> None:
        """Cases first, then their events (which refer to them), in the session's transaction;
        a pair recommended meanwhile by another run raises ``IntegrityError`` here."""
        if not self.recommendations:
            return
        connection = await session.connection()
        await connection.execute(insert(Recommendation.__table__), self.recommendations)  # type: ignore[attr-defined]
        await connection.execute(insert(RecommendationEvent.__table__), self.events)  # type: ignore[attr-defined]


def _default(model: type[SQLModel], name: str) -> Any:
    default = model.model_fields[name].default
    assert default is not PydanticUndefined, f"{model.__name__}.{name} has no default"
    return default


async def _save_progress(
    sessionmaker: async_sessionmaker[AsyncSession], run_id: str, **values: object
) -> MatchRun:
    async with sessionmaker() as session:
        run = await session.get(MatchRun, run_id)
        if run is None:
            raise NotFound(f"match run {run_id} does not exist")
        for key, value in values.items():
            setattr(run, key, value)
        session.add(run)
        await session.commit()
        return run


async def execute(
    sessionmaker: async_sessionmaker[AsyncSession],
    search: SearchRuntime,
    ref: ReferenceData,
    run_id: str,
    people: Sequence[str],
    *,
    progress: Progress | None = None,
    workers: int = 0,
) -> MatchRun:
    """Work through the people a batch at a time; each batch is one transaction. With
    ``workers`` (``JOBCIRCLE_MATCH_WORKERS``) each batch's matching is shared with that many
    processes forked for the run (``matching.parallel``; embedded index only)."""
    run = await _save_progress(sessionmaker, run_id, status="running", started_at=utcnow())
    totals = BatchResult()
    started = time.perf_counter()
    try:
        async with MatchWorkers(search.matcher, workers) as matcher:
            for start in range(0, len(people), BATCH):
                batch = people[start : start + BATCH]
                result = await _batch_with_retry(sessionmaker, search, matcher, ref, run, batch)
                for name in ("done", "skipped", "created", "already"):
                    setattr(totals, name, getattr(totals, name) + getattr(result, name))
                run = await _save_progress(
                    sessionmaker,
                    run_id,
                    people_done=totals.done,
                    people_skipped=totals.skipped,
                    recommendations_created=totals.created,
                    pairs_already_recommended=totals.already,
                )
                if progress is not None:
                    progress(totals.done, len(people))
    except Exception as exc:
        log.exception("match_run_failed", run_id=run_id)
        return await _save_progress(
            sessionmaker, run_id, status="failed", error=str(exc)[:2000], finished_at=utcnow()
        )
    log.info(
        "match_run_done",
        run_id=run_id,
        people=totals.done,
        created=totals.created,
        seconds=round(time.perf_counter() - started, 2),
    )
    return await _save_progress(sessionmaker, run_id, status="done", finished_at=utcnow())


async def _batch_with_retry(
    sessionmaker: async_sessionmaker[AsyncSession],
    search: SearchRuntime,
    matcher: MatchWorkers,
    ref: ReferenceData,
    run: MatchRun,
    batch: Sequence[str],
) -> BatchResult:
    """A batch that collides with another run's recommendations (the same pair at the same
    moment) is done again: the pairs committed meanwhile are then skipped."""
    for attempt in range(3):
        async with sessionmaker() as session:
            try:
                result = await _run_batch(session, search, matcher, ref, run, batch)
                await session.commit()
                return result
            except IntegrityError:
                await session.rollback()
                if attempt == 2:
                    raise
    raise AssertionError("unreachable")


# --- runs left behind by a process that died ------------------------------------------------


async def unfinished_runs(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> dict[str, tuple[str, int]]:
    """Every queued or running run, with where it stood (status, people done)."""
    async with sessionmaker() as session:
        statement = select(MatchRun.id, MatchRun.status, MatchRun.people_done).where(
            col(MatchRun.status).in_(UNFINISHED)
        )
        return {i: (status, done) for i, status, done in (await session.exec(statement)).all()}


async def fail_stalled(
    sessionmaker: async_sessionmaker[AsyncSession],
    seen: dict[str, tuple[str, int]],
    *,
    seconds: float = STALL_SECONDS,
) -> list[str]:
    """Mark failed the runs of ``seen`` that stand exactly where they stood then."""
    if not seen:
        return []
    stalled = []
    async with sessionmaker() as session:
        statement = select(MatchRun).where(col(MatchRun.id).in_(list(seen)))
        for run in (await session.exec(statement)).all():
            if (run.status, run.people_done) != seen[run.id]:
                continue  # it moved: alive in some process
            run.status = "failed"
            run.error = INTERRUPTED.format(seconds=seconds)
            run.finished_at = utcnow()
            session.add(run)
            stalled.append(run.id)
        await session.commit()
    for run_id in stalled:
        log.warning("match_run_interrupted", run_id=run_id)
    return stalled


async def sweep_interrupted(
    sessionmaker: async_sessionmaker[AsyncSession], *, seconds: float = STALL_SECONDS
) -> list[str]:
    """At start-up: the unfinished runs that do not move for ``seconds`` are marked failed."""
    seen = await unfinished_runs(sessionmaker)
    if not seen:
        return []
    await asyncio.sleep(seconds)
    return await fail_stalled(sessionmaker, seen, seconds=seconds)
