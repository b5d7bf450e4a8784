"""The sample partner files: each reads as the service's tests expect, and is what the script
in ``samples/`` writes."""

from __future__ import annotations

import runpy
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from ingest.feeds import read_fair_feed, read_station_feed
from ingest.identifiers import validate_credit_code, validate_mobile
from ingest.readers import FileUnreadable, RawRow, RowProblem, read_csv, read_jsonl
from ingest.xlsx import NO_COMPUTED_VALUE, read_xlsx

SAMPLES = Path(__file__).parent / "samples"
NEITHER = "the row is neither UTF-8 nor GBK/GB18030 text"

Reader = Callable[[bytes], Iterable[RawRow | RowProblem]]


def _fair_rows(data: bytes) -> Iterable[RawRow | RowProblem]:
    return read_fair_feed(data).rows


def _station_rows(data: bytes) -> Iterable[RawRow | RowProblem]:
    return read_station_feed(data).rows


def _read(name: str, reader: Reader) -> list[RawRow | RowProblem]:
    return list(reader((SAMPLES / name).read_bytes()))


@pytest.mark.parametrize(
    ("name", "reader", "row_numbers", "problems"),
    [
        ("postings_utf8.csv", read_csv, list(range(2, 16)), []),
        ("postings_gbk.csv", read_csv, list(range(2, 8)), []),
        ("postings_mixed_encoding.csv", read_csv, [2, 3, 5, 6], [RowProblem(4, NEITHER)]),
        (
            "postings_bad.csv",
            read_csv,
            [2, 3, 5],  # row 3 has a blank title: the reader keeps it, the record says why
            [RowProblem(4, NEITHER), RowProblem(6, "a quoted cell is never closed")],
        ),
        ("postings.jsonl", read_jsonl, list(range(1, 7)), []),
        (
            "postings.xlsx",
            read_xlsx,
            [4, 5, 6, 7, 8, 11],
            [RowProblem(10, f"column F (招聘人数): {NO_COMPUTED_VALUE}")],
        ),
        ("fair_feed.json", _fair_rows, list(range(1, 8)), []),
        ("station_feed.json", _station_rows, list(range(1, 6)), []),
    ],
)
def test_every_sample_reads_as_expected(
    name: str, reader: Reader, row_numbers: list[int], problems: list[RowProblem]
) -> None:
    items = _read(name, reader)
    assert [item.number for item in items if isinstance(item, RawRow)] == row_numbers
    assert [item for item in items if isinstance(item, RowProblem)] == problems


def test_the_blank_title_in_the_bad_file_is_blank() -> None:
    rows = [item for item in _read("postings_bad.csv", read_csv) if isinstance(item, RawRow)]
    assert [row.fields["title"] for row in rows] == ["保洁员", "", "传菜员"]


@pytest.mark.parametrize(
    ("name", "reason"), [("empty.csv", "empty"), ("no_title.csv", "no title column")]
)
def test_samples_that_cannot_be_imported(name: str, reason: str) -> None:
    with pytest.raises(FileUnreadable, match=reason):
        _read(name, read_csv)


def _all_rows() -> dict[str, list[RawRow]]:
    readers: dict[str, Reader] = {
        "postings_utf8.csv": read_csv,
        "postings_gbk.csv": read_csv,
        "postings_mixed_encoding.csv": read_csv,
        "postings.jsonl": read_jsonl,
        "postings.xlsx": read_xlsx,
        "fair_feed.json": _fair_rows,
        "station_feed.json": _station_rows,
    }
    return {
        name: [item for item in _read(name, reader) if isinstance(item, RawRow)]
        for name, reader in readers.items()
    }


def test_employers_have_valid_credit_codes_and_phone_numbers() -> None:
    for name, rows in _all_rows().items():
        for row in rows:
            code = row.fields.get("credit_code")
            if code:
                assert validate_credit_code(code) == code, (name, row.number)
            phone = row.fields.get("contact_phone", "")
            if phone and not phone.startswith("027-"):  # Wuhan landlines are 027-8 digits
                assert validate_mobile(phone) == phone, (name, row.number)


def test_postings_carry_external_ids_except_a_few_csv_rows() -> None:
    without = {
        name: [row.number for row in rows if not row.fields.get("external_id")]
        for name, rows in _all_rows().items()
    }
    assert without == {
        "postings_utf8.csv": [10, 12, 14],
        "postings_gbk.csv": [],
        "postings_mixed_encoding.csv": [],
        "postings.jsonl": [],
        "postings.xlsx": [],
        "fair_feed.json": [],
        "station_feed.json": [],
    }


def test_the_planted_screening_cases_are_there() -> None:
    rows = {row.number: row for row in _all_rows()["postings_utf8.csv"]}
    assert "限男性" in rows[10].fields["description"]
    assert "仅限武汉户籍" in rows[11].fields["description"]
    assert "入职需交押金300元" in rows[12].fields["description"]


def test_one_vacancy_arrives_through_three_channels() -> None:
    rows = _all_rows()
    csv_row = rows["postings_utf8.csv"][0]
    fair_row = rows["fair_feed.json"][0]
    station_row = rows["station_feed.json"][0]
    titles = [row.fields["title"] for row in (csv_row, fair_row, station_row)]
    assert titles == ["叉车司机", "招聘叉车司机（持证）", "叉车工"]
    for row in (csv_row, fair_row, station_row):
        assert row.fields["employer"] == "武汉汉江物流有限公司"
        assert row.fields["credit_code"] == csv_row.fields["credit_code"]
        assert row.fields["contact_phone"] == csv_row.fields["contact_phone"]
        assert "江岸区后湖大道568号" in row.fields["location"]


def test_the_committed_samples_are_what_the_script_writes(tmp_path: Path) -> None:
    script = runpy.run_path(str(SAMPLES / "make_samples.py"))
    written = script["write_samples"](tmp_path)
    assert written, "the script wrote nothing"
    for path in written:
        assert path.read_bytes() == (SAMPLES / path.name).read_bytes(), path.name
