"""Elasticsearch mappings, documents and query DSL for the search index (pure functions).

Every hard filter of :mod:`matching.index.base` becomes a clause on a field written for it, with
the embedded index's semantics (see ``EmbeddedIndex.posting_mask`` and ``jobseeker_mask``):

- codes are stored as the digits the embedded index compares (``code_number``, zero-padded), so
  a code prefix is a string prefix of them;
- instants are ``date_nanos`` in UTC (a naive datetime is UTC), so comparisons keep the
  microseconds the embedded index compares; ``valid_until`` is a ``date`` compared with the
  local date of ``now``;
- absent values are absent fields: a range never matches them, ``must_not`` never drops them;
- tokens are joined with spaces for a whitespace analyzer, so BM25 sees the service tokenizer's
  tokens unchanged (a token must not contain whitespace; the tokenizer never makes one).

The document itself is kept whole, unindexed, under ``doc`` for ``get_*``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

import numpy as np

from matching.documents import (
    ADCODE_DIGITS,
    BANNED_CREDIT,
    EMPLOYMENT_TYPES,
    OCCUPATION_DIGITS,
    PRECISE,
    TRAVEL_MODES,
    GroupMembership,
    JobseekerDoc,
    PostingDoc,
    as_utc,
    code_number,
    prefix_number,
)
from matching.index.base import JobseekerFilters, JobseekerReach, PostingFilters, TravelFilter
from matching.index.table import MAX_DESIRED_OCCUPATIONS, vocab_codes
from matching.index.terms import BM25_B, BM25_K1

Json = dict[str, Any]
POSTINGS, JOBSEEKERS = "postings", "jobseekers"
# Lucene's BM25 leaves out the constant (k1 + 1) of the textbook numerator; multiplying it back
# puts Elasticsearch's scores on the embedded index's scale (the ranker uses them as features).
LEXICAL_SCALE = BM25_K1 + 1.0
# The geo prefilter is a superset: geo_point stores coordinates to about a centimetre, and the
# exact minutes are decided on the client from the stored coordinates.
GEO_MARGIN, GEO_SLACK_KM = 1.001, 0.005
COSINE_SCRIPT = "cosineSimilarity(params.query_vector, 'vector') + 1.0"
_DATES = frozenset({"valid_until", "available_from"})
_INSTANTS = frozenset({"starts_at", "ends_at", "created_at", "registered_at"})

# --- indices --------------------------------------------------------------------------------

_COMMON_FIELDS: Json = {
    "id": {"type": "keyword"},
    "doc": {"type": "object", "enabled": False},
    "status": {"type": "keyword"},
    "adcode": {"type": "keyword"},
    "location": {"type": "geo_point"},
    "precise": {"type": "boolean"},
    "has_vector": {"type": "boolean"},  # a plain flag: no reliance on `exists` for vectors
    "tokens": {"type": "text", "analyzer": "whitespace", "similarity": "jobcircle_bm25"},
}
_FIELDS: dict[str, Json] = {
    POSTINGS: {
        "employer_credit": {"type": "keyword"},
        "valid_until": {"type": "date", "format": "strict_date"},
        "starts_at": {"type": "date_nanos"},
        "ends_at": {"type": "date_nanos"},
        "created_at": {"type": "date_nanos"},
        "employment_type": {"type": "keyword"},
        "occupation": {"type": "keyword"},
        "occupation_major": {"type": "keyword"},
        "occupation_medium": {"type": "keyword"},
        "monthly_pay_max": {"type": "double"},
        "reserved_for": {"type": "keyword"},
        "event_ids": {"type": "keyword"},
    },
    JOBSEEKERS: {
        "consent": {"type": "boolean"},
        "groups": {"type": "keyword"},
        "desired_occupations": {"type": "keyword"},
        "travel_mode": {"type": "keyword"},
        "travel_max_minutes": {"type": "double"},
        "registered_at": {"type": "date_nanos"},
    },
}
NEWEST_FIELD = {POSTINGS: "created_at", JOBSEEKERS: "registered_at"}


def vector_field(dims: int) -> Json:
    return {"type": "dense_vector", "dims": dims, "index": True, "similarity": "cosine"}


def index_mappings(kind: str, dims: int | None, changelog_seq: int | None = None) -> Json:
    properties = {**_COMMON_FIELDS, **_FIELDS[kind]}
    if dims is not None:
        properties["vector"] = vector_field(dims)
    return {"dynamic": "strict", "_meta": meta(changelog_seq), "properties": properties}


def meta(changelog_seq: int | None) -> Json:
    return {"changelog_seq": changelog_seq}


def index_settings(shards: int, replicas: int) -> Json:
    """One shard by default: BM25 statistics are then those of the whole index, as embedded."""
    return {
        "number_of_shards": shards,
        "number_of_replicas": replicas,
        "similarity": {"jobcircle_bm25": {"type": "BM25", "k1": BM25_K1, "b": BM25_B}},
    }


# --- documents ------------------------------------------------------------------------------


def instant(moment: datetime | None) -> str | None:
    """UTC with microseconds, for a ``date_nanos`` field or a range on one."""
    moment = as_utc(moment)
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _padded(number: int, digits: int) -> str | None:
    return f"{number:0{digits}d}" if number >= 0 else None


def _stored(doc: PostingDoc | JobseekerDoc) -> Json:
    def plain(value: Any) -> Any:
        if isinstance(value, date):  # datetimes too: isoformat keeps the offset and microseconds
            return value.isoformat()
        if isinstance(value, GroupMembership):
            return {"code": value.code, "certified_at": plain(value.certified_at)}
        if isinstance(value, tuple):
            return [plain(v) for v in value]
        return value

    return {
        f.name: plain(getattr(doc, f.name)) for f in dataclasses.fields(doc) if f.name != "vector"
    }


def stored_doc(kind: str, stored: Json) -> PostingDoc | JobseekerDoc:
    """The document ``source`` was written from, without its vector."""
    values = dict(stored)
    for name in _DATES & values.keys():
        values[name] = None if values[name] is None else date.fromisoformat(values[name])
    for name in _INSTANTS & values.keys():
        values[name] = None if values[name] is None else datetime.fromisoformat(values[name])
    if kind == JOBSEEKERS:
        values["groups"] = [
            GroupMembership(
                g["code"],
                None if g["certified_at"] is None else date.fromisoformat(g["certified_at"]),
            )
            for g in values["groups"]
        ]
        return JobseekerDoc(**values)
    return PostingDoc(**values)


def _place(doc: PostingDoc | JobseekerDoc) -> Json:
    if doc.lat is None or doc.lon is None:
        return {"precise": False}
    return {
        "location": {"lat": doc.lat, "lon": doc.lon},
        "precise": doc.location_precision == PRECISE,
    }


def _common(doc: PostingDoc | JobseekerDoc) -> Json:
    return {
        "id": doc.id,
        "doc": _stored(doc),
        "status": doc.status,
        "adcode": _padded(code_number(doc.adcode, ADCODE_DIGITS), ADCODE_DIGITS),
        **_place(doc),
        "tokens": " ".join(doc.tokens),
        "has_vector": doc.vector is not None,
        "vector": None if doc.vector is None else doc.vector.tolist(),
    }


def posting_source(doc: PostingDoc) -> Json:
    occupation = code_number(doc.occupation_code, OCCUPATION_DIGITS)
    medium = occupation // 10**4
    source = {
        **_common(doc),
        "employer_credit": doc.employer_credit,
        "valid_until": None if doc.valid_until is None else doc.valid_until.isoformat(),
        "starts_at": instant(doc.starts_at),
        "ends_at": instant(doc.ends_at),
        "created_at": instant(doc.created_at),
        "employment_type": doc.employment_type if doc.employment_type in EMPLOYMENT_TYPES else None,
        "occupation": _padded(occupation, OCCUPATION_DIGITS),
        "occupation_major": str(occupation // 10**6) if occupation >= 0 else None,
        "occupation_medium": f"{medium // 100}-{medium % 100:02d}" if occupation >= 0 else None,
        "monthly_pay_max": doc.monthly_pay_max,
        "reserved_for": list(doc.reserved_for),
        "event_ids": list(doc.event_ids),
    }
    return {name: value for name, value in source.items() if value is not None}


def jobseeker_source(doc: JobseekerDoc) -> Json:
    # the embedded index keeps the first eight desired occupations, malformed ones included
    wants = [code_number(c, OCCUPATION_DIGITS) for c in doc.desired_occupations]
    wants = wants[:MAX_DESIRED_OCCUPATIONS]
    limit = doc.travel_max_minutes
    source = {
        **_common(doc),
        "consent": doc.consent_show_to_employers,
        "groups": list(doc.group_codes),
        "desired_occupations": [_padded(n, OCCUPATION_DIGITS) for n in wants if n >= 0],
        "travel_mode": doc.travel_mode if doc.travel_mode in TRAVEL_MODES else None,
        "travel_max_minutes": None if limit is None else float(limit),
        "registered_at": instant(doc.registered_at),
    }
    return {name: value for name, value in source.items() if value is not None}


# --- hard filters ---------------------------------------------------------------------------


def _prefixes(field: str, prefixes: Iterable[str], digits: int) -> Json:
    """Any of the code prefixes; each is checked as the embedded index checks it."""
    clauses = []
    for prefix in prefixes:
        prefix_number(prefix, digits)  # raises ValueError on what is not a code prefix
        clauses.append({"prefix": {field: prefix.replace("-", "").strip()}})
    return {"bool": {"should": clauses, "minimum_should_match": 1}}


def posting_filter(f: PostingFilters) -> Json:
    """A ``bool`` of every hard filter of ``f`` except travel (see :func:`travel_clauses`)."""
    must: list[Json] = [{"term": {"status": "open"}}]
    must_not: list[Json] = [
        {"terms": {"employer_credit": sorted(BANNED_CREDIT)}},
        {"range": {"valid_until": {"lt": f.now.date().isoformat()}}},  # open through that day
        {"range": {"ends_at": {"lte": instant(f.now)}}},
    ]
    if f.employment_types:
        vocab_codes(EMPLOYMENT_TYPES, f.employment_types, "type")
        must.append({"terms": {"employment_type": list(f.employment_types)}})
    if f.exclude_employment_types:
        vocab_codes(EMPLOYMENT_TYPES, f.exclude_employment_types, "type")
        must_not.append({"terms": {"employment_type": list(f.exclude_employment_types)}})
    if f.adcode_prefixes:
        must.append(_prefixes("adcode", f.adcode_prefixes, ADCODE_DIGITS))
    if f.occupation_prefixes:
        must.append(_prefixes("occupation", f.occupation_prefixes, OCCUPATION_DIGITS))
    if f.min_monthly_pay is not None:
        must.append({"range": {"monthly_pay_max": {"gte": f.min_monthly_pay}}})
    if not f.include_reserved:
        open_to_all: Json = {"bool": {"must_not": [{"exists": {"field": "reserved_for"}}]}}
        shown = [open_to_all]
        if f.viewer_groups:
            shown.append({"terms": {"reserved_for": list(f.viewer_groups)}})
        must.append({"bool": {"should": shown, "minimum_should_match": 1}})
    window = {"gte": instant(f.starts_from), "lte": instant(f.starts_to)}
    if any(window.values()):
        must.append({"range": {"starts_at": {k: v for k, v in window.items() if v}}})
    if f.event_id is not None:
        must.append({"term": {"event_ids": f.event_id}})
    return {"filter": must, "must_not": must_not}


def jobseeker_filter(f: JobseekerFilters) -> Json:
    """A ``bool`` of every hard filter of ``f`` except reach (see :func:`reach_clauses`)."""
    must: list[Json] = [{"term": {"status": "seeking"}}]
    if f.for_employer:
        must.append({"term": {"consent": True}})
    if f.groups_any:
        must.append({"terms": {"groups": list(f.groups_any)}})
    if f.adcode_prefixes:
        must.append(_prefixes("adcode", f.adcode_prefixes, ADCODE_DIGITS))
    if f.occupation_prefixes:
        prefixes = _prefixes("desired_occupations", f.occupation_prefixes, OCCUPATION_DIGITS)
        must.append(prefixes)
    return {"filter": must, "must_not": []}


def within(lat: float, lon: float, km: float) -> Json:
    radius = km * GEO_MARGIN + GEO_SLACK_KM
    return {"geo_distance": {"distance": f"{radius:.6f}km", "location": {"lat": lat, "lon": lon}}}


def travel_clauses(travel: TravelFilter, radius_km: float | None) -> list[Json]:
    """Server side of a posting travel filter: precision, and a circle when there is a limit.
    ``radius_km`` is the provider's conservative reach for the limit."""
    clauses: list[Json] = []
    if not travel.include_imprecise:
        clauses.append({"term": {"precise": True}})
    if radius_km is not None:
        clauses.append(within(travel.lat, travel.lon, radius_km))
    return clauses


