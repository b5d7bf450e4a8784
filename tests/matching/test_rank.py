"""Pair features, their fusion into a score in [0, 1], and the plain-Chinese reasons."""

import dataclasses
from datetime import date, datetime, timedelta, timezone
from typing import Any

import numpy as np
import pytest

from matching.documents import JobseekerDoc, PostingDoc, monthly_pay
from matching.rank import (
    DEFAULT_WEIGHTS,
    FEATURES,
    PairContext,
    ScoringModel,
    assess,
    fit_weights,
    matched_terms,
)
from matching.taxonomy import load_taxonomy

CHINA = timezone(timedelta(hours=8))
NOW = datetime(2025, 3, 3, 9, 0, tzinfo=CHINA)  # a Monday
TAXONOMY = load_taxonomy()


def posting(**fields: Any) -> PostingDoc:
    values: dict[str, Any] = dict(
        id="p", employer_id="e", title="招聘焊工", occupation_code="6-18-02-04"
    )
    values.update(fields)
    return PostingDoc(**values)


def seeker(**fields: Any) -> JobseekerDoc:
    values: dict[str, Any] = dict(id="s", desired_occupations=("6-18-02-04",))
    values.update(fields)
    return JobseekerDoc(**values)


def run(s: JobseekerDoc, p: PostingDoc, context: PairContext | None = None):
    return assess(s, p, context or PairContext(), taxonomy=TAXONOMY, now=NOW)


@pytest.mark.parametrize(
    ("unit", "amount", "monthly"),
    [("month", 5000, 5000.0), ("day", 300, 6525.0), ("hour", 20, 3480.0), ("piece", 2, None)],
)
def test_monthly_pay(unit: str, amount: int, monthly: float | None) -> None:
    assert monthly_pay(amount, unit) == monthly


@pytest.mark.parametrize(
    ("desired", "code", "value", "reason"),
    [
        (("6-18-02-04",), "6-18-02-04", 1.0, "职业匹配：焊工"),
        (("6-18-02-05",), "6-18-02-04", 0.75, "同类职业：焊工"),  # same minor group
        (("6-18-01-01",), "6-18-02-04", 0.5, "同类职业：焊工"),  # same medium group
        (("6-01-01-01",), "6-18-02-04", 0.2, None),  # same major group only
        (("4-03-02-05",), "6-18-02-04", 0.0, None),
        (("4-03-02-05", "6-18-02-04"), "6-18-02-04", 1.0, "职业匹配：焊工"),  # best of several
        ((), "6-18-02-04", 0.3, None),  # nothing to compare with
    ],
)
def test_occupation_relation(
    desired: tuple[str, ...], code: str, value: float, reason: str | None
) -> None:
    result = run(seeker(desired_occupations=desired), posting(occupation_code=code))
    assert result.features["occupation"] == value
    assert reason is None or reason in result.reasons
    if reason is None:
        assert not any(r.startswith(("职业匹配", "同类职业")) for r in result.reasons)


@pytest.mark.parametrize(
    ("wanted", "offered", "found"),
    [
        (("氩弧焊", "电焊"), ("氩弧焊",), ["氩弧焊"]),
        (("氩弧焊",), ("氩弧焊接",), ["氩弧焊"]),  # one contains the other
        (("ＣＡＤ",), ("cad",), ["ＣＡＤ"]),  # full width and case folded
        (("焊",), ("电焊",), []),  # single characters do not match by containment
        ((), ("电焊",), []),
    ],
)
def test_matched_terms(wanted: tuple[str, ...], offered: tuple[str, ...], found: list[str]) -> None:
    assert matched_terms(wanted, offered) == found


def test_skills_and_certificates() -> None:
    p = posting(skills=("氩弧焊", "读图"), certificates=("焊工证",))
    result = run(seeker(skills=("氩弧焊",), certificates=("焊工证",)), p)
    assert result.features["skills"] == 0.5
    assert result.features["certificates"] == 1.0
    assert "技能匹配：氩弧焊" in result.reasons
    assert "证书匹配：焊工证" in result.reasons
    assert run(seeker(), posting()).features["skills"] == 0.5  # no requirement: neutral


