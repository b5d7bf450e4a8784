"""/stations/nearby, /communities/import and /stats/circle on both databases, with known
geometry: walking 15 minutes reaches exactly 1.0 km in a straight line."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from service.stations.models import Station
from tests.circle.geometry import north
from tests.conftest import ANONYMOUS, bearer
from tests.factories import API, create_account, create_station

HERE = (30.60, 114.30)
OFFICE = [{"weekdays": [1, 2, 3, 4, 5], "opens": "09:00", "closes": "17:00"}]
EVERY_DAY = [{"weekdays": [1, 2, 3, 4, 5, 6, 7], "opens": "06:00", "closes": "18:00"}]
MONDAY_10 = "2026-03-02T10:00:00+08:00"
SATURDAY_10 = "2026-03-07T10:00:00+08:00"


async def station(client: httpx.AsyncClient, name: str, km: float | None, **fields: Any) -> str:
    place = (
        {"lat": None, "lon": None}
        if km is None
        else dict(zip(("lat", "lon"), north(km, HERE), strict=True))
    )
    body = {"name": name, "adcode": "420102"} | place | fields
    return (await create_station(client, **body))["id"]


def nearby(**params: Any) -> str:
    query = {"lat": HERE[0], "lon": HERE[1]} | params
    return str(httpx.URL(f"{API}/stations/nearby", params=query))


async def test_nearby_stations_nearest_first_with_minutes_services_and_hours(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await station(client, "服务站", 0.3, opening_hours=OFFICE, services=["求职登记", "岗位推荐"])
    await station(client, "零工驿站", 0.9, kind="gig_station", opening_hours=EVERY_DAY)
    await station(client, "远处服务站", 1.5)
    await station(client, "无坐标服务站", None)
    async with app.state.sessionmaker() as session:  # hours as a feed might have stored them
        lat, lon = north(0.6, HERE)
        garbled = [{"weekdays": "工作日", "opens": "早上", "closes": "晚上"}]
        session.add(
            Station(name="乱写时间的站", kind="e_station", adcode="420102", lat=lat, lon=lon,
                    opening_hours=garbled)
        )  # fmt: skip
        await session.commit()

    response = await client.get(nearby(at=MONDAY_10), headers=ANONYMOUS)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["mode"], body["minutes"]) == ("walk", 15)
    got = [
        (i["station"]["name"], i["travel_minutes"], i["travel"], i["distance_km"], i["open_now"])
        for i in body["items"]
    ]
    assert got == [
        ("服务站", 4.5, "步行约5分钟", 0.3, True),  # 0.36 km on foot at 4.8 km/h
        ("乱写时间的站", 9.0, "步行约9分钟", 0.6, None),  # unreadable hours: unknown
        ("零工驿站", 13.5, "步行约14分钟", 0.9, True),
    ]
    assert body["items"][0]["station"]["services"] == ["求职登记", "岗位推荐"]

    saturday = (await client.get(nearby(at=SATURDAY_10))).json()["items"]
    assert [i["open_now"] for i in saturday] == [False, None, True]
    assert [
        i["station"]["name"] for i in (await client.get(nearby(minutes=5))).json()["items"]
    ] == ["服务站"]
    gig = (await client.get(nearby(kind="gig_station"))).json()["items"]
    assert [i["station"]["name"] for i in gig] == ["零工驿站"]
    ebike = (await client.get(nearby(mode="ebike", limit=4))).json()
    assert [i["station"]["name"] for i in ebike["items"]][-1] == "远处服务站"
    assert ebike["items"][-1]["travel_minutes"] == pytest.approx(7.2)  # 1.8 km at 15 km/h


@pytest.mark.parametrize(
    "query",
    [
        "lat=30.6",
        "lat=30.6&lon=114.3&mode=rocket",
        "lat=91&lon=114.3",
        "lat=30.6&lon=114.3&minutes=0",
    ],
)
async def test_nearby_refuses_bad_queries(client: httpx.AsyncClient, query: str) -> None:
    response = await client.get(f"{API}/stations/nearby?{query}")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


def csv_of(rows: list[tuple[str, str, tuple[float, float], int | str]]) -> bytes:
    lines = ["社区名称,区划代码,纬度,经度,人口"]
    lines += [
        f"{name},{adcode},{lat!r},{lon!r},{people}" for name, adcode, (lat, lon), people in rows
    ]
    return ("\n".join(lines) + "\n").encode()


COMMUNITIES = [
    ("边缘社区", "420102", north(1.0, HERE), 1000),  # exactly 15 minutes from the station
    ("圈外社区", "420102", north(1.01, HERE), 3000),  # 10 m beyond the edge
    ("洪山社区", "420111", north(-20.0, HERE), 2000),  # a district with no station
]


async def upload(client: httpx.AsyncClient, data: bytes, **kwargs: Any) -> httpx.Response:
    files = {"file": ("communities.csv", data, "text/csv")}
    return await client.post(f"{API}/communities/import", files=files, **kwargs)


async def test_community_import_is_idempotent_and_reports_bad_rows(
    client: httpx.AsyncClient,
) -> None:
    first = await upload(client, csv_of(COMMUNITIES))
    assert first.status_code == 200, first.text
    assert first.json() | {"rejected": []} == {
        "rows": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "rejected": [],
    }
    again = (await upload(client, csv_of(COMMUNITIES))).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    changed = [*COMMUNITIES[:2], (*COMMUNITIES[2][:3], 2500), ("错社区", "420102", HERE, "许多")]
    report = (await upload(client, csv_of(changed))).json()
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 2)
    assert report["rejected"] == [
        {"row": 5, "errors": [{"field": "population", "message": "not a whole number: '许多'"}]}
    ]
    refused = await upload(client, b"name,adcode\nx,420102\n")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "file"


async def circle_world(client: httpx.AsyncClient) -> str:
    station_id = await station(client, "中心服务站", 0.0)
    await station(client, "无坐标服务站", None)
    await station(client, "培训基地", 5.0, kind="training_base")
    assert (await upload(client, csv_of(COMMUNITIES))).status_code == 200
    return station_id


def shares(areas: list[dict[str, Any]]) -> dict[str | None, tuple[int, int, float | None, int]]:
    return {
        a["adcode"]: (a["population"], a["covered_population"], a["share"], a["stations"])
        for a in areas
    }


async def test_circle_stats_with_known_geometry(client: httpx.AsyncClient) -> None:
    await circle_world(client)
    response = await client.get(f"{API}/stats/circle?suggest=3")
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["mode"], body["minutes"], body["kinds"], body["scope"]) == ("walk", 15, None, [])
    assert body["reach_km"] == pytest.approx(1.0)
    assert shares([body["overall"]]) == {None: (6000, 1000, pytest.approx(1 / 6), 2)}
    assert shares(body["districts"]) == {
        "420102": (4000, 1000, 0.25, 2),
        "420111": (2000, 0, 0.0, 0),  # no station: listed at 0 %
    }
    assert [d["name"] for d in body["districts"]] == ["江岸区", "洪山区"]
    assert (body["stations_counted"], body["stations_without_coordinates"]) == (2, 1)
    assert body["uncovered_total"] == 2
    assert [(u["name"], u["population"]) for u in body["uncovered"]] == [
        ("圈外社区", 3000),
        ("洪山社区", 2000),
    ]
    assert body["uncovered"][0]["nearest_minutes"] == pytest.approx(15.15, abs=0.051)  # 1.01 km
    assert body["uncovered"][0]["nearest_station_name"] == "中心服务站"
    sites = [
        (s["rank"], s["label"], s["added_population"], s["share_after"])
        for s in body["suggestions"]
    ]
    assert sites == [(1, "圈外社区", 3000, pytest.approx(4 / 6)), (2, "洪山社区", 2000, 1.0)]
    tiers = {t["code"]: (t["minutes"], t["overall"]["covered_population"]) for t in body["tiers"]}
    # 10 min = 0.67 km: nobody; 20 min = 1.33 km: both 江岸 communities; training: no base near
    assert tiers == {"service": (10, 0), "employment": (20, 4000), "training": (30, 0)}


async def test_circle_stats_kinds_minutes_and_mode(client: httpx.AsyncClient) -> None:
    await circle_world(client)
    training = (await client.get(f"{API}/stats/circle?kinds=training_base")).json()
    assert (training["stations_counted"], training["stations_without_coordinates"]) == (1, 0)
    assert training["overall"]["covered_population"] == 0
    wider = (await client.get(f"{API}/stats/circle?minutes=16&suggest=0")).json()
    assert wider["overall"]["covered_population"] == 4000 and wider["suggestions"] == []
    ebike = (await client.get(f"{API}/stats/circle?mode=ebike&adcode=420102")).json()
    assert (ebike["scope"], ebike["overall"]["share"]) == (["420102"], 1.0)
    bad = await client.get(f"{API}/stats/circle?kinds=service_station,castle")
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {"field": "kinds", "message": "unknown station kind 'castle'", "location": "query"}
    ]


async def test_staff_see_the_circle_of_their_own_districts(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    station_id = await circle_world(client)
    staff = await create_account(client, "staff", station_id=station_id)
    headers = bearer(app, staff["id"], "staff")
    own = await client.get(f"{API}/stats/circle", headers=headers)
    assert own.status_code == 200, own.text
    body = own.json()
    assert body["scope"] == ["420102"]
    assert shares(body["districts"]) == {"420102": (4000, 1000, 0.25, 2)}
    assert body["stations_without_coordinates"] == 1
    other = await client.get(f"{API}/stats/circle?adcode=420111", headers=headers)
    assert other.status_code == 403
    assert other.headers["content-type"].startswith("application/problem+json")
    assert (await client.get(f"{API}/stats/circle", headers=ANONYMOUS)).status_code == 401
