"""The configured travel provider (JOBCIRCLE_TRAVEL_*) is the one matching and search use."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from service.main import create_app
from tests.conftest import ADMIN_ID, _seed_admin, bearer, make_settings
from tests.factories import API, create_posting

ORIGIN = (30.50, 114.30)
TARGET = (30.50, 114.31)  # about 0.96 km east


async def _walking_minutes(application: FastAPI) -> float:
    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", headers=bearer(application, ADMIN_ID)
    ) as client:
        await create_posting(client, adcode="420106", lat=TARGET[0], lon=TARGET[1])
        params = {"lat": ORIGIN[0], "lon": ORIGIN[1], "minutes": 60, "mode": "walk"}
        for _ in range(50):
            body = (await client.get(f"{API}/postings/search", params=params)).json()
            if body["total"]:
                return body["items"][0]["travel_minutes"]
            await asyncio.sleep(0.1)
        raise AssertionError("the posting never reached the index")


@pytest.mark.parametrize("speed", [2.5, 5.0])
async def test_search_times_walks_at_the_configured_speed(tmp_path: Path, speed: float) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'travel.db'}"
    settings = make_settings(
        url,
        auto_migrate=True,
        travel_speeds={"walk": speed},
        travel_detours={"walk": 1.0},
        travel_fixed_minutes={"walk": 0.0},
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        await _seed_admin(application)
        minutes = await _walking_minutes(application)
    km = 0.961  # haversine of the two points, checked by hand (Δlon 0.01° at 30.5° N)
    assert minutes == pytest.approx(km / speed * 60, rel=0.01)
