"""Job-fair and gig-station feeds: the header, the postings as rows, what is refused and why."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ingest.feeds import (
    FairEmployer,
    FairEvent,
    Station,
    read_fair_feed,
    read_station_feed,
)
from ingest.readers import FileUnreadable, RawRow, RowProblem

SAMPLES = Path(__file__).parent / "samples"

EVENT: dict[str, Any] = {
    "name": "2027年金秋招聘月洪山区专场",
    "kind": "job_fair",
    "starts_at": "2027-09-10T09:00:00+08:00",
    "ends_at": "2027-09-10T12:00:00+08:00",
}
STATION: dict[str, Any] = {"station_id": "420111-GS-LG02", "name": "洪山区关山街零工驿站"}


def _json(document: object) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


def _fair(event: dict[str, Any] | None = None, **document: Any) -> bytes:
    return _json({"event": EVENT if event is None else event, **document})


def _station(station: dict[str, Any] | None = None, **document: Any) -> bytes:
    return _json({"station": STATION if station is None else station, **document})


# --- the sample feeds ---------------------------------------------------------------------


def test_the_sample_fair_feed() -> None:
    feed = read_fair_feed((SAMPLES / "fair_feed.json").read_bytes())
    assert feed.event == FairEvent(
        name="2027年春风行动江岸区重点企业专场招聘会",
        kind="special_recruitment",
        starts_at="2027-02-26T09:00:00+08:00",
        ends_at="2027-02-26T12:00:00+08:00",
        external_id="WH-2027-CFXD-0226",
        campaign="春风行动",
        station_id="420102-HH-ZX01",
        venue="江岸区人力资源市场（后湖大道111号）",
        online_url="https://live.example.cn/whjy/2027cfxd0226",
        target_groups=("migrant_worker", "poverty_alleviated", "employment_difficulty"),
    )
    assert [employer.booth for employer in feed.employers] == ["A-12", "A-15", "B-03", "B-08"]
    assert all(isinstance(row, RawRow) for row in feed.rows)
    assert [row.number for row in feed.rows] == [1, 2, 3, 4, 5, 6, 7]
    assert feed.where[1] == "employers[0].postings[0]"
    assert feed.where[3] == "employers[1].postings[0]"
    assert feed.where[7] == "employers[3].postings[0]"
    first = feed.rows[0]
    assert isinstance(first, RawRow)
    assert first.fields == {
        "external_id": "HJWL-F27-01",
        "title": "招聘叉车司机（持证）",
        "pay": "6-8K",
        "headcount": "3",
        "education": "初中",
        "experience": "1年以上",
        "location": "江岸区后湖大道568号",
        "skills": "叉车驾驶、仓储",
        "certificates": "叉车证（N1）",
        "description": "仓库装卸搬运，两班倒，包工作餐",
        # from the employer
        "employer": "武汉汉江物流有限公司",
        "credit_code": "91420102MA4K2HJ8LC",
        "contact_phone": "13871230416",
        "booth": "A-12",
    }


def test_the_sample_station_feed() -> None:
    feed = read_station_feed((SAMPLES / "station_feed.json").read_bytes())
    assert feed.station == Station(
        station_id="420102-HH-LG01",
        name="江岸区后湖街零工驿站",
        adcode="420102",
        address="武汉市江岸区后湖大道200号",
        lat=30.6455,
        lon=114.2953,
    )
    rows = [row for row in feed.rows if isinstance(row, RawRow)]
    assert [row.fields["title"] for row in rows] == [
        "叉车工",
        "搬运工",
        "派单员",
        "钟点保洁",
        "餐厅帮厨",
    ]
    assert feed.where == {n: f"jobs[{n - 1}]" for n in range(1, 6)}
    forklift = rows[0].fields
    assert forklift["pay"] == "260元/天"
    assert forklift["starts_at"] == "2027-03-02T08:00:00+08:00"
    assert forklift["ends_at"] == "2027-03-02T18:00:00+08:00"
    assert forklift["headcount"] == "2"
    assert forklift["employment_type"] == "零工"  # the jobs of a gig station are gigs
    assert "adcode" not in forklift  # it names its own place
    # 派单员 names no place: it is at the station
    at_station = rows[2].fields
    assert at_station["location"] == "武汉市江岸区后湖大道200号"
    assert (at_station["adcode"], at_station["lat"], at_station["lon"]) == (
        "420102",
        "30.6455",
        "114.2953",
    )


# --- postings as rows ---------------------------------------------------------------------


def test_posting_values_become_cell_texts_and_keys_map_like_headers() -> None:
    posting = {
        "岗位名称": "焊工",
        "薪资": 6500.0,
        "headcount": 3,
        "skills": ["氩弧焊", " 二保焊 ", ""],
        "education": None,
        "包住": True,
        "lat": 30.49,
        "contact_phone": "027-87654321",  # the posting's own contact wins over the employer's
    }
    employer = {
        "name": "武汉鑫达机械制造有限公司",
        "contact_phone": "15927364810",
        "postings": [posting],
    }
    feed = read_fair_feed(_fair(employers=[employer]))
    assert feed.employers == (FairEmployer("武汉鑫达机械制造有限公司", None, "15927364810", None),)
    assert feed.rows == (
        RawRow(
            1,
            {
                "title": "焊工",
                "pay": "6500",
                "headcount": "3",
                "skills": "氩弧焊、二保焊",
                "education": "",
                "lat": "30.49",
                "contact_phone": "027-87654321",
                "employer": "武汉鑫达机械制造有限公司",
            },
            {"包住": "true"},
        ),
    )


def test_malformed_items_are_reported_by_number_and_the_others_kept() -> None:
    employers = [
        {
            "name": "武汉楚味餐饮管理有限公司",
            "postings": [
                {"title": "洗碗工", "pay": "4000-5000元/月"},
                "服务员",
                {"pay": "25元/小时"},
                {"title": "  "},
                {"title": "厨师", "pay": {"min": 6000}},
                {"title": "配菜员", "skills": [["刀工"]]},
            ],
        },
        ["not", "an", "employer"],
        {"name": {"zh": "武汉洁美物业"}, "postings": [{"title": "保洁员"}]},
        {"name": "武汉洁美物业服务有限公司", "postings": {"title": "保洁员"}},
        {"name": "武汉优选超市连锁有限公司", "postings": [{"title": "收银员"}]},
        {"name": "武汉江滩酒店管理有限公司", "booth": "A-15"},  # at the fair, no postings sent
    ]
    feed = read_fair_feed(_fair(employers=employers))
    kept = [(row.number, row.fields["title"]) for row in feed.rows if isinstance(row, RawRow)]
    assert kept == [(1, "洗碗工"), (10, "收银员")]
    problems = [row for row in feed.rows if isinstance(row, RowProblem)]
    assert problems == [
        RowProblem(2, "not a JSON object"),
        RowProblem(3, "no title"),
        RowProblem(4, "no title"),
        RowProblem(5, "the value of 'pay' is an object, not text"),
        RowProblem(6, "the value of 'skills' is a list of lists or objects, not text"),
        RowProblem(7, "the employer is not a JSON object"),
        RowProblem(8, "the employer's name is an object, not text"),
        RowProblem(9, "the employer's postings are not a list"),
    ]
    assert feed.where == {
        1: "employers[0].postings[0]",
        2: "employers[0].postings[1]",
        3: "employers[0].postings[2]",
        4: "employers[0].postings[3]",
        5: "employers[0].postings[4]",
        6: "employers[0].postings[5]",
        7: "employers[1]",
        8: "employers[2]",
        9: "employers[3].postings",
        10: "employers[4].postings[0]",
    }
    assert [employer.name for employer in feed.employers] == [
        "武汉楚味餐饮管理有限公司",
        "武汉洁美物业服务有限公司",
        "武汉优选超市连锁有限公司",
        "武汉江滩酒店管理有限公司",
    ]


def test_malformed_station_jobs_are_reported_and_the_others_kept() -> None:
    jobs = [
        {"title": "搬运工", "pay": "200元/天", "adcode": "420111"},
        42,
        {"title": "", "pay": "25元/小时"},
        {"title": "派单员", "pay": "150元/天", "employment_type": "兼职"},
    ]
    feed = read_station_feed(_station(jobs=jobs))
    assert feed.rows == (
        RawRow(
            1, {"title": "搬运工", "pay": "200元/天", "adcode": "420111", "employment_type": "零工"}
        ),
        RowProblem(2, "not a JSON object"),
        RowProblem(3, "no title"),
        # the station has no place of its own to lend; the job says what kind it is
        RawRow(4, {"title": "派单员", "pay": "150元/天", "employment_type": "兼职"}),
    )
    assert feed.where == {1: "jobs[0]", 2: "jobs[1]", 3: "jobs[2]", 4: "jobs[3]"}


def test_feeds_without_items_have_no_rows() -> None:
    fair = read_fair_feed(_fair())
    assert (fair.employers, fair.rows, fair.where) == ((), (), {})
    station = read_station_feed(_station(jobs=[]))
    assert (station.rows, station.where) == ((), {})


def test_times_without_an_offset_are_china_time() -> None:
    # 09:00 China time is 01:00 UTC: an end at 01:30 UTC is after it, one at 00:30 UTC before.
    later = read_fair_feed(
        _fair({**EVENT, "ends_at": "2027-09-10T01:30:00Z", "starts_at": "2027-09-10T09:00"})
    )
    assert later.event.starts_at == "2027-09-10T09:00"
    with pytest.raises(FileUnreadable, match="ends before it starts"):
        read_fair_feed(
            _fair({**EVENT, "ends_at": "2027-09-10T00:30:00Z", "starts_at": "2027-09-10T09:00"})
        )
    # a day-long campaign given as dates
    campaign = {**EVENT, "kind": "campaign", "starts_at": "2027-02-16", "ends_at": "2027-03-31"}
    assert read_fair_feed(_fair(campaign)).event.ends_at == "2027-03-31"


# --- whole documents that are refused -----------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the feed is empty"),
        (b"  \n", "the feed is empty"),
        (
            json.dumps({"event": {**EVENT, "name": "春风行动"}}, ensure_ascii=False).encode("gbk"),
            "not UTF-8",
        ),
        (b'{"event": {', "not JSON: .* at line 1 column 12"),
        (b"[1, 2]", "not a JSON object"),
        (b'"event"', "not a JSON object"),
        (_json({"employers": []}), "no event section"),
        (_json({"event": "春风行动"}), "no event section"),
        (_fair({**EVENT, "kind": "fair"}), "unknown event kind 'fair'"),
        (_fair({k: v for k, v in EVENT.items() if k != "kind"}), "the event has no kind"),
        (_fair({k: v for k, v in EVENT.items() if k != "name"}), "the event has no name"),
        (_fair({**EVENT, "name": "  "}), "the event has no name"),
        (_fair({**EVENT, "name": ["春风行动"]}), "event.name must be a text"),
        (_fair({k: v for k, v in EVENT.items() if k != "starts_at"}), "the event has no starts_at"),
        (_fair({**EVENT, "ends_at": None}), "the event has no ends_at"),
        (
            _fair({**EVENT, "starts_at": "2027年9月10日"}),
            "event.starts_at '2027年9月10日' is not an ISO 8601",
        ),
        (
            _fair({**EVENT, "ends_at": "2027-09-09T12:00:00+08:00"}),
            "the event ends before it starts",
        ),
        (_fair({**EVENT, "target_groups": "veteran"}), "target_groups must be a list of texts"),
        (
            _fair({**EVENT, "target_groups": ["veteran", 3]}),
            "target_groups must be a list of texts",
        ),
        (_fair(employers={"name": "武汉某公司"}), '"employers" must be a list'),
    ],
)
def test_fair_feeds_that_cannot_be_read_say_why(data: bytes, reason: str) -> None:
    with pytest.raises(FileUnreadable, match=reason):
        read_fair_feed(data)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the feed is empty"),
        (b"{oops}", "not JSON"),
        (_json([STATION]), "not a JSON object"),
        (_fair(), "no station section"),
        (_station({"adcode": "420111"}), "neither a station_id nor a name"),
        (_station({**STATION, "adcode": "4201"}), "station.adcode '4201' is not a 6-digit"),
        (_station({**STATION, "lat": 30.5}), "lat and station.lon come together"),
        (_station({**STATION, "lat": 95, "lon": 114.3}), r"station.lat 95.0 is outside -90…90"),
        (
            _station({**STATION, "lat": "北纬30度", "lon": 114.3}),
            "station.lat '北纬30度' is not a number",
        ),
        (_station({**STATION, "lon": [114.3], "lat": 30.5}), "station.lon must be a number"),
        (_station(jobs={"title": "搬运工"}), '"jobs" must be a list'),
    ],
)
def test_station_feeds_that_cannot_be_read_say_why(data: bytes, reason: str) -> None:
    with pytest.raises(FileUnreadable, match=reason):
        read_station_feed(data)


def test_station_coordinates_may_come_as_texts() -> None:
    feed = read_station_feed(
        _station({**STATION, "lat": "30.5", "lon": "114.35", "adcode": 420111})
    )
    assert (feed.station.lat, feed.station.lon, feed.station.adcode) == (30.5, 114.35, "420111")
