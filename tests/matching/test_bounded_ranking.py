"""Ranking a person's candidates by bound: the same top k as assessing every candidate.

``Matcher.rank_postings`` assesses candidates best bound first and stops once no bound can
reach the k-th score. These tests compare it with the plain way (assess all, sort) on a
varied city; ``test_bounds.py`` checks the bounds themselves.
"""

import random
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest

from matching.documents import GroupMembership, JobseekerDoc, PostingDoc
from matching.index.base import Candidate
from matching.matcher import PostingMatch
from matching.priority import may_offer
from tests.matching.test_matcher import NOW, matcher, north

CODES = ("6-18-02-04", "6-18-02-01", "6-18-01-01", "6-25-01-00", "4-03-02-01", "2-02-07-05")
SKILLS = ("氩弧焊", "电焊", "焊接", "叉车", "收银", "烹饪", "驾驶", "焊")
CERTS = ("焊工证", "叉车证", "健康证", "C1驾照")
TYPES = ("full_time", "part_time", "gig", "public_welfare")
GROUPS = ("veteran", "employment_difficulty", "graduate", "zero_employment_household")


def some(rng: random.Random, items: tuple[str, ...], most: int) -> tuple[str, ...]:
    return tuple(rng.sample(items, rng.randint(0, most)))


def city(seed: int, n_postings: int = 400) -> list[PostingDoc]:
    rng = random.Random(seed)
    postings = []
    for i in range(n_postings):
        lat, lon = north(rng.uniform(-3.0, 3.0))
        kind = rng.choice(TYPES)
        starts = NOW + timedelta(hours=rng.randint(1, 200)) if kind == "gig" else None
        fields: dict[str, Any] = dict(
            employer_id=f"e{i % 17}",
            title="招聘" + rng.choice(("焊工", "叉车司机", "收银员", "厨师")),
            occupation_code=rng.choice((*CODES, None)),
            adcode="420102",
            lat=lat,
            lon=lon + rng.uniform(-0.02, 0.02),
            location_precision=rng.choice(("point", "point", "point", "district")),
            salary_min=rng.choice((None, 3000, 5000, 7000)),
            salary_max=rng.choice((None, 6000, 9000)),
            employment_type=kind,
            starts_at=starts,
            skills=some(rng, SKILLS, 3),
            certificates=some(rng, CERTS, 2),
            education=rng.choice((None, "none", "senior_high", "bachelor")),
            experience_years=rng.choice((None, 0, 1, 3)),
            created_at=NOW - timedelta(days=rng.uniform(0, 40)),
            tokens=some(rng, ("焊工", "氩弧焊", "叉车", "收银", "厨师", "司机"), 3),
            reserved_for=("employment_difficulty",) if kind == "public_welfare" else (),
            event_ids=("fair",) if rng.random() < 0.1 else (),
            event_target_groups=(rng.choice(GROUPS),) if rng.random() < 0.1 else (),
        )
        postings.append(PostingDoc(id=f"p{i:03d}", **fields))
    return postings


def people(seed: int, n: int = 40) -> list[JobseekerDoc]:
    rng = random.Random(seed + 1)
    found = []
    for i in range(n):
        lat, lon = north(rng.uniform(-2.0, 2.0))
        found.append(
            JobseekerDoc(
                id=f"s{i:02d}",
                desired_occupations=some(rng, CODES, 2),
                skills=some(rng, SKILLS, 3),
                certificates=some(rng, CERTS, 2),
                salary_expectation=rng.choice((None, 4000, 6000, 8000)),
                employment_types=some(rng, TYPES[:3], 2),
                available_weekdays=some(rng, (1, 2, 3, 4, 5, 6, 7), 4),  # type: ignore[arg-type]
                available_day_parts=some(rng, ("morning", "evening"), 1),
                education=rng.choice((None, "junior_high", "bachelor")),
                experience_years=rng.choice((None, 0, 2, 5)),
                lat=lat,
                lon=lon,
                travel_mode=rng.choice(("walk", "ebike", None)),
                travel_max_minutes=rng.choice((None, 15.0, 30.0)),
                groups=tuple(GroupMembership(g) for g in some(rng, GROUPS, 2)),
                tokens=some(rng, ("焊工", "氩弧焊", "叉车", "收银", "厨师"), 2),
            )
        )
    return found


def _merge(*lists: Sequence[Candidate]) -> dict[str, Candidate]:
    """The candidates of several lists by id, the first seen kept."""
    merged: dict[str, Candidate] = {}
    for candidates in lists:
        for candidate in candidates:
            merged.setdefault(candidate.id, candidate)
    return merged


async def every_candidate_assessed(m: Any, seeker: JobseekerDoc, limit: int) -> list[PostingMatch]:
    """What ``postings_for`` returned before bounds: every retrieved candidate assessed."""
    queries, limits, mode, max_minutes = m._posting_queries(seeker, now=NOW)
    candidates = _merge(*await m.index.search_postings_many(queries, limit=limits))
    results = []
    for posting in await m.index.get_postings(list(candidates)):
        if may_offer(m.policy, posting, seeker.group_codes):
            context = m._context(candidates[posting.id], seeker, posting, mode, max_minutes)
            results.append(m._posting_match(seeker, posting, context, NOW))
    results.sort(key=lambda r: (-r.score, r.travel_minutes or 0.0, r.posting_id))
    return results[:limit]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("limit", [1, 5, 20])
async def test_bounded_ranking_returns_what_assessing_everything_returns(
    seed: int, limit: int
) -> None:
    m = await matcher(*city(seed))
    m.pool = 60  # a pool smaller than the city, so retrieval still chooses
    compared = 0
    for seeker in people(seed):
        expected = await every_candidate_assessed(m, seeker, limit)
        assert await m.postings_for(seeker, limit=limit, now=NOW) == expected
        compared += len(expected)
    assert compared > 10 * limit  # the people found postings to compare
