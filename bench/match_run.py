"""A staff match run at city scale: time per person and in total. Not a test.

Generates 100,000 open postings and N priority-group jobseekers (default 50,000) with
``bench/match_inprocess.py``'s generator (random 384-dimensional vectors, real CSCO-2022
codes, around Wuhan), loads them into the embedded index, and then does what
``service.matchruns.service`` does, batch by batch of 100 people:

Before the run, the people are stored in a scratch SQLite database with the service's tables
(WAL-journaled as the service's SQLite is): their rows, group memberships and the vectors
``jobcircle embed`` would have stored. Postings and cases do not need their rows there: foreign
keys are not checked, as SQLite checks them only when asked. Then:

1. order the people by their nearest open promise deadline (``service.cases.clocks`` over
   generated registration and certification dates);
2. read each batch with the service's ``prepare_batch``: the people's rows, their stored
   vectors and the pairs each was recommended before (a tenth of the people carry two earlier
   cases, written before the run), and their documents built (jieba tokens included);
3. match the batch once, for the top k + the earlier pairs;
4. record the new cases with the service's ``record_batch`` (``CaseRows``: one bulk insert of
   cases and one of their events per batch), committed per batch.

The batches go through the service's pipeline (``service.matchruns.pipeline.run_batches``) and
``matching.parallel.MatchWorkers`` as a run in the service does: with ``--workers`` (default:
cores - 1, as ``JOBCIRCLE_MATCH_WORKERS``) forked processes match a share of each batch while
this process records the batch before and reads the batch after.

It prints the time of each step, the time per
person (mean over the run, p50/p95 over the batches) and the total, measured or extrapolated
to 50,000 people, beside the target of 2 minutes.

    python bench/match_run.py [--people 50000] [--postings 100000] [--top-k 10] [--workers W]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from match_inprocess import GROUPS, NOW, generate, rss
from sqlalchemy import event, insert
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

import service.models  # noqa: F401  (every table, for the mapper)
from matching.documents import GroupMembership, search_tokens
from matching.embed import Encoder
from matching.index.embedded import EmbeddedIndex
from matching.matcher import Matcher
from matching.parallel import MatchWorkers, default_workers
from matching.policy import load_default_policy
from matching.taxonomy import load_taxonomy
from service.cases.clocks import PersonFacts, nearest_open_deadline, promise_clocks
from service.config import Settings
from service.embeddings.service import jobseeker_text, store_vectors
from service.jobseekers.models import Jobseeker, JobseekerGroup
from service.matchruns.caserows import CaseRows
from service.matchruns.models import MatchRun
from service.matchruns.pipeline import run_batches
from service.matchruns.service import BatchResult, PreparedBatch, prepare_batch, record_batch
from service.memory import return_freed_memory
from service.reference.data import load_reference

BATCH = 100
TARGET_SECONDS = 120
TARGET_PEOPLE = 50_000
SETTINGS = Settings(_env_file=None)  # type: ignore[call-arg]


def priority_people(jobseekers: list, rng: np.random.Generator) -> list:
    """Every generated person seeking work and in a priority group (certified some days ago)."""
    people = []
    for i, person in enumerate(jobseekers):
        group = GROUPS[i % len(GROUPS)]
        certified = (NOW - timedelta(days=int(rng.integers(0, 60)))).date()
        people.append(
            dataclasses.replace(
                person,
                groups=(GroupMembership(group, certified),),
                status="seeking",
                registered_at=NOW - timedelta(days=int(rng.integers(0, 60))),
            )
        )
    return people


def order_by_deadline(people: list) -> list:
    policy = load_default_policy()
    today = NOW.date()
    keyed = []
    for person in people:
        facts = PersonFacts(
            jobseeker_id=person.id,
            registered_on=person.registered_at.date(),
            status="seeking",
            groups={g.code: g.certified_at for g in person.groups},
        )
        deadline = nearest_open_deadline(promise_clocks(policy, facts, today))
        keyed.append((deadline is None, deadline or today, person.id, person))
    keyed.sort(key=lambda k: k[:3])
    return [k[-1] for k in keyed]


def _journal_as_the_service(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # as ``service.db`` sets up SQLite
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


async def scratch_sessionmaker(path: Path) -> async_sessionmaker[AsyncSession]:
    """The service's schema in a scratch SQLite file, journaled as the service journals it.
    SQLite checks foreign keys only when asked (the service asks; this engine does not), so
    cases can name generated ids."""
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}")
    event.listen(engine.sync_engine, "connect", _journal_as_the_service)
    async with engine.begin() as conn:
        await conn.run_sync(SQLModel.metadata.create_all)
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


async def record_earlier(
    sessionmaker: async_sessionmaker[AsyncSession], matcher: Matcher, people: list, run: MatchRun
) -> int:
    """Two cases each for a tenth of the people, as an earlier run would have left them."""
    cases = CaseRows(run, NOW)
    chosen = people[::10]
    for start in range(0, len(chosen), BATCH):
        block = chosen[start : start + BATCH]
        found = await matcher.postings_for_many(block, limit=2, now=NOW)
        for person, matches in zip(block, found, strict=True):
            for match in matches:
                cases.add(person.id, match.posting_id, match.score, match.reasons)
    async with sessionmaker() as session:
        await cases.insert(session)
        await session.commit()
    return len(cases.recommendations)


@dataclass
class Timings:
    reading: float = 0.0
    writing: float = 0.0
    batches: list[float] = field(default_factory=list)  # ms per person of each batch
    created: int = 0
    skipped_pairs: int = 0


async def store_people(
    sessionmaker: async_sessionmaker[AsyncSession], people: list, encoder: Encoder
) -> None:
    """The people as the service keeps them: rows, group memberships, and the vectors
    ``jobcircle embed`` would have stored for their texts, so that each batch is read and its
    documents built by the service's own ``prepare_batch``. The generated person wishes for
    one occupation and names it as the wished title (their tokens are then the same words)."""
    taxonomy = load_taxonomy()
    for start in range(0, len(people), 2000):
        chunk = people[start : start + 2000]
        rows = [
            Jobseeker(
                id=p.id,
                name=f"求职者{p.id}",
                adcode=p.adcode,
                home_lat=p.lat,
                home_lon=p.lon,
                location_precision=p.location_precision,
                desired_titles=[taxonomy.get(code).name for code in p.desired_occupations],
                desired_occupations=list(p.desired_occupations),
                skills=list(p.skills),
                salary_expectation=p.salary_expectation,
                travel_mode=p.travel_mode,
                travel_max_minutes=p.travel_max_minutes,
                status=p.status,
                created_at=p.registered_at,
                updated_at=p.registered_at,
            )
            for p in chunk
        ]
        groups = [
            {"jobseeker_id": p.id, "group_code": g.code, "certified_at": g.certified_at}
            for p in chunk
            for g in p.groups
        ]
        async with sessionmaker() as session:
            connection = await session.connection()
            await connection.execute(insert(Jobseeker), [row.model_dump() for row in rows])
            await connection.execute(insert(JobseekerGroup), groups)
            texts = {row.id: jobseeker_text(row, taxonomy) for row in rows}
            vectors = [p.vector for p in chunk]
            await store_vectors(session, "jobseeker", encoder.model_id, texts, vectors)
            await session.commit()


async def run_pipeline(
    sessionmaker: async_sessionmaker[AsyncSession],
    matcher: MatchWorkers,
    run: MatchRun,
    ids: list[str],
    timings: Timings,
) -> None:
    """What ``service.matchruns.service.execute`` does: the service's pipeline, reading
    (``prepare_batch``: the people's rows, stored vectors and earlier pairs, their documents
    built) and recording, at the generator's moment."""
    search = SimpleNamespace(encoder=Encoder(SETTINGS.embedding_model), tokenize=search_tokens)
    ref = load_reference(SETTINGS)
    batches = [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]
    last = time.perf_counter()

    async def prepare(batch: list[str]) -> PreparedBatch:
        began = time.perf_counter()
        prepared = await prepare_batch(sessionmaker, search, ref, run, batch)  # type: ignore[arg-type]
        prepared.now = NOW  # the generated postings are open as of then
        timings.reading += time.perf_counter() - began
        return prepared

    async def record(batch: PreparedBatch, found: list) -> BatchResult:
        began = time.perf_counter()
        result = await record_batch(sessionmaker, run, batch, found)
        timings.writing += time.perf_counter() - began
        return result

    async def done(result: BatchResult) -> None:
        nonlocal last
        now = time.perf_counter()
        timings.batches.append(1000 * (now - last) / result.done)
        last = now
        timings.created += result.created
        timings.skipped_pairs += result.already

    await run_batches(batches, matcher, prepare, record, done)


