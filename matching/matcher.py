"""The facade the service calls: postings for a person, people for a posting, public search.

Each match retrieves generously from the index (hard filters; a text+vector query and an
occupation-group query, plus a priority-members query for a posting's candidates), then scores
every candidate exactly with ``matching.rank`` and orders them with ``matching.priority``. The
same code runs over either index backend.
"""

from __future__ import annotations

import asyncio
import dataclasses
import heapq
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import numpy as np

from matching.bounds import PostingTraits, RoughBounds
from matching.documents import PRECISE, JobseekerDoc, PostingDoc, occupation_prefix
from matching.index.base import (
    Candidate,
    FacetCount,
    Facets,
    JobseekerFilters,
    JobseekerQuery,
    JobseekerReach,
    PostingFilters,
    PostingQuery,
    SearchIndex,
    TravelFilter,
)
from matching.index.candidates import Pool
from matching.policy import PriorityPolicy
from matching.priority import (
    PriorityRules,
    group_reasons,
    may_offer,
    order_candidates,
    person_boost,
    posting_reserved,
    priority_groups,
    types_reserved_from,
)
from matching.rank import PairContext, ScoringModel, assess, occupation_value
from matching.taxonomy import Taxonomy
from matching.travel import EstimatedTravel, TravelTimeProvider

# Candidates retrieved by the main (text + vector) query; the occupation-group and priority-member
# queries retrieve half as many each. Exact ranking is Python per candidate (~50 µs), so a few
# hundred keep a match within tens of milliseconds, while the best candidates are almost surely
# among them: they are near the top of the text/vector list or of their occupation group's.
DEFAULT_POOL = 200
# Scores are rounded to 6 decimals and a bound may sum its features in another order: a
# candidate is dropped only when the k-th best score beats its bound by more than that.
BOUND_MARGIN = 1e-6
MAX_OCCUPATION_TABLES = 1024  # lists of desired occupations whose values are kept (~25 kB each)
OCCUPATION_LEVEL = 2  # retrieve within the medium group ("6-18"): same code, minor or medium


@dataclass(frozen=True)
class PostingMatch:
    posting_id: str
    score: float
    travel_minutes: float | None
    travel_mode: str | None
    reasons: tuple[str, ...]
    features: dict[str, float]
    imprecise: bool = False


@dataclass(frozen=True)
class CandidateMatch:
    jobseeker_id: str
    score: float
    priority_tier: int  # 0 priority-group member, qualified; 1 other qualified; 2 below threshold
    travel_minutes: float | None
    travel_mode: str | None
    reasons: tuple[str, ...]
    features: dict[str, float]
    imprecise: bool = False


@dataclass(frozen=True)
class SearchHit:
    posting_id: str
    score: float  # retrieval score (fused ranks, BM25 or cosine), for ordering only
    lexical: float
    vector: float | None
    travel_minutes: float | None
    distance_km: float | None
    imprecise: bool


D = TypeVar("D", PostingDoc, JobseekerDoc)


async def _documents(
    pool: Pool, fetch: Callable[[list[str]], Awaitable[list[D]]]
) -> tuple[Pool, list[D]]:
    """The pool (without candidates whose document is gone) and their documents: handed
    over with the candidates by the embedded index, else fetched."""
    if pool.docs is not None:
        return pool, pool.docs
    return _with_docs(pool, {doc.id: doc for doc in await fetch(pool.ids)})


def _with_docs(pool: Pool, docs: dict[str, D]) -> tuple[Pool, list[D]]:
    """The pool's candidates whose documents were found, and those documents, aligned."""
    found = [docs.get(pid) for pid in pool.ids]
    keep = [i for i, doc in enumerate(found) if doc is not None]
    if len(keep) < len(found):
        pool = pool.only(keep)
    return pool, [doc for doc in found if doc is not None]


def per_person(limit: int | Sequence[int], seekers: Sequence[JobseekerDoc]) -> list[int]:
    """One limit per person: ``limit`` for everyone, or the list given, of the right length."""
    limits = [limit] * len(seekers) if isinstance(limit, int) else list(limit)
    if len(limits) != len(seekers):
        raise ValueError("one limit per person, or one for all")
    return limits


