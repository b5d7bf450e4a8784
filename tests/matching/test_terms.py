"""The embedded index's BM25 at chosen rows: the textbook formula, before and after merges."""

import math
import random
from collections import Counter

import numpy as np
import pytest

from matching.index.terms import BM25_B, BM25_K1, Terms

WORDS = ("焊工", "叉车", "收银", "厨师", "电工", "保洁", "司机", "师", "工")


def bm25(docs: dict[int, tuple[str, ...]], tokens: tuple[str, ...], row: int) -> float:
    """BM25 of one document, from the documents themselves."""
    n = len(docs)
    avgdl = sum(len(t) for t in docs.values()) / n
    counts = Counter(docs.get(row, ()))
    total = 0.0
    for token, repeats in Counter(tokens).items():
        df = sum(1 for t in docs.values() if token in t)
        tf = counts[token]
        if not df or not tf:
            continue
        idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
        norm = BM25_K1 * (1.0 - BM25_B + BM25_B * len(docs[row]) / avgdl)
        total += repeats * idf * tf * (BM25_K1 + 1.0) / (tf + norm)
    return total


def some_tokens(rng: random.Random) -> tuple[str, ...]:
    # "师" and "工" in most documents: their lists are longer than the rows asked about
    common = tuple(w for w in ("师", "工") if rng.random() < 0.8)
    return common + tuple(rng.choice(WORDS[:7]) for _ in range(rng.randint(0, 4)))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_scores_at_rows_are_bm25_through_adds_removes_and_merges(seed: int) -> None:
    rng = random.Random(seed)
    docs = {row: some_tokens(rng) for row in range(400)}
    terms = Terms(capacity=600)
    terms.build(list(docs.items()))
    queries = [("焊工", "师"), ("工", "工", "收银"), ("保洁",), ("未知", "电工")]

    def check() -> None:
        live = sorted(docs)
        for query in queries:
            rows = np.array(sorted(rng.sample(live, rng.choice((1, 5, 60, len(live))))))
            scores = terms.score_at(query, len(docs), rows)
            assert scores is not None
            expected = [bm25(docs, query, int(r)) for r in rows]
            np.testing.assert_allclose(scores, expected, rtol=1e-5, atol=1e-6)

    check()
    for step in range(900):  # changes in the recent segment, merged now and then
        row = rng.randrange(600)
        if row in docs and rng.random() < 0.4:
            terms.remove(row, docs.pop(row))
        else:
            if row in docs:
                terms.remove(row, docs[row])
            docs[row] = some_tokens(rng)
            terms.add(row, docs[row])
        if step % 300 == 299:
            terms.merge()
        if step % 150 == 0:
            check()
    check()
    assert terms.score_at(("未知",), len(docs), np.arange(3)) is None
