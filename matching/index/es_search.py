"""How the Elasticsearch backend answers a batch of searches with as few round trips as it can.

A query becomes a :class:`Plan` of ranked lists: the exact top by cosine and the top by BM25
(relevance), or the nearest or newest documents (other orders). All lists of all queries go in
one ``_msearch``; a list whose hits the client's travel check thins out is paged on with
``search_after`` in the next round, so the top k is taken among reachable documents only. A last
``_msearch`` fetches the BM25 of chosen documents that no text list scored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from matching.documents import EMPLOYMENT_TYPES
from matching.index import es_queries as q
from matching.index.base import Candidate, FacetCount, Facets, JobseekerQuery, PostingQuery
from matching.index.es_hits import (
    Hit,
    Origin,
    by_minutes,
    candidate,
    cosines,
    fused,
    hits_of,
    lexical_score,
)

MAX_PAGE = 10_000  # Elasticsearch's default max_result_window
DISTANCE_SLACK = 16  # nearest by straight line, then ordered by minutes: a margin for near ties
PLACE_FIELDS = ["id", "location", "precise", "travel_mode", "travel_max_minutes"]
Accept = Callable[[list[Hit]], list[Hit]]
MultiSearch = Callable[[list[tuple[str, q.Json]]], Awaitable[list[q.Json]]]


FACET_FIELDS = {
    "occupation_major": "occupation_major",
    "occupation_medium": "occupation_medium",
    "adcode": "adcode",
    "employment_type": "employment_type",
}


def facet_search(base: q.Json) -> q.Json:
    aggs = {
        name: {"terms": {"field": field, "size": 10_000}} for name, field in FACET_FIELDS.items()
    }
    return {"query": {"bool": base}, "size": 0, "track_total_hits": True, "aggs": aggs}


def facet_order(name: str, value: str) -> tuple[int, ...]:
    """The embedded index's order among equal counts: codes as numbers, types by vocabulary."""
    if name == "employment_type":
        return (EMPLOYMENT_TYPES.index(value),)
    return tuple(int(part) for part in value.split("-"))


@dataclass
class RankedList:
    """One ranked list of one query, paged until ``need`` hits pass ``accept`` (None: all)."""

    kind: str
    body: q.Json
    need: int | None
    accept: Accept | None
    hits: list[Hit] = field(default_factory=list)
    after: list[Any] | None = None
    done: bool = False


@dataclass
class Plan:
    kind: str
    query: PostingQuery | JobseekerQuery
    limit: int
    origin: Origin | None
    vector: np.ndarray | None  # the query vector, unit float32
    by_vector: RankedList | None = None
    by_text: RankedList | None = None
    ordered: list[RankedList] = field(default_factory=list)  # nearest [+ unlocated] or newest
    by_distance: bool = False
    padding: bool = False  # ``ordered`` follows a text-only relevance list with the rest

    def lists(self) -> list[RankedList]:
        return [x for x in (self.by_vector, self.by_text, *self.ordered) if x is not None]


def plan(
    kind: str,
    query: PostingQuery | JobseekerQuery,
    limit: int,
    base: q.Json,
    accept: Accept | None,
    origin: Origin | None,
    vector: np.ndarray | None,
    dims: int | None,
    unlocated_too: bool = False,
) -> Plan:
    """The lists that answer ``query`` as the embedded index would. ``base`` holds its hard
    filters and travel prefilter, ``accept`` the client's travel check, ``dims`` the index's
    vector dimension (None: no vectors yet), ``unlocated_too`` that unlocated documents stay."""
    result = Plan(kind, query, limit, origin, vector)
    if limit <= 0 or (query.require_text and not query.tokens):
        return result
    if dims is not None and vector is not None and len(vector) != dims:
        raise ValueError(f"query vector has {len(vector)} dimensions, the index {dims}")
    if query.require_text:
        base = q.narrowed(base, q.match_tokens(query.tokens))
    fields = {"includes": PLACE_FIELDS + (["vector"] if vector is not None else [])}

    def listed(body: q.Json, need: int | None) -> RankedList:
        return RankedList(kind, {**body, "_source": fields}, need, accept)

    if query.sort == "relevance" and (vector is not None or query.tokens):
        if vector is not None and dims is not None:
            result.by_vector = listed(q.vector_search(base, vector), limit)
        if query.tokens:
            result.by_text = listed(q.text_search(base, query.tokens), limit)
        if vector is not None or query.require_text:
            return result
        # text only: like the embedded top k over every row, the rest follow at BM25 0
        base = q.narrowed(base, must_not=[q.match_tokens(query.tokens)])
        result.padding = True
    if origin is not None and query.sort != "newest":
        result.by_distance = True
        if kind == q.JOBSEEKERS:  # each by their own mode: all within reach, then by minutes
            result.ordered = [listed(q.every_search(base), None)]
            return result
        nearest = q.nearest_search(base, origin[0], origin[1])
        result.ordered = [listed(nearest, limit + DISTANCE_SLACK)]
        if unlocated_too:
            result.ordered.append(listed(q.unlocated_search(base), limit))
    else:
        result.ordered = [listed(q.newest_search(base, kind), limit)]
    return result


