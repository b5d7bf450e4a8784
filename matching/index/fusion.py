"""Top-k and reciprocal-rank fusion over score arrays, shared by every index backend.

The Elasticsearch backend fuses its two ranked lists here too, so both backends order hybrid
results identically.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

RRF_K = 60  # reciprocal-rank fusion constant of Cormack et al. (2009), as in Elasticsearch


def top_positions(values: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k largest values, best first; ties by position (deterministic)."""
    if k <= 0 or len(values) == 0:
        return np.zeros(0, np.int64)
    picked = np.arange(len(values)) if k >= len(values) else np.argpartition(-values, k - 1)[:k]
    return picked[np.lexsort((picked, -values[picked]))]


def fuse(
    vec: np.ndarray | None, lex: np.ndarray | None, limit: int
) -> tuple[np.ndarray, np.ndarray]:
    """Positions to return and their retrieval scores.

    One signal: its exact top ``limit``. Both: the union of the exact top ``limit`` by cosine and
    by BM25 (documents with a positive BM25 only), ordered by reciprocal-rank fusion — the two
    scales are not comparable, their ranks are.
    """
    if lex is None:
        assert vec is not None
        valid = np.flatnonzero(~np.isnan(vec))
        picked = valid[top_positions(vec[valid], limit)]
        return picked, vec[picked]
    if vec is None:
        picked = top_positions(lex, limit)
        return picked, lex[picked]
    valid = np.flatnonzero(~np.isnan(vec))
    by_vector = valid[top_positions(vec[valid], limit)]
    matched = np.flatnonzero(lex > 0)
    by_text = matched[top_positions(lex[matched], limit)]
    union = np.union1d(by_vector, by_text)
    fused = np.zeros(len(union))
    for ranked in (by_vector, by_text):
        fused[np.searchsorted(union, ranked)] += 1.0 / (RRF_K + np.arange(1, len(ranked) + 1))
    order = np.lexsort((union, -fused))[:limit]
    return union[order], fused[order]


def limits_per_query(limit: int | Sequence[int], queries: Sequence[Any]) -> list[int]:
    return [limit] * len(queries) if isinstance(limit, int) else list(limit)
