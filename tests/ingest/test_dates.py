"""Dates and times as postings write them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ingest.dates import CHINA_TIME, parse_date, parse_datetime
from ingest.fields import FieldUnreadable

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-31", date(2026, 12, 31)),
        ("2026/1/5", date(2026, 1, 5)),
        ("2026.12.31", date(2026, 12, 31)),
        ("2026年12月31日", date(2026, 12, 31)),
        ("２０２６年１２月３１日", date(2026, 12, 31)),  # full-width digits
        ("20261231", date(2026, 12, 31)),
        ("46387", date(2026, 12, 31)),  # an Excel serial day
        ("12月31日", date(2026, 12, 31)),  # no year: the next such day
        ("3月1日", date(2027, 3, 1)),
        ("11月21日", date(2026, 11, 21)),  # today counts
        ("长期", None),
        ("长期有效", None),
        ("", None),
        ("2026-12-31 18:00", date(2026, 12, 31)),
    ],
)
def test_dates(text: str, expected: date | None) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["2026-02-30", "下周", "12345678", "99", "2026-13-01"])
def test_what_is_not_a_date_is_said(text: str) -> None:
    with pytest.raises(FieldUnreadable):
        parse_date(text, today=TODAY)


def test_local_times_are_china_time_and_offsets_are_kept() -> None:
    assert parse_datetime("2026-12-01 07:30") == datetime(2026, 12, 1, 7, 30, tzinfo=CHINA_TIME)
    assert parse_datetime("2026年12月1日 7:30") == datetime(2026, 12, 1, 7, 30, tzinfo=CHINA_TIME)
    assert parse_datetime("2026年12月1日7点30") == datetime(2026, 12, 1, 7, 30, tzinfo=CHINA_TIME)
    utc = parse_datetime("2026-12-01T07:30:00+00:00")
    assert utc == datetime(2026, 12, 1, 7, 30, tzinfo=UTC)
    assert parse_datetime("2026-12-01") == datetime(2026, 12, 1, tzinfo=CHINA_TIME)
    aware = parse_datetime("2026-12-01 07:30")
    assert aware is not None and aware.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize("text", ["2026-12-01 25:00", "2026-12-01 午后", "明天早上"])
def test_bad_times(text: str) -> None:
    with pytest.raises(FieldUnreadable):
        parse_datetime(text)
