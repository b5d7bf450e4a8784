"""The compiled loops of the embedded index: the same values as the numpy they replace."""

from fractions import Fraction

import numpy as np
import pytest

from matching.index import cosines, kernels
from matching.index.terms import _BM25_CONSTANTS, BM25_B, BM25_K1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_seek_finds_what_searchsorted_finds_from_any_start(seed: int) -> None:
    rng = np.random.default_rng(seed)
    ascending = np.sort(rng.choice(10_000, 700, replace=False)).astype(np.int32)
    for start in (0, 1, 5, 350, 699, 700):
        for value in (-1, 0, *rng.integers(0, 10_001, 60).tolist(), 10_000, 20_000):
            expected = start + int(np.searchsorted(ascending[start:], value))
            assert kernels._seek(ascending, start, value) == expected, (start, value)


def vectorised_bm25(
    weight: float, tfs: np.ndarray, lengths: np.ndarray, avgdl: float
) -> np.ndarray:
    """The formula in numpy, float32 arrays with Python floats (as the index computed it)."""
    norm = BM25_K1 * (1.0 - BM25_B + BM25_B * lengths / avgdl)
    return weight * tfs * (BM25_K1 + 1.0) / (tfs + norm)


@pytest.mark.parametrize("skip_stale", [True, False])
@pytest.mark.parametrize("listed_size", [5, 300, 3000])
def test_bm25_of_one_term_is_the_vectorised_formula_bit_for_bit(
    listed_size: int, skip_stale: bool
) -> None:
    rng = np.random.default_rng(listed_size)
    size = 5000
    rows = np.sort(rng.choice(size, 400, replace=False)).astype(np.int64)
    listed = np.sort(rng.choice(size, listed_size, replace=False)).astype(np.int32)
    tfs = rng.integers(1, 4, listed_size).astype(np.float32)
    doc_len = rng.integers(1, 30, size).astype(np.float32)
    stale = rng.random(size) < 0.1
    weight, avgdl = 1.7318, 11.37

    scores = rng.random(len(rows)).astype(np.float32)  # it adds to what is there
    expected = scores.copy()
    kernels.add_bm25(
        scores, rows, listed, tfs, stale, skip_stale, doc_len, np.float32(weight),
        np.float32(avgdl), _BM25_CONSTANTS,
    )  # fmt: skip

    where = np.searchsorted(listed, rows)
    inside = where < len(listed)
    hit = np.zeros(len(rows), bool)
    hit[inside] = listed[where[inside]] == rows[inside]
    if skip_stale:
        hit &= ~stale[rows]
    at = np.flatnonzero(hit)
    expected[at] += vectorised_bm25(weight, tfs[where[at]], doc_len[rows[at]], avgdl)
    assert len(at) > 0 or listed_size == 5
    np.testing.assert_array_equal(scores, expected)


def exact_sum(row: np.ndarray, query: np.ndarray) -> Fraction:
    products = (Fraction(float(a)) * Fraction(float(b)) for a, b in zip(row, query, strict=True))
    return sum(products, Fraction(0))


def exact_sums(vectors: np.ndarray, rows: np.ndarray, query: np.ndarray) -> list[Fraction]:
    return [exact_sum(vectors[r], query) for r in rows.tolist()]


def test_dot_products_are_within_the_bounds_the_cosines_rely_on() -> None:
    rng = np.random.default_rng(9)
    vectors = rng.standard_normal((500, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    query = vectors[7].copy()
    rows = np.sort(rng.choice(500, 40, replace=False)).astype(np.int64)
    truth = exact_sums(vectors, rows, query)

    single = kernels.dots_float32(vectors, rows, query)
    assert single.dtype == np.float32 and len(single) == len(rows)
    bound = cosines.error_bound(384)
    assert all(abs(Fraction(float(v)) - t) <= bound for v, t in zip(single, truth, strict=True))

    double = kernels.dots_float64(vectors, rows, query.astype(np.float64))
    doubt = 2.0 * 1.01 * 384 * 2.0**-53  # the float64 bound ``cosines.exact`` relies on
    assert all(abs(Fraction(float(v)) - t) <= doubt for v, t in zip(double, truth, strict=True))
    # the rows are read where they lie: not the first rows, not shifted
    np.testing.assert_allclose(double, vectors[rows].astype(np.float64) @ query, atol=1e-12)
