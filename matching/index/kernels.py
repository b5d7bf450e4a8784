"""Compiled loops (numba) for the embedded index's per-query work over chosen rows.

Gathering a few thousand rows of the vector matrix and then multiplying them copies every row
twice; these loops read each row once, in place. Each is compiled on first use and cached on
disk beside this module (``cache=True``), so a process pays the compilation once per install.

The dot products may sum in any order (``fastmath`` allows reassociation and fused
multiply-adds, so the loop is vectorised): ``cosines`` bounds their error for any summation
order and never relies on a particular one.
"""

from __future__ import annotations

import numba
import numpy as np

# Reassociation (vectorised sums) and fused multiply-adds only: no assumption that values are
# finite, no flushing of subnormals, no approximate reciprocals.
_SUMS_IN_ANY_ORDER = {"reassoc", "contract"}


@numba.njit(cache=True, nogil=True, fastmath=_SUMS_IN_ANY_ORDER)
def dots_float32(vectors: np.ndarray, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
    """``vectors[rows] @ query`` in float32, without copying the rows."""
    out = np.empty(len(rows), np.float32)
    width = vectors.shape[1]
    for i in range(len(rows)):
        row = rows[i]
        total = np.float32(0.0)
        for j in range(width):
            total += vectors[row, j] * query[j]
        out[i] = total
    return out


@numba.njit(cache=True, nogil=True, fastmath=_SUMS_IN_ANY_ORDER)
def dots_float64(vectors: np.ndarray, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
    """``vectors[rows] @ query`` with each float32 product and the sum in float64 (a float32
    product is exact in float64), without copying the rows. ``query`` is float64."""
    out = np.empty(len(rows), np.float64)
    width = vectors.shape[1]
    for i in range(len(rows)):
        row = rows[i]
        total = 0.0
        for j in range(width):
            total += np.float64(vectors[row, j]) * query[j]
        out[i] = total
    return out


@numba.njit(cache=True, nogil=True)
def _seek(ascending: np.ndarray, start: int, value: int) -> int:
    """The first position from ``start`` whose value is not below ``value``: steps of 1, 2,
    4... until one passes it, then a binary search within the last step (cheap when the
    answer is near, as it is while two sorted lists are merged)."""
    n = len(ascending)
    if start >= n or ascending[start] >= value:
        return start
    low, step = start, 1  # ascending[low] < value
    while low + step < n and ascending[low + step] < value:
        low += step
        step *= 2
    high = min(low + step, n)  # ascending[high] >= value, or high == n
    while high - low > 1:
        middle = (low + high) // 2
        if ascending[middle] < value:
            low = middle
        else:
            high = middle
    return high


@numba.njit(cache=True, nogil=True)
def _common(short: np.ndarray, long: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions in ``short`` and in ``long`` (both ascending, distinct) of the values both
    hold: each of ``short``'s values sought in ``long`` from where the last search ended."""
    in_short = np.empty(len(short), np.int64)
    in_long = np.empty(len(short), np.int64)
    found, lo = 0, 0
    for k in range(len(short)):
        lo = _seek(long, lo, short[k])
        if lo >= len(long):
            break
        if long[lo] == short[k]:
            in_short[found], in_long[found] = k, lo
            found += 1
    return in_short[:found], in_long[:found]


@numba.njit(cache=True, nogil=True)
def add_bm25(
    scores: np.ndarray,
    rows: np.ndarray,
    listed: np.ndarray,
    tfs: np.ndarray,
    stale: np.ndarray,
    skip_stale: bool,
    doc_len: np.ndarray,
    weight: np.float32,
    avgdl: np.float32,
    constants: np.ndarray,
) -> None:
    """Add one term's BM25 to ``scores`` (aligned with ``rows``) at the rows that are among
    ``listed`` (the term's rows, ascending; ``tfs`` their frequencies), except ``stale`` ones
    when ``skip_stale``.

    The shorter of the two row lists is walked and searched in the other (``_common``). Every
    operation is float32, in the order of the vectorised formula
    ``norm = k1 · ((1 − b) + b·len/avgdl)``, ``weight·tf·(k1 + 1) / (tf + norm)``, with
    ``constants`` = float32 (k1, 1 − b, b, k1 + 1), so that both give the same value."""
    k1, one_minus_b, b, plus_one = constants[0], constants[1], constants[2], constants[3]
    if len(listed) > len(rows):
        at_rows, at_listed = _common(rows, listed)
    else:
        at_listed, at_rows = _common(listed, rows)
    for m in range(len(at_rows)):
        i = at_rows[m]
        row = rows[i]
        if skip_stale and stale[row]:
            continue
        tf = tfs[at_listed[m]]
        norm = k1 * (one_minus_b + b * doc_len[row] / avgdl)
        scores[i] += weight * tf * plus_one / (tf + norm)
