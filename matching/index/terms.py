"""The embedded index's BM25 inverted index, exact after every change."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

BM25_K1, BM25_B = 1.2, 0.75  # the usual defaults (also Lucene's / Elasticsearch's)
# The formula's constants in float32, for ``kernels.add_bm25``
_BM25_CONSTANTS = np.array([BM25_K1, 1.0 - BM25_B, BM25_B, BM25_K1 + 1.0], np.float32)


class Terms:
    """BM25 inverted index: a sorted segment (CSR arrays) plus a dictionary of recent changes.

    ``stale`` marks rows whose entries in the sorted segment are out of date; their current
    entries, if any, live in ``delta``. Document frequencies and lengths are always current, so
    scores are exact at every moment, not only after a merge.
    """

    def __init__(self, capacity: int = 0) -> None:
        self.vocab: dict[str, int] = {}
        self.df = np.zeros(0, np.int64)
        self.doc_len = np.zeros(capacity, np.float32)
        self.stale = np.zeros(capacity, bool)
        self.total_len = 0.0
        self.indptr = np.zeros(1, np.int64)
        self.rows = np.zeros(0, np.int32)
        self.tfs = np.zeros(0, np.float32)
        self.delta: dict[int, dict[int, int]] = {}
        self.changed = 0

    def resize(self, capacity: int) -> None:
        self.doc_len = grown(self.doc_len, capacity, 0.0)
        self.stale = grown(self.stale, capacity, False)

    def _counts(self, tokens: Iterable[str], create: bool) -> dict[int, int]:
        counts: dict[int, int] = {}
        for token, count in Counter(tokens).items():
            term = self.vocab.get(token)
            if term is None:
                if not create:
                    continue
                term = self.vocab[token] = len(self.vocab)
            counts[term] = count
        if len(self.vocab) > len(self.df):
            self.df = grown(self.df, max(len(self.vocab), 2 * len(self.df)), 0)
        return counts

    def add(self, row: int, tokens: tuple[str, ...]) -> None:
        counts = self._counts(tokens, create=True)
        if counts:
            self.df[list(counts)] += 1
        for term, count in counts.items():
            self.delta.setdefault(term, {})[row] = count
        self.doc_len[row] = len(tokens)
        self.total_len += len(tokens)
        self.stale[row] = True
        self.changed += 1

    def remove(self, row: int, tokens: tuple[str, ...]) -> None:
        counts = self._counts(tokens, create=False)
        if counts:
            self.df[list(counts)] -= 1
        for term in counts:
            self.delta.get(term, {}).pop(row, None)
        self.total_len -= float(self.doc_len[row])
        self.doc_len[row] = 0.0
        self.stale[row] = True
        self.changed += 1

    def maybe_merge(self, live: int) -> None:
        if self.changed > max(4096, live // 10):
            self.merge()

    def merge(self) -> None:
        terms = np.repeat(np.arange(len(self.indptr) - 1), np.diff(self.indptr))
        keep = ~self.stale[self.rows]
        flat = [(t, r, c) for t, entries in self.delta.items() for r, c in entries.items()]
        extra = np.array(flat, dtype=np.int64).reshape(-1, 3)
        self._set(
            np.concatenate([terms[keep], extra[:, 0]]),
            np.concatenate([self.rows[keep], extra[:, 1]]),
            np.concatenate([self.tfs[keep], extra[:, 2]]),
        )

    def build(self, docs: Sequence[tuple[int, tuple[str, ...]]]) -> None:
        """Bulk build: term ids for every occurrence, then (row, term) counts in one sort."""
        lengths = np.fromiter((len(tokens) for _, tokens in docs), np.int64, len(docs))
        vocab = self.vocab
        ids = np.fromiter(
            (vocab.setdefault(token, len(vocab)) for _, tokens in docs for token in tokens),
            np.int64,
            int(lengths.sum()),
        )
        rows = np.repeat(np.fromiter((row for row, _ in docs), np.int64, len(docs)), lengths)
        width = max(len(vocab), 1)
        pairs, tf = np.unique(rows * width + ids, return_counts=True)
        self.df = np.bincount(pairs % width, minlength=len(vocab)).astype(np.int64)
        self.doc_len[[row for row, _ in docs]] = lengths
        self.total_len = float(lengths.sum())
        self._set(pairs % width, pairs // width, tf)

    def _set(self, terms: np.ndarray, rows: np.ndarray, tfs: np.ndarray) -> None:
        order = np.lexsort((rows, terms))  # by term, then row: ``score_at`` searches the rows
        self.rows = rows[order].astype(np.int32)
        self.tfs = tfs[order].astype(np.float32)
        self.indptr = np.zeros(len(self.vocab) + 1, np.int64)
        np.cumsum(np.bincount(terms, minlength=len(self.vocab)), out=self.indptr[1:])
        self.stale[:] = False
        self.delta = {}
        self.changed = 0

    def score_at(self, tokens: Iterable[str], n_docs: int, rows: np.ndarray) -> np.ndarray | None:
        """BM25 of ``rows`` (ascending, distinct) against the query tokens; None when no token
        is known. Each term's entries are found by binary search, from whichever side is
        shorter (the term's sorted rows or ``rows``), so a frequent term costs as much as the
        rows asked about, not as its postings list."""
        from matching.index import kernels  # numba, imported by the first query that needs it

        query = self._counts(tokens, create=False)
        if not query or n_docs == 0:
            return None
        avgdl = self.total_len / n_docs or 1.0
        scores = np.zeros(len(rows), np.float32)
        for term, repeats in query.items():
            df = int(self.df[term])
            if df <= 0:
                continue
            weight = repeats * math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
            formula = np.float32(weight), np.float32(avgdl), _BM25_CONSTANTS
            lo, hi = self._span(term)
            sorted_part = self.rows[lo:hi], self.tfs[lo:hi]
            kernels.add_bm25(scores, rows, *sorted_part, self.stale, True, self.doc_len, *formula)
            recent = self.delta.get(term)
            if recent:  # entries changed since the last merge (rows stale in the sorted part)
                more = np.fromiter(recent.keys(), np.int64, len(recent))
                more_tfs = np.fromiter(recent.values(), np.float32, len(recent))
                order = np.argsort(more)
                changed = more[order], more_tfs[order]
                kernels.add_bm25(scores, rows, *changed, self.stale, False, self.doc_len, *formula)
        return scores

    def _span(self, term: int) -> tuple[int, int]:
        """Where the term's entries lie in the sorted part (``rows``, ``tfs``)."""
        if term + 1 < len(self.indptr):
            return int(self.indptr[term]), int(self.indptr[term + 1])
        return 0, 0  # a term new since the last merge


def grown(array: np.ndarray, capacity: int, fill: Any) -> np.ndarray:
    """``array`` with at least ``capacity`` rows, new rows set to ``fill`` (itself if it fits)."""
    if capacity <= len(array):
        return array
    bigger = np.full((capacity, *array.shape[1:]), fill, dtype=array.dtype)
    bigger[: len(array)] = array
    return bigger
