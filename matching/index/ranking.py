"""The embedded index's retrieval over the rows a query's filters selected: BM25 and exact
cosines, fused or ordered by distance or recency, turned into candidates; facet counts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from matching.documents import EMPLOYMENT_TYPES, unit_vector
from matching.index import cosines
from matching.index.base import FacetCount, Facets, JobseekerQuery, PostingQuery
from matching.index.candidates import CandidateList
from matching.index.fusion import fuse, top_positions
from matching.index.table import Table

# Below this share of rows, gathering the selected vectors first beats one product over all rows.
GATHER_FRACTION = 0.3


@dataclass(frozen=True)
class Selection:
    """Rows passing a query's filters (ascending), with each row's travel minutes and modes
    when it had a place (``modes``: one mode for all, or a mode code per row)."""

    rows: np.ndarray
    minutes: np.ndarray | None
    modes: np.ndarray | str | None
    origin: tuple[float, float, bool] | None


class AtRows:
    """Values known at a sorted set of rows (the union of the queries that share them),
    read at any subset of those rows."""

    def __init__(self, rows: np.ndarray, values: np.ndarray) -> None:
        self.rows, self.values = rows, values

    def at(self, rows: np.ndarray) -> np.ndarray:
        if rows is self.rows:
            return self.values
        return self.values[np.searchsorted(self.rows, rows)]


def _shared_rows(
    queries: Sequence[PostingQuery | JobseekerQuery],
    selections: list[Selection],
    key: Callable[[PostingQuery | JobseekerQuery], Any],
    size: int,
) -> dict[Any, np.ndarray]:
    """For each distinct key (None skipped), the union of the rows of its queries."""
    wanted: dict[Any, list[np.ndarray]] = {}
    for query, selection in zip(queries, selections, strict=True):
        k = key(query)
        if k is not None:
            wanted.setdefault(k, []).append(selection.rows)
    return {k: sets[0] if len(sets) == 1 else _union(sets, size) for k, sets in wanted.items()}


def retrieve(
    table: Table,
    queries: Sequence[PostingQuery | JobseekerQuery],
    selections: list[Selection],
    limits: Sequence[int],
    newest: str,
) -> list[CandidateList]:
    """Top candidates of each query. BM25 is computed once per distinct token list, at the
    union of its queries' rows; cosines first approximately, once per distinct vector over the
    union of its queries' rows, then exactly where they decide or are returned (``cosines``),
    so a query's candidates do not depend on the other queries asked with it."""
    if table.vectors is not None:
        for query in queries:
            if query.vector is not None and len(query.vector) != table.dim:
                raise ValueError(
                    f"query vector has {len(query.vector)} dimensions, the index {table.dim}"
                )
    lexical: dict[tuple[str, ...], AtRows | None] = {}
    for tokens, rows in _shared_rows(
        queries, selections, lambda q: q.tokens or None, table.size
    ).items():
        scores = table.terms.score_at(tokens, table.live, rows)
        lexical[tokens] = None if scores is None else AtRows(rows, scores)

    def vector_key(query: PostingQuery | JobseekerQuery) -> bytes | None:
        if query.sort != "relevance" or table.vectors is None or query.vector is None:
            return None
        return unit_vector(query.vector).tobytes()

    approx: dict[bytes, AtRows] = {}
    for key, rows in _shared_rows(queries, selections, vector_key, table.size).items():
        gather = len(rows) < GATHER_FRACTION * table.size
        vector = np.frombuffer(key, np.float32)
        approx[key] = AtRows(rows, cosines.approximate(table, rows, vector, gather))
    exact: dict[bytes, cosines.Exact] = {}
    results = []
    for query, selection, limit in zip(queries, selections, limits, strict=True):
        lex = lexical.get(query.tokens) if query.tokens else None
        known, vec = None, None
        if query.vector is not None and table.vectors is not None:
            key = unit_vector(query.vector).tobytes()
            if key not in exact:
                exact[key] = cosines.Exact(table, np.frombuffer(key, np.float32))
            known, vec = exact[key], approx.get(key)
        results.append(top_candidates(table, query, selection, lex, vec, known, newest, limit))
    return results


