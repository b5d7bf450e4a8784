"""Matching at city scale on the demo generator's data, through the database and over HTTP.

Not a test. Prepare a database once (idempotent: a repeated run adds nothing):

    python bench/match_city.py --database-url URL --prepare

runs ``jobcircle migrate``, ``jobcircle demo --postings 101500 --jobseekers 200000
--employers 8000`` (about 1 % of the postings are rejected by screening, which leaves about
100,000 open) and ``jobcircle embed`` (every vector stored once). Then

    python bench/match_city.py --database-url URL [--queries 200] [--no-http]

prints, beside the targets,

- the index build from the database, as the service does it at start-up (rows and their stored
  vectors → the embedded index; nothing is encoded), and the process's resident memory;
- in process, p50/p95 of jobseeker→postings (``Matcher.postings_for``, top 20) and
  posting→jobseekers (``Matcher.jobseekers_for``), of the index query alone, and the floor: a
  bare NumPy product over the same vectors with the same filter mask (precomputed, not timed)
  and a top-k;
- over HTTP, against ``jobcircle serve`` on the same database: time until ready (its own
  build), p50/p95 of ``GET /jobseekers/{id}/matches`` and ``GET /postings/{id}/matches`` one
  request at a time, the server's memory, and the time from ``POST /postings`` until
  ``/postings/search`` finds the new posting.

The queries are people and postings drawn with a fixed seed; their documents are built from
the database as the endpoints build them (row and stored vector), outside the timing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import func
from sqlmodel import col, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_latency import free_port, rss_mib
from match_inprocess import floor_times, rss

from matching.embed import Encoder
from matching.index.embedded import EmbeddedIndex
from matching.matcher import Matcher
from service.config import Settings
from service.db import create_engine, create_sessionmaker
from service.embeddings.models import StoredEmbedding
from service.jobseekers.models import Jobseeker
from service.memory import return_freed_memory
from service.postings.models import Posting
from service.reference.data import load_reference
from service.search.indexer import Indexer
from service.search.runtime import SearchRuntime, search_tokens
from service.search.service import person_doc, posting_doc

API = "/api/v1"
K = 300  # candidates the matcher asks the index for, as in Matcher.postings_for


def ms(samples: list[float]) -> tuple[float, float]:
    values = sorted(1000 * s for s in samples)
    return statistics.median(values), values[min(len(values) - 1, round(0.95 * len(values)) - 1)]


def line(name: str, samples: list[float], note: str = "") -> None:
    p50, p95 = ms(samples)
    print(f"  {name:<44} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   {note}")


def env_for(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOBCIRCLE_")}
    env.update(JOBCIRCLE_DATABASE_URL=url, JOBCIRCLE_LOG_LEVEL="WARNING", HF_HUB_OFFLINE="1")
    return env


def prepare(url: str, postings: int, jobseekers: int, employers: int) -> None:
    jobcircle = [sys.executable, "-m", "service.cli"]
    env = env_for(url)
    steps = (
        ["migrate"],
        [
            "demo",
            "--postings",
            str(postings),
            "--jobseekers",
            str(jobseekers),
            "--employers",
            str(employers),
        ],
        ["embed"],
    )
    for step in steps:
        started = time.perf_counter()
        subprocess.run([*jobcircle, *step], env=env, check=True)
        print(f"jobcircle {step[0]}: {time.perf_counter() - started:.0f} s", flush=True)


async def sample_ids(maker, n: int) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    rng = random.Random(2026)
    async with maker() as session:
        people = (
            await session.exec(
                select(Jobseeker.id).where(
                    col(Jobseeker.deleted_at).is_(None), Jobseeker.status == "seeking"
                )
            )
        ).all()
        postings = (await session.exec(select(Posting.id).where(Posting.status == "open"))).all()
    return rng.sample(sorted(people), n), rng.sample(sorted(postings), n)


async def in_process(url: str, n_queries: int) -> tuple[list[str], list[str]]:
    settings = Settings(_env_file=None, database_url=url, log_level="WARNING")
    ref = load_reference(settings)
    engine = create_engine(settings)
    maker = create_sessionmaker(engine)
    async with maker() as session:
        counts = {
            "open postings": (
                await session.exec(
                    select(func.count()).select_from(Posting).where(Posting.status == "open")
                )
            ).one(),
            "jobseekers": (await session.exec(select(func.count()).select_from(Jobseeker))).one(),
            "stored vectors": (
                await session.exec(select(func.count()).select_from(StoredEmbedding))
            ).one(),
        }
    print("database: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))

    encoder = Encoder(settings.embedding_model)
    index = EmbeddedIndex()
    indexer = Indexer(index, maker, encoder, ref.taxonomy, ref.policy, search_tokens)
    return_freed_memory()
    before = rss()["VmRSS"]
    built = await indexer.build()
    return_freed_memory()
    after = rss()
    print(
        f"\nindex build from the database: {built['seconds']:.1f} s for "
        f"{built['postings']:,} postings and {built['jobseekers']:,} jobseekers (target ≤ 30 s)"
    )
    print(
        f"resident memory: {after['VmRSS']:.0f} MiB after the build ({before:.0f} MiB before: "
        f"interpreter, reference data, normaliser); peak {after['VmHWM']:.0f} MiB "
        "(target ≤ 2048 MiB)"
    )

    people_ids, posting_ids = await sample_ids(maker, n_queries)
    runtime = SearchRuntime(
        encoder=encoder, matcher=Matcher(index, ref.taxonomy, ref.policy), indexer=indexer,
        tokenize=search_tokens,
    )  # fmt: skip
    async with maker() as session:
        people = [
            await person_doc(session, runtime, ref, p)
            for p in (
                await session.exec(select(Jobseeker).where(col(Jobseeker.id).in_(people_ids)))
            )
        ]
        rows = await session.exec(select(Posting).where(col(Posting.id).in_(posting_ids)))
        postings = [await posting_doc(session, runtime, ref, p) for p in rows.all()]
    matcher = runtime.matcher
    now = datetime.now(UTC)
    await matcher.postings_for(people[0], now=now)  # warm-up: threads, caches

    index_times, floor_wall, full, returned = [], [], [], []
    cpu: dict[str, list[float]] = {"full": [], "index": [], "floor": []}
    # One pass per measure, so what one leaves behind (BLAS threads still spinning after the
    # floor's product, caches) is not charged to the next.
    for seeker in people:
        query, _, _ = matcher.posting_query(seeker, now=now)  # what postings_for asks first
        started, used = time.perf_counter(), time.process_time()
        found = index.search_postings_sync([query], [K])[0]
        index_times.append(time.perf_counter() - started)
        cpu["index"].append(time.process_time() - used)
        returned.append(len(found))
    for seeker in people:
        if seeker.vector is not None:
            query, _, _ = matcher.posting_query(seeker, now=now)
            wall, floor_cpu = floor_times(index, query, K)
            floor_wall.append(wall)
            cpu["floor"].append(floor_cpu)
    for seeker in people:
        started, used = time.perf_counter(), time.process_time()
        await matcher.postings_for(seeker, now=now, limit=20)
        full.append(time.perf_counter() - started)
        cpu["full"].append(time.process_time() - used)
    reverse = []
    for posting in postings:
        started = time.perf_counter()
        await matcher.jobseekers_for(posting, now=now, limit=20, for_employer=False)
        reverse.append(time.perf_counter() - started)

    floor_p95 = ms(floor_wall)[1]
    print(f"\nin process, {len(people)} people and {len(postings)} postings drawn with seed 2026:")
    line("jobseeker→postings, full match (top 20)", full, "target p95 ≤ 50 ms, ≤ 2× floor")
    line(f"jobseeker→postings, index query (top {K})", index_times)
    line("floor: numpy product + same mask + top-k", floor_wall)
    print(f"  full match p95 / floor p95 = {ms(full)[1] / floor_p95:.2f}×, index query p95 / "
          f"floor p95 = {ms(index_times)[1] / floor_p95:.2f}×; candidates returned by the index: "
          f"median {statistics.median(returned):.0f}")  # fmt: skip
    # CPU seconds of all the process's threads (BLAS too): steadier than wall time when other
    # work shares the cores.
    for name, label in (("full", "full match"), ("index", "index query"), ("floor", "floor")):
        line(f"  CPU time, {label}", cpu[name])
    print(f"  CPU: full match p95 / floor p95 = {ms(cpu['full'])[1] / ms(cpu['floor'])[1]:.2f}×")
    line("posting→jobseekers, full match (top 20)", reverse)
    print(f"resident memory after the queries: {rss()['VmRSS']:.0f} MiB")
    await engine.dispose()
    return people_ids, posting_ids


async def over_http(base: str, people: list[str], postings: list[str]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        token = await client.post(
            f"{API}/auth/token", data={"username": "demo.admin", "password": "demo-admin-2026"}
        )
        token.raise_for_status()
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        await client.get(f"{API}/jobseekers/{people[0]}/matches")  # warm-up
        for name, template, ids in (
            ("GET /jobseekers/{id}/matches", "/jobseekers/{}/matches", people),
            ("GET /postings/{id}/matches", "/postings/{}/matches", postings),
        ):
            times, errors = [], 0
            for entity_id in ids:
                started = time.perf_counter()
                response = await client.get(API + template.format(entity_id))
                times.append(time.perf_counter() - started)
                errors += response.status_code != 200
            line(name, times, f"errors {errors}")

        employer = (await client.get(f"{API}/postings", params={"limit": 1})).json()["items"][0]
        fresh = []
        for i in range(20):
            word = f"基准岗{os.getpid()}{i:02d}"
            body = {
                "employer_id": employer["employer_id"], "title": f"{word}仓库分拣员",
                "adcode": "420106", "salary_min": 4000, "salary_max": 5500,
            }  # fmt: skip
            started = time.perf_counter()
            made = (await client.post(f"{API}/postings", json=body)).json()
            while True:
                found = await client.get(f"{API}/postings/search", params={"q": word})
                if made["id"] in [h["posting"]["id"] for h in found.json()["items"]]:
                    break
                if time.perf_counter() - started > 10:
                    break
            fresh.append(time.perf_counter() - started)
            await client.delete(f"{API}/postings/{made['id']}")
        line("POST /postings → found by /postings/search", fresh, "target ≤ 1 s")


def http_part(url: str, people: list[str], postings: list[str]) -> None:
    port = free_port()
    command = [sys.executable, "-m", "service.cli", "serve", "--port", str(port)]
    started = time.perf_counter()
    server = subprocess.Popen(command, env=env_for(url))
    base = f"http://127.0.0.1:{port}"
    try:
        while time.perf_counter() - started < 600:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            time.sleep(0.2)
        print(f"\nover HTTP (jobcircle serve, one worker): ready after "
              f"{time.perf_counter() - started:.1f} s (start-up incl. its own index build); "
              f"server memory {rss_mib(server.pid):.0f} MiB")  # fmt: skip
        asyncio.run(over_http(base, people, postings))
        print(f"  server memory after the requests: {rss_mib(server.pid):.0f} MiB")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--prepare", action="store_true", help="migrate, load and embed first")
    parser.add_argument("--postings", type=int, default=101_500)
    parser.add_argument("--jobseekers", type=int, default=200_000)
    parser.add_argument("--employers", type=int, default=8_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--no-http", action="store_true")
    args = parser.parse_args()
    if args.prepare:
        prepare(args.database_url, args.postings, args.jobseekers, args.employers)
    people, postings = asyncio.run(in_process(args.database_url, args.queries))
    if not args.no_http:
        http_part(args.database_url, people, postings)


if __name__ == "__main__":
    main()
