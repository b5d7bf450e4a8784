"""Engine, sessions and the migration gate."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from service.changelog import outbox
from service.config import PROJECT_ROOT, Settings

ALEMBIC_DIR = PROJECT_ROOT / "alembic"


class DatabaseNotMigrated(RuntimeError):
    """The schema is missing or behind the code; start-up stops and says what to run."""


def create_engine(settings: Settings) -> AsyncEngine:
    url = make_url(settings.database_url)
    # Statement parameters carry phones and names: keep them out of exception texts (and so
    # out of logs) unless someone is debugging SQL on purpose.
    kwargs: dict[str, Any] = {"echo": settings.sql_echo, "hide_parameters": not settings.sql_echo}
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 30}
    else:
        kwargs.update(pool_size=10, max_overflow=10, pool_pre_ping=True)
    engine = create_async_engine(url, **kwargs)
    if url.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    outbox.install()
    return engine


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request; the only place a request's work is committed."""
    maker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with maker() as session:
        try:
            yield session
            await session.commit()
            if outbox.wrote_changes(session.sync_session):
                wake_indexer(request.app)  # same-process writes reach the index at once
        except BaseException:
            await session.rollback()
            raise


def wake_indexer(app: Any) -> None:
    """Tell the app's indexer (if it runs one) that change records were committed."""
    search = getattr(app.state, "search", None)
    if search is not None:
        search.indexer.wake()


SessionDep = Annotated[AsyncSession, Depends(get_session)]


# --- migrations ---------------------------------------------------------------------------


def alembic_config(database_url: str) -> Any:
    from alembic.config import Config

    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ALEMBIC_DIR))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def _head_revision(database_url: str) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()


def _current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


async def upgrade(engine: AsyncEngine, database_url: str, revision: str = "head") -> None:
    from alembic import command

    def run(connection: Connection) -> None:
        cfg = alembic_config(database_url)
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)

    async with engine.begin() as conn:
        await conn.run_sync(run)


async def downgrade(engine: AsyncEngine, database_url: str, revision: str) -> None:
    from alembic import command

    def run(connection: Connection) -> None:
        cfg = alembic_config(database_url)
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)

    async with engine.begin() as conn:
        await conn.run_sync(run)


async def schema_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(_current_revision)


async def ensure_schema(engine: AsyncEngine, settings: Settings) -> None:
    """Migrate the embedded default; refuse to start on an unmigrated PostgreSQL."""
    if settings.should_auto_migrate:
        await upgrade(engine, settings.database_url)
        return
    current = await schema_revision(engine)
    head = _head_revision(settings.database_url)
    if current != head:
        raise DatabaseNotMigrated(
            f"database schema is at {current or 'nothing (empty database)'}, the code needs "
            f"{head}. Run `jobcircle migrate` (with the same JOBCIRCLE_DATABASE_URL), then start "
            "again."
        )


async def refresh_statistics(engine: AsyncEngine) -> None:
    """After a bulk load: let the query planner see the new row counts (PostgreSQL's ANALYZE,
    SQLite's ANALYZE). Autovacuum does it eventually where it runs; queries planned on empty-
    table statistics meanwhile can be a hundred times slower."""
    async with engine.begin() as conn:
        await conn.execute(text("ANALYZE"))


async def ping(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
