"""Authorization matrix: every route of the OpenAPI document, called by anonymous and by each
role, on records in the caller's scope ("mine") and outside it ("theirs").

The table below is the specification. A route that appears in the OpenAPI document but not in
the table fails the suite, so every new route must come with its rule.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import ADMIN_ID, ANONYMOUS, bearer
from tests.factories import (
    API,
    create_account,
    create_employer,
    create_event,
    create_held_posting,
    create_jobseeker,
    create_posting,
    create_station,
    unique_credit_code,
    unique_phone,
)

ROLES = ("anonymous", "jobseeker", "employer", "staff", "admin")
JOBSEEKER_PASSWORD = "jobseeker-pass-1"
_names = itertools.count(1)


@dataclass
class Side:
    """The records of one side: all in 江岸区 (mine) or all in 洪山区 (theirs)."""

    station: str
    employer: str
    posting: str
    held: str  # a posting screening holds for staff review
    jobseeker: str
    event: str
    recommendation: str  # a case: this side's posting recommended to this side's person
    match_run: str = ""  # started by the staff account (mine) or an admin (theirs)


@dataclass
class World:
    mine: Side
    theirs: Side
    tokens: dict[str, dict[str, str]]
    jobseeker_phone: str
    account: str
    api_key: str


async def _side(
    client: httpx.AsyncClient, app: FastAPI, adcode: str, lat: float, lon: float
) -> Side:
    station = await create_station(
        client, name=f"驿站{next(_names)}", adcode=adcode, lat=lat, lon=lon
    )
    employer = await create_employer(client, adcode=adcode)
    place = {"employer_id": employer["id"], "adcode": adcode, "lat": lat, "lon": lon}
    posting = await create_posting(client, **place)
    held = await create_held_posting(client, app, **place)
    jobseeker = await create_jobseeker(client, adcode=adcode, station_id=station["id"])
    event = await create_event(client, venue=None, adcode=None, station_id=station["id"])
    case = await client.post(
        f"{API}/recommendations",
        json={"jobseeker_id": jobseeker["id"], "posting_id": posting["id"]},
    )
    return Side(
        station["id"],
        employer["id"],
        posting["id"],
        held["id"],
        jobseeker["id"],
        event["id"],
        case.json()["id"],
    )


async def build_world(client: httpx.AsyncClient, app: FastAPI) -> World:
    mine = await _side(client, app, "420102", 30.60, 114.30)
    theirs = await _side(client, app, "420111", 30.50, 114.34)
    phone = (await client.get(f"{API}/jobseekers/{mine.jobseeker}")).json()["phone"]
    seeker = await create_account(  # a jobseeker's username is their phone number
        client, "jobseeker", JOBSEEKER_PASSWORD, username=phone, jobseeker_id=mine.jobseeker
    )
    employer = await create_account(client, "employer", employer_id=mine.employer)
    staff = await create_account(client, "staff", station_id=mine.station)
    key = (
        await client.post(f"{API}/api-keys", json={"name": "kiosk", "station_id": mine.station})
    ).json()
    for side, headers in ((mine, bearer(app, staff["id"], "staff")), (theirs, {})):
        started = await client.post(
            f"{API}/match-runs", json=empty_match_run(None, side), headers=headers
        )
        side.match_run = started.json()["id"]
    tokens = {
        "anonymous": ANONYMOUS,
        "jobseeker": bearer(app, seeker["id"], "jobseeker"),
        "employer": bearer(app, employer["id"], "employer"),
        "staff": bearer(app, staff["id"], "staff"),
        "admin": bearer(app, ADMIN_ID),
    }
    return World(mine, theirs, tokens, phone, staff["id"], key["id"])


# --- the specification -----------------------------------------------------------------------

ALL, OWN, NONE = "all", "own", "none"
Request = tuple[str, dict[str, Any]]  # (url, httpx keyword arguments)
Builder = Callable[[World, Side], Request]


@dataclass(frozen=True)
class Rule:
    build: Builder
    access: dict[str, str]  # role → all | own | none
    fresh_world: bool = False  # destructive: a new world for each call


def public(build: Builder) -> Rule:
    return Rule(build, dict.fromkeys(ROLES, ALL))


def only(build: Builder, fresh_world: bool = False, **access: str) -> Rule:
    return Rule(build, {role: access.get(role, NONE) for role in ROLES}, fresh_world)


def get(path: str) -> Builder:
    return lambda w, s: (API + path.format(s=s, w=w), {})


def body(path: str, make: Callable[[World, Side], dict[str, Any]]) -> Builder:
    return lambda w, s: (API + path.format(s=s, w=w), {"json": make(w, s)})


def new_posting(w: World, s: Side) -> dict[str, Any]:
    adcode = "420102" if s is w.mine else "420111"
    return {"employer_id": s.employer, "title": "仓库分拣员", "adcode": adcode}


def new_person(w: World, s: Side) -> dict[str, Any]:
    return {
        "name": "刘洋",
        "phone": unique_phone(),
        "adcode": "420102",
        "desired_titles": ["保安员"],
    }


def log_in(w: World, s: Side) -> Request:
    form = {"username": w.jobseeker_phone, "password": JOBSEEKER_PASSWORD}
    return API + "/auth/token", {"data": form}


def _adcode(w: World, s: Side) -> str:
    return "420102" if s is w.mine else "420111"


def import_file(w: World, s: Side) -> Request:
    rows = f"岗位名称,薪资,工作地点\n仓库分拣员,5000,{_adcode(w, s)}\n".encode()
    return API + "/postings/import", {
        "files": {"file": ("p.csv", rows, "text/csv")},
        "data": {"employer_id": s.employer},
    }


def fair_feed(w: World, s: Side) -> dict[str, Any]:
    job = {"title": "仓库分拣员", "pay": "5000", "adcode": _adcode(w, s)}
    return {
        "event": {
            "name": f"矩阵招聘会{next(_names)}",
            "kind": "job_fair",
            "starts_at": "2027-03-01T09:00:00+08:00",
            "ends_at": "2027-03-01T12:00:00+08:00",
            "venue": "武汉国际博览中心",
        },
        "employers": [{"name": "矩阵物流有限公司", "booth": "A-1", "postings": [job]}],
    }


def station_feed(w: World, s: Side) -> dict[str, Any]:
    job = {
        "title": "搬运工",
        "employer": "矩阵搬家公司",
        "pay": "200元/天",
        "starts_at": "2027-03-01T08:00:00+08:00",
        "ends_at": "2027-03-01T17:00:00+08:00",
    }
    return {"station": {"station_id": s.station}, "jobs": [job]}  # fmt: skip


def community_file(w: World, s: Side) -> Request:
    rows = f"name,adcode,lat,lon,population\n矩阵社区,{_adcode(w, s)},30.6,114.3,3000\n".encode()
    return API + "/communities/import", {"files": {"file": ("c.csv", rows, "text/csv")}}


def empty_match_run(w: World | None, s: Side) -> dict[str, Any]:
    """A run for the side's person, who is in no priority group: it selects nobody, so the
    matrix records no recommendations."""
    return {"jobseeker_ids": [s.jobseeker], "priority_only": True}


def other_sides_posting(w: World, s: Side) -> dict[str, Any]:
    """This side's person, the other side's posting: a pair the world has not recommended."""
    other = w.theirs if s is w.mine else w.mine
    return {"jobseeker_id": s.jobseeker, "posting_id": other.posting}


RULES: dict[tuple[str, str], Rule] = {
    # reference data and operations: everyone
    ("GET", "/api/v1/occupations"): public(get("/occupations?q=焊工")),
    ("GET", "/api/v1/occupations/{code}"): public(get("/occupations/6-18-02-04")),
    ("GET", "/api/v1/occupations/normalize"): public(get("/occupations/normalize?title=洗碗工")),
    ("GET", "/api/v1/regions"): public(get("/regions?q=江岸")),
    ("GET", "/api/v1/regions/{adcode}"): public(get("/regions/420102")),
    ("GET", "/api/v1/priority-groups"): public(get("/priority-groups")),
    ("GET", "/healthz"): public(lambda w, s: ("/healthz", {})),
    ("GET", "/readyz"): public(lambda w, s: ("/readyz", {})),
    ("GET", "/metrics"): public(lambda w, s: ("/metrics", {})),
    # auth
    ("POST", "/api/v1/auth/token"): public(log_in),
    ("POST", "/api/v1/auth/register"): public(
        body("/auth/register", lambda w, s: new_person(w, s) | {"password": "my-password-1"})
    ),
    ("GET", "/api/v1/auth/me"): only(
        get("/auth/me"), jobseeker=ALL, employer=ALL, staff=ALL, admin=ALL
    ),
    # employers
    ("POST", "/api/v1/employers"): only(
        body("/employers", lambda w, s: {"name": "新企业", "credit_code": unique_credit_code()}),
        staff=ALL,
        admin=ALL,
    ),
    ("GET", "/api/v1/employers"): public(get("/employers")),
    ("GET", "/api/v1/employers/{employer_id}"): public(get("/employers/{s.employer}")),
    ("PATCH", "/api/v1/employers/{employer_id}"): only(
        body("/employers/{s.employer}", lambda w, s: {"industry": "物流"}),
        employer=OWN,
        staff=ALL,
        admin=ALL,
    ),
    # stations
    ("POST", "/api/v1/stations"): only(
        body("/stations", lambda w, s: {"name": "新驿站", "kind": "e_station", "adcode": "420103"}),
        admin=ALL,
    ),
    ("GET", "/api/v1/stations"): public(get("/stations")),
    ("GET", "/api/v1/stations/{station_id}"): public(get("/stations/{s.station}")),
    ("GET", "/api/v1/stations/nearby"): public(get("/stations/nearby?lat=30.6&lon=114.3")),
    # the circle for planners: staff count the communities of their own districts
    ("GET", "/api/v1/stats/circle"): only(
        lambda w, s: (f"{API}/stats/circle?adcode={_adcode(w, s)}", {}), staff=OWN, admin=ALL
    ),
    ("POST", "/api/v1/communities/import"): only(community_file, admin=ALL),
    ("PATCH", "/api/v1/stations/{station_id}"): only(
        body("/stations/{s.station}", lambda w, s: {"services": ["岗位推荐"]}),
        staff=OWN,
        admin=ALL,
    ),
    # postings
    ("POST", "/api/v1/postings"): only(
        body("/postings", new_posting), employer=OWN, staff=OWN, admin=ALL
    ),
    ("GET", "/api/v1/postings"): public(get("/postings")),
    ("GET", "/api/v1/postings/search"): public(get("/postings/search?q=焊工")),
    # bulk: an employer imports for itself; staff may call, rows outside their districts are
    # refused row by row in the report (tests/imports)
    ("POST", "/api/v1/postings/import"): only(import_file, employer=OWN, staff=ALL, admin=ALL),
    ("POST", "/api/v1/events/feed"): only(body("/events/feed", fair_feed), staff=ALL, admin=ALL),
    ("POST", "/api/v1/stations/feed"): only(
        body("/stations/feed", station_feed), staff=OWN, admin=ALL
    ),
    # the feed: employers get their own postings' changes, staff and admins all (public face)
    ("GET", "/api/v1/postings/stream"): only(
        get("/postings/stream"), employer=ALL, staff=ALL, admin=ALL
    ),
    ("GET", "/api/v1/postings/review-queue"): only(
        get("/postings/review-queue"), staff=ALL, admin=ALL
    ),
    # rejecting again is allowed (a rejected posting stays reviewable), so one world will do
    ("POST", "/api/v1/postings/{posting_id}/review"): only(
        body("/postings/{s.held}/review", lambda w, s: {"decision": "reject", "note": "歧视"}),
        staff=OWN,
        admin=ALL,
    ),
    ("GET", "/api/v1/postings/{posting_id}/matches"): only(
        get("/postings/{s.posting}/matches"), employer=OWN, staff=OWN, admin=ALL
    ),
    ("GET", "/api/v1/jobseekers/{jobseeker_id}/matches"): only(
        get("/jobseekers/{s.jobseeker}/matches"), jobseeker=OWN, staff=OWN, admin=ALL
    ),
    ("GET", "/api/v1/events/{event_id}/matches"): only(
        get("/events/{w.mine.event}/matches?jobseeker_id={s.jobseeker}"),
        jobseeker=OWN,
        staff=OWN,
        admin=ALL,
    ),
    ("GET", "/api/v1/postings/{posting_id}"): public(get("/postings/{s.posting}")),
    ("PATCH", "/api/v1/postings/{posting_id}"): only(
        body("/postings/{s.posting}", lambda w, s: {"headcount": 3}),
        employer=OWN,
        staff=OWN,
        admin=ALL,
    ),
    ("DELETE", "/api/v1/postings/{posting_id}"): only(
        get("/postings/{s.posting}"), fresh_world=True, employer=OWN, staff=OWN, admin=ALL
    ),
    # jobseekers
    ("POST", "/api/v1/jobseekers"): only(body("/jobseekers", new_person), staff=ALL, admin=ALL),
    ("GET", "/api/v1/jobseekers"): only(get("/jobseekers"), staff=ALL, admin=ALL),
    ("GET", "/api/v1/jobseekers/{jobseeker_id}"): only(
        get("/jobseekers/{s.jobseeker}"), jobseeker=OWN, staff=OWN, admin=ALL
    ),
    ("PATCH", "/api/v1/jobseekers/{jobseeker_id}"): only(
        body("/jobseekers/{s.jobseeker}", lambda w, s: {"not_choosy": True}),
        jobseeker=OWN,
        staff=OWN,
        admin=ALL,
    ),
    ("DELETE", "/api/v1/jobseekers/{jobseeker_id}"): only(
        get("/jobseekers/{s.jobseeker}"), fresh_world=True, jobseeker=OWN, admin=ALL
    ),
    # events
    ("POST", "/api/v1/events"): only(
        body(
            "/events",
            lambda w, s: {
                "name": "金秋招聘月",
                "kind": "job_fair",
                "starts_at": "2026-09-16T09:00:00+08:00",
                "ends_at": "2026-09-16T12:00:00+08:00",
                "station_id": s.station,
            },
        ),
        staff=ALL,
        admin=ALL,
    ),
    ("GET", "/api/v1/events"): public(get("/events")),
    ("GET", "/api/v1/events/{event_id}"): public(get("/events/{s.event}")),
    ("PATCH", "/api/v1/events/{event_id}"): only(
        body("/events/{s.event}", lambda w, s: {"campaign": "金秋招聘月"}), staff=OWN, admin=ALL
    ),
    ("POST", "/api/v1/events/{event_id}/postings"): only(
        body("/events/{s.event}/postings", lambda w, s: {"postings": [{"posting_id": s.posting}]}),
        staff=ALL,
        admin=ALL,
    ),
    ("GET", "/api/v1/events/{event_id}/postings"): public(get("/events/{s.event}/postings")),
    ("POST", "/api/v1/events/{event_id}/registrations"): only(
        body("/events/{w.mine.event}/registrations", lambda w, s: {"jobseeker_id": s.jobseeker}),
        jobseeker=OWN,
        staff=OWN,
        admin=ALL,
    ),
    ("GET", "/api/v1/events/{event_id}/registrations"): only(
        get("/events/{s.event}/registrations"), staff=ALL, admin=ALL
    ),
    # administration
    ("POST", "/api/v1/accounts"): only(
        body(
            "/accounts",
            lambda w, s: {
                "username": f"new.staff{next(_names)}",
                "password": "staff-password-1",
                "role": "staff",
                "station_id": s.station,
            },
        ),
        admin=ALL,
    ),
    ("GET", "/api/v1/accounts"): only(get("/accounts"), admin=ALL),
    ("GET", "/api/v1/accounts/{account_id}"): only(get("/accounts/{w.account}"), admin=ALL),
    ("PATCH", "/api/v1/accounts/{account_id}"): only(
        body("/accounts/{w.account}", lambda w, s: {"display_name": "王敏"}), admin=ALL
    ),
    ("POST", "/api/v1/api-keys"): only(
        body("/api-keys", lambda w, s: {"name": "招聘会系统", "employer_id": s.employer}),
        admin=ALL,
    ),
    ("GET", "/api/v1/api-keys"): only(get("/api-keys"), admin=ALL),
    ("DELETE", "/api/v1/api-keys/{key_id}"): only(
        get("/api-keys/{w.api_key}"), fresh_world=True, admin=ALL
    ),
    ("GET", "/api/v1/audit-log"): only(get("/audit-log"), admin=ALL),
    # cases (issue 7): staff recommend people of their scope; each party sees its own cases
    ("POST", "/api/v1/recommendations"): only(
        body("/recommendations", other_sides_posting), fresh_world=True, staff=OWN, admin=ALL
    ),
    ("GET", "/api/v1/recommendations"): only(
        get("/recommendations"), jobseeker=ALL, employer=ALL, staff=ALL, admin=ALL
    ),
    ("GET", "/api/v1/recommendations/{recommendation_id}"): only(
        get("/recommendations/{s.recommendation}"),
        jobseeker=OWN,
        employer=OWN,
        staff=OWN,
        admin=ALL,
    ),
    # a follow-up note: every party to the case may add one
    ("PATCH", "/api/v1/recommendations/{recommendation_id}"): only(
        body("/recommendations/{s.recommendation}", lambda w, s: {"note": "电话回访"}),
        jobseeker=OWN,
        employer=OWN,
        staff=OWN,
        admin=ALL,
    ),
    # promise queues are filtered to the caller's scope; a case file is the person's own
    ("GET", "/api/v1/cases/due"): only(get("/cases/due?within_days=30"), staff=ALL, admin=ALL),
    ("GET", "/api/v1/cases/overdue"): only(get("/cases/overdue"), staff=ALL, admin=ALL),
    ("GET", "/api/v1/cases/{jobseeker_id}"): only(
        get("/cases/{s.jobseeker}"), jobseeker=OWN, staff=OWN, admin=ALL
    ),
    ("POST", "/api/v1/cases/{jobseeker_id}/services"): only(
        body("/cases/{s.jobseeker}/services", lambda w, s: {"kind": "career_guidance"}),
        staff=OWN,
        admin=ALL,
    ),
    ("POST", "/api/v1/match-runs"): only(
        body("/match-runs", empty_match_run), staff=OWN, admin=ALL
    ),
    ("GET", "/api/v1/match-runs"): only(get("/match-runs"), staff=ALL, admin=ALL),
    ("GET", "/api/v1/match-runs/{run_id}"): only(
        get("/match-runs/{s.match_run}"), staff=OWN, admin=ALL
    ),
    # planners' figures: staff get their own scope's figures, admins the city's
    ("GET", "/api/v1/stats/supply-demand"): only(
        get("/stats/supply-demand?by=district"), staff=ALL, admin=ALL
    ),
    ("GET", "/api/v1/stats/priority-groups"): only(
        get("/stats/priority-groups"), staff=ALL, admin=ALL
    ),
    ("GET", "/api/v1/stats/zeroing"): only(get("/stats/zeroing?format=csv"), staff=ALL, admin=ALL),
    ("GET", "/api/v1/stats/stations"): only(get("/stats/stations"), staff=ALL, admin=ALL),
    ("GET", "/api/v1/stats/screening"): only(get("/stats/screening"), staff=ALL, admin=ALL),
    ("GET", "/api/v1/stats/alerts"): only(get("/stats/alerts"), staff=ALL, admin=ALL),
    ("PUT", "/api/v1/cases/{jobseeker_id}/background"): only(
        body("/cases/{s.jobseeker}/background", lambda w, s: {"former_employer": "某机械厂"}),
        staff=OWN,
        admin=ALL,
    ),
}


def expected_allowed(rule: Rule, role: str, side: str) -> bool:
    access = rule.access[role]
    return access == ALL or (access == OWN and side == "mine")


async def test_every_route_has_a_rule(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    routes = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    missing = sorted(routes - RULES.keys())
    assert not missing, f"routes without an authorization rule: {missing}"
    stale = sorted(RULES.keys() - routes)
    assert not stale, f"rules for routes that no longer exist: {stale}"


@pytest.mark.parametrize(
    ("method", "path"), sorted(RULES), ids=[f"{m} {p}" for m, p in sorted(RULES)]
)
async def test_authorization_matrix(
    client: httpx.AsyncClient, app: FastAPI, method: str, path: str
) -> None:
    rule = RULES[(method, path)]
    failures: list[str] = []
    world = None
    for role, side in itertools.product(ROLES, ("mine", "theirs")):
        if world is None or rule.fresh_world:
            world = await build_world(client, app)
        url, kwargs = rule.build(world, getattr(world, side))
        response = await client.request(method, url, headers=world.tokens[role], **kwargs)
        allowed = expected_allowed(rule, role, side)
        if allowed and response.status_code >= 400:
            failures.append(
                f"{role}/{side}: expected success, got {response.status_code} {response.text[:200]}"
            )
        if not allowed:
            wanted = 401 if role == "anonymous" else 403
            if response.status_code != wanted:
                failures.append(f"{role}/{side}: expected {wanted}, got {response.status_code}")
            elif not response.headers["content-type"].startswith("application/problem+json"):
                failures.append(f"{role}/{side}: denial is not a problem document")
    assert not failures, "\n".join(failures)
