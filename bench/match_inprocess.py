"""In-process matching at city scale: build time, query latency, memory. Not a test.

Generates 100,000 open postings and 200,000 jobseekers around Wuhan (30.35–30.85 N,
113.95–114.65 E) with random 384-dimensional unit vectors and real CSCO-2022 occupation codes,
loads them into the embedded index, then runs 200 jobseeker→postings and 200 posting→jobseekers
matches and prints p50/p95 for

- the index query alone (hard filters incl. travel, BM25, exact cosine, top-k),
- the bare numpy floor: one float32 matrix–vector product over all rows, the same filter mask
  (precomputed, not timed) applied, top-k by argpartition,
- the full match (index queries + exact ranking + priority policy) through ``Matcher``,

with build time and resident memory (VmRSS / VmHWM from /proc/self/status).

    python bench/match_inprocess.py [--postings 100000] [--jobseekers 200000] [--queries 200]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matching.documents import (
    EMPLOYMENT_TYPES,
    TRAVEL_MODES,
    GroupMembership,
    JobseekerDoc,
    PostingDoc,
    default_tokenize,
)
from matching.index.base import (
    JobseekerFilters,
    JobseekerQuery,
    JobseekerReach,
    PostingFilters,
    PostingQuery,
    TravelFilter,
)
from matching.index.embedded import EmbeddedIndex
from matching.matcher import Matcher
from matching.policy import load_default_policy
from matching.taxonomy import load_taxonomy
from service.memory import return_freed_memory

DIM = 384
LAT, LON = (30.35, 30.85), (113.95, 114.65)
CHINA = timezone(timedelta(hours=8))
NOW = datetime(2025, 3, 3, 9, 0, tzinfo=CHINA)
WUHAN_DISTRICTS = ("420102", "420103", "420104", "420105", "420106", "420107", "420111",
                   "420112", "420113", "420114", "420115", "420116", "420117")  # fmt: skip
GROUPS = ("graduate", "veteran", "employment_difficulty", "zero_employment_household",
          "migrant_worker", "older_worker", "disabled", "fishing_ban_fisher")  # fmt: skip


def rss() -> dict[str, float]:
    status = Path("/proc/self/status").read_text().splitlines()
    fields = dict(line.split(":", 1) for line in status if ":" in line)
    return {k: int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM")}


def unit_vectors(rng: np.random.Generator, n: int) -> np.ndarray:
    vectors = rng.standard_normal((n, DIM), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def occupation_pool(rng: np.random.Generator) -> tuple[list[str], dict[str, tuple[str, ...]]]:
    """400 detailed occupations, weighted toward services and production like real vacancies."""
    taxonomy = load_taxonomy()
    leaves = [o for o in taxonomy if o.level == 4]
    weights = np.array([4.0 if o.code[0] in "46" else 1.0 for o in leaves])
    chosen = rng.choice(len(leaves), size=400, replace=False, p=weights / weights.sum())
    codes = [leaves[i].code for i in chosen]
    tokens = {code: tuple(default_tokenize(taxonomy.get(code).name)) for code in codes}
    return codes, tokens


def generate(n_postings: int, n_jobseekers: int, seed: int = 7) -> tuple[list, list]:
    rng = np.random.default_rng(seed)
    codes, code_tokens = occupation_pool(rng)
    skills = [f"技能{i}" for i in range(3000)]
    zipf = np.minimum(rng.zipf(1.3, size=n_postings + n_jobseekers), len(codes)) - 1
    p_vectors, s_vectors = unit_vectors(rng, n_postings), unit_vectors(rng, n_jobseekers)
    postings = []
    kinds = rng.choice(len(EMPLOYMENT_TYPES), size=n_postings, p=[0.6, 0.1, 0.2, 0.05, 0.05])
    lats, lons = rng.uniform(*LAT, n_postings), rng.uniform(*LON, n_postings)
    for i in range(n_postings):
        code = codes[zipf[i]]
        kind = EMPLOYMENT_TYPES[kinds[i]]
        gig = kind == "gig"
        start = NOW + timedelta(hours=int(rng.integers(1, 240))) if gig else None
        own_skills = tuple(skills[j] for j in rng.integers(0, len(skills), 3))
        postings.append(
            PostingDoc(
                id=f"p{i}",
                employer_id=f"e{i % 20000}",
                title=code,
                occupation_code=code,
                employment_type=kind,
                valid_until=date(2025, 3, 3) + timedelta(days=int(rng.integers(-5, 60))),
                starts_at=start,
                ends_at=start + timedelta(hours=8) if start else None,
                salary_min=int(rng.integers(150, 300)) if gig else int(rng.integers(3, 9)) * 1000,
                salary_max=None if gig else int(rng.integers(9, 15)) * 1000,
                salary_unit="day" if gig else "month",
                adcode=WUHAN_DISTRICTS[i % len(WUHAN_DISTRICTS)],
                lat=float(lats[i]),
                lon=float(lons[i]),
                location_precision="point" if rng.random() < 0.9 else "district",
                reserved_for=("employment_difficulty",) if kind == "public_welfare" else (),
                event_ids=(f"ev{i % 250}",) if rng.random() < 0.1 else (),
                employer_credit="c_grade" if rng.random() < 0.01 else "normal",
                skills=own_skills,
                created_at=NOW - timedelta(days=int(rng.integers(0, 60))),
                tokens=code_tokens[code] + own_skills,
                vector=p_vectors[i],
            )
        )
    jobseekers = []
    lats, lons = rng.uniform(*LAT, n_jobseekers), rng.uniform(*LON, n_jobseekers)
    modes = rng.choice(len(TRAVEL_MODES), size=n_jobseekers, p=[0.35, 0.1, 0.3, 0.2, 0.05])
    for i in range(n_jobseekers):
        code = codes[zipf[n_postings + i]]
        own_skills = tuple(skills[j] for j in rng.integers(0, len(skills), 4))
        member = rng.random() < 0.2
        jobseekers.append(
            JobseekerDoc(
                id=f"s{i}",
                desired_occupations=(code,),
                skills=own_skills,
                salary_expectation=int(rng.integers(3, 10)) * 1000,
                adcode=WUHAN_DISTRICTS[i % len(WUHAN_DISTRICTS)],
                lat=float(lats[i]),
                lon=float(lons[i]),
                travel_mode=TRAVEL_MODES[modes[i]],
                travel_max_minutes=int(rng.choice([15, 20, 30, 45])),
                groups=(GroupMembership(GROUPS[i % len(GROUPS)]),) if member else (),
                consent_show_to_employers=rng.random() < 0.7,
                status="seeking" if rng.random() < 0.9 else "placed",
                registered_at=NOW - timedelta(days=int(rng.integers(0, 365))),
                tokens=code_tokens[code] + own_skills,
                vector=s_vectors[i],
            )
        )
    return postings, jobseekers


def percentiles(samples: list[float]) -> str:
    ms = sorted(1000 * s for s in samples)
    p95 = ms[min(len(ms) - 1, round(0.95 * len(ms)) - 1)]
    return f"p50 {statistics.median(ms):7.2f} ms   p95 {p95:7.2f} ms"


def seeker_query(seeker: JobseekerDoc) -> PostingQuery:
    travel = TravelFilter(seeker.lat, seeker.lon, seeker.travel_mode, seeker.travel_max_minutes)
    filters = PostingFilters(now=NOW, viewer_groups=seeker.group_codes, travel=travel)
    return PostingQuery(filters, tokens=seeker.tokens, vector=seeker.vector)


def floor_time(index: EmbeddedIndex, query: PostingQuery, k: int) -> float:
    """The bare numpy floor: product over all rows, same (precomputed) mask, top-k."""
    return floor_times(index, query, k)[0]


def floor_times(index: EmbeddedIndex, query: PostingQuery, k: int) -> tuple[float, float]:
    """The floor's (wall seconds, CPU seconds of every thread of the process)."""
    table = index._postings  # the benchmark may look inside
    mask = index.posting_mask(query.filters)
    if query.filters.travel is not None:
        mask &= index.posting_travel(query.filters.travel)[0]
    assert table.vectors is not None and query.vector is not None
    start, cpu = time.perf_counter(), time.process_time()
    scores = table.vectors[: table.size] @ query.vector
    scores[~mask] = -np.inf
    top = np.argpartition(-scores, k)[:k]
    top[np.argsort(-scores[top])]
    return time.perf_counter() - start, time.process_time() - cpu


