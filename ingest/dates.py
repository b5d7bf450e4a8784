"""Dates and times as postings write them.

- :func:`parse_date`: "2026-12-31", "2026/12/31", "2026.12.31", "2026年12月31日", "20261231",
  an Excel serial day number ("46387"), and "长期"/"长期有效"/"不限" (no end: None). A date
  without a year ("12月31日") is the next such day on or after ``today``.
- :func:`parse_datetime`: the same dates with a time ("2026-12-01 07:30", "2026年12月1日
  7:30", ISO 8601 with an offset); a time without an offset is local time (``tz``, China
  Standard Time by default), and the result is always timezone-aware.
Both raise :class:`~ingest.fields.FieldUnreadable` with the reason for anything else.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from ingest.fields import FieldUnreadable

CHINA_TIME = timezone(timedelta(hours=8), "CST")
_NO_END = ("长期", "长期有效", "不限", "无限期", "常年", "long term", "none")
_FULL = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NO_YEAR = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")
_TIME = re.compile(r"^(\d{1,2})\s*[:：点时]\s*(\d{2})?(?:\s*[:：]\s*(\d{2}))?\s*分?$")
_EXCEL_EPOCH = date(1899, 12, 30)  # serial day 1 is 1900-01-01 (Excel's leap-year quirk)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise FieldUnreadable(f"{text!r} is not a calendar date") from None


def parse_date(text: str | None, *, today: date | None = None) -> date | None:
    """The date a text names; None when empty or when it says there is no end (长期)."""
    if text is None:
        return None
    folded = _fold(text)
    if not folded or folded in _NO_END:
        return None
    if "t" in folded or " " in folded:  # a datetime given where a date is wanted
        return parse_datetime(text).date()
    for pattern in (_FULL, _COMPACT):
        found = pattern.match(folded)
        if found:
            year, month, day = (int(g) for g in found.groups())
            return _make(year, month, day, text)
    found = _NO_YEAR.match(folded)
    if found:
        month, day = int(found.group(1)), int(found.group(2))
        today = today or date.today()
        candidate = _make(today.year, month, day, text)
        return candidate if candidate >= today else _make(today.year + 1, month, day, text)
    if _SERIAL.match(folded):
        serial = int(float(folded))
        if 20_000 <= serial <= 80_000:  # 1954 … 2118: a plausible date, not a count
            return _EXCEL_EPOCH + timedelta(days=serial)
    raise FieldUnreadable(f"no date in {text!r} (write it as 2026-12-31)")


def _clock(text: str, original: str) -> time:
    found = _TIME.match(text)
    if not found:
        raise FieldUnreadable(f"no time of day in {original!r} (write it as 07:30)")
    hour, minute, second = (int(g) if g else 0 for g in found.groups())
    if hour > 23 or minute > 59 or second > 59:
        raise FieldUnreadable(f"{original!r} is not a time of day")
    return time(hour, minute, second)


def parse_datetime(text: str | None, *, tz: tzinfo = CHINA_TIME) -> datetime | None:
    """A moment, always timezone-aware; local times are read in ``tz``."""
    if text is None:
        return None
    folded = _fold(text)
    if not folded:
        return None
    try:
        value = datetime.fromisoformat(folded.upper() if "t" in folded else folded)
    except ValueError:
        value = None
    if value is None:
        day_text, _, clock_text = re.sub(r"(日)(?=\d)", r"\1 ", folded).partition(" ")
        day = parse_date(day_text, today=date.today())
        if day is None:
            raise FieldUnreadable(f"no date in {text!r}")
        value = datetime.combine(day, _clock(clock_text.strip(), text) if clock_text else time())
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)
