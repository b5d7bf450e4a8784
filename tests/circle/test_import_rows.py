"""Reading community CSV rows: good ones kept, bad ones reported by row number."""

from __future__ import annotations

import pytest

from matching.regions import load_regions
from service.circle.importer import FileRefused, decode, read_rows

REGIONS = load_regions()


def test_good_and_bad_rows_by_number() -> None:
    text = (
        "社区名称,区划代码,纬度,经度,常住人口,备注\n"
        '后湖幸福社区,420102,30.64,114.29,"8,200",\n'
        "\n"  # a blank line is not a row (but it is a line of the file)
        "无人口社区,420102,30.64,114.29,很多,\n"
        "市级社区,420100,30.6,114.3,100,\n"
        "海外社区,420102,51.5,-0.12,100,\n"
        "倒置社区,420102,114.29,30.64,100,\n"
        "后湖幸福社区,420102,30.65,114.30,9000,\n"
        ",420102,30.6,114.3,1,\n"
        "汉阳新社区,420105000000,30.55,114.22,0,\n"
    )
    rows, rejected, read = read_rows(text, REGIONS)
    assert read == 8
    assert [(r.row, r.name, r.adcode, r.population) for r in rows] == [
        (2, "后湖幸福社区", "420102", 8200),
        (10, "汉阳新社区", "420105", 0),
    ]
    problems = {bad.row: [(e.field, e.message) for e in bad.errors] for bad in rejected}
    assert sorted(problems) == [4, 5, 6, 7, 8, 9]
    assert problems[4] == [("population", "not a whole number: '很多'")]
    assert "give the district" in problems[5][0][1]
    assert "not in China" in problems[6][0][1]
    assert problems[7][0][0] == "lat"
    assert problems[8] == [(None, "same community as row 2")]
    assert problems[9][0][0] == "name"


def test_english_headers_gbk_and_missing_columns() -> None:
    text = "name,adcode,lat,lon,population\n测试社区,420111,30.5,114.34,3000\n"
    rows, rejected, _ = read_rows(decode(text.encode("gbk")), REGIONS)
    assert [r.name for r in rows] == ["测试社区"] and not rejected
    with pytest.raises(FileRefused, match=r"missing column.*population"):
        read_rows("name,adcode,lat,lon\n", REGIONS)
    with pytest.raises(FileRefused, match="no header"):
        read_rows("", REGIONS)
