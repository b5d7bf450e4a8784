"""Cross-channel de-duplication: each rule with postings that are and are not the same vacancy."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from ingest.dedupe import (
    TITLE_THRESHOLD,
    VacancyFacts,
    _differences,
    best_duplicate,
    same_vacancy,
    title_key,
    title_similarity,
)

CHINA = timezone(timedelta(hours=8))

# 武汉市蔡甸区常福工业园 and a point about 1.1 km east of it
BASE = VacancyFacts(
    employer_id="emp-1",
    title="叉车司机",
    occupation_code="4-02-07-04",
    adcode="420114",
    lat=30.4710,
    lon=114.0450,
    location_precision="point",
    valid_from=date(2026, 11, 1),
    valid_until=date(2026, 12, 31),
    employment_type="full_time",
)


def vacancy(**changes: object) -> VacancyFacts:
    return replace(BASE, **changes)  # type: ignore[arg-type]


# --- titles --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("叉车司机", "叉车司机"),
        ("招聘叉车司机（持证）", "叉车司机"),
        ("急招叉车司机 6000-8000元/月 包吃住", "叉车司机"),
        ("诚聘叉车司机(持叉车证)", "叉车司机"),
        ("武汉某某物流有限公司招聘叉车司机", "叉车司机"),
        ("ＦＯＲＫ叉车司机", "fork叉车司机"),  # width and case folded
        ("持证电工", "电工"),
        ("持叉车证叉车司机", "叉车司机"),
        ("叉车司机持证上岗", "叉车司机"),
        ("普工/操作工", "普工 操作工"),
        ("【急招】普工 5-8K 包吃住 (长白班)", "普工"),
        ("急招", ""),
    ],
)
def test_title_key_keeps_the_role(title: str, key: str) -> None:
    assert title_key(title) == key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("叉车司机", "招聘叉车司机（持证）"),
        ("叉车司机", "叉车工"),
        ("招聘叉车司机（持证）", "叉车工"),
        ("叉车司机", "叉车驾驶员"),
        ("保安", "保安员"),
        ("服务员", "餐厅服务员"),
        ("普工", "普工（夜班）"),
        ("普工/操作工", "普工"),
        ("持证电工", "电工（持低压电工证）"),
        ("ＣＮＣ操作工", "cnc操作员"),
        ("急招", "急招"),
    ],
)
def test_titles_of_one_vacancy_match(a: str, b: str) -> None:
    assert title_similarity(a, b) >= TITLE_THRESHOLD
    assert title_similarity(b, a) == title_similarity(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("叉车司机", "货车司机"),
        ("车工", "叉车工"),  # lathe operator and forklift driver
        ("保洁员", "保安员"),
        ("店员", "店长"),
        ("厨师", "面点师"),
        ("司机", "货车司机"),
        ("仓库管理员", "物业管理员"),
        ("软件测试工程师", "软件开发工程师"),
        ("急招", "诚聘"),  # no role on either side, written differently
        ("", ""),
    ],
)
def test_titles_of_different_work_do_not_match(a: str, b: str) -> None:
    assert title_similarity(a, b) < TITLE_THRESHOLD


def test_similarity_is_in_the_unit_interval() -> None:
    for a, b in [("叉车司机", "叉车工"), ("叉车司机", "货车司机"), ("普工", ""), ("普工", "普工")]:
        assert 0.0 <= title_similarity(a, b) <= 1.0
    assert title_similarity("叉车司机", "叉车司机") == 1.0
    assert title_similarity("普工", "") == 0.0


# --- same_vacancy: one rule at a time ------------------------------------------------------


def test_a_repeat_from_another_channel_is_the_same_vacancy() -> None:
    fair = vacancy(title="招聘叉车司机（持证）", lat=30.4740, lon=114.0560)  # ~1.1 km away
    assert same_vacancy(BASE, fair)
    assert same_vacancy(fair, BASE)


def test_other_employer() -> None:
    assert _differences(BASE, vacancy(employer_id="emp-2")) == ["employer"]
    assert not same_vacancy(BASE, vacancy(employer_id="emp-2"))


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("4-02-07-04", "4-02-07-04", True),
        ("4-02-07-04", "4-02-07-00", True),  # a group containing the code
        ("4-02-07-04", "4-00-00-00", True),
        ("4-02-07-04", None, True),  # unknown on one side
        (None, None, True),
        ("4-02-07-04", "4-02-07-03", False),
        ("4-02-07-04", "6-18-02-04", False),
        ("4-02-07-04", "4-02-06-00", False),
    ],
)
def test_occupation_codes_must_agree_when_known(a: str | None, b: str | None, same: bool) -> None:
    assert same_vacancy(vacancy(occupation_code=a), vacancy(occupation_code=b)) is same
    if not same:
        assert _differences(vacancy(occupation_code=a), vacancy(occupation_code=b)) == [
            "occupation"
        ]


@pytest.mark.parametrize(
    ("title", "same"),
    [
        ("叉车工", True),
        ("叉车司机（持证）", True),
        ("货车司机", False),
        ("仓库管理员", False),
    ],
)
def test_titles_must_match(title: str, same: bool) -> None:
    assert same_vacancy(BASE, vacancy(title=title)) is same
    if not same:
        assert _differences(BASE, vacancy(title=title)) == ["title"]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("普工", "普工（夜班）", True),  # one channel left the shift out
        ("普工（夜班）", "夜班普工", True),
        ("普工（长白班）", "普工 白班", True),
        ("普工（白班）", "普工（夜班）", False),
        ("普工（两班倒）", "普工（长白班）", False),
    ],
)
def test_named_shifts_must_agree(a: str, b: str, same: bool) -> None:
    first, second = vacancy(title=a, occupation_code=None), vacancy(title=b, occupation_code=None)
    assert same_vacancy(first, second) is same
    if not same:
        assert _differences(first, second) == ["shift"]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("full_time", "full_time", True),
        ("part_time", "gig", True),  # stations say gig where employers say part-time
        ("full_time", None, True),
        ("full_time", "gig", False),
        ("full_time", "internship", False),
        ("public_welfare", "full_time", False),
    ],
)
def test_employment_types_must_agree(a: str | None, b: str | None, same: bool) -> None:
    assert same_vacancy(vacancy(employment_type=a), vacancy(employment_type=b)) is same


@pytest.mark.parametrize(
    ("other", "same"),
    [
        ({"lat": 30.4740, "lon": 114.0560}, True),  # about 1.1 km
        ({"lat": 30.4900, "lon": 114.0650}, True),  # about 2.8 km
        ({"lat": 30.5000, "lon": 114.0700}, False),  # about 4 km
        ({"lat": 30.5500, "lon": 114.2700, "adcode": "420105"}, False),  # 汉阳, 23 km
        # a district's centroid is no point: same district decides
        ({"location_precision": "district", "lat": 30.58, "lon": 114.02}, True),
        ({"location_precision": "district", "adcode": "420105"}, False),
        # only the city known on one side: same city decides
        ({"location_precision": "city", "adcode": "420100", "lat": None, "lon": None}, True),
        ({"location_precision": "city", "adcode": "421000", "lat": None, "lon": None}, False),
        # unknown never blocks
        ({"location_precision": "unknown", "adcode": None, "lat": None, "lon": None}, True),
        ({"location_precision": "point", "adcode": None, "lat": None, "lon": None}, True),
    ],
)
def test_places_must_be_near(other: dict[str, object], same: bool) -> None:
    assert same_vacancy(BASE, vacancy(**other)) is same
    if not same:
        assert _differences(BASE, vacancy(**other)) == ["location"]


def test_two_district_level_postings_compare_districts() -> None:
    a = vacancy(location_precision="district", lat=None, lon=None)
    assert same_vacancy(a, vacancy(location_precision="district", lat=None, lon=None))
    other = vacancy(location_precision="district", adcode="420115", lat=None, lon=None)
    assert not same_vacancy(a, other)


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "same"),
    [
        (date(2026, 12, 1), date(2027, 1, 31), True),  # overlaps the end
        (date(2026, 12, 31), None, True),  # touches on the last day, open end
        (None, None, True),
        (None, date(2026, 11, 1), True),
        (date(2027, 1, 1), date(2027, 2, 28), False),  # after
        (date(2026, 9, 1), date(2026, 10, 31), False),  # before
        (None, date(2026, 10, 31), False),
    ],
)
def test_validity_must_overlap(
    valid_from: date | None, valid_until: date | None, same: bool
) -> None:
    other = vacancy(valid_from=valid_from, valid_until=valid_until)
    assert same_vacancy(BASE, other) is same
    assert same_vacancy(other, BASE) is same


def gig(start: datetime, hours: float | None = 8, **changes: object) -> VacancyFacts:
    return vacancy(
        title="日结搬运工",
        occupation_code="4-02-07-09",
        employment_type="gig",
        starts_at=start,
        ends_at=None if hours is None else start + timedelta(hours=hours),
        **changes,
    )


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        # overlapping windows
        (datetime(2026, 11, 22, 8, tzinfo=CHINA), datetime(2026, 11, 22, 9, tzinfo=CHINA), True),
        # morning and afternoon of the same day
        (datetime(2026, 11, 22, 7, tzinfo=CHINA), datetime(2026, 11, 22, 16, tzinfo=CHINA), True),
        # the same day in China even though the UTC dates differ (07:00 China = 23:00 UTC)
        (datetime(2026, 11, 22, 7, tzinfo=CHINA), datetime(2026, 11, 22, 8, 0, tzinfo=UTC), True),
        # naive datetimes are UTC, as stored: 2026-11-21 23:30 UTC is 07:30 on the 22nd in China
        (datetime(2026, 11, 21, 23, 30), datetime(2026, 11, 22, 18, tzinfo=CHINA), True),
        # two day jobs on different days
        (datetime(2026, 11, 22, 8, tzinfo=CHINA), datetime(2026, 11, 23, 8, tzinfo=CHINA), False),
        (datetime(2026, 11, 22, 8, tzinfo=CHINA), datetime(2026, 11, 25, 8, tzinfo=CHINA), False),
    ],
)
def test_gigs_must_share_a_window_or_a_day(first: datetime, second: datetime, same: bool) -> None:
    assert same_vacancy(gig(first), gig(second)) is same
    if not same:
        assert _differences(gig(first), gig(second)) == ["time_window"]


def test_a_several_day_gig_meets_a_gig_inside_it() -> None:
    start = datetime(2026, 11, 22, 8, tzinfo=CHINA)
    assert same_vacancy(gig(start, hours=24 * 3 + 9), gig(start + timedelta(days=2)))


def test_a_gig_without_an_end_is_an_instant() -> None:
    start = datetime(2026, 11, 22, 8, tzinfo=CHINA)
    assert same_vacancy(gig(start, hours=None), gig(start + timedelta(hours=3), hours=None))
    assert not same_vacancy(gig(start, hours=None), gig(start + timedelta(days=1), hours=None))


def test_a_gig_time_on_one_side_only_does_not_block() -> None:
    start = datetime(2026, 11, 22, 8, tzinfo=CHINA)
    assert same_vacancy(gig(start), replace(gig(start), starts_at=None, ends_at=None))


def test_several_differences_are_all_named() -> None:
    other = vacancy(title="货车司机", employment_type="gig", adcode="420105", lat=30.55, lon=114.27)
    assert _differences(BASE, other) == ["title", "employment_type", "location"]


# --- best_duplicate ------------------------------------------------------------------------


def test_best_duplicate_is_none_without_a_match() -> None:
    assert best_duplicate(BASE, []) is None
    assert best_duplicate(BASE, [vacancy(title="货车司机"), vacancy(employer_id="emp-2")]) is None


def test_best_duplicate_prefers_the_closest_title_then_the_nearest_place() -> None:
    existing = [
        vacancy(title="货车司机"),  # not a match
        vacancy(title="叉车工", lat=30.4712, lon=114.0452),  # 0.95, very near
        vacancy(title="叉车司机（持证）", lat=30.4740, lon=114.0500),  # 1.0, about 0.6 km
        vacancy(title="叉车司机", lat=30.4800, lon=114.0600),  # 1.0, about 1.7 km
    ]
    assert best_duplicate(BASE, existing) == 2


def test_best_duplicate_ties_go_to_the_earliest() -> None:
    twins = [vacancy(location_precision="district"), vacancy(location_precision="district")]
    assert best_duplicate(BASE, twins) == 0
