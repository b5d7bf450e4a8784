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

The parts live beside this module: ``table`` (rows and columns), ``terms`` (BM25), ``reach``
(travel filters), ``ranking`` (retrieval and facets) and ``fusion`` (top-k and reciprocal-rank
fusion, shared with the Elasticsearch backend).
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import numpy as np

from matching.documents import (
    ADCODE_DIGITS,
    BANNED_CREDIT,
    EMPLOYMENT_TYPES,
    OCCUPATION_DIGITS,
    TRAVEL_MODES,
    JobseekerDoc,
    PostingDoc,
    code_number,
    timestamp,
)
from matching.index.base import (
    Candidate,
    Facets,
    JobseekerFilters,
    JobseekerQuery,
    JobseekerReach,
    PostingFilters,
    PostingQuery,
    SingleSearches,
    TravelFilter,
)
from matching.index.fusion import limits_per_query
from matching.index.nearby import LatitudeOrder
from matching.index.ranking import Selection, facet_counts, retrieve
from matching.index.reach import people_reaching, postings_within
from matching.index.table import (
    JOBSEEKER_COLUMNS,
    MAX_DESIRED_OCCUPATIONS,
    NO_DAY,
    POSTING_COLUMNS,
    Table,
    location_values,
    prefix_mask,
    vocab_codes,
    vocab_index,
    without_vector,
)
from matching.travel import EstimatedTravel, TravelTimeProvider

T = TypeVar("T")
Write = tuple[str, Any]  # (operation, its argument): an entry of a journal of writes


