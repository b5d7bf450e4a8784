"""POST /postings/import: every good row stored, every bad row reported, repeats change nothing."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.changelog.models import ChangeRecord
from service.employers.models import Employer
from service.postings.models import Posting, PostingSourceRecord
from tests.conftest import bearer
from tests.factories import (
    API,
    create_account,
    create_employer,
    create_posting,
    field_errors,
    unique_credit_code,
)

HEADER = (
    "岗位编号,岗位名称,单位名称,统一社会信用代码,薪资,工作地点,招聘人数,学历要求,联系电话,备注\n"
)


def _csv(*lines: str) -> bytes:
    return (HEADER + "".join(line + "\n" for line in lines)).encode()


async def _import(
    client: httpx.AsyncClient, data: bytes, name: str = "postings.csv", **form: str
) -> httpx.Response:
    return await client.post(
        f"{API}/postings/import", files={"file": (name, data, "text/csv")}, data=form
    )


async def _counts(app: FastAPI) -> dict[str, int]:
    async with AsyncSession(app.state.engine) as session:
        out = {}
        for name, model in (
            ("postings", Posting),
            ("sources", PostingSourceRecord),
            ("employers", Employer),
            ("changes", ChangeRecord),
        ):
            out[name] = (await session.exec(select(func.count()).select_from(model))).one()
        return out


def _rejected(report: dict[str, Any]) -> dict[int, list[str]]:
    return {bad["row"]: [e["field"] for e in bad["errors"]] for bad in report["rejected"]}


async def test_a_file_is_stored_row_by_row_and_a_repeat_changes_nothing(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    code = unique_credit_code()
    data = _csv(
        f"A1,洗碗工,解记面馆,{code},4000-5000元/月,武汉市洪山区珞喻路1号,3,不限,13800138000,包吃",
        f"A2,服务员,解记面馆,{code},4500,洪山区,2,初中,13800138000,",
        f"A3,,解记面馆,{code},4500,洪山区,2,初中,13800138000,",  # no title
        f"A4,收银员,解记面馆,{code},很多,洪山区,1,高中,13800138000,",  # unreadable pay
        f"A5,帮厨,解记面馆,{code},150元/天,火星区某路,1,不限,13800138000,",  # nowhere
    )
    response = await _import(client, data)
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["rows"], report["accepted"], report["updated"], report["duplicate"]) == (
        5, 2, 0, 0,
    )  # fmt: skip
    assert _rejected(report) == {4: ["title"], 5: ["pay"], 6: ["location"]}
    assert report["employers_created"] == 1
    before = await _counts(app)

    again = (await _import(client, data)).json()
    assert (again["accepted"], again["updated"], again["duplicate"]) == (0, 0, 2)
    assert _rejected(again) == _rejected(report)
    assert await _counts(app) == before  # not one row more, not one change record more

    listed = (await client.get(f"{API}/postings", params={"q": "洗碗工"})).json()["items"]
    assert len(listed) == 1
    dish = listed[0]
    assert (dish["salary_min"], dish["salary_max"], dish["salary_unit"]) == (4000, 5000, "month")
    assert dish["adcode"] == "420111" and dish["headcount"] == 3
    assert dish["occupation_code"] is not None and dish["occupation_derivation"] == "title"
    assert dish["sources"] == [{"source": "import", "external_id": "A1"}]


async def test_a_changed_row_updates_its_posting(client: httpx.AsyncClient, app: FastAPI) -> None:
    code = unique_credit_code()
    first = _csv(f"B1,保洁员,江城物业,{code},3500,江岸区,2,不限,13900001111,")
    assert (await _import(client, first)).json()["accepted"] == 1
    changed = _csv(f"B1,保洁员,江城物业,{code},3800,江岸区,2,不限,13900001111,")
    report = (await _import(client, changed)).json()
    assert (report["accepted"], report["updated"], report["duplicate"]) == (0, 1, 0)
    listed = (await client.get(f"{API}/postings", params={"q": "保洁员"})).json()["items"]
    assert [p["salary_min"] for p in listed] == [3800]


async def test_rows_without_an_id_are_keyed_by_their_content(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    employer = await create_employer(client, name="江汉快递站")
    data = b"title,salary,location\n\xe5\xbf\xab\xe9\x80\x92\xe5\x91\x98,6000,420103\n"  # 快递员
    first = (await _import(client, data, employer_id=employer["id"])).json()
    second = (await _import(client, data, employer_id=employer["id"])).json()
    assert (first["accepted"], second["accepted"], second["duplicate"]) == (1, 0, 1)
    listed = (await client.get(f"{API}/postings", params={"q": "快递员"})).json()["items"]
    assert len(listed) == 1 and listed[0]["sources"][0]["external_id"].startswith("row:")


async def test_postings_the_rules_catch_are_stored_and_listed_not_dropped(
    client: httpx.AsyncClient,
) -> None:
    code = unique_credit_code()
    data = _csv(
        f"C1,仓库管理员,汉正物流,{code},5000,硚口区,1,高中,13700001111,年龄35岁以下",
        f"C2,理货员,汉正物流,{code},4000,硚口区,1,初中,13700001111,入职需交押金300元",
        f"C3,搬运工,汉正物流,{code},4500,硚口区,1,不限,13700001111,男女不限",
        f"C4,送货员,汉正物流,{code},4500,硚口区,1,不限,13700001111,限男性",
    )
    report = (await _import(client, data)).json()
    assert report["accepted"] == 4 and report["rejected"] == []
    screened = {row["row"]: row for row in report["screened"]}
    assert set(screened) == {2, 3, 5}  # 男女不限 is no restriction
    assert screened[2]["status"] == "pending_review"
    assert [f["code"] for f in screened[2]["flags"]] == ["discrimination_age"]
    assert screened[3]["status"] == "rejected"
    assert any(f["code"] == "fee_charged" and "押金" in f["matched"] for f in screened[3]["flags"])
    assert screened[5]["status"] == "rejected"
    assert [f["code"] for f in screened[5]["flags"]] == ["discrimination_gender"]
    for title in ("仓库管理员", "理货员", "送货员"):
        public = (await client.get(f"{API}/postings/search", params={"q": title})).json()
        assert public["items"] == [], title


async def test_an_employer_imports_only_for_itself(client: httpx.AsyncClient, app: FastAPI) -> None:
    own = await create_employer(client, name="武汉光谷电子有限公司")
    account = await create_account(client, "employer", employer_id=own["id"])
    as_employer = bearer(app, account["id"], "employer")
    other = await create_employer(client, name="别家公司")
    data = _csv(
        "D1,电子装配工,,,5000,洪山区,10,初中,13600001111,",
        f"D2,质检员,别家公司,{other['credit_code']},5000,洪山区,2,高中,13600001111,",
    )
    response = await client.post(
        f"{API}/postings/import",
        files={"file": ("p.csv", data, "text/csv")},
        headers=as_employer,
    )
    report = response.json()
    assert report["accepted"] == 1 and _rejected(report) == {3: ["credit_code"]}
    refused = await client.post(
        f"{API}/postings/import",
        files={"file": ("p.csv", data, "text/csv")},
        data={"employer_id": other["id"]},
        headers=as_employer,
    )
    assert refused.status_code == 403


async def test_the_same_vacancy_from_another_channel_becomes_one_posting(
    client: httpx.AsyncClient,
) -> None:
    employer = await create_employer(client, name="武汉顺达物流有限公司")
    posted = await create_posting(
        client, employer_id=employer["id"], title="叉车司机", occupation_code=None,
        adcode="420112", lat=None, lon=None, address=None,
    )  # fmt: skip
    data = _csv(
        f"F1,招聘叉车司机（持证）,武汉顺达物流有限公司,{employer['credit_code']},6000-8000,"
        "东西湖区,2,不限,13500001111,",
        f"F2,货车司机,武汉顺达物流有限公司,{employer['credit_code']},7000,东西湖区,1,不限,"
        "13500001111,",
    )
    report = (await _import(client, data, source="job_fair")).json()
    assert report["merged"] == [{"row": 2, "posting_id": posted["id"]}]
    assert (report["accepted"], report["duplicate"]) == (1, 1)
    merged = (await client.get(f"{API}/postings/{posted['id']}")).json()
    assert sorted(s["source"] for s in merged["sources"]) == ["employer", "job_fair"]
    assert merged["title"] == "叉车司机"  # the channel that sent it first keeps its text
    again = (await _import(client, data, source="job_fair")).json()
    assert (again["accepted"], again["duplicate"], again["merged"]) == (0, 2, [])


async def test_whole_file_problems_are_422_with_the_reason(client: httpx.AsyncClient) -> None:
    for data, name in (
        (b"", "empty.csv"),
        ("薪资,地点\n5000,江岸区\n".encode(), "no-title.csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "old.xls"),
        (b"PK\x03\x04 not really a workbook", "broken.xlsx"),
    ):
        response = await _import(client, data, name)
        assert response.status_code == 422, (name, response.text)
        assert "file" in field_errors(response), name
    unknown = await _import(client, _csv("X,普工"), employer_id="nobody")
    assert unknown.status_code == 422 and "employer_id" in field_errors(unknown)


async def test_staff_import_only_inside_their_districts(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    station = (
        await client.post(
            f"{API}/stations",
            json={"name": "江岸区服务站", "kind": "service_station", "adcode": "420102"},
        )
    ).json()
    staff = await create_account(client, "staff", station_id=station["id"])
    code = unique_credit_code()
    data = _csv(
        f"S1,保洁员,江岸物业,{code},3500,江岸区,1,不限,13900002222,",
        f"S2,保洁员,江岸物业,{code},3500,洪山区,1,不限,13900002222,",
    )
    response = await client.post(
        f"{API}/postings/import",
        files={"file": ("p.csv", data, "text/csv")},
        headers=bearer(app, staff["id"], "staff"),
    )
    report = response.json()
    assert report["accepted"] == 1 and _rejected(report) == {3: ["location"]}


async def test_the_api_screens_new_postings_and_edits_with_the_same_rules(
    client: httpx.AsyncClient,
) -> None:
    employer = await create_employer(client, name="武汉江城保安服务有限公司")
    held = await create_posting(
        client, employer_id=employer["id"], title="保安", description="年龄35岁以下，商场巡逻"
    )
    assert held["status"] == "pending_review"
    assert [f["code"] for f in held["screening"]] == ["discrimination_age"]
    clean = await create_posting(client, employer_id=employer["id"], title="保安")
    assert clean["status"] == "open" and clean["screening"] == []
    edited = await client.patch(
        f"{API}/postings/{clean['id']}", json={"description": "仅限武汉户籍"}
    )
    assert edited.json()["status"] == "pending_review"
    assert [f["code"] for f in edited.json()["screening"]] == ["discrimination_household"]
