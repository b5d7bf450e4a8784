"""Pay texts as platforms write them."""

from __future__ import annotations

import pytest

from ingest.pay import Pay, PayUnreadable, parse_pay


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5-8K", Pay(5000, 8000, "month", unit_inferred=True)),
        ("5k-8k/月", Pay(5000, 8000, "month")),
        ("5000-8000元/月", Pay(5000, 8000, "month")),
        ("月薪5000~8000", Pay(5000, 8000, "month")),
        ("５０００－８０００元／月", Pay(5000, 8000, "month")),  # full-width
        ("4500至6000元每月", Pay(4500, 6000, "month")),
        ("1-1.5万/月", Pay(10000, 15000, "month")),
        ("1万-1.5万", Pay(10000, 15000, "month", unit_inferred=True)),
        ("年薪12万", Pay(10000, 10000, "month", from_year=True)),
        ("年薪12-18万", Pay(10000, 15000, "month", from_year=True)),
        ("200元/天", Pay(200, 200, "day")),
        ("日结180", Pay(180, 180, "day")),
        ("300/天包吃包住", Pay(300, 300, "day")),
        ("15元/小时", Pay(15, 15, "hour")),
        ("时薪18-22元", Pay(18, 22, "hour")),
        ("计件 0.5元/件", Pay(0.5, 0.5, "piece")),
        ("计件", Pay(None, None, "piece")),
        ("底薪3000+提成", Pay(3000, None, "month", unit_inferred=True)),
        ("8000以上", Pay(8000, None, "month", unit_inferred=True)),
        ("6000元起/月", Pay(6000, None, "month")),
        ("最高12000", Pay(None, 12000, "month", unit_inferred=True)),
        ("260", Pay(260, 260, "day", unit_inferred=True)),
        ("20", Pay(20, 20, "hour", unit_inferred=True)),
        ("面议", Pay(None, None, None, negotiable=True)),
        ("薪资面议", Pay(None, None, None, negotiable=True)),
    ],
)
def test_pay_texts(text: str, expected: Pay) -> None:
    assert parse_pay(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        (None, "empty"),
        ("待遇优厚", "no amount"),
        ("8000-5000元/月", "goes down"),
        ("0元/天", "more than zero"),
    ],
)
def test_unreadable_pay_says_why(text: str | None, reason: str) -> None:
    with pytest.raises(PayUnreadable, match=reason):
        parse_pay(text)