def _union(row_sets: list[np.ndarray], size: int) -> np.ndarray:
    """The sorted union of row sets, by marking (a sort of the concatenation cost ~1 ms for a
    match's 30,000 rows)."""
    marked = np.zeros(size, bool)
    for rows in row_sets:
        marked[rows] = True
    return np.flatnonzero(marked)


def top_candidates(
    table: Table,
    query: PostingQuery | JobseekerQuery,
    selection: Selection,
    lexical: AtRows | None,
    approx: AtRows | None,
    exact: cosines.Exact | None,
    newest: str,
    limit: int,
) -> CandidateList:
    """The best ``limit`` of one query's rows, as candidates with their raw scores.
    ``approx`` holds approximate cosines (relevance order only); the cosines that order and
    the ones returned are exact."""
    rows, minutes, modes = selection.rows, selection.minutes, selection.modes
    lex = None if lexical is None else lexical.at(rows)
    if query.require_text:
        keep = np.zeros(len(rows), bool) if lex is None else lex > 0
        rows = rows[keep]
        lex = None if lex is None else lex[keep]
        minutes = None if minutes is None else minutes[keep]
        if isinstance(modes, np.ndarray):
            modes = modes[keep]
    vec = None
    if approx is not None and exact is not None:
        vec = cosines.settle(rows, approx.at(rows), exact, limit)
    if query.sort == "relevance" and (vec is not None or lex is not None):
        picked, fused = fuse(vec, lex, limit)
    elif query.sort != "newest" and minutes is not None:
        picked = top_positions(-np.nan_to_num(minutes, nan=np.inf), limit)
        fused = -minutes[picked]
    else:
        picked = top_positions(np.nan_to_num(table.col(newest)[rows], nan=-np.inf), limit)
        fused = np.zeros(len(picked))
    chosen = rows[picked]
    n = len(chosen)
    imprecise = ~table.col("precise")[chosen]
    origin = None
    if selection.origin is not None:
        lat, lon, origin_imprecise = selection.origin
        imprecise |= origin_imprecise
        origin = (lat, lon)
    cosine = np.full(n, np.nan)
    if exact is not None:
        cosine = exact.of(chosen).astype(np.float64)
    return CandidateList(
        ids=table.ids.take(chosen).tolist(),  # rows of live documents only
        score=np.asarray(fused, np.float64),
        lexical=np.zeros(n) if lex is None else lex[picked].astype(np.float64),
        vector=cosine,
        travel_minutes=np.full(n, np.nan) if minutes is None else minutes[picked],
        modes=modes[picked] if isinstance(modes, np.ndarray) else modes,
        imprecise=imprecise,
        origin=origin,
        lats=table.col("lat")[chosen],
        lons=table.col("lon")[chosen],
        docs=table.docs.take(chosen).tolist(),
    )


def facet_counts(t: Table, rows: np.ndarray) -> Facets:
    """Counts of ``rows`` by occupation group, district and employment type; most first, ties
    in code order."""

    def count(values: np.ndarray, label: Callable[[int], str]) -> tuple[FacetCount, ...]:
        found, counts = np.unique(values[values >= 0], return_counts=True)
        order = np.lexsort((found, -counts))
        return tuple(FacetCount(label(int(found[i])), int(counts[i])) for i in order)

    occ = t.col("occ")[rows]
    return Facets(
        total=len(rows),
        occupation_major=count(np.where(occ >= 0, occ // 10**6, -1), str),
        occupation_medium=count(
            np.where(occ >= 0, occ // 10**4, -1), lambda n: f"{n // 100}-{n % 100:02d}"
        ),
        adcode=count(t.col("adcode")[rows], lambda n: f"{n:06d}"),
        employment_type=count(t.col("etype")[rows].astype(np.int64), EMPLOYMENT_TYPES.__getitem__),
    )