@pytest.mark.parametrize(
    ("mode", "minutes", "limit", "feature", "reason"),
    [
        ("walk", 12.0, 15, 0.6, "步行约12分钟"),
        ("ebike", 8.0, 20, 0.8, "电动车约8分钟"),
        ("walk", 15.0, 15, 0.5, "步行约15分钟"),
        ("transit", 60.0, 30, 0.0, "公交约60分钟"),
    ],
)
def test_travel_feature_and_reason(
    mode: str, minutes: float, limit: float, feature: float, reason: str
) -> None:
    context = PairContext(travel_minutes=minutes, travel_mode=mode, travel_limit=limit)
    result = run(seeker(), posting(), context)
    assert result.features["travel"] == pytest.approx(feature)
    assert reason in result.reasons


def test_imprecise_location_is_said() -> None:
    context = PairContext(travel_minutes=9, travel_mode="walk", travel_limit=15, imprecise=True)
    result = run(seeker(), posting(location_precision="district"), context)
    assert "位置仅精确到区县，通勤时间为估算" in result.reasons


@pytest.mark.parametrize(
    ("salary", "expectation", "feature", "reason"),
    [
        (dict(salary_min=6000, salary_max=8000), 5000, 1.0, "薪资高于期望"),
        (dict(salary_min=300, salary_unit="day"), 5000, 1.0, "薪资高于期望"),  # 6,525 a month
        (dict(salary_min=4000, salary_max=6000), 5000, 1.0, "薪资符合期望"),
        (dict(salary_min=3000, salary_max=4000), 5000, 0.5, "薪资低于期望"),
        (dict(salary_min=None, salary_max=None), 5000, 0.5, None),
        (dict(salary_min=6000, salary_max=8000), None, 0.5, None),
    ],
)
def test_pay_against_expectation(
    salary: dict[str, Any], expectation: int | None, feature: float, reason: str | None
) -> None:
    result = run(seeker(salary_expectation=expectation), posting(**salary))
    assert result.features["pay"] == pytest.approx(feature)
    pay_reasons = [r for r in result.reasons if r.startswith("薪资")]
    assert pay_reasons == ([reason] if reason else [])


@pytest.mark.parametrize(
    ("availability", "feature"),
    [
        (dict(available_weekdays=(2,), available_day_parts=("morning",)), 1.0),
        (dict(available_weekdays=(2,), available_day_parts=("evening",)), 0.5),
        (dict(available_weekdays=(6, 7), available_day_parts=("evening",)), 0.0),
        (dict(available_from=date(2025, 3, 10)), 0.0),  # not available yet
        ({}, 0.5),  # nothing said: neutral
    ],
)
def test_schedule_fit(availability: dict[str, Any], feature: float) -> None:
    tuesday_8am = datetime(2025, 3, 4, 8, 0, tzinfo=CHINA)
    gig = posting(employment_type="gig", starts_at=tuesday_8am)
    result = run(seeker(**availability), gig)
    assert result.features["schedule"] == feature
    assert ("开工时间符合空闲时间" in result.reasons) is (feature == 1.0)


def test_employment_type_education_experience_freshness() -> None:
    p = posting(employment_type="gig", education="senior_high", experience_years=2, created_at=NOW)
    fit = run(
        seeker(employment_types=("gig",), education="vocational", experience_years=3),
        p,
    )
    assert fit.features["employment_type"] == 1.0
    assert fit.features["education"] == 1.0  # 中专 is the same level as 高中
    assert fit.features["experience"] == 1.0
    assert fit.features["freshness"] == 1.0
    for reason in ("用工形式符合：零工", "学历符合要求（高中）", "工作经验符合要求（2年以上）"):
        assert reason in fit.reasons
    assert "新发布岗位" in fit.reasons
    short = run(
        seeker(employment_types=("full_time",), education="junior_high", experience_years=1),
        dataclasses.replace(p, created_at=NOW - timedelta(days=14)),
    )
    assert short.features["employment_type"] == 0.0
    assert short.features["education"] == 0.0
    assert short.features["experience"] == 0.5
    assert short.features["freshness"] == pytest.approx(0.5)  # half-life of 14 days
    assert "新发布岗位" not in short.reasons


