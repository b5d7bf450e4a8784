"""Latency and throughput of the core API against a real server process.

Starts `jobcircle serve` on a database holding the demo city (loaded first unless
--no-load), drives it over loopback with a bounded number of requests at a fixed
concurrency, and prints p50/p95/p99 latency, requests per second and the server's memory.

    python bench/api_latency.py                       # temporary SQLite, default demo city
    python bench/api_latency.py --database-url postgresql+asyncpg://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

API = "/api/v1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def drive(  # type: ignore[no-untyped-def]
    base: str, name: str, make_request, total: int, concurrency: int, headers: dict[str, str]
) -> None:
    latencies: list[float] = []
    errors = 0
    queue = list(range(total))

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while queue:
            i = queue.pop()
            method, url, body = make_request(i)
            started = time.perf_counter()
            response = await client.request(method, url, json=body)
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code >= 400:
                errors += 1

    async with httpx.AsyncClient(base_url=base, timeout=30, headers=headers) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    print(
        f"{name:<34} n={total:<5} c={concurrency:<3} "
        f"p50={statistics.median(latencies):7.1f}ms p95={percentile(latencies, 0.95):7.1f}ms "
        f"p99={percentile(latencies, 0.99):7.1f}ms  {total / elapsed:7.1f} req/s  errors={errors}"
    )


async def scenarios(base: str, total: int, concurrency: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        # the demo admin printed by `jobcircle demo`; reads of people need staff or admin
        token = await client.post(
            f"{API}/auth/token", data={"username": "demo.admin", "password": "demo-admin-2026"}
        )
        token.raise_for_status()
        auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
        postings = (await client.get(f"{API}/postings", params={"limit": 100})).json()["items"]
        employer_id = postings[0]["employer_id"]
    ids = [p["id"] for p in postings]
    rng = random.Random(7)
    districts = ["420102", "420103", "420104", "420106", "420111", "420115"]

    await drive(
        base,
        "GET /postings/{id}",
        lambda i: ("GET", f"{API}/postings/{rng.choice(ids)}", None),
        total,
        concurrency,
        auth,
    )
    await drive(
        base,
        "GET /postings?adcode&type (20)",
        lambda i: (
            "GET",
            f"{API}/postings?adcode={rng.choice(districts)}&employment_type=full_time",
            None,
        ),
        total,
        concurrency,
        auth,
    )
    await drive(
        base,
        "GET /jobseekers?priority_group",
        lambda i: ("GET", f"{API}/jobseekers?priority_group=veteran", None),
        total,
        concurrency,
        auth,
    )
    await drive(
        base,
        "GET /occupations?q=",
        lambda i: ("GET", f"{API}/occupations?q=焊工", None),
        total,
        concurrency,
        auth,
    )
    await drive(
        base,
        "POST /postings",
        lambda i: (
            "POST",
            f"{API}/postings",
            {
                "employer_id": employer_id,
                "title": f"仓库分拣员{i}",
                "adcode": rng.choice(districts),
                "salary_min": 4000,
                "salary_max": 5500,
                "source": "import",
                "external_id": f"bench-{os.getpid()}-{i}",
            },
        ),
        total,
        concurrency,
        auth,
    )
    await drive(
        base,
        "POST /jobseekers",
        lambda i: (
            "POST",
            f"{API}/jobseekers",
            {
                "name": "测试",
                "phone": f"166{os.getpid() % 100:02d}{i:06d}",
                "adcode": rng.choice(districts),
                "desired_titles": ["保洁员"],
            },
        ),
        total,
        concurrency,
        auth,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--no-load", action="store_true", help="the database already holds data")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="jobcircle-bench-"))
    url = args.database_url or f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOBCIRCLE_")}
    env.update(JOBCIRCLE_DATABASE_URL=url, JOBCIRCLE_LOG_LEVEL="WARNING", HF_HUB_OFFLINE="1")
    jobcircle = [sys.executable, "-m", "service.cli"]
    if not url.startswith("sqlite"):
        subprocess.run([*jobcircle, "migrate"], env=env, check=True)
    if not args.no_load:
        started = time.perf_counter()
        subprocess.run([*jobcircle, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        print(f"demo city loaded in {time.perf_counter() - started:.1f}s")
    port = free_port()
    server = subprocess.Popen([*jobcircle, "serve", "--port", str(port)], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        print(
            f"server RSS after start: {rss_mib(server.pid):.0f} MiB   database: {url.split(':')[0]}"
        )
        asyncio.run(scenarios(base, args.requests, args.concurrency))
        print(f"server RSS after load:  {rss_mib(server.pid):.0f} MiB")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
