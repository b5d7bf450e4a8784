"""The embedded index's cosines: correctly rounded, whatever rows they are computed with."""

from fractions import Fraction

import numpy as np

from matching.index import cosines
from matching.index.table import POSTING_COLUMNS, Table


def table_of(vectors: np.ndarray, without: tuple[int, ...] = ()) -> Table:
    table = Table(POSTING_COLUMNS)
    table.reserve(len(vectors))
    for row, vector in enumerate(vectors):
        table.write(row, {"alive": True}, None if row in without else vector)
    table.size = len(vectors)
    return table


def unit_rows(n: int, dim: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    rows = rng.standard_normal((n, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def rational_cosine(row: np.ndarray, vector: np.ndarray) -> float:
    total = sum(Fraction(float(a)) * Fraction(float(b)) for a, b in zip(row, vector, strict=True))
    return float(np.float32(float(total)))


def test_exact_cosines_are_the_rounded_rational_sums_and_ignore_the_other_rows() -> None:
    vectors = unit_rows(3000, 64, 1)
    table, query = table_of(vectors, without=(5,)), unit_rows(1, 64, 2)[0]
    everything = cosines.exact(table, np.arange(3000), query)
    assert np.isnan(everything[5])
    for row in (0, 1, 2, 777, 2999):
        assert everything[row] == rational_cosine(vectors[row], query)
    rng = np.random.default_rng(3)
    for size in (1, 3, 17, 400):
        rows = np.sort(rng.choice(3000, size, replace=False))
        np.testing.assert_array_equal(cosines.exact(table, rows, query), everything[rows])


def test_a_value_near_a_rounding_boundary_is_summed_in_rationals() -> None:
    # 1 + 2^-24 lies exactly halfway between two float32 values: ties go to the even one.
    row = np.array([1.0, 2.0**-12, 0.0], np.float32)
    query = np.array([1.0, 2.0**-12, 0.0], np.float32)
    table = table_of(np.array([row]))
    assert cosines.exact(table, np.array([0]), query)[0] == np.float32(1.0)
    nudged = np.array([1.0, 2.0**-12, 2.0**-20], np.float32)
    table = table_of(np.array([nudged]))
    above = np.nextafter(np.float32(1.0), np.float32(2.0))
    assert cosines.exact(table, np.array([0]), nudged)[0] == above


def test_settle_makes_the_top_exact_and_leaves_the_rest_out() -> None:
    vectors = unit_rows(5000, 384, 4)
    table, query = table_of(vectors), unit_rows(1, 384, 5)[0]
    rows = np.arange(0, 5000, 2)
    approx = cosines.approximate(table, rows, query, gather=True)
    settled = cosines.settle(rows, approx, cosines.Exact(table, query), 50)
    truth = cosines.exact(table, rows, query)
    top = np.argsort(-truth, kind="stable")[:50]
    assert set(np.argsort(-settled, kind="stable")[:50]) == set(top)
    np.testing.assert_array_equal(settled[top], truth[top])
    exact_count = int(np.isfinite(settled).sum())
    assert 50 <= exact_count < 80  # a few rows near the 50th, not all of them


def test_the_exact_sum_matches_the_rational_one_with_ties_and_tiny_terms() -> None:
    rng = np.random.default_rng(6)
    cases = [tuple(unit_rows(2, 384, seed)) for seed in range(7, 27)]
    wide = rng.standard_normal(384).astype(np.float32) * np.float32(2.0**-70)
    cases.append((wide, unit_rows(1, 384, 30)[0]))  # terms spanning many binary exponents
    # just above a tie: rounding to float64 first would land on the tie and go to the even side
    halfway = np.array([1.0, 2.0**-12, 0.0, 2.0**-60], np.float32)
    cases.append((halfway, np.array([1.0, 2.0**-12, 0.0, 1.0], np.float32)))
    cases.append((np.array([1.0, 2.0**-12], np.float32), np.array([1.0, 2.0**-12], np.float32)))
    for row, vector in cases:
        expected = np.float32(rational_cosine(row, vector))
        pairs = zip(row.tolist(), vector.tolist(), strict=True)
        total = sum(Fraction(a) * Fraction(b) for a, b in pairs)
        below, above = np.nextafter(expected, np.float32(-1)), np.nextafter(expected, np.float32(2))
        # the rational reference rounds twice (to float64, then float32): settle ties directly
        nearest = min(
            (below, expected, above),
            key=lambda v: (abs(Fraction(float(v)) - total), int(v.view(np.uint32)) & 1),
        )
        assert cosines._rounded_exactly(row, vector) == nearest
    above_one = np.nextafter(np.float32(1.0), np.float32(2.0))
    assert cosines._rounded_exactly(cases[-2][0], cases[-2][1]) == above_one
    assert cosines._rounded_exactly(cases[-1][0], cases[-1][1]) == np.float32(1.0)
