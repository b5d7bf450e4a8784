"""Is a station open at a given moment? Read leniently from the stored opening hours.

Stored as ``[{"weekdays": [1..7], "opens": "HH:MM", "closes": "HH:MM"}]`` (1 = Monday, China
time). Feeds and old rows may hold anything, so the answer is three-valued: ``True`` when some
readable entry covers the moment, ``False`` when the hours are all readable and none does, and
``None`` (unknown) when there are no hours or an unreadable entry might have covered it. A span
that closes before it opens (22:00–06:00) runs past midnight into the next day; "24:00" is the
end of the day.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

CHINA_TIME = timezone(timedelta(hours=8), "Asia/Shanghai")
_CLOCK = re.compile(r"^\s*(\d{1,2})[:：](\d{2})\s*$")


def _minute_of_day(text: Any) -> int | None:
    match = _CLOCK.match(text) if isinstance(text, str) else None
    if not match:
        return None
    hours, minutes = int(match[1]), int(match[2])
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        return None
    return hours * 60 + minutes


def _weekdays(value: Any) -> set[int] | None:
    if not isinstance(value, list | tuple) or not value:
        return None
    days = set()
    for item in value:
        try:
            day = int(item)
        except (TypeError, ValueError):
            return None
        if not 1 <= day <= 7:
            return None
        days.add(day)
    return days


def _covers(entry: Any, weekday: int, minute: int) -> bool | None:
    """Whether one entry covers (weekday, minute of day); ``None`` when it cannot be read."""
    if not isinstance(entry, dict):
        return None
    days = _weekdays(entry.get("weekdays"))
    opens, closes = _minute_of_day(entry.get("opens")), _minute_of_day(entry.get("closes"))
    if days is None or opens is None or closes is None or opens == closes:
        return None
    if opens < closes:
        return weekday in days and opens <= minute < closes
    yesterday = (weekday - 2) % 7 + 1
    return (weekday in days and minute >= opens) or (yesterday in days and minute < closes)


def open_at(opening_hours: Any, when: datetime) -> bool | None:
    """Open at ``when`` (an aware datetime; a naive one is read as China time)?"""
    if not isinstance(opening_hours, list) or not opening_hours:
        return None
    local = when.replace(tzinfo=CHINA_TIME) if when.tzinfo is None else when.astimezone(CHINA_TIME)
    weekday, minute = local.isoweekday(), local.hour * 60 + local.minute
    answers = [_covers(entry, weekday, minute) for entry in opening_hours]
    if any(answers):
        return True
    return None if None in answers else False
