"""Rows out of partner files: encodings, headers, bad rows reported by number."""

from __future__ import annotations

import pytest

from ingest.readers import FileUnreadable, RawRow, RowProblem, map_headers, read_csv, read_jsonl

CSV_TEXT = (
    "岗位名称,薪资,工作地点,招聘人数,联系电话,学历要求,备注\n"
    "洗碗工,4000-5000元/月,武汉市洪山区珞喻路1号,3,13800138000,不限,包吃\n"
    "汽修学徒工,面议,武昌区,若干,,初中,\n"
)


def _rows(items: list[RawRow | RowProblem]) -> list[RawRow]:
    return [item for item in items if isinstance(item, RawRow)]


def _problems(items: list[RawRow | RowProblem]) -> list[RowProblem]:
    return [item for item in items if isinstance(item, RowProblem)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_the_same_file_in_every_encoding_partners_send(encoding: str) -> None:
    items = list(read_csv(CSV_TEXT.encode(encoding)))
    assert _problems(items) == []
    first, second = _rows(items)
    assert first.number == 2 and second.number == 3  # as a spreadsheet numbers them
    assert first.fields == {
        "title": "洗碗工",
        "pay": "4000-5000元/月",
        "location": "武汉市洪山区珞喻路1号",
        "headcount": "3",
        "contact_phone": "13800138000",
        "education": "不限",
    }
    assert first.extra == {"备注": "包吃"}
    assert second.fields["title"] == "汽修学徒工" and second.fields["headcount"] == "若干"


def test_a_file_mixing_encodings_is_read_line_by_line() -> None:
    data = (
        "职位名称,月薪\n".encode()
        + "保洁员,3500\n".encode("gbk")
        + "保安,4200\n".encode()
        + b"\xff\xfe\xfa,1\n"  # neither
    )
    items = list(read_csv(data))
    assert [r.fields["title"] for r in _rows(items)] == ["保洁员", "保安"]
    assert _problems(items) == [RowProblem(4, "the row is neither UTF-8 nor GBK/GB18030 text")]


def test_english_headers_and_quoted_cells_over_two_lines() -> None:
    data = (
        b"Job Title,Salary,Description\n"
        b'Welder,"6000-9000","day shift\nnight shift"\n'
        b"Cook,200/day,\n"
    )
    items = list(read_csv(data))
    assert _problems(items) == []
    welder, cook = _rows(items)
    assert welder.number == 2 and welder.fields["description"] == "day shift\nnight shift"
    assert cook.number == 4 and cook.fields == {
        "title": "Cook",
        "pay": "200/day",
        "description": "",
    }


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n \n", "empty"),
        ("薪资,地点\n5000,武汉\n".encode(), "no title column"),
        (b"\xff\xfe\xfa\n", "header row"),
    ],
)
def test_files_that_cannot_be_imported_say_why(data: bytes, reason: str) -> None:
    with pytest.raises(FileUnreadable, match=reason):
        list(read_csv(data))


def test_an_unclosed_quote_is_reported_with_the_row_it_started_on() -> None:
    items = list(read_csv('岗位名称,薪资\n焊工,5000\n"电工,6000\n'.encode()))
    assert [r.fields["title"] for r in _rows(items)] == ["焊工"]
    assert _problems(items) == [RowProblem(3, "a quoted cell is never closed")]


def test_headers_fold_width_case_and_spaces_and_the_first_of_a_repeat_wins() -> None:
    mapping, unknown = map_headers(["ＴＩＴＬＥ", " 薪资待遇 ", "Work_Location", "工资", "奇怪列"])
    assert mapping == {0: "title", 1: "pay", 2: "location"}
    assert unknown == ["工资", "奇怪列"]


def test_json_lines_keep_good_rows_and_report_bad_ones() -> None:
    data = (
        '{"岗位名称": "叉车司机", "薪资": "6000-8000", "招聘人数": 2}\n'
        "\n"
        "{not json}\n"
        '["a list"]\n'
        '{"薪资": "5000"}\n'
        '{"title": "分拣员", "pay": null}\n'
    ).encode()
    items = list(read_jsonl(data))
    assert [(r.number, r.fields) for r in _rows(items)] == [
        (1, {"title": "叉车司机", "pay": "6000-8000", "headcount": "2"}),
        (6, {"title": "分拣员", "pay": ""}),
    ]
    assert [(p.number, p.reason.split(":")[0]) for p in _problems(items)] == [
        (3, "not JSON"),
        (4, "not a JSON object"),
        (5, "no title"),
    ]
