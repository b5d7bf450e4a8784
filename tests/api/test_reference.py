from __future__ import annotations

import httpx

from tests.factories import API


async def test_occupations_by_name_alias_code(client: httpx.AsyncClient) -> None:
    by_name = (await client.get(f"{API}/occupations", params={"q": "焊工"})).json()
    assert by_name[0]["code"] == "6-18-02-04"
    by_alias = (await client.get(f"{API}/occupations", params={"q": "氩弧焊工"})).json()
    assert by_alias[0]["code"] == "6-18-02-04"
    one = (await client.get(f"{API}/occupations/6-18-02-04")).json()
    assert (one["name"], one["level"], one["parent"]) == ("焊工", 4, "6-18-02-00")
    assert (await client.get(f"{API}/occupations/9-99-99-99")).status_code == 404
    assert (await client.get(f"{API}/occupations", params={"q": ""})).status_code == 422
    typed = (await client.get(f"{API}/occupations", params={"q": "hg", "limit": 3})).json()
    assert typed[0]["name"] == "焊工"
    by_code = (await client.get(f"{API}/occupations", params={"q": "6-18-02"})).json()
    assert all(o["code"].startswith("6-18-02") for o in by_code)


async def test_regions_with_centroids(client: httpx.AsyncClient) -> None:
    found = (await client.get(f"{API}/regions", params={"q": "江岸"})).json()
    jiangan = next(r for r in found if r["adcode"] == "420102")
    assert jiangan["full_name"] == "湖北省武汉市江岸区"
    assert 30.5 < jiangan["lat"] < 30.7 and 114.2 < jiangan["lon"] < 114.4
    districts = (await client.get(f"{API}/regions", params={"parent": "420100"})).json()
    assert len(districts) == 13
    assert (await client.get(f"{API}/regions/420102")).json()["name"] == "江岸区"
    assert (await client.get(f"{API}/regions/999999")).status_code == 404


async def test_priority_policy_comes_from_the_file(client: httpx.AsyncClient) -> None:
    policy = (await client.get(f"{API}/priority-groups")).json()
    codes = [g["code"] for g in policy["groups"]]
    for required in (
        "graduate",
        "veteran",
        "fishing_ban_fisher",
        "employment_difficulty",
        "zero_employment_household",
        "poverty_alleviated",
        "disabled",
        "migrant_worker",
        "long_term_unemployed",
        "older_worker",
    ):
        assert required in codes
    promises = {p["code"]: p for p in policy["promises"]}
    assert promises["101"]["deadline_days"] == 7
    assert promises["difficulty_30d"]["deadline_days"] == 30
    assert any("employment_difficulty" in r["groups"] for r in policy["reserved_posts"])
