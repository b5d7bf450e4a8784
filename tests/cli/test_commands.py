"""The `jobcircle` command as an operator runs it, in subprocesses."""

from __future__ import annotations

import asyncio
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import (
    JOBCIRCLE,
    _create_postgres_database,
    _drop_postgres_database,
    cli_env,
)


def _env(database_url: str) -> dict[str, str]:
    return cli_env(
        database_url,
        JOBCIRCLE_LOG_FORMAT="json",
        JOBCIRCLE_SECRET_KEY="cli-test-secret-key-0123456789",
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_and_shuts_down_gracefully(tmp_path: Path) -> None:
    port = _free_port()
    env = _env(f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}")
    process = subprocess.Popen(
        [*JOBCIRCLE, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "service did not come up"
                time.sleep(0.2)
        assert response.status_code == 200
        docs = httpx.get(f"http://127.0.0.1:{port}/docs", timeout=5)
        assert docs.status_code == 200 and "swagger" in docs.text.lower()
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    # uvicorn drains, runs the lifespan's shutdown, then re-raises SIGTERM as its exit status
    assert process.returncode in (0, -signal.SIGTERM), stderr
    assert '"event": "stopped"' in stderr


@pytest.fixture
def empty_postgres() -> str:
    url = asyncio.run(_create_postgres_database())
    yield url
    asyncio.run(_drop_postgres_database(url))


def test_postgres_needs_migrate_then_serves(empty_postgres: str, tmp_path: Path) -> None:
    env = _env(empty_postgres)
    refused = subprocess.run(
        [*JOBCIRCLE, "serve", "--port", str(_free_port())],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2
    assert "jobcircle migrate" in refused.stderr
    demo_refused = subprocess.run(
        [*JOBCIRCLE, "demo", "--postings", "5", "--jobseekers", "5", "--employers", "3"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert demo_refused.returncode == 2
    assert "jobcircle migrate" in demo_refused.stderr
    assert "Traceback" not in demo_refused.stderr

    migrated = subprocess.run(
        [*JOBCIRCLE, "migrate"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert migrated.returncode == 0, migrated.stderr
    assert "database at revision" in migrated.stderr
    again = subprocess.run(
        [*JOBCIRCLE, "migrate"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert again.returncode == 0, again.stderr


@pytest.fixture(params=["sqlite", "postgresql"])
def migrated_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of each kind that commands may use: SQLite migrates itself, PostgreSQL is
    migrated by ``jobcircle migrate`` as an operator would."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'reindex.db'}"
        return
    url = asyncio.run(_create_postgres_database())
    try:
        migrated = subprocess.run(
            [*JOBCIRCLE, "migrate"],
            env=_env(url),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert migrated.returncode == 0, migrated.stderr
        yield url
    finally:
        asyncio.run(_drop_postgres_database(url))


async def _live_counts(url: str) -> tuple[int, int]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            postings = await conn.scalar(
                text("SELECT count(*) FROM postings WHERE status = 'open'")
            )
            people = await conn.scalar(
                text("SELECT count(*) FROM jobseekers WHERE deleted_at IS NULL")
            )
    finally:
        await engine.dispose()
    return int(postings or 0), int(people or 0)


def test_reindex_builds_the_embedded_index_from_the_database(
    migrated_database: str, tmp_path: Path
) -> None:
    env = _env(migrated_database)

    def reindex() -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [*JOBCIRCLE, "reindex"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        return done

    empty = " ".join(reindex().stderr.split())
    assert re.search(
        r"indexed 0 postings and 0 jobseekers into the embedded index in [\d.]+ s", empty
    )
    demo = subprocess.run(
        [*JOBCIRCLE, "demo", "--postings", "12", "--jobseekers", "5", "--employers", "3"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert demo.returncode == 0, demo.stderr
    postings, people = asyncio.run(_live_counts(migrated_database))
    assert postings > 0 and people == 5
    loaded = reindex()
    expected = f"indexed {postings} postings and {people} jobseekers into the embedded index in"
    assert expected in " ".join(loaded.stderr.split())


def test_index_worker_refuses_the_embedded_backend(tmp_path: Path) -> None:
    env = _env(f"sqlite+aiosqlite:///{tmp_path / 'worker.db'}")
    refused = subprocess.run(
        [*JOBCIRCLE, "index-worker", "--once"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2
    assert "embedded index is kept" in " ".join(refused.stderr.split())
