"""Application factory. Heavy objects (engine, reference tables) are built in the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from service.api import include_api
from service.auth.ratelimit import Limits, LoginBackoff, SlidingWindow
from service.config import Settings, get_settings
from service.db import create_engine, create_sessionmaker, ensure_schema
from service.errors import install_handlers
from service.matchruns.runner import runner_for
from service.memory import limit_heap_arenas
from service.observability import (
    BodySizeLimitMiddleware,
    Metrics,
    RequestContextMiddleware,
    configure_logging,
)
from service.ops.endpoints import router as ops_router
from service.reference.data import load_reference
from service.search.runtime import start_search

DESCRIPTION = """
JobCircle (就业圈) serves public employment services: employers post vacancies, job fairs and
gig stations feed postings in, jobseekers register and get jobs near home, station staff follow
up cases for priority groups, planners watch the figures.

Errors are RFC 9457 problem documents (`application/problem+json`) whose `errors` list names
each refused field. Lists are paginated with `limit` and the opaque `cursor` from `next_cursor`.
"""


async def create_first_admin(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    """JOBCIRCLE_ADMIN_USERNAME/PASSWORD create the first admin, once, without interaction."""
    if not (settings.admin_username and settings.admin_password):
        return
    from service.accounts.service import ensure_first_admin

    async with sessionmaker() as session:
        created = await ensure_first_admin(
            session, settings.admin_username, settings.admin_password
        )
        await session.commit()
    if created:
        structlog.get_logger("jobcircle").info(
            "first_admin_created", username=settings.admin_username
        )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings)
    limit_heap_arenas()
    log = structlog.get_logger("jobcircle")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings)
        try:
            await ensure_schema(engine, settings)
            app.state.engine = engine
            app.state.sessionmaker = create_sessionmaker(engine)
            app.state.reference = load_reference(settings)
            await create_first_admin(app.state.sessionmaker, settings)
            app.state.search = await start_search(
                settings, app.state.reference, app.state.sessionmaker
            )
            runner_for(app).sweep_interrupted()  # runs a dead process left "running"
            log.info("started", database=engine.url.get_backend_name())
            yield
        finally:
            runner_for(app).stop_sweeping()
            if getattr(app.state, "search", None) is not None:
                await app.state.search.indexer.stop()
            # uvicorn stops accepting connections and drains in-flight requests before the
            # lifespan ends; then the pool is closed.
            await engine.dispose()
            log.info("stopped")

    app = FastAPI(
        title="JobCircle 就业圈 API",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.metrics = Metrics()
    app.state.limits = Limits(
        token_per_client=SlidingWindow(settings.login_attempts_per_minute, 60),
        registration_per_client=SlidingWindow(settings.registrations_per_hour, 3600),
        login_backoff=LoginBackoff(settings.login_failures_before_backoff),
    )
    install_handlers(app)
    include_api(app)
    app.include_router(ops_router)
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_body=settings.max_body_bytes,
        max_upload=settings.max_upload_bytes,
    )
    app.add_middleware(RequestContextMiddleware, metrics=app.state.metrics)
    return app