class EmbeddedIndex(SingleSearches):
    """In-process :class:`~matching.index.base.SearchIndex`; see the module docstring."""

    def __init__(self, travel: TravelTimeProvider | None = None, *, offload: bool = True) -> None:
        self._travel: TravelTimeProvider = travel or EstimatedTravel()
        self._offload = offload
        self._lock = threading.Lock()
        self._journals: list[deque[Write]] = []
        self._reset()

    def _reset(self) -> None:
        self._postings = Table(POSTING_COLUMNS)
        self._jobseekers = Table(JOBSEEKER_COLUMNS)
        self._events: dict[str, set[int]] = {}
        self._group_bits: dict[str, int] = {}
        self._wants_width = 1  # most desired occupations anyone has (never shrinks)
        self._by_latitude: LatitudeOrder | None = None  # postings by latitude, while unchanged

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
            **location_values(doc),
            "occ": code_number(doc.occupation_code, OCCUPATION_DIGITS),
            "open": doc.status == "open" and doc.employer_credit not in BANNED_CREDIT,
            "valid_day": doc.valid_until.toordinal() if doc.valid_until else NO_DAY,
            "starts": timestamp(doc.starts_at),
            "ends": timestamp(doc.ends_at),
            "created": timestamp(doc.created_at),
            "etype": vocab_index(EMPLOYMENT_TYPES, doc.employment_type),
            "pay": np.nan if top is None else top,
            "reserved": self._groups_mask(doc.reserved_for, create=True),
        }

    def _jobseeker_values(self, doc: JobseekerDoc) -> dict[str, Any]:
        wants = [code_number(c, OCCUPATION_DIGITS) for c in doc.desired_occupations]
        self._wants_width = max(self._wants_width, min(len(wants), MAX_DESIRED_OCCUPATIONS))
        wants = (wants + [-1] * MAX_DESIRED_OCCUPATIONS)[:MAX_DESIRED_OCCUPATIONS]
        return {
            **location_values(doc),
            "seeking": doc.status == "seeking",
            "consent": doc.consent_show_to_employers,
            "groups": self._groups_mask(doc.group_codes, create=True),
            "mode": vocab_index(TRAVEL_MODES, doc.travel_mode),
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

    def _upsert(self, table: Table, doc: Any, values: dict[str, Any]) -> None:
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
        table.docs[row] = without_vector(doc)
        if table is self._postings:
            self._link_events(row, doc, link=True)

    def _delete(self, table: Table, doc_id: str) -> bool:
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

    def _write(self, operation: str, argument: Any) -> Any:
        """Every write passes here, under the lock, so that open journals hold the writes in the
        order they were applied (a write that raises changed nothing and is not journaled)."""
        match operation:
            case "upsert_posting":
                result = self._upsert(self._postings, argument, self._posting_values(argument))
            case "upsert_jobseeker":
                result = self._upsert(self._jobseekers, argument, self._jobseeker_values(argument))
            case "delete_posting":
                result = self._delete(self._postings, argument)
            case "delete_jobseeker":
                result = self._delete(self._jobseekers, argument)
            case "bulk_load":
                result = self._bulk_load(argument)
            case _:
                raise ValueError(f"unknown write {operation!r}")
        for journal in self._journals:
            journal.append((operation, argument))
        return result

    async def upsert_posting(self, doc: PostingDoc) -> None:
        await self._run(self._write, "upsert_posting", doc)

    async def delete_posting(self, posting_id: str) -> bool:
        return await self._run(self._write, "delete_posting", posting_id)

    async def upsert_jobseeker(self, doc: JobseekerDoc) -> None:
        await self._run(self._write, "upsert_jobseeker", doc)

    async def delete_jobseeker(self, jobseeker_id: str) -> bool:
        return await self._run(self._write, "delete_jobseeker", jobseeker_id)

    async def bulk_load(self, docs: Iterable[PostingDoc | JobseekerDoc]) -> None:
        await self._run(self._write, "bulk_load", list(docs))

    def load_sync(self, docs: Iterable[PostingDoc | JobseekerDoc]) -> None:
        """``bulk_load`` for callers without an event loop (the benchmark, a CLI)."""
        self._locked(self._write, "bulk_load", list(docs))

    # --- journals: a copy made by fork follows the writes made after the fork ----------------

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Holds the lock: no write is half done while the block runs (a fork inside it copies
        a whole index)."""
        with self._lock:
            yield

    def open_journal(self) -> deque[Write]:
        """Every write from now on is also appended to the returned journal, until
        ``close_journal``. Open it and fork inside ``paused()``: the copy then holds exactly
        the state the journal starts from, and ``replay`` of its entries keeps it current."""
        journal: deque[Write] = deque()
        self._journals = [*self._journals, journal]
        return journal

    def close_journal(self, journal: deque[Write]) -> None:
        self._journals = [j for j in self._journals if j is not journal]

    def forked(self) -> None:
        """In the child of a fork made inside ``paused()``: a lock of its own (the inherited
        one is held), no journals of the parent's, and calls on the calling thread."""
        self._lock = threading.Lock()
        self._journals = []
        self._offload = False

    def replay(self, writes: Iterable[Write]) -> None:
        """Apply journaled writes in order: the same operations on the same state give the same
        rows, so this index then answers as the journaled one does."""
        with self._lock:
            for operation, argument in writes:
                self._write(operation, argument)

    # --- reads -------------------------------------------------------------------------------

    async def get_postings(self, ids: Sequence[str]) -> list[PostingDoc]:
        """Stored documents without their vectors (the index keeps those in its matrix only)."""
        return await self._run(self._get, self._postings, ids)

    async def get_jobseekers(self, ids: Sequence[str]) -> list[JobseekerDoc]:
        return await self._run(self._get, self._jobseekers, ids)

    @staticmethod
    def _get(table: Table, ids: Sequence[str]) -> list[Any]:
        return [table.docs[table.row_of[i]] for i in ids if i in table.row_of]

    async def count_postings(self) -> int:
        return self._postings.live

    async def count_jobseekers(self) -> int:
        return self._jobseekers.live

    async def ping(self) -> bool:
        return True

    async def search_postings_many(
        self, queries: Sequence[PostingQuery], *, limit: int | Sequence[int]
    ) -> list[Sequence[Candidate]]:
        return await self._run(self.search_postings_sync, queries, limits_per_query(limit, queries))

    async def search_jobseekers_many(
        self, queries: Sequence[JobseekerQuery], *, limit: int | Sequence[int]
    ) -> list[Sequence[Candidate]]:
        return await self._run(
            self.search_jobseekers_sync, queries, limits_per_query(limit, queries)
        )

    async def facet_postings(self, query: PostingQuery) -> Facets:
        return await self._run(self.facet_postings_sync, query)

    # --- postings ----------------------------------------------------------------------------

    def posting_mask(self, filters: PostingFilters) -> np.ndarray:
        """Rows passing every hard filter except travel (public for the benchmark's floor)."""
        t, f = self._postings, filters
        now = timestamp(f.now)
        mask = t.col("alive") & t.col("open") & (t.col("valid_day") >= f.now.date().toordinal())
        mask &= ~(t.col("ends") <= now)  # NaN (no end) compares False: kept
        if f.employment_types or f.exclude_employment_types:
            # A lookup by type code (the last entry stands for -1, no type): much cheaper than
            # ``np.isin`` over every row.
            allowed = np.ones(len(EMPLOYMENT_TYPES) + 1, bool)
            if f.employment_types:
                allowed[:] = False
                allowed[vocab_codes(EMPLOYMENT_TYPES, f.employment_types, "type")] = True
            if f.exclude_employment_types:
                allowed[vocab_codes(EMPLOYMENT_TYPES, f.exclude_employment_types, "type")] = False
            mask &= allowed[t.col("etype")]
        if f.adcode_prefixes:
            mask &= prefix_mask(t.col("adcode"), f.adcode_prefixes, ADCODE_DIGITS)
        if f.occupation_prefixes:
            mask &= prefix_mask(t.col("occ"), f.occupation_prefixes, OCCUPATION_DIGITS)
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

    def _cached_mask(
        self, filters: PostingFilters, masks: dict[PostingFilters, np.ndarray]
    ) -> np.ndarray:
        """``posting_mask`` computed once for queries that differ only in travel and occupation
        groups (a match's queries; a match run's people with the same groups)."""
        base = dataclasses.replace(filters, occupation_prefixes=(), travel=None)
        if base not in masks:
            masks[base] = self.posting_mask(base)
        mask = masks[base].copy()
        if filters.occupation_prefixes:
            occ = self._postings.col("occ")
            mask &= prefix_mask(occ, filters.occupation_prefixes, OCCUPATION_DIGITS)
        return mask

    def posting_travel(self, travel: TravelFilter) -> tuple[np.ndarray, np.ndarray]:
        """(rows within the limit, minutes for every located row) — over all rows, so several
        queries from the same place share one computation."""
        return postings_within(self._postings, self._travel, travel)

    def _posting_selections(self, queries: Sequence[PostingQuery]) -> list[Selection]:
        everywhere: dict[TravelFilter, tuple[np.ndarray, np.ndarray]] = {}  # dense masks, minutes
        reached: dict[TravelFilter, tuple[np.ndarray, np.ndarray]] = {}  # rows, their minutes
        masks: dict[PostingFilters, np.ndarray] = {}
        selections = []
        # Many places in one call (a match run's batch): search each box by latitude band.
        order = self._latitude_order([q.filters.travel for q in queries])
        for query in queries:
            if order is not None and (
                by_band := self._selection_by_band(query, order, masks, reached)
            ):
                selections.append(by_band)
                continue
            mask = self._cached_mask(query.filters, masks)
            travel, minutes = query.filters.travel, None
            if travel is not None:
                if travel not in everywhere:
                    everywhere[travel] = self.posting_travel(travel)
                inside, minutes = everywhere[travel]
                mask &= inside
            rows = np.flatnonzero(mask)
            origin = None if travel is None else (travel.lat, travel.lon, travel.origin_imprecise)
            modes = None if travel is None else travel.mode
            at_rows = None if minutes is None else minutes[rows]
            selections.append(Selection(rows, at_rows, modes, origin))
        return selections

    def _latitude_order(self, travels: list[TravelFilter | None]) -> LatitudeOrder | None:
        if not LatitudeOrder.worth_it(travels):
            return None
        if self._by_latitude is None or not self._by_latitude.current(self._postings):
            self._by_latitude = LatitudeOrder(self._postings)
        return self._by_latitude

    def _selection_by_band(
        self,
        query: PostingQuery,
        order: LatitudeOrder,
        masks: dict[PostingFilters, np.ndarray],
        reached: dict[TravelFilter, tuple[np.ndarray, np.ndarray]],
    ) -> Selection | None:
        """The selection ``_posting_selections`` makes, from the rows within reach only."""
        travel = query.filters.travel
        if travel is None or travel.max_minutes is None:
            return None
        base = dataclasses.replace(query.filters, occupation_prefixes=(), travel=None)
        if base not in masks:
            masks[base] = self.posting_mask(base)
        if travel not in reached:  # (rows within reach, minutes): a match's queries share it
            reached[travel] = order.within(self._travel, travel)
        inside, minutes = reached[travel]
        keep = masks[base][inside]
        rows, minutes = inside[keep], minutes[keep]
        if query.filters.occupation_prefixes:
            occ = self._postings.col("occ")[rows]
            keep = prefix_mask(occ, query.filters.occupation_prefixes, OCCUPATION_DIGITS)
            rows, minutes = rows[keep], minutes[keep]
        origin = (travel.lat, travel.lon, travel.origin_imprecise)
        return Selection(rows, minutes, travel.mode, origin)

    def search_postings_sync(
        self, queries: Sequence[PostingQuery], limits: Sequence[int]
    ) -> list[Sequence[Candidate]]:
        selections = self._posting_selections(queries)
        return retrieve(self._postings, queries, selections, limits, "created")

    def facet_postings_sync(self, query: PostingQuery) -> Facets:
        rows = self._posting_selections([query])[0].rows
        t = self._postings
        if query.require_text:
            scores = t.terms.score_at(query.tokens, t.live, rows)
            rows = rows[:0] if scores is None else rows[scores > 0]
        return facet_counts(t, rows)

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
            mask &= prefix_mask(t.col("adcode"), f.adcode_prefixes, ADCODE_DIGITS)
        if f.occupation_prefixes:
            wants = t.col("wants")[:, : self._wants_width]  # only columns anyone has filled
            mask &= prefix_mask(wants, f.occupation_prefixes, OCCUPATION_DIGITS)
        return mask

    def jobseeker_reach(self, reach: JobseekerReach) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(people who reach the place by their own mode within their own limit, minutes,
        mode codes), over all seeking people."""
        return people_reaching(self._jobseekers, self._travel, reach)

    def search_jobseekers_sync(
        self, queries: Sequence[JobseekerQuery], limits: Sequence[int]
    ) -> list[Sequence[Candidate]]:
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
            rows = np.flatnonzero(mask)
            if minutes is not None and modes is not None:
                minutes, modes = minutes[rows], modes[rows]
            selections.append(Selection(rows, minutes, modes, origin))
        return retrieve(self._jobseekers, queries, selections, limits, "registered")