def _group_prefixes(codes: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(occupation_prefix(code, OCCUPATION_LEVEL) for code in codes if code))


class Matcher:
    def __init__(
        self,
        index: SearchIndex,
        taxonomy: Taxonomy,
        policy: PriorityPolicy,
        *,
        travel: TravelTimeProvider | None = None,
        weights: ScoringModel | None = None,
        rules: PriorityRules | None = None,
        pool: int = DEFAULT_POOL,
    ) -> None:
        self.index = index
        self.taxonomy = taxonomy
        self.policy = policy
        self.travel = travel or EstimatedTravel()
        self.model = weights or ScoringModel()
        self.rules = rules or PriorityRules()
        self.pool = pool
        # postings' own facts for the bounds, and occupation values, kept across matches
        self.traits = PostingTraits(aims=self._aims)
        self._occupations: dict[tuple[str, ...], np.ndarray] = {}

    def _context(
        self,
        candidate: Candidate,
        seeker: JobseekerDoc,
        posting: PostingDoc,
        mode: str,
        limit: float,
    ) -> PairContext:
        minutes, imprecise = candidate.travel_minutes, candidate.imprecise
        if minutes is None and seeker.has_point and posting.has_point:
            # No travel filter was asked for: still estimate, so the feature and reason exist.
            minutes = float(
                self.travel.minutes_from(
                    seeker.lat, seeker.lon, np.array([posting.lat]), np.array([posting.lon]), mode
                )[0]
            )
            imprecise = (
                seeker.location_precision != PRECISE or posting.location_precision != PRECISE
            )
        return PairContext(
            lexical=candidate.lexical,
            vector=candidate.vector,
            travel_minutes=minutes,
            travel_mode=candidate.travel_mode or mode,
            travel_limit=limit,
            imprecise=imprecise,
        )

    def posting_query(
        self,
        seeker: JobseekerDoc,
        *,
        now: datetime,
        minutes: float | None = None,
        mode: str | None = None,
        employment_type: str | None = None,
        event_id: str | None = None,
        include_imprecise: bool = True,
        starts_between: tuple[datetime, datetime] | None = None,
    ) -> tuple[PostingQuery, str, float]:
        """The index query :meth:`postings_for` asks first (hard filters, the person's travel
        reach, text and vector), with the travel mode and limit it applied."""
        defaults = self.policy.travel_defaults
        mode = mode or seeker.travel_mode or defaults.mode
        max_minutes = minutes or seeker.travel_max_minutes or defaults.max_minutes
        groups = seeker.group_codes
        travel = None
        if seeker.has_point:
            assert seeker.lat is not None and seeker.lon is not None
            travel = TravelFilter(
                seeker.lat,
                seeker.lon,
                mode,
                max_minutes,
                include_imprecise=include_imprecise,
                origin_imprecise=seeker.location_precision != PRECISE,
            )
        filters = PostingFilters(
            now=now,
            employment_types=(employment_type,) if employment_type else (),
            exclude_employment_types=types_reserved_from(self.policy, groups),
            viewer_groups=groups,
            starts_from=starts_between[0] if starts_between else None,
            starts_to=starts_between[1] if starts_between else None,
            event_id=event_id,
            travel=travel,
        )
        query = PostingQuery(filters, tokens=seeker.tokens, vector=seeker.vector)
        return query, mode, max_minutes

    def _posting_queries(
        self, seeker: JobseekerDoc, *, now: datetime, **options: Any
    ) -> tuple[list[PostingQuery], list[int], str, float]:
        """A match's index queries and their pool sizes: the person's own query, and the same
        within their desired occupations' groups; with the travel mode and limit applied."""
        query, mode, max_minutes = self.posting_query(seeker, now=now, **options)
        queries, limits = [query], [self.pool]
        prefixes = _group_prefixes(seeker.desired_occupations)
        if prefixes:
            same_group = dataclasses.replace(query.filters, occupation_prefixes=prefixes)
            queries.append(dataclasses.replace(query, filters=same_group))
            limits.append(self.pool // 2)
        return queries, limits, mode, max_minutes

    async def postings_for(
        self,
        seeker: JobseekerDoc,
        *,
        limit: int = 20,
        minutes: float | None = None,
        mode: str | None = None,
        employment_type: str | None = None,
        event_id: str | None = None,
        include_imprecise: bool = True,
        starts_between: tuple[datetime, datetime] | None = None,
        now: datetime,
    ) -> list[PostingMatch]:
        """Postings for a person, best first. ``minutes``/``mode`` override the person's own travel
        preference (else the policy's defaults); reserved posts appear only for their groups."""
        queries, limits, mode, max_minutes = self._posting_queries(
            seeker,
            now=now,
            minutes=minutes,
            mode=mode,
            employment_type=employment_type,
            event_id=event_id,
            include_imprecise=include_imprecise,
            starts_between=starts_between,
        )
        pool = Pool(await self.index.search_postings_many(queries, limit=limits))
        pool, postings = await _documents(pool, self.index.get_postings)
        return self.rank_postings(seeker, pool, postings, mode, max_minutes, limit, now)

    async def postings_for_many(
        self, seekers: Sequence[JobseekerDoc], *, limit: int | Sequence[int], now: datetime
    ) -> list[list[PostingMatch]]:
        """``postings_for`` for a block of people (a match run's batch), with the same results:
        the index is asked once for every person's queries, the union of the candidates is
        fetched once, and each person is ranked as ``postings_for`` ranks them."""
        limits = per_person(limit, seekers)
        plans = [self._posting_queries(seeker, now=now) for seeker in seekers]
        queries = [query for plan in plans for query in plan[0]]
        pools = [pool for plan in plans for pool in plan[1]]
        found = await self.index.search_postings_many(queries, limit=pools) if queries else []
        pools, start = [], 0
        for plan in plans:
            pools.append(Pool(found[start : start + len(plan[0])]))
            start += len(plan[0])
        docs: dict[str, PostingDoc] = {}
        wanted = list(dict.fromkeys(p for pool in pools if pool.docs is None for p in pool.ids))
        if wanted:
            docs = {doc.id: doc for doc in await self.index.get_postings(wanted)}
        results = []
        for seeker, plan, pool, top in zip(seekers, plans, pools, limits, strict=True):
            pool, postings = (pool, pool.docs) if pool.docs is not None else _with_docs(pool, docs)
            _, _, mode, max_minutes = plan
            results.append(self.rank_postings(seeker, pool, postings, mode, max_minutes, top, now))
            await asyncio.sleep(0)  # ranking a block holds the loop; let others in per person
        return results

    def rank_postings(
        self,
        seeker: JobseekerDoc,
        pool: Pool,
        postings: Sequence[PostingDoc],
        mode: str,
        max_minutes: float,
        limit: int,
        now: datetime,
    ) -> list[PostingMatch]:
        """The best ``limit`` of the retrieved postings, exactly as if every one were assessed.

        Upper bounds of each candidate's score (``matching.bounds``: every feature but the
        schedule, for all candidates at once) order the work: the candidates are assessed
        best bound first, and the rest dropped once the k-th best score found beats the next
        bound. A match thus assesses tens of candidates instead of a few hundred; since no
        candidate is dropped whose score could reach the k-th best, the top ``limit`` is the
        one assessing every candidate would give, whatever the order. ``postings`` are the
        documents of the pool's candidates, in the pool's order."""
        groups = frozenset(seeker.group_codes)
        rough = self._rough_bounds(seeker, pool, postings, max_minutes, now)
        best: list[float] = []  # the ``limit`` best scores so far, a heap: the k-th first
        results = []
        for i in np.argsort(-rough.bounds, kind="stable").tolist():
            full = len(best) >= limit
            # Strictly above: a candidate that could tie might still win on travel or id.
            if full and best[0] > rough.bounds[i] + BOUND_MARGIN:
                break  # no candidate left can enter the top ``limit``
            posting = postings[i]
            if not may_offer(self.policy, posting, groups):
                continue
            context = self._context(pool.candidate(i), seeker, posting, mode, max_minutes)
            match = self._posting_match(seeker, posting, context, now)
            results.append(match)
            if len(best) < limit:
                heapq.heappush(best, match.score)
            elif match.score > best[0]:
                heapq.heapreplace(best, match.score)
        results.sort(key=lambda m: (-m.score, m.travel_minutes or 0.0, m.posting_id))
        return results[:limit]

    def _rough_bounds(
        self,
        seeker: JobseekerDoc,
        pool: Pool,
        postings: Sequence[PostingDoc],
        max_minutes: float,
        now: datetime,
    ) -> RoughBounds:
        return RoughBounds(
            model=self.model,
            boost=self.rules.targeted_boost,
            traits=self.traits,
            seeker=seeker,
            postings=postings,
            lexical=pool.lexical,
            cosine=pool.vector,
            minutes=pool.minutes,
            occupation=lambda rows: self._occupation_values(seeker, rows),
            max_minutes=max_minutes,
            now=now,
        )

    def _occupation_values(self, seeker: JobseekerDoc, rows: np.ndarray) -> np.ndarray:
        """``rank.occupation_value`` of the postings at ``rows`` of ``traits``, from a table per
        list of desired occupations (the people of a match run share a few hundred), by
        occupation code, computed the first time a code is met (NaN until then)."""
        traits, wanted = self.traits, seeker.desired_occupations
        if len(self._occupations) > MAX_OCCUPATION_TABLES:
            self._occupations.clear()
        table = self._occupations.get(wanted)
        known = len(traits.occupation_codes)
        if table is None or len(table) < known:
            grown = np.full(max(known, 64) * 2, np.nan)
            if table is not None:
                grown[: len(table)] = table
            table = self._occupations[wanted] = grown
        codes = traits.occupation.take(rows)
        values = table.take(codes)
        missing = np.isnan(values)
        if missing.any():
            for code in np.unique(codes[missing]).tolist():
                name = traits.occupation_codes[code]
                table[code] = occupation_value(seeker, name, self.taxonomy)
            values = table.take(codes)
        return values

    def _aims(self, posting: PostingDoc) -> frozenset[str]:
        """The groups the posting is aimed at, as ``person_boost`` reads them: reserved for, or
        targeted by an event it is offered at."""
        return posting_reserved(self.policy, posting) | frozenset(posting.event_target_groups)

    def _posting_match(
        self, seeker: JobseekerDoc, posting: PostingDoc, context: PairContext, now: datetime
    ) -> PostingMatch:
        assessment = assess(seeker, posting, context, taxonomy=self.taxonomy, now=now)
        score = self.model.score(assessment.features)
        boost, boost_reasons = person_boost(self.policy, posting, seeker, self.rules)
        return PostingMatch(
            posting_id=posting.id,
            score=round(min(1.0, score + boost), 6),
            travel_minutes=context.travel_minutes,
            travel_mode=context.travel_mode if context.travel_minutes is not None else None,
            reasons=boost_reasons + assessment.reasons,
            features=assessment.features,
            imprecise=context.imprecise,
        )

    async def jobseekers_for(
        self, posting: PostingDoc, *, limit: int = 20, for_employer: bool, now: datetime
    ) -> list[CandidateMatch]:
        """Candidates for a posting: priority tiers, then score (``matching.priority``). Employers
        see only people who consented, and group names are not shown to them."""
        defaults = self.policy.travel_defaults
        reserved = posting_reserved(self.policy, posting)
        reach = None
        if posting.has_point:
            assert posting.lat is not None and posting.lon is not None
            reach = JobseekerReach(
                posting.lat,
                posting.lon,
                default_mode=defaults.mode,
                default_max_minutes=defaults.max_minutes,
                origin_imprecise=posting.location_precision != PRECISE,
            )
        filters = JobseekerFilters(
            for_employer=for_employer, groups_any=tuple(sorted(reserved)), reach=reach
        )
        query = JobseekerQuery(filters, tokens=posting.tokens, vector=posting.vector)
        queries, limits = [query], [self.pool]
        if posting.occupation_code:
            prefixes = _group_prefixes([posting.occupation_code])
            same_group = dataclasses.replace(filters, occupation_prefixes=prefixes)
            queries.append(dataclasses.replace(query, filters=same_group))
            limits.append(self.pool // 2)
        if not reserved:
            # Members must not be starved of places in the pool by a crowd of non-members.
            members = dataclasses.replace(filters, groups_any=self.policy.group_codes)
            queries.append(dataclasses.replace(query, filters=members))
            limits.append(self.pool // 2)
        pool = Pool(await self.index.search_jobseekers_many(queries, limit=limits))
        pool, found = await _documents(pool, self.index.get_jobseekers)
        people = {person.id: person for person in found}
        assessed = {}
        for i, person in enumerate(found):
            mode = person.travel_mode or defaults.mode
            limit_minutes = person.travel_max_minutes or defaults.max_minutes
            context = self._context(pool.candidate(i), person, posting, mode, limit_minutes)
            assessment = assess(person, posting, context, taxonomy=self.taxonomy, now=now)
            assessed[person.id] = (self.model.score(assessment.features), assessment, context)
        ordered = order_candidates(
            [(pid, score, people[pid].group_codes) for pid, (score, _, _) in assessed.items()],
            self.policy,
            self.rules,
        )
        results = []
        for ranked in ordered[:limit]:
            score, assessment, context = assessed[ranked.id]
            groups = priority_groups(self.policy, people[ranked.id].group_codes)
            reasons = group_reasons(self.policy, groups, for_employer=for_employer)
            results.append(
                CandidateMatch(
                    jobseeker_id=ranked.id,
                    score=round(score, 6),
                    priority_tier=ranked.tier,
                    travel_minutes=context.travel_minutes,
                    travel_mode=context.travel_mode if context.travel_minutes is not None else None,
                    reasons=tuple(reasons) + assessment.reasons,
                    features=assessment.features,
                    imprecise=context.imprecise,
                )
            )
        return results

    async def search_postings(
        self,
        tokens: Sequence[str],
        vector: np.ndarray | None,
        filters: PostingFilters,
        *,
        limit: int = 20,
        offset: int = 0,
    ) -> tuple[list[SearchHit], Facets]:
        """Public search: hits in retrieval order and facets over the same filtered set.

        With tokens, only postings sharing at least one token are hits (a "q=" search); with
        neither tokens nor vector, nearest first when ``filters.travel`` is set, else newest.
        """
        query = PostingQuery(
            filters, tokens=tuple(tokens), vector=vector, require_text=bool(tokens)
        )
        candidates, facets = await asyncio.gather(
            self.index.search_postings(query, limit=offset + limit),
            self.index.facet_postings(query),
        )
        hits = [
            SearchHit(
                posting_id=c.id,
                score=c.score,
                lexical=c.lexical,
                vector=c.vector,
                travel_minutes=c.travel_minutes,
                distance_km=c.distance_km,
                imprecise=c.imprecise,
            )
            for c in candidates[offset : offset + limit]
        ]
        return hits, self._label(facets)

    def _label(self, facets: Facets) -> Facets:
        def named(counts: tuple[FacetCount, ...], fill: str) -> tuple[FacetCount, ...]:
            labelled = []
            for count in counts:
                occupation = self.taxonomy.get("-".join((count.value + fill).split("-")[:4]))
                label = occupation.name if occupation else None
                labelled.append(dataclasses.replace(count, label=label))
            return tuple(labelled)

        return dataclasses.replace(
            facets,
            occupation_major=named(facets.occupation_major, "-00-00-00"),
            occupation_medium=named(facets.occupation_medium, "-00-00"),
        )
