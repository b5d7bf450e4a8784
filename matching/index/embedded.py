"""The in-process index: exact, filtered, columnar.

Every document is a row in numpy columns (coordinates, codes as integers, dates as numbers,
group memberships as 64-bit masks) plus a float32 vector matrix and a BM25 inverted index. A
query is a handful of whole-column comparisons, one matrix–vector product over the rows that pass
and a partial sort, so results are exact (no approximate neighbour search) and a query over
100,000 postings costs about as much as the bare dot product.

Vectors are stored as float32. float16 would halve the 460 MB of 300k × 384 vectors, but numpy
has no fast float16 product (it would convert on every query, slower than the memory it saves),
and float32 fits the 2 GiB budget.

Writes are cheap: a new document takes a free row (the arrays grow by a quarter when full), an
update overwrites its row in place, a delete frees it. The inverted index takes changes into a
small dictionary segment and merges it into its sorted arrays when it holds a tenth of the rows,
so the cost is amortised and each change is visible to the next query.

Methods run in a worker thread (``offload=True``) under one lock: a query takes tens of
milliseconds of CPU, which must not stall the service's event loop.
"""

from __future__ import annotations

import asyncio
import math
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import numpy as np

from matching.documents import (
    ADCODE_DIGITS,
    BANNED_CREDIT,
    EMPLOYMENT_TYPES,
    OCCUPATION_DIGITS,
    PRECISE,
    TRAVEL_MODES,
    JobseekerDoc,
    PostingDoc,
    code_number,
    prefix_number,
    timestamp,
    unit_vector,
)
from matching.index.base import (
    Candidate,
    FacetCount,
    Facets,
    JobseekerFilters,
    JobseekerQuery,
    JobseekerReach,
    PostingFilters,
    PostingQuery,
    TravelFilter,
)
from matching.travel import (
    MINUTES_TOLERANCE,
    EstimatedTravel,
    TravelTimeProvider,
    bounding_box_mask,
    haversine_many,
)

T = TypeVar("T")
BM25_K1, BM25_B = 1.2, 0.75  # the usual defaults (also Lucene's / Elasticsearch's)
RRF_K = 60  # reciprocal-rank fusion constant of Cormack et al. (2009), as in Elasticsearch
# Below this share of rows, gathering the selected vectors first beats one product over all rows.
GATHER_FRACTION = 0.3
MAX_DESIRED_OCCUPATIONS = 8  # people name one to three; more are cut for the fixed-width column
_NO_DAY = np.iinfo(np.int32).max  # valid_until absent: open indefinitely


class _Terms:
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
        self.doc_len = _grown(self.doc_len, capacity, 0.0)
        self.stale = _grown(self.stale, capacity, False)

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
            self.df = _grown(self.df, max(len(self.vocab), 2 * len(self.df)), 0)
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
        order = np.argsort(terms, kind="stable")
        self.rows = rows[order].astype(np.int32)
        self.tfs = tfs[order].astype(np.float32)
        self.indptr = np.zeros(len(self.vocab) + 1, np.int64)
        np.cumsum(np.bincount(terms, minlength=len(self.vocab)), out=self.indptr[1:])
        self.stale[:] = False
        self.delta = {}
        self.changed = 0

    def score(self, tokens: Iterable[str], n_docs: int, size: int) -> np.ndarray | None:
        """BM25 of every row against the query tokens (dense, zeros where nothing matches)."""
        query = self._counts(tokens, create=False)
        if not query or n_docs == 0:
            return None
        avgdl = self.total_len / n_docs or 1.0
        scores = np.zeros(size, np.float32)
        for term, repeats in query.items():
            df = int(self.df[term])
            if df <= 0:
                continue
            idf = math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
            lo, hi = (
                (self.indptr[term], self.indptr[term + 1])
                if term + 1 < len(self.indptr)
                else (0, 0)
            )
            rows, tfs = self.rows[lo:hi], self.tfs[lo:hi]
            if self.changed:
                fresh = ~self.stale[rows]
                rows, tfs = rows[fresh], tfs[fresh]
                recent = self.delta.get(term)
                if recent:
                    rows = np.concatenate([rows, np.fromiter(recent.keys(), np.int32, len(recent))])
                    tfs = np.concatenate(
                        [tfs, np.fromiter(recent.values(), np.float32, len(recent))]
                    )
            norm = BM25_K1 * (1.0 - BM25_B + BM25_B * self.doc_len[rows] / avgdl)
            scores[rows] += repeats * idf * tfs * (BM25_K1 + 1.0) / (tfs + norm)
        return scores


