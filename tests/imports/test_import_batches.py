"""An import's batches: what a run learns about its channel's postings (to skip reading the
employers that have no others) never hides another channel's posting from a later batch."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from ingest.readers import RawRow, read_csv
from service.caller import Caller, Role
from service.imports.batch import Batch, ChannelPostings, ImportOptions
from service.imports.report import ImportReport
from service.imports.service import run_import
from tests.factories import API, create_employer, create_posting

HEADER = "岗位编号,岗位名称,单位名称,统一社会信用代码,薪资,工作地点,招聘人数,联系电话\n"
STAFF = Caller(role=Role.admin, actor_id="tests", via="cli")


def _rows(employer: dict[str, str], *jobs: tuple[str, str]) -> list[RawRow]:
    lines = [
        f"{key},{title},{employer['name']},{employer['credit_code']},6000,东西湖区,1,13500001111\n"
        for key, title in jobs
    ]
    rows = list(read_csv((HEADER + "".join(lines)).encode()))
    assert all(isinstance(row, RawRow) for row in rows)
    return rows  # type: ignore[return-value]


async def _forklift_driver(client: httpx.AsyncClient) -> tuple[dict[str, str], dict[str, str]]:
    employer = await create_employer(client, name="武汉顺达物流有限公司")
    posted = await create_posting(
        client, employer_id=employer["id"], title="叉车司机", occupation_code=None,
        adcode="420112", lat=None, lon=None, address=None,
    )  # fmt: skip
    return employer, posted


async def test_a_row_in_a_later_batch_is_merged_and_the_channel_is_then_its_own(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    employer, posted = await _forklift_driver(client)
    rows = _rows(
        employer,
        ("J1", "质检员"),  # batch 1: new
        ("J2", "招聘叉车司机（持证）"),  # batch 2: the employer's own 叉车司机
        ("J3", "叉车工"),  # batch 3: that posting came through job_fair now: new
        ("J4", "质检员"),  # batch 4: J1 is job_fair's own posting: new
    )
    options = ImportOptions(source="job_fair", caller=STAFF)
    report = await run_import(
        app.state.sessionmaker, app.state.reference, rows, options, batch_rows=1
    )
    assert report.merged and [(m.row, m.posting_id) for m in report.merged] == [(3, posted["id"])]
    assert (report.accepted, report.duplicate, report.rejected) == (3, 1, [])
    merged = (await client.get(f"{API}/postings/{posted['id']}")).json()
    assert sorted(s["source"] for s in merged["sources"]) == ["employer", "job_fair"]
    again = await run_import(
        app.state.sessionmaker, app.state.reference, rows, options, batch_rows=1
    )
    assert (again.accepted, again.duplicate, again.merged) == (0, 4, [])


async def test_a_posting_another_channel_adds_between_two_batches_is_found(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    employer, _ = await _forklift_driver(client)
    options = ImportOptions(source="job_fair", caller=STAFF)
    channel = ChannelPostings()

    async def batch(rows: list[RawRow]) -> ImportReport:
        async with app.state.sessionmaker() as session:
            running = Batch(session, app.state.reference, options, None, None, channel)
            report = await running.run(rows)
            await session.commit()
        channel.add(running.channel_postings)
        return report

    first = await batch(_rows(employer, ("J1", "质检员"), ("J2", "招聘叉车司机")))
    assert (first.accepted, len(first.merged)) == (1, 1)
    assert channel.count(employer["id"]) == 2  # both of the employer's postings
    guard = await create_posting(
        client, employer_id=employer["id"], title="保安", occupation_code=None,
        adcode="420112", lat=None, lon=None, address=None,
    )  # fmt: skip
    second = await batch(_rows(employer, ("J3", "保安"), ("J4", "质检员")))
    assert [m.posting_id for m in second.merged] == [guard["id"]]
    assert second.accepted == 1
