"""The /api/v1 routes: one router per domain."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from service.accounts.endpoints import admin_router, auth_router
from service.cases.endpoints import router as cases_router
from service.circle.endpoints import router as circle_router
from service.employers.endpoints import router as employers_router
from service.errors import problem_responses
from service.events.endpoints import router as events_router
from service.imports.endpoints import feeds_router
from service.imports.endpoints import router as imports_router
from service.jobseekers.endpoints import router as jobseekers_router
from service.matchruns.endpoints import router as matchruns_router
from service.postings.endpoints import router as postings_router
from service.recommendations.endpoints import router as recommendations_router
from service.reference.endpoints import router as reference_router
from service.search.endpoints import router as search_router
from service.stations.endpoints import router as stations_router
from service.stats.endpoints import router as stats_router

DOMAIN_ROUTERS: tuple[APIRouter, ...] = (
    auth_router,
    reference_router,
    employers_router,
    stations_router,
    search_router,  # before postings: /postings/search is not a posting id
    imports_router,  # /postings/import likewise
    feeds_router,  # /events/feed and /stations/feed are not ids either
    postings_router,
    jobseekers_router,
    events_router,
    admin_router,
    circle_router,
    recommendations_router,
    cases_router,
    matchruns_router,
    stats_router,  # /stats/* beside /stats/circle (circle_router)
)


def _role_check(dependant: Dependant) -> bool:
    if hasattr(dependant.call, "allowed_roles"):
        return True
    return any(_role_check(sub) for sub in dependant.dependencies)


def document_auth(router: APIRouter) -> None:
    """Routes that check a role answer 401 and 403 too; say so in the OpenAPI document."""
    responses = problem_responses(401, 403)
    for route in router.routes:
        if isinstance(route, APIRoute) and _role_check(route.dependant):
            for status_code, spec in responses.items():
                route.responses.setdefault(status_code, spec)


def include_api(app: FastAPI) -> None:
    # Each router carries its full prefix, so every route's path is its whole template, which
    # the metrics and logs use as the route label.
    for router in DOMAIN_ROUTERS:
        document_auth(router)
        app.include_router(router)