async def main(n_postings: int, n_jobseekers: int, n_queries: int) -> None:
    print(f"generating {n_postings:,} postings and {n_jobseekers:,} jobseekers ...", flush=True)
    started = time.perf_counter()
    postings, jobseekers = generate(n_postings, n_jobseekers)
    print(f"  generated in {time.perf_counter() - started:.1f} s; memory {rss()}")
    rng = np.random.default_rng(11)
    # Copies: the generated vectors are rows of one matrix, which a view would keep alive.
    sample_seekers = [
        dataclasses.replace(jobseekers[i], vector=jobseekers[i].vector.copy())
        for i in rng.choice(len(jobseekers), n_queries, replace=False)
    ]
    sample_postings = [
        dataclasses.replace(postings[i], vector=postings[i].vector.copy())
        for i in rng.choice(len(postings), n_queries, replace=False)
    ]

    index = EmbeddedIndex()
    before = rss()["VmRSS"]
    started = time.perf_counter()
    index.load_sync(postings + jobseekers)
    build = time.perf_counter() - started
    del postings, jobseekers
    gc.collect()
    return_freed_memory()
    memory = rss()
    print(f"build: {build:.1f} s for {await index.count_postings():,} postings and "
          f"{await index.count_jobseekers():,} jobseekers (target < 30 s)")  # fmt: skip
    print(f"memory after build, generated documents freed: VmRSS {memory['VmRSS']:.0f} MiB "
          f"(before the build, with them: {before:.0f} MiB); peak VmHWM {memory['VmHWM']:.0f} MiB "
          "(target ≤ 2048 MiB)")  # fmt: skip

    k = 300
    index_times, floor_times, selected = [], [], []
    for seeker in sample_seekers:
        query = seeker_query(seeker)
        started = time.perf_counter()
        found = index.search_postings_sync([query], [k])[0]
        index_times.append(time.perf_counter() - started)
        floor_times.append(floor_time(index, query, k))
        selected.append(len(found))
    print(f"\njobseeker→postings, index query (filters + travel + BM25 + cosine, top {k}):")
    print(f"  index        {percentiles(index_times)}   (target p95 ≤ 50 ms)")
    print(f"  numpy floor  {percentiles(floor_times)}   (index target ≤ 2× floor)")
    print(f"  candidates returned: median {statistics.median(selected):.0f}")

    unfiltered = []
    for seeker in sample_seekers:
        query = PostingQuery(PostingFilters(now=NOW), tokens=seeker.tokens, vector=seeker.vector)
        started = time.perf_counter()
        index.search_postings_sync([query], [k])
        unfiltered.append(time.perf_counter() - started)
    print(f"  no travel limit (all 100k pass) {percentiles(unfiltered)}")

    reverse = []
    for posting in sample_postings:
        reach = JobseekerReach(posting.lat, posting.lon)
        query = JobseekerQuery(
            JobseekerFilters(reach=reach), tokens=posting.tokens, vector=posting.vector
        )
        started = time.perf_counter()
        index.search_jobseekers_sync([query], [k])
        reverse.append(time.perf_counter() - started)
    print(f"\nposting→jobseekers, index query (each person's own mode and limit, top {k}):")
    print(f"  index        {percentiles(reverse)}")

    matcher = Matcher(index, load_taxonomy(), load_default_policy())
    await matcher.postings_for(sample_seekers[0], now=NOW)  # warm-up (threads, caches)
    full = []
    for seeker in sample_seekers:
        started = time.perf_counter()
        await matcher.postings_for(seeker, now=NOW, limit=20)
        full.append(time.perf_counter() - started)
    print(f"\njobseeker→postings, full match (Matcher.postings_for, top 20): {percentiles(full)}")

    people = []
    for posting in sample_postings:
        started = time.perf_counter()
        await matcher.jobseekers_for(posting, now=NOW, limit=20, for_employer=False)
        people.append(time.perf_counter() - started)
    print(f"posting→jobseekers, full match (Matcher.jobseekers_for, top 20): {percentiles(people)}")
    upserts = []
    for i in range(2000):
        changed = dataclasses.replace(
            sample_postings[i % len(sample_postings)], title=f"更新{i}", salary_min=4000 + i
        )
        started = time.perf_counter()
        await index.upsert_posting(changed)
        upserts.append(time.perf_counter() - started)
    merges = []
    for table in (index._postings, index._jobseekers):
        started = time.perf_counter()
        table.terms.merge()
        merges.append(time.perf_counter() - started)
    slowest = max(upserts) * 1000
    print(f"\nupsert (through the worker thread): {percentiles(upserts)}   max {slowest:.2f} ms")
    print(
        "term-index merge (amortised, every ~10% of rows changed): "
        f"postings {merges[0] * 1000:.0f} ms, jobseekers {merges[1] * 1000:.0f} ms"
    )
    print(f"\nfinal memory: {rss()}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--jobseekers", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(main(args.postings, args.jobseekers, args.queries))