def reach_clauses(reach: JobseekerReach, radius_km: dict[str, float]) -> list[Json]:
    """Server side of a reach: located (precise if asked) people, each within the circle of
    the mode they travel by; ``radius_km`` is the provider's reach per mode for the widest
    limit anyone could have."""
    clauses: list[Json] = [{"exists": {"field": "location"}}]
    if not reach.include_imprecise:
        clauses.append({"term": {"precise": True}})
    if reach.mode is not None:
        return [*clauses, within(reach.lat, reach.lon, radius_km[reach.mode])]
    by_mode = []
    for mode in TRAVEL_MODES:
        travels_so: Json = {"term": {"travel_mode": mode}}
        if mode == reach.default_mode:  # people who named no (known) mode travel by default
            no_mode: Json = {"bool": {"must_not": [{"exists": {"field": "travel_mode"}}]}}
            travels_so = {"bool": {"should": [travels_so, no_mode], "minimum_should_match": 1}}
        circle = within(reach.lat, reach.lon, radius_km[mode])
        by_mode.append({"bool": {"filter": [travels_so, circle]}})
    return [*clauses, {"bool": {"should": by_mode, "minimum_should_match": 1}}]


# --- searches -------------------------------------------------------------------------------


def match_tokens(tokens: Sequence[str]) -> Json:
    """BM25 over the tokens; a repeated query token counts as often as it is repeated."""
    return {"match": {"tokens": {"query": " ".join(tokens), "operator": "or"}}}


