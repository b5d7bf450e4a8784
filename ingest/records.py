"""A raw row (a file's or a feed's) → a clean posting record, or the reasons it is not one.

:func:`posting_record` reads every cell of a :class:`~ingest.readers.RawRow` with the
normalisers (pay, education, headcount, dates, identifiers) and returns a
:class:`PostingRecord` with typed values, or a :class:`RowErrors` listing each field that could
not be read and why — all of them, not only the first, so that a sender fixes a row once.
What needs the service's reference data (the district of an address, the occupation of a
title, the employer's credit) is left to the service.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from ingest.dates import parse_date, parse_datetime
from ingest.fields import FieldUnreadable, parse_education, parse_headcount
from ingest.identifiers import validate_credit_code
from ingest.pay import PayUnreadable, parse_pay
from ingest.readers import RawRow

TITLE_MAX = 100
DESCRIPTION_MAX = 5000
ADDRESS_MAX = 300
TAG_MAX = 50
_OCCUPATION_CODE = re.compile(r"^\d-\d{2}-\d{2}-\d{2}$")
_ADCODE = re.compile(r"^\d{6}$")
_PHONE = re.compile(r"^\+?[0-9][0-9\- ]{5,18}$")
_LIST_SPLIT = re.compile(r"[,，、;；/|\s]+")
_YEARS = re.compile(r"(\d+)\s*(?:年|years?|yrs?)")
_NO_EXPERIENCE = ("不限", "无经验", "经验不限", "无需经验", "应届", "none", "no")

# The readers of cells whose texts repeat down a file (pay, credit codes, headcounts, dates,
# skills...) remember their recent answers: each is a pure function of its arguments (dates
# read with an explicit ``today``) returning an immutable value. Errors are not remembered.
RECENT_CELLS = 4096
_pay = lru_cache(maxsize=RECENT_CELLS)(parse_pay)
_credit_code = lru_cache(maxsize=RECENT_CELLS)(validate_credit_code)
_headcount = lru_cache(maxsize=RECENT_CELLS)(parse_headcount)
_education = lru_cache(maxsize=RECENT_CELLS)(parse_education)
_date = lru_cache(maxsize=RECENT_CELLS)(parse_date)

# 用工形式 as written → the service's employment type; checked in this order.
_EMPLOYMENT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("public_welfare", ("公益性岗位", "公益岗", "公益性", "public welfare")),
    ("internship", ("实习", "见习", "intern")),
    ("gig", ("零工", "日结", "临时", "小时工", "钟点工", "灵活用工", "gig", "temporary")),
    ("part_time", ("兼职", "非全日制", "part time", "part-time")),
    ("full_time", ("全职", "全日制", "正式工", "长期工", "合同工", "full time", "full-time")),
)


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


@dataclass(frozen=True)
class RowErrors:
    number: int
    errors: tuple[FieldError, ...]


@dataclass(frozen=True)
class PostingRecord:
    """One posting as a sender described it, every value read; nothing resolved yet."""

    number: int
    title: str
    description: str | None = None
    employer_name: str | None = None
    credit_code: str | None = None
    external_id: str | None = None
    employment_type: str = "full_time"
    salary_min: int | None = None
    salary_max: int | None = None
    salary_unit: str = "month"
    pay_note: str | None = None  # what the reader assumed (unit inferred, yearly pay)
    headcount: int = 1
    education: str | None = None
    experience_years: int | None = None
    skills: tuple[str, ...] = ()
    certificates: tuple[str, ...] = ()
    address: str | None = None
    adcode: str | None = None
    lat: float | None = None
    lon: float | None = None
    occupation_code: str | None = None
    valid_until: date | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    contact_phone: str | None = None
    booth: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    def fingerprint(self, employer_key: str) -> str:
        """A key for rows that carry no id of their own: the same vacancy text from the same
        employer gives the same key, so re-sending a file finds what it stored before."""
        parts = [
            employer_key,
            _squash(self.title),
            _squash(self.address or self.adcode or ""),
            f"{self.salary_min}-{self.salary_max}/{self.salary_unit}",
            self.employment_type,
            self.starts_at.isoformat() if self.starts_at else "",
        ]
        digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()
        return f"row:{digest}"


def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def _text(fields: dict[str, str], name: str) -> str | None:
    value = fields.get(name)
    if value is None:
        return None
    value = " ".join(value.split()) if name != "description" else value.strip()
    return value or None


@lru_cache(maxsize=RECENT_CELLS)
def _employment_type(text: str | None, unit: str | None, starts_at: datetime | None) -> str:
    if text:
        folded = unicodedata.normalize("NFKC", text).casefold()
        for code, words in _EMPLOYMENT_WORDS:
            if any(word in folded for word in words):
                return code
        raise FieldUnreadable(
            f"no employment type in {text!r} (全职, 兼职, 零工, 实习, 公益性岗位)"
        )
    # unsaid: a job with a start time, paid by the day or hour, is a gig
    if starts_at is not None and unit in ("day", "hour"):
        return "gig"
    return "full_time"


def _experience(text: str | None) -> int | None:
    if not text:
        return None
    folded = unicodedata.normalize("NFKC", text).casefold()
    found = _YEARS.search(folded)
    if found:
        return min(int(found.group(1)), 50)
    if any(word in folded for word in _NO_EXPERIENCE):
        return None
    if folded.isdigit():
        return min(int(folded), 50)
    raise FieldUnreadable(f"no number of years in {text!r}")


@lru_cache(maxsize=RECENT_CELLS)
def _tags(text: str | None, what: str) -> tuple[str, ...]:
    if not text:
        return ()
    tags = tuple(dict.fromkeys(t for t in _LIST_SPLIT.split(text) if t))
    if any(len(t) > TAG_MAX for t in tags):
        raise FieldUnreadable(f"a {what} is longer than {TAG_MAX} characters")
    return tags[:30]


def _coordinate(text: str | None, low: float, high: float, what: str) -> float | None:
    if not text:
        return None
    try:
        value = float(unicodedata.normalize("NFKC", text))
    except ValueError:
        raise FieldUnreadable(f"{what} {text!r} is not a number") from None
    if not low <= value <= high:
        raise FieldUnreadable(f"{what} {value} is outside {low}…{high}")
    return value


class _Reader:
    """Reads one row's cells, collecting a reason for each that cannot be read."""

    def __init__(self, row: RawRow) -> None:
        self.fields = row.fields
        self.errors: list[FieldError] = []

    def read(self, name: str, parse: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return parse(*args, **kwargs)
        except (FieldUnreadable, PayUnreadable, ValueError) as exc:
            self.errors.append(FieldError(name, str(exc)))
            return None

    def text(self, name: str, limit: int) -> str | None:
        value = _text(self.fields, name)
        if value is not None and len(value) > limit:
            self.errors.append(FieldError(name, f"longer than {limit} characters"))
            return None
        return value

    def matching(self, name: str, pattern: re.Pattern[str], what: str) -> str | None:
        value = _text(self.fields, name)
        if value is not None and not pattern.match(value):
            self.errors.append(FieldError(name, f"{value!r} is not {what}"))
            return None
        return value


def posting_record(row: RawRow, *, today: date | None = None) -> PostingRecord | RowErrors:
    """The row's posting, or every reason it cannot be one."""
    r = _Reader(row)
    today = today or date.today()  # explicit: dates without a year are read against it
    title = r.text("title", TITLE_MAX)
    if title is None and not any(e.field == "title" for e in r.errors):
        r.errors.append(FieldError("title", "the title is empty"))
    pay_text = _text(r.fields, "pay")
    pay = r.read("pay", _pay, pay_text) if pay_text else None
    unit = pay.unit if pay is not None and pay.unit else "month"
    written_unit = _text(r.fields, "salary_unit")
    if written_unit:
        unit = r.read("salary_unit", _unit_word, written_unit) or unit
    starts_at = r.read("starts_at", parse_datetime, _text(r.fields, "starts_at"))
    ends_at = r.read("ends_at", parse_datetime, _text(r.fields, "ends_at"))
    if starts_at and ends_at and ends_at <= starts_at:
        r.errors.append(FieldError("ends_at", "ends before it starts"))
    credit_code = _text(r.fields, "credit_code")
    if credit_code:
        credit_code = r.read("credit_code", _credit_code, credit_code)
    headcount = r.read("headcount", _headcount, _text(r.fields, "headcount"))
    record_values: dict[str, Any] = dict(
        description=r.text("description", DESCRIPTION_MAX),
        employer_name=r.text("employer", 200),
        external_id=r.text("external_id", 128),
        employment_type=r.read(
            "employment_type",
            _employment_type,
            _text(r.fields, "employment_type"),
            unit,
            starts_at,
        ),
        education=r.read("education", _education, _text(r.fields, "education")),
        experience_years=r.read("experience", _experience, _text(r.fields, "experience")),
        skills=r.read("skills", _tags, _text(r.fields, "skills"), "skill") or (),
        certificates=r.read("certificates", _tags, _text(r.fields, "certificates"), "certificate")
        or (),
        address=r.text("location", ADDRESS_MAX),
        adcode=r.matching("adcode", _ADCODE, "a 6-digit administrative division code"),
        lat=r.read("lat", _coordinate, _text(r.fields, "lat"), -90.0, 90.0, "latitude"),
        lon=r.read("lon", _coordinate, _text(r.fields, "lon"), -180.0, 180.0, "longitude"),
        occupation_code=r.matching(
            "occupation_code", _OCCUPATION_CODE, "a CSCO-2022 code such as 6-18-02-04"
        ),
        valid_until=r.read("valid_until", _date, _text(r.fields, "valid_until"), today=today),
        contact_phone=r.matching("contact_phone", _PHONE, "a phone number"),
        booth=r.text("booth", 50),
    )
    if record_values["adcode"] is None and _ADCODE.match(record_values["address"] or ""):
        # a location column holding a division code (exports often carry only that)
        record_values["adcode"], record_values["address"] = record_values["address"], None
    one_coordinate = (record_values["lat"] is None) != (record_values["lon"] is None)
    if one_coordinate and not any(e.field in ("lat", "lon") for e in r.errors):
        r.errors.append(FieldError("lat", "latitude and longitude come together"))
    low, high = (pay.min, pay.max) if pay is not None else (None, None)
    if r.errors or title is None:
        return RowErrors(row.number, tuple(r.errors))
    notes = []
    if pay is not None and pay.unit_inferred:
        notes.append("unit inferred from the amount")
    if pay is not None and pay.from_year:
        notes.append("yearly pay divided by 12")
    return PostingRecord(
        number=row.number,
        title=title,
        credit_code=credit_code,
        salary_min=None if low is None else round(low),
        salary_max=None if high is None else round(high),
        salary_unit=unit,
        pay_note="; ".join(notes) or None,
        headcount=headcount or 1,
        starts_at=starts_at,
        ends_at=ends_at,
        extra=dict(row.extra),
        **record_values,
    )


_UNIT_WORDS = {
    "month": ("月", "月薪", "按月", "month", "monthly"),
    "day": ("天", "日", "日薪", "按天", "日结", "day", "daily"),
    "hour": ("小时", "时", "时薪", "按小时", "hour", "hourly"),
    "piece": ("件", "计件", "按件", "piece"),
}


def _unit_word(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).strip().casefold()
    for unit, words in _UNIT_WORDS.items():
        if folded in words:
            return unit
    raise FieldUnreadable(f"no pay unit in {text!r} (月, 天, 小时, 件)")
