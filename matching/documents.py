"""What the matching engine knows about a posting or a person: flat, frozen documents.

The service builds these from database rows (and the stored embedding) and hands them to the
search index and the matcher; the engine never reads the database. Strings use the service's
vocabularies (``service/enums.py``), copied here as plain strings because ``matching`` must not
import ``service``.

Conventions the service must follow:
- Datetimes should be timezone-aware. A naive datetime is read as UTC (what the database stores).
- ``vector`` is the stored embedding: 1-D, float32, unit length. It is converted to float32 and
  normalised here if needed, so a slightly drifted vector is harmless; a zero vector is an error.
  All vectors in one index must have the same dimension (the first one sets it).
- ``tokens`` are lexical tokens for BM25; build them with :func:`posting_tokens` /
  :func:`jobseeker_tokens` (or the service's own tokenizer, the same one for queries).
- ``reserved_for`` is the *effective* reservation: groups named on the posting plus the groups
  of the policy's reserved-post rules that match it (see ``matching.priority.reserved_groups``).
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, Literal

import numpy as np

SalaryUnit = Literal["month", "day", "hour", "piece"]
Precision = Literal["point", "district", "city", "unknown"]
CreditStatus = Literal["normal", "red_list", "c_grade", "wage_arrears_list"]

EMPLOYMENT_TYPES = ("full_time", "part_time", "gig", "internship", "public_welfare")
TRAVEL_MODES = ("walk", "bike", "ebike", "transit", "drive")
DAY_PARTS = ("morning", "afternoon", "evening", "night")
# Employers on these lists may not post (DOMAIN: 拖欠农民工工资严重失信主体名单, C 级信用); their
# postings are never returned, even if one slipped into the index.
BANNED_CREDIT = frozenset({"c_grade", "wage_arrears_list"})
PRECISE = "point"

# Education levels in order. 中专/技校/职高 (vocational) is the same level as 高中 (senior_high):
# both are upper-secondary, and postings asking for 高中 accept 中专 and the reverse.
EDUCATION_RANK: dict[str, int] = {
    "none": 0,
    "primary": 1,
    "junior_high": 2,
    "senior_high": 3,
    "vocational": 3,
    "associate": 4,
    "bachelor": 5,
    "master": 6,
    "doctorate": 7,
}
EDUCATION_LABEL: dict[str, str] = {
    "none": "不限",
    "primary": "小学",
    "junior_high": "初中",
    "senior_high": "高中",
    "vocational": "中专/技校",
    "associate": "大专",
    "bachelor": "本科",
    "master": "硕士",
    "doctorate": "博士",
}

# Pay to a monthly equivalent. 21.75 paid days a month is the official conversion
# (劳社部发〔2008〕3号: 月计薪天数 = (365 − 104 rest days) ÷ 12 = 21.75); 8 hours a day is the
# statutory working day, so an hourly rate × 174 is a month. Piece rates have no time base and stay
# unknown rather than guessed.
WORKING_DAYS_PER_MONTH = 21.75
HOURS_PER_DAY = 8.0
MONTHLY_FACTOR: dict[str, float | None] = {
    "month": 1.0,
    "day": WORKING_DAYS_PER_MONTH,
    "hour": WORKING_DAYS_PER_MONTH * HOURS_PER_DAY,
    "piece": None,
}


def monthly_pay(amount: float | None, unit: str | None) -> float | None:
    """``amount`` per ``unit`` as a monthly equivalent in yuan, or None when it cannot be known."""
    if amount is None or unit is None:
        return None
    factor = MONTHLY_FACTOR.get(unit)
    return None if factor is None else float(amount) * factor


def as_utc(moment: datetime | None) -> datetime | None:
    """Aware datetime; a naive one is taken as UTC, which is what the database stores."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def timestamp(moment: datetime | None) -> float:
    """Seconds since the epoch, NaN for None (so numpy comparisons with it are always False)."""
    moment = as_utc(moment)
    return math.nan if moment is None else moment.timestamp()


def unit_vector(vector: Any) -> np.ndarray | None:
    """The vector as a 1-D float32 unit vector (None stays None)."""
    if vector is None:
        return None
    array = np.asarray(vector, dtype=np.float32).reshape(-1)
    norm = math.sqrt(float(np.dot(array, array)))  # np.linalg.norm costs twice as much
    if not math.isfinite(norm) or norm == 0.0:
        raise ValueError("vector must be finite and non-zero")
    if abs(norm - 1.0) > 1e-3:
        array = array / np.float32(norm)
    return array


def _shared(value: Any) -> Any:
    return sys.intern(value) if type(value) is str else value


@lru_cache(maxsize=1 << 16)
def _shared_tuple(values: tuple[Any, ...]) -> tuple[Any, ...]:
    # Skill lists, wished occupations and token lists repeat across thousands of documents:
    # one tuple each, interned once, instead of one per document.
    return tuple(map(_shared, values))


