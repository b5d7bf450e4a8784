"""Migrations on both databases, the start-up gate, and durability across restarts."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import inspect
from sqlmodel import SQLModel

from service.db import DatabaseNotMigrated, create_engine, downgrade, schema_revision, upgrade
from service.main import create_app
from tests.conftest import (
    _create_postgres_database,
    _drop_postgres_database,
    make_settings,
)
from tests.factories import API, create_jobseeker, create_posting


async def _tables(engine) -> set[str]:  # type: ignore[no-untyped-def]
    async with engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))


@pytest.fixture(params=["sqlite", "postgresql"])
async def empty_database(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / f'{uuid.uuid4().hex}.db'}"
        return
    url = await _create_postgres_database()
    yield url
    await _drop_postgres_database(url)


async def test_migration_round_trip(empty_database: str) -> None:
    engine = create_engine(make_settings(empty_database))
    try:
        await upgrade(engine, empty_database)
        assert await schema_revision(engine) is not None
        expected = set(SQLModel.metadata.tables)
        assert expected <= await _tables(engine)
        await downgrade(engine, empty_database, "base")
        assert await schema_revision(engine) is None
        assert not (expected & await _tables(engine))
        await upgrade(engine, empty_database)
        assert expected <= await _tables(engine)
    finally:
        await engine.dispose()


async def test_models_match_migrations(empty_database: str) -> None:
    """Autogenerate finds nothing to do: the migrations describe the models exactly."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = create_engine(make_settings(empty_database))
    try:
        await upgrade(engine, empty_database)
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda c: compare_metadata(
                    MigrationContext.configure(c, opts={"compare_type": False}),
                    SQLModel.metadata,
                )
            )
    finally:
        await engine.dispose()
    assert diff == []


async def test_unmigrated_postgresql_stops_start_up() -> None:
    url = await _create_postgres_database()
    try:
        app = create_app(make_settings(url))  # auto_migrate unset: never for PostgreSQL
        with pytest.raises(DatabaseNotMigrated, match="jobcircle migrate"):
            async with app.router.lifespan_context(app):
                pass
        engine = create_engine(make_settings(url))
        assert await _tables(engine) == set()  # nothing was created silently
        await engine.dispose()
    finally:
        await _drop_postgres_database(url)


async def _log_in(client: httpx.AsyncClient, username: str, password: str) -> None:
    response = await client.post(
        f"{API}/auth/token", data={"username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"


async def test_embedded_default_migrates_itself_and_keeps_data_across_restarts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite+aiosqlite:///{tmp_path / 'var' / 'jobcircle.db'}"
    settings = make_settings(
        url,
        auto_migrate=None,  # the default decides: SQLite migrates
        admin_username="first.admin",
        admin_password="first-admin-password",
    )
    assert settings.should_auto_migrate

    first = create_app(settings)
    async with first.router.lifespan_context(first):
        transport = httpx.ASGITransport(app=first)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            await _log_in(client, "first.admin", "first-admin-password")
            posting = await create_posting(client)
            person = await create_jobseeker(client, id_number="420102199005060131")

    second = create_app(settings)  # the admin exists now: start-up creates no second one
    async with second.router.lifespan_context(second):
        transport = httpx.ASGITransport(app=second)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            await _log_in(client, "first.admin", "first-admin-password")
            assert (await client.get(f"{API}/postings/{posting['id']}")).json() == posting
            again = (await client.get(f"{API}/jobseekers/{person['id']}")).json()
            assert again["id_number"] == person["id_number"] == "420102199005060131"
            assert again["phone"] == person["phone"]
            admins = (await client.get(f"{API}/accounts", params={"role": "admin"})).json()
            assert [a["username"] for a in admins["items"]] == ["first.admin"]
