"""Cosines whose value does not depend on which other rows were computed with them.

A BLAS product sums each dot product in an order that depends on the shape of the whole
product (its blocking, threads, the kernel for the last rows), so the same (row, query) pair
can differ in its last float32 bit between a query over 700 rows and one over 20,000, or
between one query and a block of them. Ranking on such values would make a person's matches
depend on who else was in the block. So the index ranks on the correctly rounded float32 value
of each exact dot product, and computes it only where it can matter:

- ``approximate``: any fast float32 product. Its error is at most ``error_bound`` (the standard
  bound γ_K·Σ|x·q| for any summation order, with the unit vectors documents carry).
- ``settle``: of a query's rows, only those whose approximate cosine comes within three error
  bounds of the limit-th best can be among the limit best exact cosines (the rest are at least
  one bound below every one of them, far more than a float32 step); these get exact values,
  the rest are kept out of the running.
- ``exact``: the product in float64 (float32 products are exact there), rounded to float32; the
  rare value that lies too close to a rounding boundary to be sure is summed in rationals.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from matching.index.table import Table

# Documents carry unit vectors (``documents.unit_vector`` leaves a norm within 1e-3 of one), so
# Σ|x·q| ≤ |x|·|q| is below 1.003; twice that covers it with room.
NORM_SLACK = 2.0


def error_bound(dim: int) -> float:
    """Largest difference between a float32 dot product of ``dim`` terms, summed in any order,
    and the exact one, for the unit vectors the index holds."""
    unit = float(np.finfo(np.float32).eps) / 2.0
    return NORM_SLACK * dim * unit / (1.0 - dim * unit)


def approximate(table: Table, rows: np.ndarray, vector: np.ndarray, gather: bool) -> np.ndarray:
    """Cosines of ``rows`` with one unit query vector by one float32 product (NaN for rows
    without a vector): over the gathered rows, or over every row when most are wanted.

    The chosen rows go through a compiled loop that reads them in place (``kernels``), not
    BLAS: the product is bound by memory, and OpenBLAS's threads, on a machine whose other
    core is busy, made the same product 20–40 times slower."""
    from matching.index import kernels  # numba, imported by the first query that needs it

    vectors = table.vectors
    assert vectors is not None
    if gather:
        scores = kernels.dots_float32(vectors, rows, vector)
    else:
        scores = (vectors[: table.size] @ vector)[rows]
    scores[~table.col("has_vec")[rows]] = np.nan
    return scores


class Exact:
    """The exact cosines of one query vector, each row's computed once within a call (a
    match's two queries, and a query's ordering and its candidates, share them). The rows
    computed so far are kept sorted, with their values: a few hundred per query, where arrays
    over the whole table would cost more to allocate than to fill."""

    def __init__(self, table: Table, vector: np.ndarray) -> None:
        self.table, self.vector = table, vector
        self.rows = np.zeros(0, np.int64)
        self.values = np.zeros(0, np.float32)

    def of(self, rows: np.ndarray) -> np.ndarray:
        out = np.empty(len(rows), np.float32)
        known = np.zeros(len(rows), bool)
        if len(self.rows):
            where = np.minimum(np.searchsorted(self.rows, rows), len(self.rows) - 1)
            known = self.rows[where] == rows
            out[known] = self.values[where[known]]
        if not known.all():
            asked = rows[~known]
            missing = np.sort(asked)  # the rows a query asks about are distinct
            fresh = exact(self.table, missing, self.vector)
            out[~known] = fresh[np.searchsorted(missing, asked)]
            merged = np.concatenate([self.rows, missing])
            order = np.argsort(merged, kind="stable")
            self.rows, self.values = merged[order], np.concatenate([self.values, fresh])[order]
        return out


def settle(rows: np.ndarray, approx: np.ndarray, cosines: Exact, limit: int) -> np.ndarray:
    """``approx`` with exact cosines where a row could be among the ``limit`` best, and -inf
    (valid, never chosen) elsewhere; NaN stays NaN."""
    valid = ~np.isnan(approx)
    settled = np.where(valid, -np.inf, np.nan).astype(np.float32)
    count = int(valid.sum())
    if limit <= 0 or count == 0:
        return settled
    near = valid
    if count > limit:
        kth = np.partition(approx[valid], count - limit)[count - limit]
        near = valid & (approx >= kth - 3.0 * error_bound(len(cosines.vector)))
    settled[near] = cosines.of(rows[near])
    return settled


def exact(table: Table, rows: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """The correctly rounded float32 cosine of each row with ``vector`` (NaN without one)."""
    if table.vectors is None or len(rows) == 0:
        return np.full(len(rows), np.nan, np.float32)
    from matching.index import kernels

    q = vector.astype(np.float64)
    wide = kernels.dots_float64(table.vectors, rows, q)
    # float64 error of that sum, for any order (Σ|x·q| ≤ |x|·|q|, under NORM_SLACK for the
    # unit vectors the index holds); the float32 rounding is sure beyond it
    doubt = NORM_SLACK * 1.01 * len(q) * 2.0**-53
    rounded = wide.astype(np.float32)
    here = rounded.astype(np.float64)
    down = np.nextafter(rounded, np.float32(-np.inf)).astype(np.float64)
    up = np.nextafter(rounded, np.float32(np.inf)).astype(np.float64)
    unsure = (np.abs(wide - (here + down) / 2) <= doubt) | (np.abs(wide - (here + up) / 2) <= doubt)
    for i in np.flatnonzero(unsure).tolist():
        rounded[i] = _rounded_exactly(table.vectors[rows[i]], vector)
    rounded[~table.col("has_vec")[rows]] = np.nan
    return rounded


def _rounded_exactly(row: np.ndarray, vector: np.ndarray) -> np.float32:
    """The dot product summed exactly, rounded to the nearest float32 (ties to even).

    Each float32 product is exact in float64; written as an integer mantissa times a power of
    two, the products add up exactly as Python integers over their smallest exponent (one
    integer sum instead of hundreds of fractions)."""
    products = row.astype(np.float64) * vector.astype(np.float64)
    mantissas, exponents = np.frexp(products)
    integers = np.ldexp(mantissas, 53).astype(np.int64).tolist()  # exact: 53-bit mantissas
    powers = (exponents.astype(np.int64) - 53).tolist()
    lowest = min(powers)
    scaled = sum(m << (e - lowest) for m, e in zip(integers, powers, strict=True))
    total = Fraction(scaled) * Fraction(2) ** lowest
    guess = np.float32(float(total))
    options = (
        np.nextafter(guess, np.float32(-np.inf)),
        guess,
        np.nextafter(guess, np.float32(np.inf)),
    )

    def distance(value: np.float32) -> tuple[Fraction, int]:
        return abs(Fraction(float(value)) - total), int(value.view(np.uint32)) & 1

    return min(options, key=distance)