def narrowed(base: Json, *filters: Json, must_not: Sequence[Json] = ()) -> Json:
    return {
        "filter": [*base["filter"], *filters],
        "must_not": [*base["must_not"], *must_not],
    }


BY_SCORE = [{"_score": {"order": "desc"}}, {"id": {"order": "asc"}}]


def vector_search(base: Json, vector: np.ndarray) -> Json:
    """Exact cosine (+1, as scores must not be negative) over documents with a vector."""
    query = {"bool": narrowed(base, {"term": {"has_vector": True}})}
    script = {"source": COSINE_SCRIPT, "params": {"query_vector": vector.tolist()}}
    return {"query": {"script_score": {"query": query, "script": script}}, "sort": BY_SCORE}


def text_search(base: Json, tokens: Sequence[str]) -> Json:
    """BM25 over documents sharing at least one token."""
    return {"query": {"bool": {**base, "must": [match_tokens(tokens)]}}, "sort": BY_SCORE}


def newest_search(base: Json, kind: str) -> Json:
    newest = {NEWEST_FIELD[kind]: {"order": "desc", "missing": "_last"}}
    return {"query": {"bool": base}, "sort": [newest, {"id": {"order": "asc"}}]}


def nearest_search(base: Json, lat: float, lon: float) -> Json:
    """Located documents, nearest first (straight line; the client orders by minutes)."""
    origin = {"location": {"lat": lat, "lon": lon}, "order": "asc", "unit": "km"}
    query = {"bool": narrowed(base, {"exists": {"field": "location"}})}
    return {"query": query, "sort": [{"_geo_distance": origin}, {"id": {"order": "asc"}}]}


def every_search(base: Json) -> Json:
    """The whole filtered set, in id order (to page through all of it)."""
    return {"query": {"bool": base}, "sort": [{"id": {"order": "asc"}}]}


def unlocated_search(base: Json) -> Json:
    query = {"bool": narrowed(base, must_not=[{"exists": {"field": "location"}}])}
    return {"query": query, "sort": [{"id": {"order": "asc"}}]}


def lexical_scores_search(ids: Sequence[str], tokens: Sequence[str]) -> Json:
    """BM25 of the given documents (those that share no token are left out)."""
    query = {"bool": {"filter": [{"ids": {"values": list(ids)}}], "must": [match_tokens(tokens)]}}
    return {"query": query, "size": len(ids), "_source": False}
