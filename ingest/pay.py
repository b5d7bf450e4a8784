"""Pay as platforms write it → (min, max, unit).

Postings from other platforms carry pay as free text: "5-8K", "5000-8000元/月", "1-1.5万",
"年薪12万", "200元/天", "日结180", "15元/小时", "计件 0.5元/件", "底薪3000+提成", "面议".
:func:`parse_pay` turns such a text into amounts and a unit (month, day, hour, piece), or
says that pay is negotiable, or raises :class:`PayUnreadable` with the reason, so that an
import can report the row instead of guessing.

Rules:
- K/k/千 multiply by 1,000, 万/w/W by 10,000; a unit written once applies to both ends
  ("5-8K", "1-1.5万").
- Yearly pay is converted to monthly (÷ 12) and said so (``from_year``).
- Without a written unit the unit is inferred from the size of the amount (≥ 1,000 a month,
  ≥ 100 a day, otherwise an hour) and flagged (``unit_inferred``), for staff to check.
- "以上/起/不低于" give only a minimum; "以下/最高/不超过" only a maximum; "+提成" and
  similar keep the stated base as the minimum.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

PayUnit = Literal["month", "day", "hour", "piece"]


class PayUnreadable(ValueError):
    """The text holds no amount that can be read as pay; the message says why."""


@dataclass(frozen=True)
class Pay:
    min: float | None
    max: float | None
    unit: PayUnit | None
    negotiable: bool = False  # 面议: no amount, said on purpose
    unit_inferred: bool = False  # no unit was written; guessed from the amount
    from_year: bool = False  # written as yearly pay, given here per month


_NEGOTIABLE = ("面议", "面谈", "薪资面议", "待遇面议", "negotiable")
_UNIT_WORDS: tuple[tuple[PayUnit | Literal["year"], tuple[str, ...]], ...] = (
    ("year", ("年薪", "/年", "每年", "元/年", "per year", "/yr")),
    ("hour", ("/小时", "/时", "每小时", "时薪", "元/h", "/h", "per hour", "/hr")),
    ("day", ("/天", "/日", "每天", "日薪", "日结", "天结", "per day", "/day")),
    ("piece", ("/件", "/个", "/单", "计件", "每件", "per piece")),
    ("month", ("/月", "月薪", "每月", "月结", "per month", "/mo")),
)
_MINIMUM_WORDS = ("以上", "起", "不低于", "至少", "保底", "底薪", "+", "及以上")
_MAXIMUM_WORDS = ("以下", "最高", "不超过", "封顶", "以内")
_NUMBER = r"(\d+(?:\.\d+)?)\s*([kK千wW万]?)"
_RANGE = re.compile(_NUMBER + r"\s*(?:-|~|至|到|—|–)\s*" + _NUMBER)
_SINGLE = re.compile(_NUMBER)
_SCALE = {"": 1, "k": 1_000, "千": 1_000, "w": 10_000, "万": 10_000}


def _clean(text: str) -> str:
    # full-width digits, letters and signs to ASCII; ～ and 〜 to ~; spaces out
    folded = unicodedata.normalize("NFKC", text).replace("〜", "~").replace("～", "~")
    return re.sub(r"\s+", "", folded).casefold()


def _amount(number: str, scale: str) -> float:
    return float(number) * _SCALE[scale.casefold()]


def _unit(text: str) -> PayUnit | Literal["year"] | None:
    for unit, words in _UNIT_WORDS:
        if any(word in text for word in words):
            return unit
    return None


def _inferred(amount: float) -> PayUnit:
    if amount >= 1_000:
        return "month"
    if amount >= 100:
        return "day"
    return "hour"


def parse_pay(text: str | None) -> Pay:
    """Read a pay text; raise :class:`PayUnreadable` when it says nothing readable."""
    if text is None or not text.strip():
        raise PayUnreadable("pay is empty")
    cleaned = _clean(text)
    if any(word in cleaned for word in _NEGOTIABLE):
        return Pay(None, None, None, negotiable=True)
    unit = _unit(cleaned)
    found = _RANGE.search(cleaned)
    if found:
        low_number, low_scale, high_number, high_scale = found.groups()
        # a scale written once applies to both ends: 5-8k, 1-1.5万
        low_scale = low_scale or high_scale
        low, high = _amount(low_number, low_scale), _amount(high_number, high_scale)
        if low > high:
            raise PayUnreadable(f"the range goes down: {text!r}")
    else:
        single = _SINGLE.search(cleaned)
        if single is None:
            if unit == "piece":
                return Pay(None, None, "piece")  # 计件, rate not given
            raise PayUnreadable(f"no amount in {text!r}")
        amount = _amount(*single.groups())
        tail = cleaned[single.end() :]
        head = cleaned[: single.start()]
        if any(word in tail or word in head for word in _MAXIMUM_WORDS):
            low, high = None, amount
        elif any(word in tail or word in head for word in _MINIMUM_WORDS):
            low, high = amount, None
        else:
            low = high = amount
    if (low is not None and low <= 0) or (high is not None and high <= 0):
        raise PayUnreadable(f"pay must be more than zero: {text!r}")
    if unit == "year":
        return Pay(
            _per_month(low),
            _per_month(high),
            "month",
            from_year=True,
        )
    if unit is None:
        reference = low if low is not None else high
        assert reference is not None
        return Pay(low, high, _inferred(reference), unit_inferred=True)
    return Pay(low, high, unit)


def _per_month(amount: float | None) -> float | None:
    return None if amount is None else round(amount / 12, 2)
