"""Fixtures: the same API tests run against SQLite and PostgreSQL.

Each backend gets a database created for this run and dropped at the end, built by the
migrations. Tests share the app per backend; tables are emptied after each test.
PostgreSQL is at JOBCIRCLE_TEST_POSTGRES_URL (default: the local server, user postgres). When
it cannot be reached its tests are skipped, unless JOBCIRCLE_REQUIRE_POSTGRES=1 (CI), which
turns that into a failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

import service.models  # noqa: F401
from service.accounts.models import Account
from service.auth.passwords import hash_password
from service.auth.tokens import issue_token
from service.caller import Role
from service.config import Settings
from service.db import create_engine, upgrade
from service.main import create_app

POSTGRES_ADMIN_URL = os.environ.get(
    "JOBCIRCLE_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("JOBCIRCLE_REQUIRE_POSTGRES") == "1"
TEST_SECRET = "test-secret-key-for-the-suite-only"
ADMIN_ID = "0000000000000000000000admin"
ADMIN_USERNAME = "suite.admin"
ADMIN_PASSWORD = "suite-admin-password"


JOBCIRCLE = [sys.executable, "-m", "service.cli"]  # the command, run as an operator runs it


def cli_env(database_url: str, **settings: str) -> dict[str, str]:
    """The environment of a ``jobcircle`` subprocess: none of this process's JOBCIRCLE_*
    settings, the given database, the model offline, and ``settings`` on top."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOBCIRCLE_")}
    env.update(JOBCIRCLE_DATABASE_URL=database_url, HF_HUB_OFFLINE="1", **settings)
    return env


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "secret_key": TEST_SECRET,
        "environment": "test",
        "log_level": "WARNING",
        "auto_migrate": False,
        # generous limits for the suite; the rate-limit tests install strict ones
        "login_attempts_per_minute": 100_000,
        "registrations_per_hour": 100_000,
        "login_failures_before_backoff": 1_000,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def _create_postgres_database() -> str:
    import asyncpg

    admin = make_url(POSTGRES_ADMIN_URL)
    name = f"jobcircle_test_{uuid.uuid4().hex[:10]}"
    dsn = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        conn = await asyncpg.connect(dsn, timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        message = f"PostgreSQL not reachable at {admin.host}:{admin.port}: {exc}"
        if REQUIRE_POSTGRES:
            pytest.fail(message)
        pytest.skip(message)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return admin.set(database=name).render_as_string(hide_password=False)


async def _drop_postgres_database(url: str) -> None:
    import asyncpg

    admin = make_url(POSTGRES_ADMIN_URL)
    name = make_url(url).database
    conn = await asyncpg.connect(admin.set(drivername="postgresql").render_as_string(False))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
async def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """An empty, migrated database of each backend."""
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("db") / "jobcircle.db"
        url = f"sqlite+aiosqlite:///{path}"
    else:
        url = await _create_postgres_database()
    engine = create_engine(make_settings(url))
    await upgrade(engine, url)
    await engine.dispose()
    yield url
    if request.param == "postgresql":
        await _drop_postgres_database(url)


@pytest.fixture(scope="session")
async def app(database_url: str) -> AsyncIterator[FastAPI]:
    application = create_app(make_settings(database_url))
    async with application.router.lifespan_context(application):
        await _seed_admin(application)
        yield application


async def _seed_admin(application: FastAPI) -> None:
    async with application.state.sessionmaker() as session:
        session.add(
            Account(
                id=ADMIN_ID,
                username=ADMIN_USERNAME,
                password_hash=_admin_hash(),
                role=Role.admin,
            )
        )
        await session.commit()


@functools.cache
def _admin_hash() -> str:
    return hash_password(ADMIN_PASSWORD)


def bearer(application: FastAPI, account_id: str, role: str = "admin") -> dict[str, str]:
    """Authorization header of a freshly minted token for an account."""
    token, _ = issue_token(TEST_SECRET, account_id=account_id, role=role, minutes=30)
    return {"Authorization": f"Bearer {token}"}


ANONYMOUS: dict[str, str] = {"Authorization": ""}  # per-request override of the admin default


async def empty_tables(engine: AsyncEngine) -> None:
    # DELETE rather than TRUNCATE: TRUNCATE takes an exclusive lock that waits on (and can
    # deadlock with) readers such as the index following the change log.
    # The audit log is append-only (the database refuses to empty it); tests filter it by id.
    tables = [t for t in reversed(SQLModel.metadata.sorted_tables) if t.name != "audit_log"]
    async with engine.begin() as conn:
        for table in tables:
            await conn.execute(table.delete())


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client acting as an admin; pass ``headers=`` per request to act as another."""
    transport = httpx.ASGITransport(app=app)
    headers = bearer(app, ADMIN_ID)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", headers=headers
    ) as http:
        yield http
    # the indexer reads the tables: stop it while they are emptied, then rebuild from nothing
    await app.state.search.indexer.stop()
    await empty_tables(app.state.engine)
    await _seed_admin(app)
    await app.state.search.indexer.build()
    app.state.search.indexer.start()


@contextlib.asynccontextmanager
async def polling_every(application: FastAPI, seconds: float) -> AsyncIterator[None]:
    """Set the indexer's polling interval, after the wait that is running has run out (an
    hour: no poll and no idle backfill while the test runs)."""
    indexer = application.state.search.indexer
    before = indexer.poll_seconds
    indexer.poll_seconds = seconds
    await asyncio.sleep(before + 0.2)
    try:
        yield
    finally:
        indexer.poll_seconds = before
