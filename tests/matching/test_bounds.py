"""``matching.bounds``: the bounds ranking relies on are never below the score, equal to it
where nothing is left unknown, and list items match as ``rank.matched_terms`` matches them."""

import dataclasses
import math
import random
from datetime import timedelta

import numpy as np
import pytest

from matching.bounds import ListItems, PostingTraits, RoughBounds
from matching.documents import JobseekerDoc, PostingDoc
from matching.index.base import Candidate
from matching.index.embedded import EmbeddedIndex
from matching.matcher import Matcher
from matching.policy import load_default_policy
from matching.priority import PriorityRules, person_boost, posting_reserved
from matching.rank import (
    DEFAULT_WEIGHTS,
    PairContext,
    ScoringModel,
    assess,
    matched_terms,
    occupation_value,
)
from matching.taxonomy import load_taxonomy
from tests.matching.test_bounded_ranking import city, people
from tests.matching.test_matcher import NOW

MODELS = [
    ScoringModel(),
    ScoringModel(weights={**DEFAULT_WEIGHTS, "skills": 0.3, "freshness": 0.0}),
    ScoringModel(weights={**DEFAULT_WEIGHTS, "schedule": -0.8, "pay": -0.4}, bias=-0.3),
]


def occupation_values(seeker: JobseekerDoc, postings: list[PostingDoc]) -> np.ndarray:
    taxonomy = load_taxonomy()
    return np.array([occupation_value(seeker, p.occupation_code, taxonomy) for p in postings])


def pairs(seed: int) -> tuple[list[PostingDoc], list[JobseekerDoc], random.Random]:
    """People and a city whose postings carry pay in several units, requirements, start times
    and lists of skills and certificates, with the index's measures drawn at random."""
    rng = random.Random(seed)
    postings = []
    for posting in city(seed, 120):
        postings.append(
            dataclasses.replace(
                posting,
                salary_unit=rng.choice(("month", "month", "day", "hour")),
                created_at=rng.choice((None, NOW - timedelta(days=rng.uniform(-1, 90)))),
                experience_years=rng.choice((None, 0, 1, 4)),
            )
        )
    seekers = [
        dataclasses.replace(s, experience_years=rng.choice((None, 0, 2, 5)))
        for s in people(seed, 25)
    ]
    return postings, seekers, rng


def nan_if_none(value: float | None) -> float:
    return math.nan if value is None else value


@pytest.mark.parametrize("model", MODELS, ids=["default", "reweighted", "logistic-negative"])
@pytest.mark.parametrize("seed", [1, 2])
def test_the_bound_is_never_below_the_score_and_tight_without_a_start(
    model: ScoringModel, seed: int
) -> None:
    taxonomy, policy, rules = load_taxonomy(), load_default_policy(), PriorityRules()
    postings, seekers, rng = pairs(seed)
    traits = PostingTraits(
        aims=lambda p: posting_reserved(policy, p) | frozenset(p.event_target_groups)
    )
    below, loose = [], []
    for seeker in seekers:
        candidates = {
            p.id: Candidate(
                id=p.id,
                score=0.0,
                lexical=rng.choice((0.0, 3.0, 12.0)),
                vector=rng.choice((None, 0.2, 0.7, -0.1)),
                travel_minutes=rng.choice((None, 5.0, 20.0)),
            )
            for p in postings
        }
        bounds = RoughBounds(
            model=model,
            boost=rules.targeted_boost,
            traits=traits,
            seeker=seeker,
            postings=postings,
            lexical=np.array([candidates[p.id].lexical for p in postings]),
            cosine=np.array([nan_if_none(candidates[p.id].vector) for p in postings]),
            minutes=np.array([nan_if_none(candidates[p.id].travel_minutes) for p in postings]),
            occupation=occupation_values(seeker, postings),
            max_minutes=15.0,
            now=NOW,
        ).bounds
        for posting, bound in zip(postings, bounds, strict=True):
            c = candidates[posting.id]
            context = PairContext(
                lexical=c.lexical,
                vector=c.vector,
                travel_minutes=c.travel_minutes,
                travel_mode="walk",
                travel_limit=15.0,
            )
            features = assess(seeker, posting, context, taxonomy=taxonomy, now=NOW).features
            score = min(
                1.0, model.score(features) + person_boost(policy, posting, seeker, rules)[0]
            )
            if bound < score - 1e-12:
                below.append((seeker.id, posting.id, bound, score))
            known = posting.starts_at is None and c.vector is not None and c.travel_minutes
            if known and abs(bound - score) > 1e-9:
                loose.append((seeker.id, posting.id, bound, score))
    assert below == []
    assert loose == []


