"""Is a new posting a vacancy we already have? Rules for de-duplication across channels.

The same vacancy reaches the service by several roads: the employer posts it, a job fair lists
it at the employer's booth, a gig station relays it, a partner platform exports it. The service
finds the postings of the same employer that are still live and asks :func:`best_duplicate`
which of them, if any, is the new one again.

:func:`same_vacancy` says yes only when every rule holds:

1. **Same employer** (``employer_id``).
2. **Occupation codes agree** when both are known: equal, or one is a group that contains the
   other ("6-18-02-00" and "6-18-02-04": a title read at group level by one channel).
3. **Titles match**: :func:`title_similarity` ≥ :data:`TITLE_THRESHOLD` (0.8). Titles are
   compared by :func:`title_key` (the role named by the title, without pay, perks, employer,
   places, recruiting words or certificates) and then by their *core*, the key without a
   generic worker suffix (司机, 工, 员, 操作工…): "叉车司机" and "叉车工" share the core
   "叉车" and match (0.95); "叉车司机" and "货车司机" differ in the only word that says what
   is driven (cores "叉车"/"货车", 0.5) and do not. A core of two characters or more inside the
   other ("服务员"/"餐厅服务员", "电焊工"/"熟练电焊工") scores 0.85.
4. **Same shift, when both name one**: "普工" and "普工（夜班）" are the same vacancy (a
   channel that shortens titles drops the shift, the employer's title keeps it); "普工（白班）"
   and "普工（夜班）" are two vacancies that an employer fills separately.
5. **Compatible employment types** when both are known: equal, except that part_time and gig
   are taken as one (stations call gig what employers call part-time). A full-time and a
   day-labour 普工 at the same factory are two offers.
6. **Nearby**: within :data:`MAX_DISTANCE_KM` (3 km) when both are points; otherwise the same
   district (adcode), or the same city when one side only knows its city. An unknown location
   never blocks a match (a job-fair listing often has no address).
7. **Overlapping validity** (``valid_from``–``valid_until``, open ends are open). For gigs
   (both with ``starts_at``): the time windows overlap or start on the same day in China
   time — two day jobs with the same title on different days are two vacancies.

Everything here is a plain function of :class:`VacancyFacts`; title keys are cached because
titles repeat (a chain posts the same title in every district).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache

from rapidfuzz.distance import Indel

from matching.geo import haversine_km
from matching.text import normalize_text, split_title

TITLE_THRESHOLD = 0.8
CORE_MATCH_SCORE = 0.95  # same core, different worker suffix: 叉车司机 / 叉车工
CONTAINED_SCORE = 0.85  # one core (≥ 2 characters) inside the other: 服务员 / 餐厅服务员
MIN_CONTAINED_CORE = 2  # 车工 (core 车工) is not inside 叉车工 (core 叉车)
MAX_DISTANCE_KM = 3.0
CHINA_TIME = timezone(timedelta(hours=8))  # no daylight saving: a fixed offset is exact
TITLE_KEY_CACHE = 50_000


@dataclass(frozen=True)
class VacancyFacts:
    """What the rules compare: one posting, from any channel."""

    employer_id: str
    title: str
    occupation_code: str | None = None  # CSCO-2022, e.g. "6-18-02-04", or a group code
    adcode: str | None = None  # GB/T 2260, six digits
    lat: float | None = None
    lon: float | None = None
    location_precision: str = "unknown"  # point | district | city | unknown
    valid_from: date | None = None
    valid_until: date | None = None
    starts_at: datetime | None = None  # gigs; a naive datetime is read as UTC, as stored
    ends_at: datetime | None = None
    employment_type: str | None = None  # full_time | part_time | gig | internship | public_welfare


# --- titles --------------------------------------------------------------------------------

# Certificates written into the title without brackets: 持证电工, 持叉车证叉车司机, 叉车司机持证.
# (Bracketed ones, "（持证）", are set aside by split_title already.)
_CERTIFICATE = re.compile(r"(?:持有?|需持|须持)[\w]{0,6}?证(?:书|件)?(?:上岗)?|持证(?:上岗)?")
# Generic worker suffixes, longest first; stripped only when two characters or more remain.
_WORKER_SUFFIXES = (
    "工程师",
    "驾驶员",
    "操作工",
    "操作员",
    "司机",
    "师傅",
    "工人",
    "人员",
    "技工",
    "工",
    "员",
    "师",
    "手",
)
# Shifts named in a title; a title may name none.
_SHIFTS = (
    ("night", re.compile(r"夜班|大夜|夜间|通宵")),
    ("day", re.compile(r"长白班|白班|日班")),
    ("early", re.compile(r"早班")),
    ("late", re.compile(r"晚班|中班")),
    ("rotating", re.compile(r"[两二三四]班倒|倒班|轮班|四班三运转")),
)


@lru_cache(maxsize=TITLE_KEY_CACHE)
def title_key(title: str) -> str:
    """The title as compared: the role it names, width and case folded, without brackets, pay,
    perks, company names, places, recruiting words ("招聘", "急招", "诚聘") or certificates;
    several roles ("普工/操作工") are kept, separated by one space."""
    role = split_title(title).role
    if "证" in role:
        role = " ".join(part for part in _CERTIFICATE.sub(" ", role).split())
    return role


def _core(role: str) -> str:
    for suffix in _WORKER_SUFFIXES:
        if role.endswith(suffix) and len(role) - len(suffix) >= MIN_CONTAINED_CORE:
            return role[: -len(suffix)]
    return role


def _role_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    core_a, core_b = _core(a), _core(b)
    if core_a == core_b:
        return CORE_MATCH_SCORE
    score = Indel.normalized_similarity(core_a, core_b)
    shorter, longer = sorted((core_a, core_b), key=len)
    if len(shorter) >= MIN_CONTAINED_CORE and shorter in longer:
        score = max(score, CONTAINED_SCORE)
    return score


def _key_similarity(key_a: str, key_b: str) -> float:
    if key_a == key_b:
        return 1.0 if key_a else 0.0
    if not key_a or not key_b:
        return 0.0
    # several roles ("普工 操作工"): the best pair decides
    return max(_role_similarity(a, b) for a in key_a.split() for b in key_b.split())


def title_similarity(a: str, b: str) -> float:
    """How alike two raw titles are, in [0, 1] (see the module's docstring, rule 3). Two titles
    that name no role at all ("急招") are alike only when written alike."""
    key_a, key_b = title_key(a), title_key(b)
    if not key_a and not key_b:
        return 1.0 if normalize_text(a) == normalize_text(b) and a.strip() else 0.0
    return _key_similarity(key_a, key_b)


@lru_cache(maxsize=TITLE_KEY_CACHE)
def _shifts(title: str) -> frozenset[str]:
    text = normalize_text(title)
    return frozenset(name for name, pattern in _SHIFTS if pattern.search(text))


# --- the other rules -----------------------------------------------------------------------


def _code_parts(code: str) -> tuple[str, ...]:
    """ "6-18-02-00" → ("6", "18", "02"): a group code without its zero tail."""
    parts = code.strip().split("-")
    while len(parts) > 1 and parts[-1].strip("0") == "":
        parts.pop()
    return tuple(parts)


def _codes_agree(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    parts_a, parts_b = _code_parts(a), _code_parts(b)
    shorter = min(len(parts_a), len(parts_b))
    return parts_a[:shorter] == parts_b[:shorter]


_SHORT_HOURS = frozenset({"part_time", "gig"})


def _types_agree(a: str | None, b: str | None) -> bool:
    if not a or not b or a == b:
        return True
    return a in _SHORT_HOURS and b in _SHORT_HOURS


def _point(vacancy: VacancyFacts) -> tuple[float, float] | None:
    """(lat, lon) when the place is known to the point (not a district's centroid)."""
    if vacancy.location_precision != "point" or vacancy.lat is None or vacancy.lon is None:
        return None
    return vacancy.lat, vacancy.lon


def _distance_km(a: VacancyFacts, b: VacancyFacts) -> float | None:
    point_a, point_b = _point(a), _point(b)
    if point_a is None or point_b is None:
        return None
    return haversine_km(*point_a, *point_b)


def _known_adcode(vacancy: VacancyFacts) -> str | None:
    if vacancy.location_precision == "unknown" or not vacancy.adcode:
        return None
    return vacancy.adcode


def _near(a: VacancyFacts, b: VacancyFacts) -> bool:
    distance = _distance_km(a, b)
    if distance is not None:
        return distance <= MAX_DISTANCE_KM
    code_a, code_b = _known_adcode(a), _known_adcode(b)
    if code_a is None or code_b is None:
        return True  # an unknown location never blocks
    if "city" in (a.location_precision, b.location_precision):
        return code_a[:4] == code_b[:4]  # only the city is known on one side
    return code_a == code_b


def _dates_overlap(a: VacancyFacts, b: VacancyFacts) -> bool:
    if a.valid_until is not None and b.valid_from is not None and a.valid_until < b.valid_from:
        return False
    return not (
        b.valid_until is not None and a.valid_from is not None and b.valid_until < a.valid_from
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _windows_meet(a: VacancyFacts, b: VacancyFacts) -> bool:
    if a.starts_at is None or b.starts_at is None:
        return True  # not two gigs with times: nothing to compare
    start_a, start_b = _aware(a.starts_at), _aware(b.starts_at)
    end_a = _aware(a.ends_at) if a.ends_at is not None else start_a
    end_b = _aware(b.ends_at) if b.ends_at is not None else start_b
    if start_a <= end_b and start_b <= end_a:
        return True
    return start_a.astimezone(CHINA_TIME).date() == start_b.astimezone(CHINA_TIME).date()


def _differences(a: VacancyFacts, b: VacancyFacts) -> list[str]:
    """The rules (see the module's docstring) by which ``a`` and ``b`` are different vacancies;
    empty when they are the same one."""
    reasons: list[str] = []
    if a.employer_id != b.employer_id:
        reasons.append("employer")
    if not _codes_agree(a.occupation_code, b.occupation_code):
        reasons.append("occupation")
    if title_similarity(a.title, b.title) < TITLE_THRESHOLD:
        reasons.append("title")
    shifts_a, shifts_b = _shifts(a.title), _shifts(b.title)
    if shifts_a and shifts_b and shifts_a.isdisjoint(shifts_b):
        reasons.append("shift")
    if not _types_agree(a.employment_type, b.employment_type):
        reasons.append("employment_type")
    if not _near(a, b):
        reasons.append("location")
    if not _dates_overlap(a, b):
        reasons.append("validity")
    if not _windows_meet(a, b):
        reasons.append("time_window")
    return reasons


def same_vacancy(a: VacancyFacts, b: VacancyFacts) -> bool:
    """Whether ``a`` and ``b`` describe the same vacancy (all rules of the module hold)."""
    if a.employer_id != b.employer_id:  # the cheap rule first
        return False
    return not _differences(a, b)


def best_duplicate(candidate: VacancyFacts, existing: Sequence[VacancyFacts]) -> int | None:
    """Index in ``existing`` of the posting ``candidate`` repeats, or None. Among several the
    most similar title wins, then the nearest (points), then the earliest in ``existing``."""
    best: tuple[float, float, int] | None = None
    for index, other in enumerate(existing):
        if not same_vacancy(candidate, other):
            continue
        distance = _distance_km(candidate, other)
        rank = (
            -title_similarity(candidate.title, other.title),
            MAX_DISTANCE_KM if distance is None else distance,
            index,
        )
        if best is None or rank < best:
            best = rank
    return None if best is None else best[2]
