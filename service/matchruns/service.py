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

import structlog
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.documents import JobseekerDoc
from matching.matcher import PostingMatch
from matching.parallel import MatchWorkers
from service.auth.errors import Forbidden
from service.caller import Caller, Role
from service.cases.clocks import nearest_open_deadline
from service.cases.repository import PeopleFilter, load_people, people_clause
from service.cases.service import assess
from service.embeddings.service import ensure_vectors, jobseeker_text
from service.errors import InvalidInput, NotFound
from service.jobseekers.models import Jobseeker
from service.matchruns.caserows import CaseRows
from service.matchruns.models import MatchRun
from service.matchruns.pipeline import Found, run_batches
from service.matchruns.schemas import MatchRunCreate, MatchRunPublic
from service.recommendations.models import Recommendation
from service.reference.data import ReferenceData
from service.search.documents import jobseeker_doc
from service.search.runtime import SearchRuntime
from service.sqltypes import utcnow

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


@dataclass
class PreparedBatch:
    """A batch read and ready to match: the people still to be matched (consenting, seeking,
    not deleted), their documents, and the pairs each was recommended before."""

    ids: Sequence[str]  # as asked for
    people: list[str]  # the people matched, in the documents' order
    docs: list[JobseekerDoc]
    existing: dict[str, set[str]]
    limits: list[int]
    now: datetime


async def prepare_batch(
    sessionmaker: async_sessionmaker[AsyncSession],
    search: SearchRuntime,
    ref: ReferenceData,
    run: MatchRun,
    ids: Sequence[str],
) -> PreparedBatch:
    """Its own transaction: the vectors encoded for people who had none are committed here
    (they are a cache of the text, whatever becomes of the batch)."""
    statement = select(Jobseeker).where(
        col(Jobseeker.id).in_(list(ids)),
        col(Jobseeker.deleted_at).is_(None),
        col(Jobseeker.status) == "seeking",
        col(Jobseeker.consent_recommendations).is_(True),
    )
    async with sessionmaker() as session:
        people = list((await session.exec(statement)).all())
        texts = {p.id: jobseeker_text(p, ref.taxonomy) for p in people}
        vectors = await ensure_vectors(session, search.encoder, "jobseeker", texts)
        existing = await _existing_pairs(session, [p.id for p in people])
        docs = [jobseeker_doc(p, vectors.get(p.id), search.tokenize) for p in people]
        await session.commit()
    # Asked for k more than the pairs recommended before, so k new ones remain after skipping.
    limits = [run.top_k + len(existing[p.id]) for p in people]
    return PreparedBatch(ids, [p.id for p in people], docs, existing, limits, utcnow())


async def record_batch(
    sessionmaker: async_sessionmaker[AsyncSession],
    run: MatchRun,
    batch: PreparedBatch,
    found: Sequence[Sequence[PostingMatch]],
) -> BatchResult:
    """The batch's new cases (top k of the matches not recommended before) in one transaction."""
    result = BatchResult(done=len(batch.ids), skipped=len(batch.ids) - len(batch.people))
    cases = CaseRows(run, batch.now)
    for person_id, matches in zip(batch.people, found, strict=True):
        seen = batch.existing[person_id]
        fresh = [m for m in matches if m.posting_id not in seen and m.score >= run.min_score]
        result.already += sum(1 for m in matches if m.posting_id in seen)
        for match in fresh[: run.top_k]:
            cases.add(person_id, match.posting_id, match.score, match.reasons)
        if not fresh:
            result.skipped += 1
    async with sessionmaker() as session:
        await cases.insert(session)
        await session.commit()
    result.created = len(cases.recommendations)
    return result


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

    async def prepare(ids: Sequence[str]) -> PreparedBatch:
        return await prepare_batch(sessionmaker, search, ref, run, ids)

    async def record(batch: PreparedBatch, found: Found) -> BatchResult:
        return await record_batch(sessionmaker, run, batch, found)

    async def done(result: BatchResult) -> None:
        for name in ("done", "skipped", "created", "already"):
            setattr(totals, name, getattr(totals, name) + getattr(result, name))
        await _save_progress(
            sessionmaker,
            run_id,
            people_done=totals.done,
            people_skipped=totals.skipped,
            recommendations_created=totals.created,
            pairs_already_recommended=totals.already,
        )
        if progress is not None:
            progress(totals.done, len(people))

    batches = [people[start : start + BATCH] for start in range(0, len(people), BATCH)]
    try:
        async with MatchWorkers(search.matcher, workers) as matcher:
            await run_batches(batches, matcher, prepare, record, done)
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
