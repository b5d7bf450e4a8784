"""A query's candidates as columns, each :class:`Candidate` built only when it is read.

The embedded index returns a few hundred candidates per query, while ranking by bound reads
the scores of all of them (as arrays) and builds a candidate for a dozen or so. Building every
candidate object up front was the largest single cost of a match run's retrieval.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from itertools import accumulate
from typing import Any, overload

import numpy as np

from matching.documents import TRAVEL_MODES
from matching.index.base import Candidate
from matching.travel import haversine_many


class CandidateList(Sequence[Candidate]):
    """Candidates in retrieval order. ``vector``/``travel_minutes`` hold NaN where a candidate
    has none; ``modes`` is one travel mode for all (or None), or a mode code per candidate."""

    def __init__(
        self,
        *,
        ids: list[str],
        score: np.ndarray,
        lexical: np.ndarray,
        vector: np.ndarray,
        travel_minutes: np.ndarray,
        modes: str | np.ndarray | None,
        imprecise: np.ndarray,
        origin: tuple[float, float] | None,
        lats: np.ndarray,
        lons: np.ndarray,
        docs: list[Any] | None = None,
    ) -> None:
        self.ids = ids
        self.docs = docs  # the stored documents, when the index hands them over with the ids
        self.score = score
        self.lexical = lexical
        self.vector = vector
        self.travel_minutes = travel_minutes
        self.modes = modes
        self.imprecise = imprecise
        self._origin, self._lats, self._lons = origin, lats, lons
        self._distances: np.ndarray | None = None
        self._built: list[Candidate | None] = [None] * len(ids)

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, i: int) -> Candidate: ...

    @overload
    def __getitem__(self, i: slice) -> list[Candidate]: ...

    def __getitem__(self, i: int | slice) -> Candidate | list[Candidate]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        built = self._built[i]
        if built is None:
            built = self._built[i] = self._build(i)
        return built

    def __iter__(self) -> Iterator[Candidate]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # compared like a list, so not hashable

    def __repr__(self) -> str:
        return f"CandidateList({list(self)!r})"

    @property
    def distance_km(self) -> np.ndarray:
        """Straight-line km from the query's place (NaN without one), computed when first read."""
        if self._distances is None:
            if self._origin is None:
                self._distances = np.full(len(self), np.nan)
            else:
                self._distances = haversine_many(*self._origin, self._lats, self._lons)
        return self._distances

    def mode_of(self, i: int) -> str | None:
        if math.isnan(self.travel_minutes[i]):
            return None
        if self.modes is None or isinstance(self.modes, str):
            return self.modes
        code = int(self.modes[i])
        return TRAVEL_MODES[code] if code >= 0 else None

    def _build(self, i: int) -> Candidate:
        cosine, minutes, km = (
            float(self.vector[i]),
            float(self.travel_minutes[i]),
            float(self.distance_km[i]),
        )
        return Candidate(
            self.ids[i],
            float(self.score[i]),
            float(self.lexical[i]),
            None if math.isnan(cosine) else cosine,
            None if math.isnan(km) else km,
            None if math.isnan(minutes) else minutes,
            self.mode_of(i),
            bool(self.imprecise[i]),
        )


class Pool:
    """The candidates of a match's queries merged by id (first seen kept, in order), with the
    raw scores the ranking reads as arrays aligned with ``ids`` (NaN where there is none)."""

    def __init__(self, lists: Sequence[Sequence[Candidate]]) -> None:
        columns = [_columns(found) for found in lists]
        every = [doc_id for ids, *_ in columns for doc_id in ids]
        n = len(every)
        first = dict(zip(reversed(every), range(n - 1, -1, -1), strict=True))
        kept = sorted(first.values())
        self.ids: list[str] = [every[k] for k in kept]
        # the documents, when every list came with them (the embedded index's lists do)
        self.docs: list[Any] | None = None
        if lists and all(getattr(found, "docs", None) is not None for found in lists):
            every_doc = [doc for found in lists for doc in found.docs]  # type: ignore[attr-defined]
            self.docs = [every_doc[k] for k in kept]
        picked = np.array(kept, np.int64)
        self.lexical, self.vector, self.minutes = (
            np.concatenate([c[j] for c in columns])[picked] if columns else np.zeros(0)
            for j in (1, 2, 3)
        )
        self._lists = lists
        self._kept = kept  # positions in the lists laid end to end
        self._starts = list(accumulate((len(found) for found in lists), initial=0))

    def __len__(self) -> int:
        return len(self.ids)

    def candidate(self, i: int) -> Candidate:
        at = self._kept[i]
        found = bisect_right(self._starts, at) - 1
        return self._lists[found][at - self._starts[found]]

    def only(self, keep: list[int]) -> Pool:
        """The pool of the candidates at positions ``keep``, in that order."""
        subset = Pool.__new__(Pool)
        subset.ids = [self.ids[i] for i in keep]
        subset.docs = None if self.docs is None else [self.docs[i] for i in keep]
        subset.lexical, subset.vector, subset.minutes = (
            self.lexical[keep],
            self.vector[keep],
            self.minutes[keep],
        )
        subset._lists, subset._starts = self._lists, self._starts
        subset._kept = [self._kept[i] for i in keep]
        return subset


def _columns(found: Sequence[Candidate]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    if isinstance(found, CandidateList):
        return found.ids, found.lexical, found.vector, found.travel_minutes
    nan = math.nan
    return (
        [c.id for c in found],
        np.array([c.lexical for c in found], np.float64),
        np.array([nan if c.vector is None else c.vector for c in found], np.float64),
        np.array([nan if c.travel_minutes is None else c.travel_minutes for c in found]),
    )