def test_list_items_match_as_matched_terms() -> None:
    words = [
        "焊工",
        "氩弧焊",
        "氩弧焊接",
        "焊",
        "电焊",
        "ＣＡＤ",
        "cad",
        "CAD制图",
        " 叉车 ",
        "",
        "a",
        "ab",
    ]
    rng = random.Random(3)
    traits = PostingTraits(aims=lambda p: ())
    postings = []
    for i in range(60):
        skills = tuple(rng.choice(words) for _ in range(rng.randint(0, 4)))
        postings.append(dataclasses.replace(city(1, 1)[0], id=f"q{i}", skills=skills))
    rows = traits.rows_of(postings)
    for _ in range(40):
        held = tuple(rng.choice(words) for _ in range(rng.randint(0, 3)))
        holds = traits.items.held(held)
        counts = holds[traits.lists["skills"][rows]].sum(axis=1)
        expected = [len(matched_terms(p.skills, held)) for p in postings]
        assert counts.tolist() == expected, held
    # a posting changed in place (a new document under the same id) is read again
    changed = dataclasses.replace(postings[0], skills=("新技能",))
    row = traits.rows_of([changed])[0]
    assert traits.items.held(("新技能",))[traits.lists["skills"][row]].sum() == 1


def test_a_table_kept_across_matches_gives_the_bounds_a_fresh_one_gives() -> None:
    """Rows found by address and by id, documents replaced under the same id, lists wider
    than any before, requirements and list items never seen: the same bounds as a table
    that reads every posting for the first time."""
    policy, model, rules = load_default_policy(), ScoringModel(), PriorityRules()
    postings, seekers, rng = pairs(3)

    def aims(p: PostingDoc) -> frozenset[str]:
        return posting_reserved(policy, p) | frozenset(p.event_target_groups)

    kept = PostingTraits(aims=aims)
    current = {p.id: p for p in postings}
    for step, seeker in enumerate(seekers):
        if step % 3 == 0:
            kept._sort()  # later rows are found by address
        for posting in rng.sample(list(current.values()), 8):
            current[posting.id] = dataclasses.replace(
                posting,
                skills=(*posting.skills, f"新技能{step}", "焊")[: rng.randint(0, 7)],
                experience_years=rng.choice((None, 2, 7 + step)),
                employment_type=rng.choice(("full_time", f"kind{step % 4}")),
                starts_at=rng.choice((None, NOW + timedelta(hours=step))),
            )
        offered = rng.sample(list(current.values()), 60)
        offered.append(offered[0])  # a document listed twice
        n = len(offered)
        measures = dict(
            model=model,
            boost=rules.targeted_boost,
            # the same list again while postings bring words it holds (新技能 ⊂ 新技能4)
            seeker=dataclasses.replace(seeker, skills=("新技能",)) if step % 2 else seeker,
            postings=offered,
            lexical=np.array([rng.choice((0.0, 5.0)) for _ in range(n)]),
            cosine=np.array([rng.choice((math.nan, 0.4)) for _ in range(n)]),
            minutes=np.array([rng.choice((math.nan, 9.0)) for _ in range(n)]),
            occupation=occupation_values(seeker, offered),
            max_minutes=20.0,
            now=NOW,
        )
        fresh = RoughBounds(traits=PostingTraits(aims=aims), **measures).bounds
        again = RoughBounds(traits=kept, **measures).bounds
        assert again.tolist() == fresh.tolist(), step


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_words_a_key_holds_are_found_as_numpy_finds_them(seed: int) -> None:
    rng = random.Random(seed)
    items = ListItems()
    letters = "焊工氩弧叉车ab"
    for _ in range(300):
        items.id_of("".join(rng.choice(letters) for _ in range(rng.randint(1, 5))))
    keys = ["".join(rng.choice(letters) for _ in range(rng.randint(1, 6))) for _ in range(60)]
    keys += ["焊" * 70, "焊\x00工", "a"]  # too long to cut, the separator, one character
    for key in keys:
        start = rng.choice((0, 0, 150))
        expected = np.flatnonzero(ListItems._matches(key, np.array(items.words[start:]))) + start
        assert items._holds(key, start).tolist() == expected.tolist(), (key, start)


def test_the_matchers_occupation_tables_give_rank_occupation_value() -> None:
    """Values kept by occupation code per list of desired occupations, through new codes met
    after a table was made and people with other lists."""
    matcher = Matcher(EmbeddedIndex(), load_taxonomy(), load_default_policy())
    postings, seekers, _ = pairs(3)
    codes = sorted({p.occupation_code for p in postings if p.occupation_code})
    assert len(codes) > 5
    renamed = [dataclasses.replace(p, id=f"{p.id}-n", occupation_code=None) for p in postings[:9]]
    batches = [postings[:40], postings[40:] + renamed, postings[::-1]]
    for batch in batches:
        for seeker in [*seekers[:8], dataclasses.replace(seekers[0], desired_occupations=())]:
            rows = matcher.traits.rows_of(batch)
            np.testing.assert_array_equal(
                matcher._occupation_values(seeker, rows), occupation_values(seeker, batch)
            )
    assert None in matcher.traits.occupation_codes
