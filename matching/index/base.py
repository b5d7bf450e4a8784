"""The search index contract: hard filters, lexical (BM25) and vector retrieval, facets.

Two backends implement :class:`SearchIndex`: ``embedded`` (in-process, exact) and, later,
Elasticsearch (official async client). The methods are async so that the second one fits.
The index only *retrieves* candidates with their raw scores; ``matching.rank`` scores them and
``matching.priority`` orders them, identically for both backends.

Hard filters are never relaxed by the index: an expired or closed posting, a posting of a banned
employer (C-grade credit, serious wage-arrears list) or a reserved post shown to a non-member is
a bug, not a ranking matter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol, runtime_checkable

import numpy as np

from matching.documents import JobseekerDoc, PostingDoc

Sort = Literal["relevance", "distance", "newest"]


@dataclass(frozen=True)
class TravelFilter:
    """Postings reachable from (lat, lon) within ``max_minutes`` by ``mode``.

    ``max_minutes=None`` only annotates results with travel minutes. Postings without coordinates
    are dropped when a limit is set (their travel time is unknown). Imprecise postings (district or
    city centroid) are kept unless ``include_imprecise`` is False; their minutes are estimates from
    the centroid. ``origin_imprecise`` says the origin itself is a centroid.
    """

    lat: float
    lon: float
    mode: str
    max_minutes: float | None = None
    include_imprecise: bool = True
    origin_imprecise: bool = False


@dataclass(frozen=True)
class PostingFilters:
    """Hard filters for postings. Always applied: status open, not expired at ``now`` (valid_until
    is a local date, open through that day; a gig is expired once ``ends_at`` has passed) and no
    banned employer."""

    now: datetime
    employment_types: tuple[str, ...] = ()  # any of; empty = all
    exclude_employment_types: tuple[str, ...] = ()
    adcode_prefixes: tuple[str, ...] = ()  # any of: "42", "4201", "420102"
    occupation_prefixes: tuple[str, ...] = ()  # any of: "6", "6-18", "6-18-02-04"
    min_monthly_pay: float | None = None  # top of range, monthly; unknown pay is then excluded
    # Reserved posts are returned only to members of one of their groups. ``include_reserved``
    # lifts that for listings that are not offers to a person (staff back office).
    viewer_groups: tuple[str, ...] = ()
    include_reserved: bool = False
    starts_from: datetime | None = None  # gig window: starts_at within [from, to]
    starts_to: datetime | None = None
    event_id: str | None = None
    travel: TravelFilter | None = None


@dataclass(frozen=True)
class PostingQuery:
    filters: PostingFilters
    tokens: tuple[str, ...] = ()
    vector: np.ndarray | None = field(default=None, compare=False)
    require_text: bool = False  # only postings sharing at least one token (a "q=" search)
    sort: Sort = "relevance"  # relevance falls back to distance, then newest, without text/vector


@dataclass(frozen=True)
class JobseekerReach:
    """People who can reach (lat, lon) — the posting's place — each by their own mode and limit.

    People without a mode or limit get ``default_mode`` / ``default_max_minutes`` (the policy's
    travel defaults). ``mode`` / ``max_minutes`` override everyone's (a staff search "within 30
    minutes by transit"). People without coordinates are dropped.
    """

    lat: float
    lon: float
    default_mode: str = "walk"
    default_max_minutes: float = 15.0
    mode: str | None = None
    max_minutes: float | None = None
    include_imprecise: bool = True
    origin_imprecise: bool = False


@dataclass(frozen=True)
class JobseekerFilters:
    """Hard filters for people. Always applied: status ``seeking``."""

    for_employer: bool = False  # then only people who consented to be shown to employers
    groups_any: tuple[str, ...] = ()  # members of any of these groups (a reserved post's groups)
    adcode_prefixes: tuple[str, ...] = ()
    occupation_prefixes: tuple[str, ...] = ()  # any desired occupation starts with any prefix
    reach: JobseekerReach | None = None


@dataclass(frozen=True)
class JobseekerQuery:
    filters: JobseekerFilters
    tokens: tuple[str, ...] = ()
    vector: np.ndarray | None = field(default=None, compare=False)
    require_text: bool = False
    sort: Sort = "relevance"


@dataclass(frozen=True)
class Candidate:
    """A retrieved document with its raw scores; the ranker turns these into features.

    ``score`` orders the retrieval only (reciprocal-rank fusion of the vector and BM25 lists, or
    whichever of them was asked for); it is not the match score.
    """

    id: str
    score: float
    lexical: float = 0.0  # BM25 over tokens (0 when no query token occurs)
    vector: float | None = None  # cosine; None when the query or the document has no vector
    distance_km: float | None = None
    travel_minutes: float | None = None
    travel_mode: str | None = None
    imprecise: bool = False  # either end located only to a district/city centroid


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int
    label: str | None = None  # display name, filled by the matcher where it knows one


@dataclass(frozen=True)
class Facets:
    """Counts over the same filtered set a search returns (JobTech style)."""

    total: int
    occupation_major: tuple[FacetCount, ...] = ()  # "6"
    occupation_medium: tuple[FacetCount, ...] = ()  # "6-18"
    adcode: tuple[FacetCount, ...] = ()  # district, "420102"
    employment_type: tuple[FacetCount, ...] = ()


@runtime_checkable
class SearchIndex(Protocol):
    """What the matcher and the indexer need from an index backend."""

    async def upsert_posting(self, doc: PostingDoc) -> None: ...

    async def delete_posting(self, posting_id: str) -> bool: ...

    async def upsert_jobseeker(self, doc: JobseekerDoc) -> None: ...

    async def delete_jobseeker(self, jobseeker_id: str) -> bool: ...

    async def bulk_load(self, docs: Iterable[PostingDoc | JobseekerDoc]) -> None:
        """Replace the whole content (start-up, ``jobcircle reindex``)."""
        ...

    async def get_postings(self, ids: Sequence[str]) -> list[PostingDoc]:
        """Stored documents in the order asked, unknown ids skipped (vectors may be dropped)."""
        ...

    async def get_jobseekers(self, ids: Sequence[str]) -> list[JobseekerDoc]: ...

    async def search_postings(self, query: PostingQuery, *, limit: int) -> Sequence[Candidate]: ...

    async def search_jobseekers(
        self, query: JobseekerQuery, *, limit: int
    ) -> Sequence[Candidate]: ...

    async def search_postings_many(
        self, queries: Sequence[PostingQuery], *, limit: int | Sequence[int]
    ) -> list[Sequence[Candidate]]:
        """Several searches at once (Elasticsearch: ``_msearch``); a limit per query or one for
        all. The matcher asks this way so a backend can share work between them."""
        ...

    async def search_jobseekers_many(
        self, queries: Sequence[JobseekerQuery], *, limit: int | Sequence[int]
    ) -> list[Sequence[Candidate]]: ...

    async def facet_postings(self, query: PostingQuery) -> Facets: ...

    async def count_postings(self) -> int: ...

    async def count_jobseekers(self) -> int: ...

    async def ping(self) -> bool: ...


class SingleSearches:
    """The one-query searches of :class:`SearchIndex`, asked through the batch ones (each
    backend batches its own way)."""

    async def search_postings_many(
        self, queries: Sequence[PostingQuery], *, limit: int | Sequence[int]
    ) -> list[Sequence[Candidate]]:
        raise NotImplementedError

    async def search_jobseekers_many(
        self, queries: Sequence[JobseekerQuery], *, limit: int | Sequence[int]
    ) -> list[Sequence[Candidate]]:
        raise NotImplementedError

    async def search_postings(self, query: PostingQuery, *, limit: int) -> Sequence[Candidate]:
        return (await self.search_postings_many([query], limit=limit))[0]

    async def search_jobseekers(self, query: JobseekerQuery, *, limit: int) -> Sequence[Candidate]:
        return (await self.search_jobseekers_many([query], limit=limit))[0]
