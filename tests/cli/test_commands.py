"""The `jobcircle` command as an operator runs it, in subprocesses."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import _create_postgres_database, _drop_postgres_database

JOBCIRCLE = [sys.executable, "-m", "service.cli"]


def _env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOBCIRCLE_")}
    env.update(
        JOBCIRCLE_DATABASE_URL=database_url,
        JOBCIRCLE_LOG_FORMAT="json",
        JOBCIRCLE_SECRET_KEY="cli-test-secret-key-0123456789",
        HF_HUB_OFFLINE="1",
    )
    return env


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
