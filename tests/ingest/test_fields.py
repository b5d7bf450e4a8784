"""Education levels and headcounts as postings write them."""

from __future__ import annotations

import pytest

from ingest.fields import FieldUnreadable, parse_education, parse_headcount


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("大专及以上", "associate"),
        ("本科", "bachelor"),
        ("全日制本科以上学历", "bachelor"),
        ("硕士研究生", "master"),
        ("博士", "doctorate"),
        ("中专/技校", "vocational"),
        ("职高", "vocational"),
        ("高中", "senior_high"),
        ("高中或中专", "senior_high"),  # same rank: the plain 高中 stands for both
        ("初中以上", "junior_high"),
        ("小学", "primary"),
        ("学历不限", "none"),
        ("不限", "none"),
        ("无", "none"),
        ("Bachelor's degree", "bachelor"),
        ("ＰｈＤ", "doctorate"),  # full-width
        ("初中、高中均可", "junior_high"),  # the lowest level named is the requirement
    ],
)
def test_education_levels(text: str, code: str) -> None:
    assert parse_education(text) == code


def test_empty_education_is_no_value_and_nonsense_says_why() -> None:
    assert parse_education("") is None and parse_education(None) is None
    with pytest.raises(FieldUnreadable, match="no education level"):
        parse_education("吃苦耐劳")


@pytest.mark.parametrize(
    ("text", "count"),
    [("招3人", 3), ("5名", 5), ("10+", 10), ("１２人", 12), (7, 7), ("若干", None), ("不限", None)],
)
def test_headcounts(text: str | int, count: int | None) -> None:
    assert parse_headcount(text) == count


@pytest.mark.parametrize(
    ("text", "reason"), [("很多", "no number"), ("0", "at least 1"), (0, "at least 1")]
)
def test_unreadable_headcounts_say_why(text: str | int, reason: str) -> None:
    with pytest.raises(FieldUnreadable, match=reason):
        parse_headcount(text)
