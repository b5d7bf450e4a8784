"""A staff match run at city scale: time per person and in total. Not a test.

Generates 100,000 open postings and N priority-group jobseekers (default 50,000) with
``bench/match_inprocess.py``'s generator (random 384-dimensional vectors, real CSCO-2022
codes, around Wuhan), loads them into the embedded index, and then does what
``service.matchruns.service.execute`` does for each person, step by step:

1. order the people by their nearest open promise deadline (``service.cases.clocks`` over
   generated registration and certification dates);
2. ask ``Matcher.postings_for`` for the top k + the pairs recommended before (a tenth of the
   people carry two earlier recommendations, which are skipped);
3. record the new cases: ``Recommendation`` and ``RecommendationEvent`` rows through the ORM,
   committed per batch of 100 people as a run does, into a scratch SQLite database (the
   service's tables; the people and postings themselves are not in it).

It prints the time of each step, the time per person (p50/p95 of the match, and the mean of the
whole), and the total against the target of 2 minutes for 50,000 people.

    python bench/match_run.py [--people 50000] [--postings 100000] [--top-k 10]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from match_inprocess import GROUPS, NOW, generate, percentiles, rss
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

import service.models  # noqa: F401  (every table, for the mapper)
from matching.documents import GroupMembership
from matching.index.embedded import EmbeddedIndex
from matching.matcher import Matcher
from matching.policy import load_default_policy
from matching.taxonomy import load_taxonomy
from service.cases.clocks import PersonFacts, nearest_open_deadline, promise_clocks
from service.memory import return_freed_memory
from service.recommendations.models import Recommendation, RecommendationEvent

BATCH = 100
TARGET_SECONDS = 120
TARGET_PEOPLE = 50_000


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


async def scratch_sessionmaker(path: Path) -> async_sessionmaker[AsyncSession]:
    """The service's schema in a scratch SQLite file. SQLite checks foreign keys only when
    asked (the service asks; this engine does not), so cases can name generated ids."""
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as conn:
        await conn.run_sync(SQLModel.metadata.create_all)
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


async def record(
    sessionmaker: async_sessionmaker[AsyncSession], batch: list[tuple[str, list]]
) -> None:
    async with sessionmaker() as session:
        for person_id, matches in batch:
            for match in matches:
                rec = Recommendation(
                    jobseeker_id=person_id,
                    posting_id=match.posting_id,
                    score=match.score,
                    reasons=list(match.reasons),
                    created_by="bench",
                    match_run_id="bench",
                )
                session.add(rec)
                session.add(
                    RecommendationEvent(
                        recommendation_id=rec.id,
                        jobseeker_id=person_id,
                        to_status=rec.status,
                        actor="bench",
                        actor_role="staff",
                    )
                )
        await session.commit()


async def main(n_people: int, n_postings: int, top_k: int) -> None:
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

    started = time.perf_counter()
    ordered = order_by_deadline(people)
    ordering = time.perf_counter() - started
    print(f"ordering by promise deadline: {ordering:.2f} s")

    # a tenth of the people were recommended two postings before: found, skipped, not repeated
    earlier: dict[str, set[str]] = {}
    for person in ordered[::10]:
        found = await matcher.postings_for(person, limit=2, now=NOW)
        earlier[person.id] = {m.posting_id for m in found}

    with tempfile.TemporaryDirectory() as scratch:
        sessionmaker = await scratch_sessionmaker(Path(scratch) / "cases.db")
        match_times: list[float] = []
        recording = 0.0
        created = skipped_pairs = 0
        run_started = time.perf_counter()
        for start in range(0, len(ordered), BATCH):
            batch = []
            for person in ordered[start : start + BATCH]:
                seen = earlier.get(person.id, set())
                began = time.perf_counter()
                matches = await matcher.postings_for(person, limit=top_k + len(seen), now=NOW)
                match_times.append(time.perf_counter() - began)
                fresh = [m for m in matches if m.posting_id not in seen][:top_k]
                skipped_pairs += len(matches) - len(
                    [m for m in matches if m.posting_id not in seen]
                )
                created += len(fresh)
                batch.append((person.id, fresh))
            began = time.perf_counter()
            await record(sessionmaker, batch)
            recording += time.perf_counter() - began
        total = time.perf_counter() - run_started + ordering

    per_person = 1000 * total / len(ordered)
    print(f"\nmatch run: {len(ordered):,} people, top {top_k}: {created:,} cases recorded, "
          f"{skipped_pairs:,} earlier pairs skipped")  # fmt: skip
    print(f"  match per person     {percentiles(match_times)}   "
          f"mean {1000 * statistics.mean(match_times):.2f} ms")  # fmt: skip
    print(f"  matching total       {sum(match_times):8.1f} s")
    print(f"  recording (SQLite)   {recording:8.1f} s   "
          f"({1000 * recording / len(ordered):.2f} ms per person)")  # fmt: skip
    print(f"  ordering             {ordering:8.1f} s")
    print(f"  whole run            {total:8.1f} s   ({per_person:.2f} ms per person)")
    estimate = per_person * TARGET_PEOPLE / 1000
    verdict = "met" if estimate <= TARGET_SECONDS else "NOT met"
    scale = "measured" if len(ordered) == TARGET_PEOPLE else "extrapolated linearly"
    print(f"  {TARGET_PEOPLE:,} people: {estimate:.0f} s ({scale}); target ≤ "
          f"{TARGET_SECONDS} s — {verdict}")  # fmt: skip
    print(f"memory: {rss()}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=TARGET_PEOPLE)
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--top-k", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(main(args.people, args.postings, args.top_k))
