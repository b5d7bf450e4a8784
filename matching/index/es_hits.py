"""What the Elasticsearch backend does with hits on the client (pure functions).

Travel is decided here, with the same :class:`~matching.travel.TravelTimeProvider` and the same
stored coordinates as the embedded index, so minutes and reach are identical; the server only
narrowed the set with a generous circle. Cosines are computed here too, in float32 from the
stored vectors as the embedded index does, and hybrid lists are fused with the embedded index's
own :func:`~matching.index.fusion.fuse`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from matching.documents import TRAVEL_MODES
from matching.index.base import Candidate, JobseekerReach, TravelFilter
from matching.index.es_queries import LEXICAL_SCALE, Json
from matching.index.fusion import fuse
from matching.travel import MINUTES_TOLERANCE, TravelTimeProvider, haversine_many

Origin = tuple[float, float, bool]  # lat, lon, the origin is itself imprecise


@dataclass
class Hit:
    id: str
    source: Json
    score: float | None
    sort: list[Any] | None
    minutes: float = math.nan
    mode: str | None = None

    @property
    def lat(self) -> float:
        return float(self.source["location"]["lat"]) if "location" in self.source else math.nan

    @property
    def lon(self) -> float:
        return float(self.source["location"]["lon"]) if "location" in self.source else math.nan


def hits_of(response: Json) -> list[Hit]:
    return [
        Hit(h["_id"], h.get("_source") or {}, h.get("_score"), h.get("sort"))
        for h in response["hits"]["hits"]
    ]


def _coordinates(hits: Sequence[Hit]) -> tuple[np.ndarray, np.ndarray]:
    return np.array([h.lat for h in hits]), np.array([h.lon for h in hits])


def postings_in_reach(
    hits: list[Hit], travel: TravelFilter, provider: TravelTimeProvider
) -> list[Hit]:
    """Annotate located hits with minutes; with a limit, keep those within it."""
    located = [h for h in hits if "location" in h.source]
    if located:
        lats, lons = _coordinates(located)
        minutes = provider.minutes_from(travel.lat, travel.lon, lats, lons, travel.mode)
        for hit, value in zip(located, minutes.tolist(), strict=True):
            hit.minutes, hit.mode = value, travel.mode
    if travel.max_minutes is None:
        return hits
    return [h for h in hits if h.minutes <= travel.max_minutes + MINUTES_TOLERANCE]


def people_in_reach(
    hits: list[Hit], reach: JobseekerReach, provider: TravelTimeProvider
) -> list[Hit]:
    """Keep people who reach the place by their own mode within their own limit."""
    limits = []
    for hit in hits:
        hit.mode = reach.mode or hit.source.get("travel_mode") or reach.default_mode
        own = hit.source.get("travel_max_minutes")
        limit = reach.default_max_minutes if own is None else own
        limits.append(limit if reach.max_minutes is None else reach.max_minutes)
    for mode in TRAVEL_MODES:
        group = [h for h in hits if h.mode == mode]
        if group:
            lats, lons = _coordinates(group)
            minutes = provider.minutes_from(reach.lat, reach.lon, lats, lons, mode)
            for hit, value in zip(group, minutes.tolist(), strict=True):
                hit.minutes = value
    return [
        h for h, limit in zip(hits, limits, strict=True) if h.minutes <= limit + MINUTES_TOLERANCE
    ]


def cosines(hits: Sequence[Hit], vector: np.ndarray) -> np.ndarray:
    """float32 cosines of unit vectors as the embedded index computes them; NaN without one."""
    scores = np.full(len(hits), np.nan, np.float32)
    with_vector = [i for i, h in enumerate(hits) if "vector" in h.source]
    if with_vector:
        matrix = np.array([hits[i].source["vector"] for i in with_vector], np.float32)
        scores[with_vector] = matrix @ vector
    return scores


def lexical_score(es_score: float) -> float:
    return float(es_score) * LEXICAL_SCALE


def fused(
    by_vector: list[Hit],
    by_text: list[Hit],
    vector: np.ndarray | None,
    tokens: bool,
    limit: int,
) -> list[tuple[Hit, float]]:
    """The top ``limit`` of the exact top lists by cosine and by BM25, as the embedded index
    picks them (its ``fuse``), with their retrieval scores."""
    seen = {h.id for h in by_vector}
    union = by_vector + [h for h in by_text if h.id not in seen]
    vec = None if vector is None else cosines(union, vector)
    text = {h.id: lexical_score(h.score or 0.0) for h in by_text}
    lex = np.array([text.get(h.id, 0.0) for h in union], np.float32) if tokens else None
    if vec is None and lex is None:
        return []
    picked, scores = fuse(vec, lex, limit)
    return [
        (union[i], s) for i, s in zip(picked.tolist(), np.asarray(scores).tolist(), strict=True)
    ]


def by_minutes(located: list[Hit], unlocated: list[Hit], limit: int) -> list[tuple[Hit, float]]:
    """Nearest in minutes first (stable), the unlocated after them; score is minus minutes."""
    ordered = sorted(located, key=lambda h: h.minutes) + unlocated
    return [(h, -h.minutes) for h in ordered[:limit]]


def candidate(
    hit: Hit, score: float, lexical: float, cosine: float, origin: Origin | None
) -> Candidate:
    precise = bool(hit.source.get("precise"))
    km = math.nan
    if origin is not None:
        km = float(
            haversine_many(origin[0], origin[1], np.array([hit.lat]), np.array([hit.lon]))[0]
        )
    located_minutes = not math.isnan(hit.minutes)
    return Candidate(
        id=hit.id,
        score=score,
        lexical=lexical,
        vector=None if math.isnan(cosine) else cosine,
        distance_km=None if math.isnan(km) else km,
        travel_minutes=hit.minutes if located_minutes else None,
        travel_mode=hit.mode if located_minutes else None,
        imprecise=not precise or (origin is not None and origin[2]),
    )
