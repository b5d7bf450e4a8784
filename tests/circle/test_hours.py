"""Open now or not, from stored opening hours, read leniently."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from service.stations.hours import open_at

OFFICE = [
    {"weekdays": [1, 2, 3, 4, 5], "opens": "08:30", "closes": "12:00"},
    {"weekdays": [1, 2, 3, 4, 5], "opens": "14:00", "closes": "17:30"},
]
NIGHT = [{"weekdays": [5], "opens": "22:00", "closes": "06:00"}]  # Friday night into Saturday
ALL_DAY = [{"weekdays": [1, 2, 3, 4, 5, 6, 7], "opens": "00:00", "closes": "24:00"}]


def china(day: int, hh: int, mm: int = 0) -> datetime:
    """2026-03-0{day} is a Monday for day=2 (1 = Sunday 1 March 2026), China time, naive."""
    return datetime(2026, 3, day, hh, mm)


@pytest.mark.parametrize(
    ("hours", "when", "expected"),
    [
        (OFFICE, china(2, 9), True),  # Monday 09:00
        (OFFICE, china(2, 8, 30), True),  # opening minute
        (OFFICE, china(2, 12), False),  # closing minute: closed
        (OFFICE, china(2, 13), False),  # lunch
        (OFFICE, china(7, 10), False),  # Saturday
        (NIGHT, china(6, 23), True),  # Friday 23:00
        (NIGHT, china(7, 5, 59), True),  # Saturday 05:59, still Friday's night
        (NIGHT, china(7, 23), False),  # Saturday night
        (ALL_DAY, china(1, 23, 59), True),
        ([], china(2, 9), None),  # no hours: unknown
        (None, china(2, 9), None),
        ([{"weekdays": [1], "opens": "9点", "closes": "17:00"}], china(2, 10), None),
        ([{"days": "weekdays"}], china(2, 10), None),
        (["08:00-17:00"], china(2, 10), None),
        # one readable entry that says open is enough; a readable "closed" next to an
        # unreadable entry is not
        ([*OFFICE, {"weekdays": "x"}], china(2, 9), True),
        ([*OFFICE, {"weekdays": "x"}], china(2, 13), None),
        ([{"weekdays": ["1", 2], "opens": "8:00", "closes": "17：00"}], china(2, 16), True),
    ],
)
def test_open_at(hours: Any, when: datetime, expected: bool | None) -> None:
    assert open_at(hours, when) is expected


def test_aware_times_are_read_in_china_time() -> None:
    # 01:00 UTC on Monday is 09:00 in China
    assert open_at(OFFICE, datetime(2026, 3, 2, 1, 0, tzinfo=UTC)) is True
    assert open_at(OFFICE, datetime(2026, 3, 2, 10, 0, tzinfo=UTC)) is False  # 18:00 China