def random_pair(rng: np.random.Generator) -> tuple[JobseekerDoc, PostingDoc, PairContext]:
    codes = ["6-18-02-04", "6-18-02-05", "4-03-02-05", "2-02-01-01"]
    s = seeker(
        desired_occupations=tuple(rng.choice(codes, size=int(rng.integers(0, 3)))),
        skills=tuple(rng.choice(["a1", "b2", "c3"], size=int(rng.integers(0, 3)))),
        salary_expectation=int(rng.integers(2000, 12000)),
        employment_types=tuple(rng.choice(["gig", "full_time"], size=int(rng.integers(0, 2)))),
        education=str(rng.choice(["primary", "bachelor"])),
        experience_years=int(rng.integers(0, 10)),
        vector=rng.standard_normal(4),
    )
    p = posting(
        occupation_code=str(rng.choice(codes)),
        skills=tuple(rng.choice(["a1", "b2", "d4"], size=int(rng.integers(0, 3)))),
        salary_min=int(rng.integers(100, 9000)),
        salary_unit=str(rng.choice(["month", "day", "hour", "piece"])),
        employment_type=str(rng.choice(["gig", "full_time", "part_time"])),
        education=str(rng.choice(["none", "senior_high", "master"])),
        experience_years=int(rng.integers(0, 5)),
        created_at=NOW - timedelta(days=int(rng.integers(0, 200))),
        vector=rng.standard_normal(4),
    )
    context = PairContext(
        lexical=float(rng.exponential(10)),
        vector=None,
        travel_minutes=float(rng.uniform(0, 90)),
        travel_mode="walk",
        travel_limit=float(rng.choice([10, 15, 30])),
    )
    return s, p, context


def test_scores_and_features_stay_within_unit_interval() -> None:
    rng = np.random.default_rng(1)
    model = ScoringModel()
    logistic = ScoringModel(weights={n: 5.0 for n in FEATURES}, bias=-30.0)
    for _ in range(500):
        result = run(*random_pair(rng))
        assert set(result.features) == set(FEATURES)
        assert all(0.0 <= v <= 1.0 for v in result.features.values()), result.features
        assert 0.0 <= model.score(result.features) <= 1.0
        assert 0.0 <= logistic.score(result.features) <= 1.0


def test_default_weights_are_a_weighted_mean() -> None:
    assert set(DEFAULT_WEIGHTS) == set(FEATURES)
    assert sum(DEFAULT_WEIGHTS.values()) == pytest.approx(1.0)
    model = ScoringModel()
    assert model.score({n: 1.0 for n in FEATURES}) == pytest.approx(1.0)
    assert model.score({n: 0.0 for n in FEATURES}) == pytest.approx(0.0)
    better = run(seeker(), posting())
    worse = run(seeker(desired_occupations=("4-03-02-05",)), posting())
    assert model.score(better.features) > model.score(worse.features)


def test_fit_weights_learns_which_feature_predicts_the_outcome() -> None:
    rng = np.random.default_rng(2)
    pairs = []
    for _ in range(400):
        features = {n: float(rng.uniform()) for n in FEATURES}
        hired = features["occupation"] + 0.1 * rng.standard_normal() > 0.5
        pairs.append((features, hired))
    model = fit_weights(pairs)
    assert model.bias is not None
    assert max(model.weights, key=model.weights.__getitem__) == "occupation"
    assert model.score({**pairs[0][0], "occupation": 0.95}) > 0.8
    assert model.score({**pairs[0][0], "occupation": 0.05}) < 0.2
    with pytest.raises(ValueError, match="both classes"):
        fit_weights([(pairs[0][0], True)])
