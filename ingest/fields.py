"""Education levels and headcounts as postings write them.

- :func:`parse_education`: "大专及以上" → ``associate``, "中专/技校" → ``vocational``,
  "学历不限" → ``none``; English spellings too. The lowest level named is the requirement
  ("高中或中专" → senior_high, the same rank as vocational).
- :func:`parse_headcount`: "招3人", "5名", "10+" → a number; "若干", "不限" → None (unknown).
Both raise :class:`FieldUnreadable` with the reason when the text says something else.
"""

from __future__ import annotations

import re
import unicodedata

from matching.documents import EDUCATION_RANK


class FieldUnreadable(ValueError):
    """The value cannot be read; the message says why."""


# The longer words first: 高中 must not be read inside 中专 or the reverse.
_EDUCATION_WORDS: tuple[tuple[str, str], ...] = (
    ("博士", "doctorate"),
    ("doctor", "doctorate"),
    ("phd", "doctorate"),
    ("硕士", "master"),
    ("研究生", "master"),
    ("master", "master"),
    ("本科", "bachelor"),
    ("学士", "bachelor"),
    ("bachelor", "bachelor"),
    ("大专", "associate"),
    ("专科", "associate"),
    ("高职", "associate"),
    ("associate", "associate"),
    ("college", "associate"),
    ("中专", "vocational"),
    ("中技", "vocational"),
    ("技校", "vocational"),
    ("职高", "vocational"),
    ("中职", "vocational"),
    ("vocational", "vocational"),
    ("高中", "senior_high"),
    ("high school", "senior_high"),
    ("初中", "junior_high"),
    ("junior", "junior_high"),
    ("小学", "primary"),
    ("primary", "primary"),
)
_NO_REQUIREMENT = ("不限", "无要求", "无", "none", "any")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def parse_education(text: str | None) -> str | None:
    """An education code of ``service.enums.Education``; None when the text is empty."""
    if text is None or not text.strip():
        return None
    folded = _fold(text)
    named = [code for word, code in _EDUCATION_WORDS if word in folded]
    if not named:
        if any(word == folded or folded.startswith("学历" + word) for word in _NO_REQUIREMENT):
            return "none"
        if "不限" in folded:
            return "none"
        raise FieldUnreadable(f"no education level in {text!r}")
    return min(named, key=lambda code: (EDUCATION_RANK[code], code != "senior_high"))


_COUNT = re.compile(r"(\d+)")
_UNKNOWN_COUNT = ("若干", "不限", "多名", "大量", "数名")


def parse_headcount(text: str | int | None) -> int | None:
    """How many people are wanted; None when the posting does not say (若干)."""
    if text is None:
        return None
    if isinstance(text, int):
        value = text
    else:
        folded = _fold(text)
        if not folded or any(word in folded for word in _UNKNOWN_COUNT):
            return None
        found = _COUNT.search(folded)
        if found is None:
            raise FieldUnreadable(f"no number of people in {text!r}")
        value = int(found.group(1))
    if value <= 0:
        raise FieldUnreadable(f"the number of people must be at least 1, not {value}")
    return value
