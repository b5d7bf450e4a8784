"""A block of people matched at once (``Matcher.postings_for_many``, a match run's batch) gets
what each of them gets alone from ``postings_for``.

The city is the varied one of ``test_bounded_ranking`` (reserved posts, events aimed at groups,
gigs, vague locations, missing codes and pay), with vectors added so that cosines take part,
and some people sharing their place, groups or tokens so that a block shares work between them.
"""

import dataclasses
import random

import numpy as np
import pytest

from matching.documents import JobseekerDoc, PostingDoc
from matching.matcher import Matcher
from matching.rank import DEFAULT_WEIGHTS, ScoringModel
from tests.matching.test_bounded_ranking import city, every_candidate_assessed, people
from tests.matching.test_matcher import NOW, matcher

DIM = 384  # as the default model: long sums, where BLAS summation orders differ


def with_vectors(docs: list, seed: int, share: float = 0.8) -> list:
    """Unit vectors for most documents (some keep none), drawn near a few directions so that
    cosines are spread out rather than all near zero."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((4, DIM)).astype(np.float32)
    out = []
    for doc in docs:
        if rng.random() > share:
            out.append(doc)
            continue
        vector = centres[rng.integers(0, 4)] + 0.7 * rng.standard_normal(DIM).astype(np.float32)
        out.append(dataclasses.replace(doc, vector=vector / np.linalg.norm(vector)))
    return out


def crowd(seed: int, n: int = 40) -> list[JobseekerDoc]:
    """The varied people, plus copies that share a place, groups and tokens with another person
    but not the rest (what a station's block looks like)."""
    found = with_vectors(people(seed, n), seed + 100)
    rng = random.Random(seed)
    for i in range(n // 4):
        twin = rng.choice(found)
        other = rng.choice(found)
        found.append(
            dataclasses.replace(
                other, id=f"t{i:02d}", lat=twin.lat, lon=twin.lon, groups=twin.groups
            )
        )
    return found


async def varied_matcher(seed: int) -> Matcher:
    postings: list[PostingDoc] = with_vectors(city(seed), seed)
    m = await matcher(*postings)
    m.pool = 60  # smaller than the city, so retrieval still chooses
    return m


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
async def test_a_block_gets_what_each_person_gets_alone(seed: int) -> None:
    m = await varied_matcher(seed)
    block = crowd(seed)
    rng = random.Random(seed)
    limits = [rng.choice((1, 3, 10, 25)) for _ in block]
    together = await m.postings_for_many(block, limit=limits, now=NOW)
    alone = [await m.postings_for(p, limit=k, now=NOW) for p, k in zip(block, limits, strict=True)]
    assert together == alone
    assert sum(len(found) for found in alone) > 5 * len(block)  # there was something to compare
    # and the block's order does not matter
    backwards = await m.postings_for_many(block[::-1], limit=limits[::-1], now=NOW)
    assert backwards[::-1] == alone


async def test_one_limit_for_all_and_an_empty_block() -> None:
    m = await varied_matcher(5)
    block = crowd(5, 12)
    together = await m.postings_for_many(block, limit=10, now=NOW)
    assert together == [await m.postings_for(p, limit=10, now=NOW) for p in block]
    assert await m.postings_for_many([], limit=10, now=NOW) == []
    with pytest.raises(ValueError):
        await m.postings_for_many(block, limit=[10], now=NOW)


@pytest.mark.parametrize(
    "model",
    [
        ScoringModel(weights={**DEFAULT_WEIGHTS, "occupation": 0.5, "travel": 0.0}),
        # A fitted logistic model may carry negative weights, on measured features too.
        ScoringModel(weights={**DEFAULT_WEIGHTS, "vector": -0.6, "skills": -0.4}, bias=-0.3),
    ],
    ids=["reweighted", "logistic-negative"],
)
@pytest.mark.parametrize("limit", [1, 5])
async def test_the_rough_bound_drops_no_candidate_that_belongs(
    model: ScoringModel, limit: int
) -> None:
    """Ranking by bounds returns what assessing every candidate returns, for other models too
    (the rough bound maps its weighted total to a score as the model does)."""
    m = await varied_matcher(6)
    m.model = model
    for seeker in crowd(6):
        expected = await every_candidate_assessed(m, seeker, limit)
        assert await m.postings_for(seeker, limit=limit, now=NOW) == expected


async def test_a_block_after_writes_sees_them() -> None:
    """A block searches postings by latitude with an order kept between calls: postings moved,
    added or removed since must be found where they are now."""
    m = await varied_matcher(6)
    block = crowd(6)
    await m.postings_for_many(block, limit=10, now=NOW)  # the order is made and kept
    postings = await m.index.get_postings([f"p{i:03d}" for i in range(200)])
    assert len(postings) > 20
    near = block[0]
    moved = dataclasses.replace(postings[0], lat=near.lat, lon=near.lon)
    added = dataclasses.replace(postings[1], id="new", lat=near.lat, lon=near.lon)
    table = m.index._postings  # stored documents come back without vectors: take them there
    vector = table.vectors[table.row_of[postings[0].id]].copy()
    for doc in (moved, added):
        await m.index.upsert_posting(dataclasses.replace(doc, vector=vector))
    await m.index.delete_posting(postings[2].id)
    together = await m.postings_for_many(block, limit=25, now=NOW)
    alone = [await m.postings_for(p, limit=25, now=NOW) for p in block]
    assert together == alone
    found = {match.posting_id for matches in alone for match in matches}
    assert {"new", moved.id} <= found and postings[2].id not in found