def _freeze(doc: Any, names: tuple[str, ...], scalars: tuple[str, ...] = ()) -> None:
    # Lists from ORM rows become tuples so documents stay hashable and immutable. Their strings,
    # and the short repeated ones (districts, kinds, codes), are interned: a city's index holds
    # hundreds of thousands of documents, and one copy of "420106" or 焊工 is enough. An index
    # build makes every document once, so the common cases (empty, repeated) are cheap.
    assign = object.__setattr__
    for name in names:
        values = getattr(doc, name)
        if not values:
            if type(values) is not tuple:
                assign(doc, name, ())
            continue
        frozen = values if type(values) is tuple else tuple(values)
        try:
            assign(doc, name, _shared_tuple(frozen))
        except TypeError:  # an unhashable item: the class's own checks will say which
            assign(doc, name, tuple(map(_shared, frozen)))
    for name in scalars:
        value = getattr(doc, name)
        if type(value) is str:
            assign(doc, name, sys.intern(value))
    if doc.vector is not None:
        assign(doc, "vector", unit_vector(doc.vector))


_POSTING_SCALARS = (
    "employer_id", "occupation_code", "employment_type", "status", "salary_unit", "adcode",
    "location_precision", "station_id", "employer_credit", "education",
)  # fmt: skip
_JOBSEEKER_SCALARS = (
    "education", "salary_expectation_unit", "adcode", "location_precision", "travel_mode",
    "status",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class GroupMembership:
    """Membership of a priority group; ``certified_at`` is the date of 认定 when there is one."""

    code: str
    certified_at: date | None = None


@dataclass(frozen=True, slots=True)
class PostingDoc:
    id: str
    employer_id: str
    title: str
    occupation_code: str | None = None
    employment_type: str = "full_time"
    status: str = "open"
    valid_until: date | None = None  # last day the posting is open (a local date)
    starts_at: datetime | None = None  # gigs: when the work starts
    ends_at: datetime | None = None  # gigs: when it ends; after that the posting is expired
    salary_min: int | None = None
    salary_max: int | None = None
    salary_unit: SalaryUnit = "month"
    adcode: str | None = None
    lat: float | None = None
    lon: float | None = None
    location_precision: Precision = "unknown"
    station_id: str | None = None
    reserved_for: tuple[str, ...] = ()
    event_ids: tuple[str, ...] = ()
    event_target_groups: tuple[str, ...] = ()
    employer_credit: CreditStatus = "normal"
    skills: tuple[str, ...] = ()
    certificates: tuple[str, ...] = ()
    education: str | None = None  # minimum level, a key of EDUCATION_RANK; None = no requirement
    experience_years: int | None = None
    created_at: datetime | None = None
    tokens: tuple[str, ...] = ()
    vector: np.ndarray | None = field(default=None, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        _freeze(
            self,
            (
                "reserved_for",
                "event_ids",
                "event_target_groups",
                "skills",
                "certificates",
                "tokens",
            ),
            _POSTING_SCALARS,
        )

    @property
    def monthly_pay_min(self) -> float | None:
        return monthly_pay(self.salary_min, self.salary_unit)

    @property
    def monthly_pay_max(self) -> float | None:
        """The top of the range (or the only figure given), monthly."""
        top = self.salary_max if self.salary_max is not None else self.salary_min
        return monthly_pay(top, self.salary_unit)

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True, slots=True)
class JobseekerDoc:
    id: str
    desired_occupations: tuple[str, ...] = ()  # CSCO codes, already normalised by the service
    desired_titles: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    certificates: tuple[str, ...] = ()
    education: str | None = None
    experience_years: int | None = None
    employment_types: tuple[str, ...] = ()  # empty = any
    salary_expectation: int | None = None
    salary_expectation_unit: SalaryUnit = "month"
    adcode: str | None = None
    # Exact home. It stays inside the engine: results carry travel minutes, never coordinates.
    lat: float | None = None
    lon: float | None = None
    location_precision: Precision = "point"
    travel_mode: str | None = None  # None: the policy's default (travel_defaults)
    travel_max_minutes: int | None = None
    groups: tuple[GroupMembership, ...] = ()
    not_choosy: bool = False
    consent_show_to_employers: bool = False
    status: str = "seeking"
    available_from: date | None = None
    available_weekdays: tuple[int, ...] = ()  # ISO weekdays, 1 = Monday; empty = any
    available_day_parts: tuple[str, ...] = ()  # morning/afternoon/evening/night; empty = any
    registered_at: datetime | None = None
    tokens: tuple[str, ...] = ()
    vector: np.ndarray | None = field(default=None, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        _freeze(
            self,
            (
                "desired_occupations",
                "desired_titles",
                "skills",
                "certificates",
                "employment_types",
                "groups",
                "available_weekdays",
                "available_day_parts",
                "tokens",
            ),
            _JOBSEEKER_SCALARS,
        )

    @property
    def group_codes(self) -> tuple[str, ...]:
        return tuple(membership.code for membership in self.groups)

    @property
    def monthly_expectation(self) -> float | None:
        return monthly_pay(self.salary_expectation, self.salary_expectation_unit)

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None


# --- lexical tokens -------------------------------------------------------------------------

Tokenizer = Callable[[str], Iterable[str]]
_WORDLIKE = re.compile(r"\w")


def default_tokenize(text: str) -> list[str]:
    """jieba in search mode (words and their sub-words), folded; punctuation dropped.

    Search mode yields "氩弧焊工" as 氩弧, 弧焊, 焊工, 氩弧焊工, so a short query word still meets a
    longer title word. Imported lazily: jieba loads its dictionary (about a second) on first use.
    """
    from matching.jieba_loader import jieba

    folded = unicodedata.normalize("NFKC", text).casefold()
    return [token for token in jieba().lcut_for_search(folded) if _WORDLIKE.search(token)]


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
SEARCH_TOKEN_CACHE = 200_000  # distinct words remembered by search_tokens


def search_tokens(text: str) -> list[str]:
    """jieba's search-mode words plus the character bigrams of every Chinese run.

    jieba cuts 氩弧焊工 into 氩弧焊 / 弧焊 / 工, so a query for 焊工 would miss it; the bigrams
    (氩弧, 弧焊, 焊工) let a short query word meet a longer title word. Bigrams that are words
    already are not repeated. Each whitespace-separated piece is cut once and remembered:
    titles and skills repeat across a city's postings and people, and cutting is most of the
    cost of building an index.
    """
    words: list[str] = []
    bigrams: list[str] = []
    for piece in text.split():
        piece_words, piece_bigrams = _piece_tokens(piece)
        words.extend(piece_words)
        bigrams.extend(piece_bigrams)
    known = set(words)
    return words + [b for b in bigrams if b not in known]


@lru_cache(maxsize=SEARCH_TOKEN_CACHE)
def _piece_tokens(piece: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    runs = _CJK_RUN.findall(piece)
    return (
        tuple(default_tokenize(piece)),
        tuple(run[i : i + 2] for run in runs for i in range(len(run) - 1)),
    )


def _texts_to_tokens(texts: Iterable[str | None], tokenize: Tokenizer) -> tuple[str, ...]:
    return tuple(token for text in texts if text for token in tokenize(text))


def posting_tokens(
    title: str,
    *,
    occupation_name: str | None = None,
    skills: Iterable[str] = (),
    certificates: Iterable[str] = (),
    description: str | None = None,
    tokenize: Tokenizer = default_tokenize,
) -> tuple[str, ...]:
    """Tokens for a posting. The title and occupation name are given twice: they say what the
    job is, while a long description would otherwise outweigh them in BM25 term frequency."""
    head = [title, occupation_name, title, occupation_name]
    return _texts_to_tokens([*head, *skills, *certificates, description], tokenize)


def jobseeker_tokens(
    *,
    desired_titles: Iterable[str] = (),
    occupation_names: Iterable[str] = (),
    skills: Iterable[str] = (),
    certificates: Iterable[str] = (),
    tokenize: Tokenizer = default_tokenize,
) -> tuple[str, ...]:
    """Tokens for a person: what they want, then what they can do."""
    texts = [*desired_titles, *occupation_names, *skills, *certificates]
    return _texts_to_tokens(texts, tokenize)


# --- numeric forms for columnar filters -----------------------------------------------------

OCCUPATION_DIGITS = 7  # "6-18-02-04" → 6180204
ADCODE_DIGITS = 6


@lru_cache(maxsize=65_536)  # a city has a few thousand distinct codes and districts
def code_number(code: str | None, digits: int) -> int:
    """A code's digits as an integer (-1 when absent or malformed).

    A prefix filter then becomes integer division: the string prefix "6-18" of "6-18-02-04" is
    the digit prefix 618 of 6180204, i.e. ``number // 10**4 == 618``.
    """
    if not code:
        return -1
    text = code.replace("-", "").strip()[:digits]
    return int(text) if len(text) == digits and text.isdigit() else -1


def prefix_number(prefix: str, digits: int) -> tuple[int, int]:
    """(value, divisor) so that ``code_number(c) // divisor == value`` iff c starts with prefix."""
    text = prefix.replace("-", "").strip()
    if not text.isdigit() or len(text) > digits:
        raise ValueError(f"not a code prefix: {prefix!r}")
    return int(text), 10 ** (digits - len(text))


def occupation_prefix(code: str, level: int) -> str:
    """The code's group at ``level`` (1 major "6", 2 medium "6-18", 3 minor "6-18-02")."""
    return "-".join(code.strip().split("-")[:level])
