from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from service.auth.ratelimit import Limits, LoginBackoff, SlidingWindow
from service.auth.tokens import issue_token
from tests.conftest import ANONYMOUS, JOBCIRCLE, TEST_SECRET, bearer, cli_env
from tests.factories import (
    API,
    create_account,
    create_employer,
    create_jobseeker,
    create_posting,
    create_station,
    field_errors,
    unique_phone,
)


async def log_in(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post(
        f"{API}/auth/token", data={"username": username, "password": password}, headers=ANONYMOUS
    )


@pytest.fixture
def strict_limits(app: FastAPI):  # type: ignore[no-untyped-def]
    saved = app.state.limits
    app.state.limits = Limits(
        token_per_client=SlidingWindow(4, 60),
        registration_per_client=SlidingWindow(2, 3600),
        login_backoff=LoginBackoff(2),
    )
    yield app.state.limits
    app.state.limits = saved


async def test_password_login_gives_a_working_token(client: httpx.AsyncClient) -> None:
    station = await create_station(client)
    account = await create_account(client, "staff", "staff-password-1", station_id=station["id"])
    response = await log_in(client, account["username"], "staff-password-1")
    assert response.status_code == 200
    token = response.json()
    assert (token["token_type"], token["role"]) == ("bearer", "staff")
    assert 0 < token["expires_in"] <= 24 * 3600
    me = await client.get(
        f"{API}/auth/me", headers={"Authorization": f"Bearer {token['access_token']}"}
    )
    assert me.json()["scope_adcodes"] == ["420102"]
    assert me.json()["station_id"] == station["id"]


async def test_bad_credentials_and_tokens_are_401_problems(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    account = await create_account(client, "admin", "admin-password-9")
    wrong = await log_in(client, account["username"], "not-the-password")
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"] == "Bearer"
    field_errors(wrong)
    assert (await log_in(client, "nobody-at-all", "whatever-123")).status_code == 401

    garbage = await client.get(f"{API}/auth/me", headers={"Authorization": "Bearer not.a.jwt"})
    assert garbage.status_code == 401
    expired, _ = issue_token(TEST_SECRET, account_id=account["id"], role="admin", minutes=-1)
    old = await client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {expired}"})
    assert old.status_code == 401
    forged, _ = issue_token(
        "another-secret-key-entirely", account_id=account["id"], role="admin", minutes=5
    )
    assert (
        await client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {forged}"})
    ).status_code == 401


async def test_disabling_an_account_stops_its_token_at_once(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    account = await create_account(client, "admin", "admin-password-9")
    headers = bearer(app, account["id"])
    assert (await client.get(f"{API}/accounts", headers=headers)).status_code == 200
    await client.patch(f"{API}/accounts/{account['id']}", json={"is_active": False})
    assert (await client.get(f"{API}/accounts", headers=headers)).status_code == 401
    assert (await log_in(client, account["username"], "admin-password-9")).status_code == 401


async def test_token_endpoint_limits_addresses_and_backs_off_usernames(
    client: httpx.AsyncClient, strict_limits: Limits
) -> None:
    account = await create_account(client, "admin", "admin-password-9")
    for _ in range(2):
        assert (await log_in(client, account["username"], "wrong-password")).status_code == 401
    backed_off = await log_in(client, account["username"], "admin-password-9")
    assert backed_off.status_code == 429  # even the right password waits after failures
    assert int(backed_off.headers["retry-after"]) >= 1
    assert "failed logins" in backed_off.json()["detail"]
    strict_limits.login_backoff.succeeded(account["username"])  # the wait has passed
    assert (await log_in(client, account["username"], "admin-password-9")).status_code == 200
    flood = await log_in(client, account["username"], "admin-password-9")  # 5th from this address
    assert flood.status_code == 429
    assert flood.headers["content-type"].startswith("application/problem+json")


async def test_self_registration(client: httpx.AsyncClient, strict_limits: Limits) -> None:
    body = {
        "name": "周敏",
        "phone": unique_phone(),
        "address": "武汉市青山区红钢城街道",
        "desired_titles": ["收银员"],
        "id_number": "420102199005060131",
        "password": "my-own-password",
    }
    created = await client.post(f"{API}/auth/register", json=body, headers=ANONYMOUS)
    assert created.status_code == 201, created.text
    result = created.json()
    assert result["jobseeker"]["phone"] == body["phone"]  # the person sees their own data
    assert result["jobseeker"]["adcode"] == "420107"
    assert result["jobseeker"]["station_id"] is None
    own = {"Authorization": f"Bearer {result['token']['access_token']}"}
    me = (await client.get(f"{API}/jobseekers/{result['jobseeker']['id']}", headers=own)).json()
    assert me["id_number"] == "420102199005060131"
    assert (await client.get(f"{API}/jobseekers", headers=own)).status_code == 403
    assert (await log_in(client, body["phone"], "my-own-password")).status_code == 200

    short = await client.post(
        f"{API}/auth/register", json=body | {"password": "short"}, headers=ANONYMOUS
    )
    assert short.status_code == 422  # validation comes before the limiter counts
    assert "password" in field_errors(short)
    again = await client.post(
        f"{API}/auth/register", json=body | {"id_number": None}, headers=ANONYMOUS
    )
    assert again.status_code == 409
    third = await client.post(
        f"{API}/auth/register",
        json=body | {"phone": unique_phone(), "id_number": None},
        headers=ANONYMOUS,
    )
    assert third.status_code == 429  # two registrations per address per hour in this test


async def test_counter_registration_records_the_staff_station(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    mine = await create_station(client)
    other = await create_station(client, name="别处", adcode="420111", lat=30.5, lon=114.34)
    staff = await create_account(client, "staff", station_id=mine["id"])
    headers = bearer(app, staff["id"], "staff")
    body = {
        "name": "吴刚",
        "phone": unique_phone(),
        "adcode": "420115",
        "desired_titles": ["保安员"],
    }
    made = await client.post(
        f"{API}/jobseekers", json=body | {"station_id": other["id"]}, headers=headers
    )
    assert made.status_code == 201
    person = made.json()
    assert person["station_id"] == mine["id"]  # counter registration records the staff's station
    assert person["phone"] == body["phone"]  # registered at their station: in scope though in 江夏
    listed = (await client.get(f"{API}/jobseekers", headers=headers)).json()["items"]
    assert [j["id"] for j in listed] == [person["id"]]


async def test_staff_lists_only_their_scope(client: httpx.AsyncClient, app: FastAPI) -> None:
    station = await create_station(client)  # 江岸区 420102
    inside = await create_jobseeker(client, adcode="420102")
    await create_jobseeker(client, adcode="420111")
    staff = await create_account(client, "staff", station_id=station["id"])
    listed = await client.get(f"{API}/jobseekers", headers=bearer(app, staff["id"], "staff"))
    assert [j["id"] for j in listed.json()["items"]] == [inside["id"]]
    widened = await create_account(
        client, "staff", station_id=station["id"], scope_adcodes=["420111"]
    )
    listed = await client.get(f"{API}/jobseekers", headers=bearer(app, widened["id"], "staff"))
    assert len(listed.json()["items"]) == 2


async def test_audit_log_records_staff_reads(client: httpx.AsyncClient, app: FastAPI) -> None:
    station = await create_station(client)
    person = await create_jobseeker(client, adcode="420102")
    staff = await create_account(client, "staff", station_id=station["id"])
    headers = bearer(app, staff["id"], "staff") | {"x-request-id": "counter-7"}
    assert (
        await client.get(f"{API}/jobseekers/{person['id']}", headers=headers)
    ).status_code == 200
    await client.get(f"{API}/jobseekers", headers=headers)
    seeker = await create_account(
        client, "jobseeker", jobseeker_id=person["id"], username=unique_phone()
    )
    await client.get(
        f"{API}/jobseekers/{person['id']}", headers=bearer(app, seeker["id"], "jobseeker")
    )

    log = (await client.get(f"{API}/audit-log", params={"entity_id": person["id"]})).json()
    staff_rows = [r for r in log if r["actor"] == f"token:{staff['id']}"]
    assert {r["action"] for r in staff_rows} == {"read_record", "list_records"}
    read = next(r for r in staff_rows if r["action"] == "read_record")
    assert (read["role"], read["request_id"], read["client_ip"]) == (
        "staff",
        "counter-7",
        "127.0.0.1",
    )
    assert not [r for r in log if r["role"] == "jobseeker"]  # a person reading themselves
    # the admin's own creation and reads are audited too
    assert any(r["role"] == "admin" for r in log)


async def test_api_keys_act_for_their_binding_and_can_be_revoked(client: httpx.AsyncClient) -> None:
    own = await create_employer(client)
    other = await create_employer(client)
    made = await client.post(f"{API}/api-keys", json={"name": "企业对接", "employer_id": own["id"]})
    assert made.status_code == 201
    key = made.json()["key"]
    assert key.startswith("jc_") and made.json()["role"] == "employer"
    listed = (await client.get(f"{API}/api-keys")).json()["items"]
    assert key not in str(listed)

    as_key = ANONYMOUS | {"X-API-Key": key}
    me = (await client.get(f"{API}/auth/me", headers=as_key)).json()
    assert (me["role"], me["via"], me["employer_id"]) == ("employer", "api_key", own["id"])
    body = {"title": "快递员", "adcode": "420102"}
    mine = await client.post(
        f"{API}/postings", json=body | {"employer_id": own["id"]}, headers=as_key
    )
    assert mine.status_code == 201
    theirs = await client.post(
        f"{API}/postings", json=body | {"employer_id": other["id"]}, headers=as_key
    )
    assert theirs.status_code == 403

    assert (await client.delete(f"{API}/api-keys/{made.json()['id']}")).status_code == 204
    assert (await client.get(f"{API}/auth/me", headers=as_key)).status_code == 401
    bogus = ANONYMOUS | {"X-API-Key": "jc_000000000000_nothing"}
    assert (await client.get(f"{API}/auth/me", headers=bogus)).status_code == 401


async def test_only_admins_set_credit_status(client: httpx.AsyncClient, app: FastAPI) -> None:
    station = await create_station(client)
    staff = await create_account(client, "staff", station_id=station["id"])
    headers = bearer(app, staff["id"], "staff")
    employer = await create_employer(client)
    response = await client.patch(
        f"{API}/employers/{employer['id']}", json={"credit_status": "red_list"}, headers=headers
    )
    assert response.status_code == 403
    response = await client.post(
        f"{API}/employers", json={"name": "某公司", "credit_status": "c_grade"}, headers=headers
    )
    assert response.status_code == 403
    response = await client.patch(
        f"{API}/employers/{employer['id']}", json={"credit_status": "red_list"}
    )
    assert response.json()["credit_status"] == "red_list"


async def test_rejected_postings_are_hidden_from_the_public(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    banned = await create_employer(client, credit_status="c_grade")
    rejected = await create_posting(client, employer_id=banned["id"])
    assert rejected["status"] == "rejected"
    url = f"{API}/postings/{rejected['id']}"
    assert (await client.get(url, headers=ANONYMOUS)).status_code == 404
    listed = (await client.get(f"{API}/postings", headers=ANONYMOUS)).json()["items"]
    assert rejected["id"] not in [p["id"] for p in listed]
    owner = await create_account(client, "employer", employer_id=banned["id"])
    assert (await client.get(url, headers=bearer(app, owner["id"], "employer"))).status_code == 200


def test_createadmin_command(tmp_path: Path) -> None:
    env = cli_env(
        f"sqlite+aiosqlite:///{tmp_path / 'admin.db'}",
        JOBCIRCLE_ADMIN_USERNAME="ops.admin",
        JOBCIRCLE_ADMIN_PASSWORD="ops-admin-password",
    )
    command = [*JOBCIRCLE, "createadmin"]
    first = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert first.returncode == 0, first.stderr
    assert "admin ops.admin created" in first.stderr
    second = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert second.returncode == 1
    assert "taken" in second.stderr