def children_cpu() -> float:
    """CPU seconds of the child processes that have ended (the match workers, once joined)."""
    times = os.times()
    return times.children_user + times.children_system


def memory_of(pid: int | str) -> str:
    """Resident memory, and the part of it not shared with another process (a forked worker
    shares the parent's index pages until either writes them)."""
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    rss_kb = int(dict(line.split(":", 1) for line in status if ":" in line)["VmRSS"].split()[0])
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    private = sum(int(line.split()[1]) for line in rollup if line.startswith("Private_"))
    return f"VmRSS {rss_kb / 1024:,.0f} MiB (private {private / 1024:,.0f} MiB)"


async def main(n_people: int, n_postings: int, top_k: int, workers: int) -> None:
    blas = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    print(f"load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores); "
          f"OPENBLAS_NUM_THREADS={blas}")  # fmt: skip
    print(f"generating {n_postings:,} postings and {n_people:,} priority-group people ...")
    started = time.perf_counter()
    postings, jobseekers = generate(n_postings, n_people)
    rng = np.random.default_rng(2026)
    people = priority_people(jobseekers, rng)
    del jobseekers
    print(f"  generated in {time.perf_counter() - started:.1f} s")

    index = EmbeddedIndex()
    started = time.perf_counter()
    index.load_sync(postings + people)
    print(f"index build: {time.perf_counter() - started:.1f} s")
    del postings
    gc.collect()
    return_freed_memory()
    matcher = Matcher(index, load_taxonomy(), load_default_policy())
    run = MatchRun(id="bench", created_by="bench", created_by_role="staff", top_k=top_k)

    started = time.perf_counter()
    ordered = order_by_deadline(people)
    ordering = time.perf_counter() - started
    print(f"ordering by promise deadline: {ordering:.2f} s")

    with tempfile.TemporaryDirectory() as scratch:
        sessionmaker = await scratch_sessionmaker(Path(scratch) / "cases.db")
        started = time.perf_counter()
        await store_people(sessionmaker, ordered, Encoder(SETTINGS.embedding_model))
        print(f"people stored as the service stores them: {time.perf_counter() - started:.1f} s")
        earlier = await record_earlier(sessionmaker, matcher, ordered, run)
        print(f"earlier cases written before the run: {earlier:,}")
        timings = Timings()
        run_started, cpu_started = time.perf_counter(), time.process_time() + children_cpu()
        async with MatchWorkers(matcher, workers) as shared:
            print(f"match workers: {shared.count} forked (asked for {workers})")
            await run_pipeline(sessionmaker, shared, run, [p.id for p in ordered], timings)
            if shared.count:  # each side's matching time per person, smoothed over batches
                costs = [shared.own_cost] + [w.cost for w in shared.workers]
                ms = [f"{1000 * (c or 0):.2f} ms" for c in costs]
                print(f"matching per person in its share: parent {ms[0]}, workers "
                      f"{', '.join(ms[1:])}; parent's other work per batch "
                      f"{1000 * shared.elsewhere:.0f} ms")  # fmt: skip
            memory = [f"parent {memory_of('self')}"]
            memory += [f"worker {pid} {memory_of(pid)}" for pid in shared.pids]
        total = time.perf_counter() - run_started + ordering
        cpu = time.process_time() + children_cpu() - cpu_started + ordering  # workers joined

    n = len(ordered)
    per_person = 1000 * total / n
    batches = sorted(timings.batches)
    p95 = batches[min(len(batches) - 1, round(0.95 * len(batches)) - 1)]
    print(f"\nmatch run: {n:,} people against {n_postings:,} postings, top {top_k}: "
          f"{timings.created:,} cases recorded, "
          f"{timings.skipped_pairs:,} earlier pairs skipped")  # fmt: skip
    print(f"  per person, by batch of {BATCH}: p50 {statistics.median(batches):.2f} ms   "
          f"p95 {p95:.2f} ms")  # fmt: skip
    matching = total - ordering - timings.reading - timings.writing
    for name, seconds in (
        ("reading (prepare_batch)", timings.reading),
        ("matching (the rest)", matching),
        ("writing cases (SQLite)", timings.writing),
        ("ordering", ordering),
    ):
        print(f"  {name:24} {seconds:8.1f} s   ({1000 * seconds / n:.2f} ms per person)")
    print(f"  whole run                {total:8.1f} s   ({per_person:.2f} ms per person); "
          f"CPU, workers too {cpu:.1f} s ({1000 * cpu / n:.2f} ms per person)")  # fmt: skip
    estimate = per_person * TARGET_PEOPLE / 1000
    verdict = "met" if estimate <= TARGET_SECONDS else "NOT met"
    scale = "measured" if n == TARGET_PEOPLE else "extrapolated linearly"
    print(f"  {TARGET_PEOPLE:,} people: {estimate:.0f} s ({scale}); target ≤ "
          f"{TARGET_SECONDS} s — {verdict}")  # fmt: skip
    print(f"load average at end: {os.getloadavg()[0]:.2f}; memory: {rss()}")
    print("memory at the end of the run: " + "; ".join(memory))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=TARGET_PEOPLE)
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--top-k", type=int, default=10)
    parser.add_argument(
        "--workers", type=int, default=default_workers(), help="forked match workers"
    )
    args = parser.parse_args()
    asyncio.run(main(args.people, args.postings, args.top_k, args.workers))
