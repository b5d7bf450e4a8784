"""Every validation rule answers with a problem document that names the field."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.factories import (
    API,
    citizen_id,
    create_employer,
    create_posting,
    create_station,
    field_errors,
    unique_credit_code,
    unique_phone,
)

VALID_ID = citizen_id(7)
BAD_CHECK_DIGIT = VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1")
VALID_CODE = unique_credit_code()
BAD_CHECK_CHAR = VALID_CODE[:-1] + ("0" if VALID_CODE[-1] != "0" else "1")


def jobseeker(**fields: Any) -> dict[str, Any]:
    return {
        "name": "李娜",
        "phone": unique_phone(),
        "adcode": "420102",
        "desired_titles": ["保洁员"],
    } | fields


def employer(**fields: Any) -> dict[str, Any]:
    return {"name": "武汉测试有限公司"} | fields


def posting(owner: str, **fields: Any) -> dict[str, Any]:
    return {"employer_id": owner, "title": "保洁员", "adcode": "420102"} | fields


JOBSEEKER_CASES = [
    ("citizen id check digit", {"id_number": BAD_CHECK_DIGIT}, "id_number"),
    ("citizen id length", {"id_number": VALID_ID[:17]}, "id_number"),
    ("citizen id birth date", {"id_number": "420102199013450012"}, "id_number"),
    ("mobile number", {"phone": "12345678901"}, "phone"),
    ("mobile number letters", {"phone": "1381234abcd"}, "phone"),
    ("home outside China", {"lat": 35.68, "lon": 139.76}, "lat"),
    ("half a coordinate", {"lat": 30.5}, "lon"),
    ("unknown occupation", {"desired_occupations": ["9-99-99-99"]}, "desired_occupations.0"),
    ("malformed occupation", {"desired_occupations": ["welder"]}, "desired_occupations.0"),
    ("unknown adcode", {"adcode": "999999"}, "adcode"),
    ("unknown group", {"priority_groups": [{"group": "astronaut"}]}, "priority_groups.0.group"),
    ("enum value", {"education": "kindergarten"}, "education"),
    ("name too long", {"name": "张" * 51}, "name"),
    ("nowhere to live", {"adcode": None}, "adcode"),
    ("wants nothing", {"desired_titles": []}, "desired_titles"),
    ("unknown field", {"favourite_colour": "red"}, "favourite_colour"),
    ("wrong type", {"experience_years": "many"}, "experience_years"),
]


@pytest.mark.parametrize(
    ("case", "change", "field"), JOBSEEKER_CASES, ids=[c[0] for c in JOBSEEKER_CASES]
)
async def test_jobseeker_rules(
    client: httpx.AsyncClient, case: str, change: dict, field: str
) -> None:
    response = await client.post(f"{API}/jobseekers", json=jobseeker(**change))
    assert response.status_code == 422, response.text
    assert field in field_errors(response), response.json()


EMPLOYER_CASES = [
    ("credit code check character", {"credit_code": BAD_CHECK_CHAR}, "credit_code"),
    ("credit code forbidden letter", {"credit_code": "91420100MA4K0000IO"}, "credit_code"),
    ("contact mobile", {"contact_phone": "1234"}, "contact_phone"),
    ("credit status enum", {"credit_status": "excellent"}, "credit_status"),
    ("unknown adcode", {"adcode": "420199"}, "adcode"),
    ("name too long", {"name": "公" * 201}, "name"),
    ("empty name", {"name": "  "}, "name"),
]


@pytest.mark.parametrize(
    ("case", "change", "field"), EMPLOYER_CASES, ids=[c[0] for c in EMPLOYER_CASES]
)
async def test_employer_rules(
    client: httpx.AsyncClient, case: str, change: dict, field: str
) -> None:
    response = await client.post(f"{API}/employers", json=employer(**change))
    assert response.status_code == 422, response.text
    assert field in field_errors(response)


POSTING_CASES = [
    ("salary order", {"salary_min": 9000, "salary_max": 6000}, "salary_min"),
    ("negative salary", {"salary_min": -1}, "salary_min"),
    ("employment type enum", {"employment_type": "slavery"}, "employment_type"),
    ("salary unit enum", {"salary_unit": "year"}, "salary_unit"),
    ("unknown occupation", {"occupation_code": "6-18-02-99"}, "occupation_code"),
    ("unknown adcode", {"adcode": "000000"}, "adcode"),
    ("outside China", {"lat": 1.3, "lon": 103.8}, "lat"),
    ("title too long", {"title": "焊" * 101}, "title"),
    ("description too long", {"description": "好" * 5001}, "description"),
    (
        "gig ends before it starts",
        {"starts_at": "2026-05-02T08:00:00+08:00", "ends_at": "2026-05-02T07:00:00+08:00"},
        "ends_at",
    ),
    ("unknown reserved group", {"reserved_for": ["martian"]}, "reserved_for.0"),
    ("headcount zero", {"headcount": 0}, "headcount"),
    ("unknown employer", {"employer_id": "nope"}, "employer_id"),
    ("unknown station", {"station_id": "nope"}, "station_id"),
    ("unknown event", {"event_id": "nope"}, "event_id"),
    ("address nowhere", {"adcode": None, "address": "某某某某"}, "address"),
]


@pytest.mark.parametrize(
    ("case", "change", "field"), POSTING_CASES, ids=[c[0] for c in POSTING_CASES]
)
async def test_posting_rules(
    client: httpx.AsyncClient, case: str, change: dict, field: str
) -> None:
    owner = await create_employer(client)
    body = posting(owner["id"], **change)
    response = await client.post(f"{API}/postings", json=body)
    assert response.status_code == 422, response.text
    assert field in field_errors(response)


async def test_salary_rule_holds_for_patch_against_stored_values(client: httpx.AsyncClient) -> None:
    created = await create_posting(client, salary_min=6000, salary_max=9000)
    response = await client.patch(f"{API}/postings/{created['id']}", json={"salary_min": 10000})
    assert response.status_code == 422
    assert "salary_min" in field_errors(response)
    response = await client.patch(f"{API}/postings/{created['id']}", json={"title": None})
    assert response.status_code == 422
    assert "title" in field_errors(response)


STATION_CASES = [
    ("kind enum", {"kind": "casino"}, "kind"),
    ("outside China", {"lat": 48.85, "lon": 2.35}, "lat"),
    ("latitude range", {"lat": 123.0, "lon": 114.3}, "lat"),
    (
        "opening hours order",
        {"opening_hours": [{"weekdays": [1], "opens": "18:00", "closes": "09:00"}]},
        "opening_hours.0.closes",
    ),
    (
        "opening hours format",
        {"opening_hours": [{"weekdays": [1], "opens": "9am", "closes": "17:00"}]},
        "opening_hours.0.opens",
    ),
    (
        "weekday range",
        {"opening_hours": [{"weekdays": [8], "opens": "09:00", "closes": "17:00"}]},
        "opening_hours.0.weekdays.0",
    ),
    ("unknown adcode", {"adcode": "421299"}, "adcode"),
]


@pytest.mark.parametrize(
    ("case", "change", "field"), STATION_CASES, ids=[c[0] for c in STATION_CASES]
)
async def test_station_rules(
    client: httpx.AsyncClient, case: str, change: dict, field: str
) -> None:
    body = {"name": "测试驿站", "kind": "gig_station", "adcode": "420102"} | change
    response = await client.post(f"{API}/stations", json=body)
    assert response.status_code == 422, response.text
    assert field in field_errors(response)


async def test_station_patch_refuses_half_coordinates_outside_china(
    client: httpx.AsyncClient,
) -> None:
    station = await create_station(client)
    response = await client.patch(f"{API}/stations/{station['id']}", json={"lat": 60.0})
    assert response.status_code == 422
    assert "lat" in field_errors(response)


EVENT_CASES = [
    ("ends before start", {"ends_at": "2026-02-28T09:00:00+08:00"}, "ends_at"),
    ("livestream without url", {"kind": "livestream"}, "online_url"),
    ("nowhere", {"venue": None}, "station_id"),
    ("kind enum", {"kind": "party"}, "kind"),
    ("unknown target group", {"target_groups": ["pirate"]}, "target_groups.0"),
    ("bad url", {"online_url": "not a url"}, "online_url"),
]


@pytest.mark.parametrize(("case", "change", "field"), EVENT_CASES, ids=[c[0] for c in EVENT_CASES])
async def test_event_rules(client: httpx.AsyncClient, case: str, change: dict, field: str) -> None:
    body = {
        "name": "春风行动",
        "kind": "job_fair",
        "starts_at": "2026-03-01T09:00:00+08:00",
        "ends_at": "2026-03-01T12:00:00+08:00",
        "venue": "武汉国际博览中心",
    } | change
    response = await client.post(f"{API}/events", json=body)
    assert response.status_code == 422, response.text
    assert field in field_errors(response)


async def test_malformed_json_is_400_naming_the_body(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{API}/employers", content=b'{"name": "x",', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert "body" in field_errors(response)
    assert response.json()["title"] == "Malformed JSON"


async def test_json_that_is_not_an_object_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post(f"{API}/employers", json=["a", "list"])
    assert response.status_code == 422
    field_errors(response)


async def test_oversized_body_is_413(client: httpx.AsyncClient) -> None:
    huge = {"name": "x", "industry": "y" * (3 * 1024 * 1024)}
    response = await client.post(f"{API}/employers", json=huge)
    assert response.status_code == 413
    assert "body" in field_errors(response)


async def test_oversized_body_without_length_header_is_413(client: httpx.AsyncClient) -> None:
    async def chunks():  # streamed: no Content-Length, the limit must still hold
        for _ in range(40):
            yield b"x" * (100 * 1024)

    response = await client.post(
        f"{API}/employers", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


async def test_bad_query_parameter_names_it(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/postings", params={"limit": 1000})
    assert response.status_code == 422
    assert "limit" in field_errors(response)
    response = await client.get(f"{API}/postings", params={"cursor": "%%%notacursor"})
    assert response.status_code == 422
    assert "cursor" in field_errors(response)


async def test_unknown_route_is_a_problem_document(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/nothing-here")
    assert response.status_code == 404
    field_errors(response)


async def test_duplicate_credit_code_is_409(client: httpx.AsyncClient) -> None:
    first = await create_employer(client)
    response = await client.post(
        f"{API}/employers", json=employer(credit_code=first["credit_code"])
    )
    assert response.status_code == 409
    field_errors(response)


async def test_duplicate_phone_and_id_number_are_409(client: httpx.AsyncClient) -> None:
    first = jobseeker(id_number=VALID_ID)
    assert (await client.post(f"{API}/jobseekers", json=first)).status_code == 201
    same_phone = jobseeker(phone=first["phone"])
    assert (await client.post(f"{API}/jobseekers", json=same_phone)).status_code == 409
    same_id = jobseeker(id_number=VALID_ID)
    assert (await client.post(f"{API}/jobseekers", json=same_id)).status_code == 409