def _grown(array: np.ndarray, capacity: int, fill: Any) -> np.ndarray:
    if capacity <= len(array):
        return array
    bigger = np.full((capacity, *array.shape[1:]), fill, dtype=array.dtype)
    bigger[: len(array)] = array
    return bigger


ColumnSpec = dict[str, tuple[Any, Any, tuple[int, ...]]]  # name → (dtype, fill, extra shape)
_COMMON: ColumnSpec = {
    "alive": (bool, False, ()),
    "lat": (np.float64, np.nan, ()),
    "lon": (np.float64, np.nan, ()),
    "precise": (bool, False, ()),
    "adcode": (np.int64, -1, ()),
    "occ": (np.int64, -1, ()),
    "has_vec": (bool, False, ()),
}


class _Table:
    """Rows of one document kind: ids, stored documents, columns, vectors, terms."""

    def __init__(self, spec: ColumnSpec) -> None:
        self.spec = {**_COMMON, **spec}
        self.capacity = self.size = 0
        self.ids: list[str | None] = []
        self.docs: list[Any] = []
        self.row_of: dict[str, int] = {}
        self.free: list[int] = []
        self.cols = {k: np.full((0, *shape), fill, t) for k, (t, fill, shape) in self.spec.items()}
        self.vectors: np.ndarray | None = None
        self.terms = _Terms()

    @property
    def live(self) -> int:
        return len(self.row_of)

    def col(self, name: str) -> np.ndarray:
        return self.cols[name][: self.size]

    def reserve(self, capacity: int) -> None:
        if capacity <= self.capacity:
            return
        for name, (_, fill, _) in self.spec.items():
            self.cols[name] = _grown(self.cols[name], capacity, fill)
        if self.vectors is not None:
            self.vectors = _grown(self.vectors, capacity, 0.0)
        self.terms.resize(capacity)
        self.ids.extend([None] * (capacity - self.capacity))
        self.docs.extend([None] * (capacity - self.capacity))
        self.capacity = capacity

    def claim(self, doc_id: str) -> tuple[int, Any]:
        """The row of ``doc_id`` (a free or new one if unknown) and the document it held."""
        row = self.row_of.get(doc_id)
        if row is not None:
            return row, self.docs[row]
        if self.free:
            row = self.free.pop()
        else:
            row = self.size
            if row >= self.capacity:  # grow by a quarter (at least 1024 rows) only when full
                self.reserve(max(row + 1, self.capacity + max(1024, self.capacity // 4)))
            self.size += 1
        self.ids[row] = doc_id
        self.row_of[doc_id] = row
        return row, None

    def write(self, row: int, values: dict[str, Any], vector: np.ndarray | None) -> None:
        for name, value in values.items():
            self.cols[name][row] = value
        self.cols["has_vec"][row] = vector is not None
        if vector is not None:
            if self.vectors is None:
                self.vectors = np.zeros((self.capacity, len(vector)), np.float32)
            self.vectors[row] = vector

    @property
    def dim(self) -> int | None:
        return None if self.vectors is None else int(self.vectors.shape[1])

    def release(self, doc_id: str) -> tuple[int, Any] | None:
        row = self.row_of.pop(doc_id, None)
        if row is None:
            return None
        doc = self.docs[row]
        for name, (_, fill, _) in self.spec.items():
            self.cols[name][row] = fill
        self.terms.remove(row, doc.tokens)
        self.ids[row] = self.docs[row] = None
        self.free.append(row)
        return row, doc

    def load(self, docs: list[Any], extract: Callable[[Any], dict[str, Any]]) -> None:
        """Fill an empty table column by column (start-up and reindex)."""
        self.reserve(len(docs) + len(docs) // 50 + 16)
        columns: dict[str, list[Any]] = {}
        for row, doc in enumerate(docs):
            for name, value in extract(doc).items():
                columns.setdefault(name, []).append(value)
            self.ids[row] = doc.id
            self.row_of[doc.id] = row
            self.docs[row] = replace(doc, vector=None) if doc.vector is not None else doc
        self.size = len(docs)
        for name, values in columns.items():
            self.cols[name][: self.size] = np.array(values, dtype=self.cols[name].dtype)
        with_vectors = [(row, doc.vector) for row, doc in enumerate(docs) if doc.vector is not None]
        if with_vectors:
            dim = len(with_vectors[0][1])
            self.vectors = np.zeros((self.capacity, dim), np.float32)
            for row, vector in with_vectors:
                self.vectors[row] = vector
                self.cols["has_vec"][row] = True
        self.terms.build([(row, doc.tokens) for row, doc in enumerate(docs)])


_POSTING_COLUMNS: ColumnSpec = {
    "open": (bool, False, ()),
    "valid_day": (np.int32, _NO_DAY, ()),
    "starts": (np.float64, np.nan, ()),
    "ends": (np.float64, np.nan, ()),
    "created": (np.float64, np.nan, ()),
    "etype": (np.int8, -1, ()),
    "pay": (np.float64, np.nan, ()),
    "reserved": (np.uint64, 0, ()),
}
_JOBSEEKER_COLUMNS: ColumnSpec = {
    "seeking": (bool, False, ()),
    "consent": (bool, False, ()),
    "groups": (np.uint64, 0, ()),
    "mode": (np.int8, -1, ()),
    "limit": (np.float64, np.nan, ()),
    "wants": (np.int64, -1, (MAX_DESIRED_OCCUPATIONS,)),
    "registered": (np.float64, np.nan, ()),
}


def _vocab_index(vocabulary: tuple[str, ...], value: str | None) -> int:
    return vocabulary.index(value) if value in vocabulary else -1


def _location(doc: PostingDoc | JobseekerDoc) -> dict[str, Any]:
    known = doc.lat is not None and doc.lon is not None
    return {
        "alive": True,
        "lat": doc.lat if known else np.nan,
        "lon": doc.lon if known else np.nan,
        "precise": known and doc.location_precision == PRECISE,
        "adcode": code_number(doc.adcode, ADCODE_DIGITS),
    }


def _prefix_mask(values: np.ndarray, prefixes: Iterable[str], digits: int) -> np.ndarray:
    """Rows whose code starts with any prefix (a 2-D column: any of the row's codes). A prefix
    is a range of code numbers, so two comparisons replace a division per element."""
    mask = np.zeros(values.shape, bool)
    for prefix in prefixes:
        value, divisor = prefix_number(prefix, digits)
        mask |= (values >= value * divisor) & (values < (value + 1) * divisor)
    return mask if mask.ndim == 1 else mask.any(axis=1)


def _codes(vocabulary: tuple[str, ...], values: Iterable[str], what: str) -> list[int]:
    unknown = [value for value in values if value not in vocabulary]
    if unknown:
        raise ValueError(f"unknown {what}: {', '.join(unknown)}")
    return [vocabulary.index(value) for value in values]


def _top(values: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k largest values, best first; ties by position (deterministic)."""
    if k <= 0 or len(values) == 0:
        return np.zeros(0, np.int64)
    picked = np.arange(len(values)) if k >= len(values) else np.argpartition(-values, k - 1)[:k]
    return picked[np.lexsort((picked, -values[picked]))]


class EmbeddedIndex:
    """In-process :class:`~matching.index.base.SearchIndex`; see the module docstring."""

    def __init__(self, travel: TravelTimeProvider | None = None, *, offload: bool = True) -> None:
        self._travel: TravelTimeProvider = travel or EstimatedTravel()
        self._offload = offload
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._postings = _Table(_POSTING_COLUMNS)
        self._jobseekers = _Table(_JOBSEEKER_COLUMNS)
        self._events: dict[str, set[int]] = {}
        self._group_bits: dict[str, int] = {}
        self._wants_width = 1  # most desired occupations anyone has (never shrinks)

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        if self._offload:
            return await asyncio.to_thread(self._locked, fn, *args)
        return self._locked(fn, *args)

    def _locked(self, fn: Callable[..., T], *args: Any) -> T:
        with self._lock:
            return fn(*args)

    # --- writes ------------------------------------------------------------------------------

    def _groups_mask(self, codes: Iterable[str], *, create: bool) -> np.uint64:
        mask = 0
        for code in codes:
            bit = self._group_bits.get(code)
            if bit is None and create:
                if len(self._group_bits) == 64:
                    raise ValueError("the embedded index supports at most 64 priority groups")
                bit = self._group_bits[code] = len(self._group_bits)
            if bit is not None:
                mask |= 1 << bit
        return np.uint64(mask)

    def _posting_values(self, doc: PostingDoc) -> dict[str, Any]:
        top = doc.monthly_pay_max
        return {
            **_location(doc),
            "occ": code_number(doc.occupation_code, OCCUPATION_DIGITS),
            "open": doc.status == "open" and doc.employer_credit not in BANNED_CREDIT,
            "valid_day": doc.valid_until.toordinal() if doc.valid_until else _NO_DAY,
            "starts": timestamp(doc.starts_at),
            "ends": timestamp(doc.ends_at),
            "created": timestamp(doc.created_at),
            "etype": _vocab_index(EMPLOYMENT_TYPES, doc.employment_type),
            "pay": np.nan if top is None else top,
            "reserved": self._groups_mask(doc.reserved_for, create=True),
        }

    def _jobseeker_values(self, doc: JobseekerDoc) -> dict[str, Any]:
        wants = [code_number(c, OCCUPATION_DIGITS) for c in doc.desired_occupations]
        self._wants_width = max(self._wants_width, min(len(wants), MAX_DESIRED_OCCUPATIONS))
        wants = (wants + [-1] * MAX_DESIRED_OCCUPATIONS)[:MAX_DESIRED_OCCUPATIONS]
        return {
            **_location(doc),
            "seeking": doc.status == "seeking",
            "consent": doc.consent_show_to_employers,
            "groups": self._groups_mask(doc.group_codes, create=True),
            "mode": _vocab_index(TRAVEL_MODES, doc.travel_mode),
            "limit": np.nan if doc.travel_max_minutes is None else doc.travel_max_minutes,
            "wants": wants,
            "registered": timestamp(doc.registered_at),
        }

    def _link_events(self, row: int, doc: PostingDoc | None, link: bool) -> None:
        for event_id in doc.event_ids if doc else ():
            if link:
                self._events.setdefault(event_id, set()).add(row)
            else:
                self._events.get(event_id, set()).discard(row)

    def _upsert(self, table: _Table, doc: Any, values: dict[str, Any]) -> None:
        if doc.vector is not None and table.dim not in (None, len(doc.vector)):
            # Checked before anything changes, so a bad document leaves the index as it was.
            raise ValueError(f"vector has {len(doc.vector)} dimensions, the index {table.dim}")
        row, old = table.claim(doc.id)
        if old is not None:
            table.terms.remove(row, old.tokens)
            if table is self._postings:
                self._link_events(row, old, link=False)
        table.write(row, values, doc.vector)
        table.terms.add(row, doc.tokens)
        table.terms.maybe_merge(table.live)
        table.docs[row] = replace(doc, vector=None) if doc.vector is not None else doc
        if table is self._postings:
            self._link_events(row, doc, link=True)

    def _delete(self, table: _Table, doc_id: str) -> bool:
        released = table.release(doc_id)
        if released is not None and table is self._postings:
            self._link_events(released[0], released[1], link=False)
        table.terms.maybe_merge(table.live)
        return released is not None

    def _bulk_load(self, docs: Iterable[PostingDoc | JobseekerDoc]) -> None:
        postings: dict[str, PostingDoc] = {}
        jobseekers: dict[str, JobseekerDoc] = {}
        for doc in docs:  # the last version of an id wins, as with upserts
            (postings if isinstance(doc, PostingDoc) else jobseekers)[doc.id] = doc
        for kind in (postings, jobseekers):  # refuse before clearing anything
            dims = {len(d.vector) for d in kind.values() if d.vector is not None}
            if len(dims) > 1:
                raise ValueError(f"vectors of different dimensions: {sorted(dims)}")
        self._reset()
        self._postings.load(list(postings.values()), self._posting_values)
        self._jobseekers.load(list(jobseekers.values()), self._jobseeker_values)
        for row, doc in enumerate(postings.values()):
            self._link_events(row, doc, link=True)

    async def upsert_posting(self, doc: PostingDoc) -> None:
        await self._run(lambda: self._upsert(self._postings, doc, self._posting_values(doc)))

    async def delete_posting(self, posting_id: str) -> bool:
        return await self._run(self._delete, self._postings, posting_id)

    async def upsert_jobseeker(self, doc: JobseekerDoc) -> None:
        await self._run(lambda: self._upsert(self._jobseekers, doc, self._jobseeker_values(doc)))

    async def delete_jobseeker(self, jobseeker_id: str) -> bool:
        return await self._run(self._delete, self._jobseekers, jobseeker_id)

    async def bulk_load(self, docs: Iterable[PostingDoc | JobseekerDoc]) -> None:
        await self._run(self._bulk_load, list(docs))

    def load_sync(self, docs: Iterable[PostingDoc | JobseekerDoc]) -> None:
        """``bulk_load`` for callers without an event loop (the benchmark, a CLI)."""
        self._locked(self._bulk_load, docs)

    # --- reads -------------------------------------------------------------------------------

    async def get_postings(self, ids: Sequence[str]) -> list[PostingDoc]:
        """Stored documents without their vectors (the index keeps those in its matrix only)."""
        return await self._run(self._get, self._postings, ids)

    async def get_jobseekers(self, ids: Sequence[str]) -> list[JobseekerDoc]:
        return await self._run(self._get, self._jobseekers, ids)

    @staticmethod
    def _get(table: _Table, ids: Sequence[str]) -> list[Any]:
        return [table.docs[table.row_of[i]] for i in ids if i in table.row_of]

    async def count_postings(self) -> int:
        return self._postings.live

    async def count_jobseekers(self) -> int:
        return self._jobseekers.live

    async def ping(self) -> bool:
        return True

    async def search_postings(self, query: PostingQuery, *, limit: int) -> list[Candidate]:
        return (await self.search_postings_many([query], limit=limit))[0]

    async def search_jobseekers(self, query: JobseekerQuery, *, limit: int) -> list[Candidate]:
        return (await self.search_jobseekers_many([query], limit=limit))[0]

    async def search_postings_many(
        self, queries: Sequence[PostingQuery], *, limit: int | Sequence[int]
    ) -> list[list[Candidate]]:
        return await self._run(self.search_postings_sync, queries, _limits(limit, queries))

    async def search_jobseekers_many(
        self, queries: Sequence[JobseekerQuery], *, limit: int | Sequence[int]
    ) -> list[list[Candidate]]:
        return await self._run(self.search_jobseekers_sync, queries, _limits(limit, queries))

    async def facet_postings(self, query: PostingQuery) -> Facets:
        return await self._run(self.facet_postings_sync, query)

    # --- postings ----------------------------------------------------------------------------

    def posting_mask(self, filters: PostingFilters) -> np.ndarray:
        """Rows passing every hard filter except travel (public for the benchmark's floor)."""
        t, f = self._postings, filters
        now = timestamp(f.now)
        mask = t.col("alive") & t.col("open") & (t.col("valid_day") >= f.now.date().toordinal())
        mask &= ~(t.col("ends") <= now)  # NaN (no end) compares False: kept
        if f.employment_types:
            mask &= np.isin(t.col("etype"), _codes(EMPLOYMENT_TYPES, f.employment_types, "type"))
        if f.exclude_employment_types:
            excluded = _codes(EMPLOYMENT_TYPES, f.exclude_employment_types, "type")
            mask &= ~np.isin(t.col("etype"), excluded)
        if f.adcode_prefixes:
            mask &= _prefix_mask(t.col("adcode"), f.adcode_prefixes, ADCODE_DIGITS)
        if f.occupation_prefixes:
            mask &= _prefix_mask(t.col("occ"), f.occupation_prefixes, OCCUPATION_DIGITS)
        if f.min_monthly_pay is not None:
            mask &= t.col("pay") >= f.min_monthly_pay
        if not f.include_reserved:
            reserved = t.col("reserved")
            viewer = self._groups_mask(f.viewer_groups, create=False)
            mask &= (reserved == 0) | ((reserved & viewer) != 0)
        if f.starts_from is not None:
            mask &= t.col("starts") >= timestamp(f.starts_from)
        if f.starts_to is not None:
            mask &= t.col("starts") <= timestamp(f.starts_to)
        if f.event_id is not None:
            linked = np.zeros(t.size, bool)
            linked[list(self._events.get(f.event_id, ()))] = True
            mask &= linked
        return mask

    def posting_travel(self, travel: TravelFilter) -> tuple[np.ndarray, np.ndarray]:
        """(rows within the limit, minutes for every located row) — over all rows, so several
        queries from the same place share one computation."""
        t = self._postings
        lat, lon = t.col("lat"), t.col("lon")
        located = t.col("alive") & ~np.isnan(lat)
        if not travel.include_imprecise:
            located &= t.col("precise")
        rows = np.flatnonzero(located)
        if travel.max_minutes is not None:
            radius = float(
                np.max(self._travel.reach_km(travel.mode, np.array([travel.max_minutes])))
            )
            rows = rows[bounding_box_mask(travel.lat, travel.lon, lat[rows], lon[rows], radius)]
        minutes = np.full(t.size, np.nan)
        minutes[rows] = self._travel.minutes_from(
            travel.lat, travel.lon, lat[rows], lon[rows], travel.mode
        )
        if travel.max_minutes is None:  # annotate only: unlocated rows stay, imprecise may not
            inside = t.col("alive") & (t.col("precise") | travel.include_imprecise)
        else:
            inside = minutes <= travel.max_minutes + MINUTES_TOLERANCE
        return inside, minutes

    def _posting_selections(self, queries: Sequence[PostingQuery]) -> list[_Selection]:
        reached: dict[TravelFilter, tuple[np.ndarray, np.ndarray]] = {}
        selections = []
        for query in queries:
            mask, travel, minutes = self.posting_mask(query.filters), query.filters.travel, None
            if travel is not None:
                if travel not in reached:
                    reached[travel] = self.posting_travel(travel)
                inside, minutes = reached[travel]
                mask &= inside
            origin = None if travel is None else (travel.lat, travel.lon, travel.origin_imprecise)
            modes = None if travel is None else travel.mode
            selections.append(_Selection(np.flatnonzero(mask), minutes, modes, origin))
        return selections

    def search_postings_sync(
        self, queries: Sequence[PostingQuery], limits: Sequence[int]
    ) -> list[list[Candidate]]:
        selections = self._posting_selections(queries)
        return self._retrieve(self._postings, queries, selections, limits, "created")

    def facet_postings_sync(self, query: PostingQuery) -> Facets:
        rows = self._posting_selections([query])[0].rows
        t = self._postings
        if query.require_text:
            scores = t.terms.score(query.tokens, t.live, t.size)
            rows = rows[:0] if scores is None else rows[scores[rows] > 0]

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
            employment_type=count(
                t.col("etype")[rows].astype(np.int64), EMPLOYMENT_TYPES.__getitem__
            ),
        )

    # --- jobseekers --------------------------------------------------------------------------

    def jobseeker_mask(self, filters: JobseekerFilters) -> np.ndarray:
        t, f = self._jobseekers, filters
        mask = t.col("alive") & t.col("seeking")
        if f.for_employer:
            mask &= t.col("consent")
        if f.groups_any:
            wanted = self._groups_mask(f.groups_any, create=False)
            mask &= (t.col("groups") & wanted) != 0
        if f.adcode_prefixes:
            mask &= _prefix_mask(t.col("adcode"), f.adcode_prefixes, ADCODE_DIGITS)
        if f.occupation_prefixes:
            wants = t.col("wants")[:, : self._wants_width]  # only columns anyone has filled
            mask &= _prefix_mask(wants, f.occupation_prefixes, OCCUPATION_DIGITS)
        return mask

    def jobseeker_reach(self, reach: JobseekerReach) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(people who reach the place by their own mode within their own limit, minutes,
        mode codes), over all seeking people."""
        t = self._jobseekers
        lat, lon = t.col("lat"), t.col("lon")
        located = t.col("alive") & t.col("seeking") & ~np.isnan(lat)
        if not reach.include_imprecise:
            located &= t.col("precise")
        rows = np.flatnonzero(located)
        # One cheap box for everybody first, as wide as the farthest-reaching person could go.
        widest = reach.max_minutes
        if widest is None:
            own = t.col("limit")[rows]
            widest = max(
                reach.default_max_minutes, float(np.max(own, initial=0.0, where=own == own))
            )
        possible = (reach.mode,) if reach.mode is not None else TRAVEL_MODES
        radius = max(float(np.max(self._travel.reach_km(m, np.array([widest])))) for m in possible)
        rows = rows[bounding_box_mask(reach.lat, reach.lon, lat[rows], lon[rows], radius)]
        modes = t.col("mode")[rows].astype(np.int64)
        modes[modes < 0] = TRAVEL_MODES.index(reach.default_mode)
        if reach.mode is not None:
            modes[:] = TRAVEL_MODES.index(reach.mode)
        limits = t.col("limit")[rows]
        limits = np.where(np.isnan(limits), reach.default_max_minutes, limits)
        if reach.max_minutes is not None:
            limits[:] = reach.max_minutes
        minutes = np.full(len(rows), np.inf)
        for code in np.flatnonzero(np.bincount(modes, minlength=len(TRAVEL_MODES))):
            mode, chosen = TRAVEL_MODES[code], np.flatnonzero(modes == code)
            near = rows[chosen]
            minutes[chosen] = self._travel.minutes_from(
                reach.lat, reach.lon, lat[near], lon[near], mode
            )
        keep = minutes <= limits + MINUTES_TOLERANCE
        inside = np.zeros(t.size, bool)
        inside[rows[keep]] = True
        dense_minutes, dense_modes = np.full(t.size, np.nan), np.full(t.size, -1, np.int64)
        dense_minutes[rows[keep]], dense_modes[rows[keep]] = minutes[keep], modes[keep]
        return inside, dense_minutes, dense_modes

    def search_jobseekers_sync(
        self, queries: Sequence[JobseekerQuery], limits: Sequence[int]
    ) -> list[list[Candidate]]:
        reached: dict[JobseekerReach, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        selections = []
        for query in queries:
            mask, reach = self.jobseeker_mask(query.filters), query.filters.reach
            minutes = modes = origin = None
            if reach is not None:
                if reach not in reached:
                    reached[reach] = self.jobseeker_reach(reach)
                inside, minutes, modes = reached[reach]
                mask &= inside
                origin = (reach.lat, reach.lon, reach.origin_imprecise)
            selections.append(_Selection(np.flatnonzero(mask), minutes, modes, origin))
        return self._retrieve(self._jobseekers, queries, selections, limits, "registered")

    # --- shared ranking ----------------------------------------------------------------------

    def _retrieve(
        self,
        table: _Table,
        queries: Sequence[PostingQuery | JobseekerQuery],
        selections: list[_Selection],
        limits: Sequence[int],
        newest: str,
    ) -> list[list[Candidate]]:
        """Top candidates of each query. BM25 is computed once per distinct token list, cosines
        once per distinct vector over the union of the queries' rows."""
        lexical: dict[tuple[str, ...], np.ndarray | None] = {}
        for query in queries:
            if query.tokens and query.tokens not in lexical:
                lexical[query.tokens] = table.terms.score(query.tokens, table.live, table.size)
        cosines: dict[bytes, np.ndarray] = {}
        wanted: dict[bytes, list[np.ndarray]] = {}
        for query, selection in zip(queries, selections, strict=True):
            if query.vector is not None:
                wanted.setdefault(unit_vector(query.vector).tobytes(), []).append(selection.rows)
        for key, row_sets in wanted.items():
            rows = row_sets[0] if len(row_sets) == 1 else np.unique(np.concatenate(row_sets))
            dense = np.full(table.size, np.nan, np.float32)
            dense[rows] = _cosines(table, rows, np.frombuffer(key, np.float32))
            cosines[key] = dense
        results = []
        for query, selection, limit in zip(queries, selections, limits, strict=True):
            dense_lex = lexical.get(query.tokens) if query.tokens else None
            dense_vec = (
                None if query.vector is None else cosines[unit_vector(query.vector).tobytes()]
            )
            results.append(
                self._top_candidates(table, query, selection, dense_lex, dense_vec, newest, limit)
            )
        return results

    def _top_candidates(
        self,
        table: _Table,
        query: PostingQuery | JobseekerQuery,
        selection: _Selection,
        dense_lex: np.ndarray | None,
        dense_vec: np.ndarray | None,
        newest: str,
        limit: int,
    ) -> list[Candidate]:
        rows, minutes = selection.rows, selection.minutes
        if query.require_text:
            rows = rows[:0] if dense_lex is None else rows[dense_lex[rows] > 0]
        lex = None if dense_lex is None else dense_lex[rows]
        vec = None if dense_vec is None else dense_vec[rows]
        if query.sort == "relevance" and (vec is not None or lex is not None):
            picked, fused = _fuse(vec, lex, limit)
        elif query.sort != "newest" and minutes is not None:
            picked = _top(-np.nan_to_num(minutes[rows], nan=np.inf), limit)
            fused = -minutes[rows][picked]
        else:
            picked = _top(np.nan_to_num(table.col(newest)[rows], nan=-np.inf), limit)
            fused = np.zeros(len(picked))
        chosen = rows[picked]
        n = len(chosen)
        if selection.origin is not None:
            lat, lon, origin_imprecise = selection.origin
            distances = haversine_many(lat, lon, table.col("lat")[chosen], table.col("lon")[chosen])
            imprecise = ~table.col("precise")[chosen] | origin_imprecise
        else:
            distances, imprecise = np.full(n, np.nan), ~table.col("precise")[chosen]
        travel = np.full(n, np.nan) if minutes is None else minutes[chosen]
        modes = selection.modes
        if modes is None or isinstance(modes, str):
            mode_names: list[str | None] = [modes] * n
        else:
            mode_names = [TRAVEL_MODES[m] if m >= 0 else None for m in modes[chosen].tolist()]
        columns = zip(
            chosen.tolist(),
            np.asarray(fused, np.float64).tolist(),
            _or_nan(lex, picked),
            _or_nan(vec, picked),
            distances.tolist(),
            travel.tolist(),
            mode_names,
            imprecise.tolist(),
            strict=True,
        )
        return [
            Candidate(
                id=table.ids[row] or "",
                score=score,
                lexical=0.0 if math.isnan(lexical) else lexical,
                vector=None if math.isnan(cosine) else cosine,
                distance_km=None if math.isnan(km) else km,
                travel_minutes=None if math.isnan(minute) else minute,
                travel_mode=None if math.isnan(minute) else mode,
                imprecise=vague,
            )
            for row, score, lexical, cosine, km, minute, mode, vague in columns
        ]


@dataclass(frozen=True)
class _Selection:
    """Rows passing a query's filters, with travel minutes and modes when it had a place."""

    rows: np.ndarray
    minutes: np.ndarray | None
    modes: np.ndarray | str | None
    origin: tuple[float, float, bool] | None


def _limits(limit: int | Sequence[int], queries: Sequence[Any]) -> list[int]:
    return [limit] * len(queries) if isinstance(limit, int) else list(limit)


def _or_nan(values: np.ndarray | None, picked: np.ndarray) -> list[float]:
    return (
        [math.nan] * len(picked) if values is None else values[picked].astype(np.float64).tolist()
    )


def _cosines(table: _Table, rows: np.ndarray, vector: np.ndarray) -> np.ndarray:
    if table.vectors is None:
        return np.full(len(rows), np.nan, np.float32)
    if len(vector) != table.dim:
        raise ValueError(f"query vector has {len(vector)} dimensions, the index {table.dim}")
    if len(rows) < GATHER_FRACTION * table.size:
        scores = table.vectors[rows] @ vector
    else:
        scores = (table.vectors[: table.size] @ vector)[rows]
    scores[~table.col("has_vec")[rows]] = np.nan
    return scores


def _fuse(
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
        picked = valid[_top(vec[valid], limit)]
        return picked, vec[picked]
    if vec is None:
        picked = _top(lex, limit)
        return picked, lex[picked]
    valid = np.flatnonzero(~np.isnan(vec))
    by_vector = valid[_top(vec[valid], limit)]
    matched = np.flatnonzero(lex > 0)
    by_text = matched[_top(lex[matched], limit)]
    union = np.union1d(by_vector, by_text)
    fused = np.zeros(len(union))
    for ranked in (by_vector, by_text):
        fused[np.searchsorted(union, ranked)] += 1.0 / (RRF_K + np.arange(1, len(ranked) + 1))
    order = np.lexsort((union, -fused))[:limit]
    return union[order], fused[order]
