from __future__ import annotations

import httpx

from tests.factories import API, create_employer, create_station


async def test_employer_crud_and_filters(client: httpx.AsyncClient) -> None:
    red = await create_employer(client, name="武汉光谷信息技术有限公司", credit_status="red_list")
    plain = await create_employer(client, name="江汉区老字号面馆", adcode="420103")
    url = f"{API}/employers/{plain['id']}"
    patched = await client.patch(url, json={"contact_phone": "+86 138-0715-0002"})
    assert patched.json()["contact_phone"] == "13807150002"
    assert (await client.get(url)).json()["contact_phone"] == "13807150002"
    listed = await client.get(f"{API}/employers", params={"credit_status": "red_list"})
    assert [e["id"] for e in listed.json()["items"]] == [red["id"]]
    listed = await client.get(f"{API}/employers", params={"q": "面馆", "adcode": "4201"})
    assert [e["id"] for e in listed.json()["items"]] == [plain["id"]]
    taken = await client.patch(url, json={"credit_code": red["credit_code"]})
    assert taken.status_code == 409


async def test_station_crud_address_geocoding_and_filters(client: httpx.AsyncClient) -> None:
    by_address = await create_station(
        client,
        name="硚口区零工驿站",
        kind="gig_station",
        adcode=None,
        lat=None,
        lon=None,
        address="武汉市硚口区解放大道358号",
        services=["零工对接", "技能培训", "零工对接"],
    )
    assert by_address["adcode"] == "420104"
    assert by_address["services"] == ["零工对接", "技能培训"]
    kiosk = await create_station(client, name="24小时便民e站", kind="e_station")
    url = f"{API}/stations/{kiosk['id']}"
    hours = [{"weekdays": [1, 2, 3, 4, 5, 6, 7], "opens": "00:00", "closes": "24:00"}]
    patched = await client.patch(url, json={"opening_hours": hours, "lat": 30.62})
    assert patched.status_code == 200, patched.text
    assert patched.json()["opening_hours"] == hours
    assert patched.json()["lat"] == 30.62
    listed = await client.get(f"{API}/stations", params={"kind": "gig_station"})
    assert [s["id"] for s in listed.json()["items"]] == [by_address["id"]]
    assert (await client.get(f"{API}/stations/missing")).status_code == 404
