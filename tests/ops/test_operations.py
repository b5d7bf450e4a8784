from __future__ import annotations

import httpx
import pytest

from tests.factories import API, create_jobseeker


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"] == "ok"


async def test_metrics_count_requests_by_route_template(client: httpx.AsyncClient) -> None:
    await client.get(f"{API}/occupations/6-18-02-04")
    await client.get(f"{API}/occupations/6-18-02-04")
    text = (await client.get("/metrics")).text
    assert (
        'jobcircle_http_requests_total{method="GET",route="/api/v1/occupations/{code}",status="200"}'
        in text
    )
    assert (
        'jobcircle_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/v1/occupations/{code}"}'
        in text
    )


async def test_request_id_is_echoed_or_made(client: httpx.AsyncClient) -> None:
    given = await client.get("/healthz", headers={"x-request-id": "kiosk-7-abc"})
    assert given.headers["x-request-id"] == "kiosk-7-abc"
    made = await client.get("/healthz")
    assert len(made.headers["x-request-id"]) == 32


async def test_logs_carry_no_phone_or_id_number(
    client: httpx.AsyncClient, capsys: pytest.CaptureFixture[str]
) -> None:
    import structlog

    from service.config import LogFormat
    from service.observability import configure_logging
    from tests.conftest import make_settings

    configure_logging(make_settings("sqlite://", log_level="INFO", log_format=LogFormat.json))
    try:
        person = await create_jobseeker(client, phone="13907150099", id_number="420102199005060131")
        await client.get(f"{API}/jobseekers/{person['id']}")
        await client.get(f"{API}/jobseekers", params={"adcode": "4201"})
    finally:
        structlog.reset_defaults()
        configure_logging(make_settings("sqlite://", log_level="WARNING"))
    logged = capsys.readouterr().err
    assert '"route": "/api/v1/jobseekers/{jobseeker_id}"' in logged
    assert "13907150099" not in logged
    assert "420102199005060131" not in logged


async def test_openapi_documents_every_operation(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    operations = [
        (path, method, op)
        for path, item in document["paths"].items()
        for method, op in item.items()
    ]
    assert len(operations) >= 30
    for path, method, op in operations:
        assert op.get("summary"), f"{method.upper()} {path} has no summary"
        assert op.get("description") or op.get("summary")
        if path.startswith("/api/v1") and (op.get("parameters") or op.get("requestBody")):
            assert "422" in op["responses"], f"{method.upper()} {path} documents no 422"
    paths = set(document["paths"])
    for required in (
        "/api/v1/employers",
        "/api/v1/employers/{employer_id}",
        "/api/v1/stations",
        "/api/v1/stations/{station_id}",
        "/api/v1/postings",
        "/api/v1/postings/{posting_id}",
        "/api/v1/jobseekers",
        "/api/v1/jobseekers/{jobseeker_id}",
        "/api/v1/events",
        "/api/v1/events/{event_id}",
        "/api/v1/events/{event_id}/postings",
        "/api/v1/events/{event_id}/registrations",
        "/api/v1/occupations",
        "/api/v1/regions",
        "/api/v1/priority-groups",
        "/healthz",
        "/readyz",
        "/metrics",
    ):
        assert required in paths