async def collect(msearch: MultiSearch, lists: list[RankedList]) -> None:
    """Page every list until it has what it needs or the index has no more."""
    pending = [x for x in lists if x.need is None or x.need > 0]
    while pending:
        sizes, bodies = [], []
        for x in pending:
            missing = MAX_PAGE if x.need is None else x.need - len(x.hits)
            size = min(MAX_PAGE, max(2 * missing, 32) if x.accept else missing)
            body = {**x.body, "size": size, "track_total_hits": False}
            sizes.append(size)
            bodies.append((x.kind, {**body, "search_after": x.after} if x.after else body))
        for x, size, response in zip(pending, sizes, await msearch(bodies), strict=True):
            page = hits_of(response)
            if page:
                x.after = page[-1].sort
            x.hits += x.accept(page) if x.accept else page
            x.done = len(page) < size or (x.need is not None and len(x.hits) >= x.need)
        pending = [x for x in pending if not x.done]
    for x in lists:
        x.hits = x.hits if x.need is None else x.hits[: x.need]


def picks(p: Plan) -> list[tuple[Hit, float]]:
    """The hits to return, in order, with their retrieval scores."""
    chosen: list[tuple[Hit, float]] = []
    if p.by_vector is not None or p.by_text is not None:
        by_vector = p.by_vector.hits if p.by_vector else []
        by_text = p.by_text.hits if p.by_text else []
        chosen = fused(by_vector, by_text, p.vector, bool(p.query.tokens), p.limit)
        if not p.padding:
            return chosen
    elif p.vector is not None and p.query.sort == "relevance":
        return []  # a vector query on an index without vectors: the embedded index finds none
    rest = [x.hits for x in p.ordered]
    if not rest:
        return chosen
    if p.by_distance:
        ordered = by_minutes(rest[0], rest[1] if len(rest) > 1 else [], p.limit)
    else:
        ordered = [(h, 0.0) for h in rest[0][: p.limit]]
    if p.padding:  # documents sharing no token: BM25 0, the retrieval score of the embedded tail
        ordered = [(h, 0.0) for h, _ in ordered]
    return (chosen + ordered)[: p.limit]


async def run(msearch: MultiSearch, plans: list[Plan]) -> list[list[Candidate]]:
    """Answer every plan: collect the lists, pick, fetch missing BM25, build candidates."""
    await collect(msearch, [x for p in plans for x in p.lists()])
    chosen = [picks(p) for p in plans]
    lexical: list[dict[str, float]] = []
    asks: list[tuple[str, q.Json]] = []
    for p, hits in zip(plans, chosen, strict=True):
        text = p.by_text.hits if p.by_text else []
        lexical.append({h.id: lexical_score(h.score or 0.0) for h in text})
        unscored = [h.id for h, _ in hits if h.id not in lexical[-1]]
        if p.query.tokens and unscored and not p.padding:
            asks.append((p.kind, q.lexical_scores_search(unscored, p.query.tokens)))
    answers = iter(await msearch(asks) if asks else [])
    results = []
    for p, hits, scores in zip(plans, chosen, lexical, strict=True):
        if p.query.tokens and not p.padding and any(h.id not in scores for h, _ in hits):
            scores.update({h.id: lexical_score(h.score or 0.0) for h in hits_of(next(answers))})
        documents = [h for h, _ in hits]
        cos = [np.nan] * len(hits) if p.vector is None else cosines(documents, p.vector).tolist()
        results.append(
            [
                candidate(h, s, scores.get(h.id, 0.0), float(c), p.origin)
                for (h, s), c in zip(hits, cos, strict=True)
            ]
        )
    return results


async def facets(
    msearch: MultiSearch, base: q.Json, accept: Accept | None, limited: bool
) -> Facets:
    """Counts over the filtered set: aggregations, or, under a travel limit (decided on the
    client), the client's count of every document within it."""
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACET_FIELDS}
    if not limited or accept is None:
        response = (await msearch([(q.POSTINGS, facet_search(base))]))[0]
        total = int(response["hits"]["total"]["value"])
        for name in counts:
            for bucket in response["aggregations"][name]["buckets"]:
                counts[name][str(bucket["key"])] = int(bucket["doc_count"])
    else:
        fields = {"includes": [*PLACE_FIELDS, *FACET_FIELDS.values()]}
        every = RankedList(q.POSTINGS, {**q.every_search(base), "_source": fields}, None, accept)
        await collect(msearch, [every])
        total = len(every.hits)
        for hit in every.hits:
            for name, source_field in FACET_FIELDS.items():
                if source_field in hit.source:
                    counts[name][hit.source[source_field]] += 1

    def ordered(name: str) -> tuple[FacetCount, ...]:
        items = sorted(counts[name].items(), key=lambda kv: (-kv[1], facet_order(name, kv[0])))
        return tuple(FacetCount(value, count) for value, count in items)

    return Facets(
        total=total,
        occupation_major=ordered("occupation_major"),
        occupation_medium=ordered("occupation_medium"),
        adcode=ordered("adcode"),
        employment_type=ordered("employment_type"),
    )
