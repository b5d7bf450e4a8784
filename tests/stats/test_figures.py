"""The planners' figures through the API, for the caller's scope: supply and demand, priority
groups, zeroing, station workload, three colours, alerts, and audited CSV exports."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from fastapi import FastAPI

from tests.cases.desk import HONGSHAN, Desk, days_ago, open_desk
from tests.factories import API, create_jobseeker, create_posting


@pytest.fixture
async def desk(client: httpx.AsyncClient, app: FastAPI) -> Desk:
    return await open_desk(client, app, postings=2)


async def figure(desk: Desk, path: str, headers: dict | None = None) -> dict:
    response = await desk.client.get(f"{API}/stats/{path}", headers=headers or desk.staff)
    assert response.status_code == 200, response.text
    return response.json()


def rows_by_key(table: dict) -> dict[str, dict]:
    return {row["key"]: row for row in table["rows"]}


async def test_supply_demand_by_occupation_and_district(desk: Desk) -> None:
    for _ in range(4):
        await desk.person(desired_occupations=["6-18-02-04"])
    await desk.person(desired_occupations=["4-03-02-01"])
    await create_jobseeker(desk.client, **HONGSHAN, desired_occupations=["6-18-02-04"])
    await create_posting(desk.client, **HONGSHAN, headcount=5)  # outside the staff's districts

    occupation = await figure(desk, "supply-demand?by=occupation")
    welding = rows_by_key(occupation)["6-18"]
    assert (welding["vacancies"], welding["postings"], welding["jobseekers"]) == (2, 2, 4)
    assert welding["ratio"] == 0.5 and welding["name"] == "机械制造基础加工人员"
    assert rows_by_key(occupation)["4-03"]["vacancies"] == 0
    assert (occupation["vacancies"], occupation["jobseekers"]) == (2, 5)

    district = await figure(desk, "supply-demand?by=district")
    assert set(rows_by_key(district)) == {"420102"}
    assert rows_by_key(district)["420102"]["name"] == "江岸区"
    city = await figure(desk, "supply-demand?by=district", headers=desk.admin)
    assert rows_by_key(city)["420111"]["vacancies"] == 5
    bad = await desk.client.get(f"{API}/stats/supply-demand?by=planet", headers=desk.staff)
    assert bad.status_code == 422


async def test_the_demo_day_figures_move_with_the_cases(desk: Desk) -> None:
    """Due queue → a recommendation → contacts → a hire: promises and zeroing change."""
    first = await desk.person(groups=[{"group": "zero_employment_household"}])
    second = await desk.person(groups=[{"group": "zero_employment_household"}])
    before = await figure(desk, "zeroing")
    assert before["groups"][0] == {
        "group": "zero_employment_household",
        "name": "零就业家庭成员",
        "open": 2,
        "placed": 0,
    }
    assert {p["jobseeker"]["id"] for p in before["people"]} == {first, second}
    assert before["people"][0]["days_open"] == 0

    rec = await desk.recommend(first)
    await desk.hire(rec["id"])
    after = await figure(desk, "zeroing")
    assert (after["groups"][0]["open"], after["groups"][0]["placed"]) == (1, 1)
    assert [p["jobseeker"]["id"] for p in after["people"]] == [second]

    groups = {g["group"]: g for g in (await figure(desk, "priority-groups"))["groups"]}
    household = groups["zero_employment_household"]
    assert (household["registered"], household["seeking"], household["placed"]) == (2, 1, 1)
    assert household["recommended"] == 1
    assert household["median_days_to_first_recommendation"] == 0
    assert household["promises_met"] == 1 and household["promises_running"] == 1
    assert groups["veteran"]["registered"] == 0

    stations = (await figure(desk, "stations"))["stations"]
    mine = next(s for s in stations if s["station_id"] == desk.station)
    assert (mine["people"], mine["placed"], mine["recommendations"], mine["hired"]) == (2, 1, 1, 1)
    assert mine["due_7_days"] == 1 and mine["overdue"] == 0 and mine["open_cases"] == 0


async def test_three_colours_counted_by_district_and_station(desk: Desk) -> None:
    await desk.person(groups=[{"group": "migrant_worker"}])
    await desk.person(groups=[{"group": "graduate"}], left_school_on=days_ago(45))  # overdue
    await desk.person(groups=[{"group": "veteran"}])  # not screened
    district = await figure(desk, "screening?by=district")
    assert district["rows"] == [
        {"key": "420102", "name": "江岸区", "red": 1, "yellow": 1, "blue": 0}
    ]
    station = await figure(desk, "screening?by=station")
    assert [(r["key"], r["red"], r["yellow"]) for r in station["rows"]] == [(desk.station, 1, 1)]
    workload = (await figure(desk, "stations"))["stations"][0]
    assert (workload["red"], workload["yellow"], workload["overdue"]) == (1, 1, 1)


async def test_alerts_for_a_jump_in_registrations_and_a_ratio_out_of_band(desk: Desk) -> None:
    people = [await desk.person(desired_occupations=["6-18-02-04"]) for _ in range(10)]
    for person in people[:5]:
        response = await desk.client.put(
            f"{API}/cases/{person}/background",
            json={"former_employer": "武汉某机械厂", "former_employer_credit_code": None},
            headers=desk.staff,
        )
        assert response.status_code == 200, response.text
    found = {(a["kind"], a["key"]): a for a in (await figure(desk, "alerts"))["alerts"]}
    district = found[("district_registrations", "420102")]
    assert district["value"] == 10 and "江岸区近7天登记10人" in district["message"]
    employer = found[("former_employer_registrations", "武汉某机械厂")]
    assert employer["value"] == 5
    ratio = found[("supply_demand", "6-18")]
    assert ratio["value"] == 0.2 and "岗位不足" in ratio["message"]
    assert len(found) == 3


async def test_csv_exports_are_audited(desk: Desk) -> None:
    person = await desk.person(groups=[{"group": "zero_employment_household"}], name="李娜")
    response = await desk.client.get(
        f"{API}/stats/supply-demand?by=district&format=csv", headers=desk.staff
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert table[0]["key"] == "420102" and table[0]["name"] == "江岸区"
    zeroing = await desk.client.get(f"{API}/stats/zeroing?format=csv", headers=desk.staff)
    rows = list(csv.DictReader(io.StringIO(zeroing.content.decode("utf-8-sig"))))
    assert [(r["jobseeker_id"], r["name"], r["days_open"]) for r in rows] == [(person, "李娜", "0")]
    for path in ("priority-groups", "stations", "screening", "alerts"):
        exported = await desk.client.get(f"{API}/stats/{path}?format=csv", headers=desk.staff)
        assert exported.status_code == 200 and exported.content.startswith(b"\xef\xbb\xbf")

    log = (await desk.client.get(f"{API}/audit-log?entity_id=supply_demand_district")).json()
    assert [(r["action"], r["role"]) for r in log][:1] == [("export", "staff")]
    person_log = (await desk.client.get(f"{API}/audit-log?entity_id={person}")).json()
    assert "export" in {r["action"] for r in person_log}
