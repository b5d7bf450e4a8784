"""Documents and reference computations shared by the index tests (contract and embedded)."""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np

from matching.documents import JobseekerDoc, PostingDoc
from matching.geo import EARTH_RADIUS_KM

CHINA = timezone(timedelta(hours=8))
NOW = datetime(2025, 3, 3, 9, 0, tzinfo=CHINA)
HOME = (30.59, 114.30)


def north(km: float) -> tuple[float, float]:
    return HOME[0] + math.degrees(km / EARTH_RADIUS_KM), HOME[1]


def posting(doc_id: str = "p", **fields: Any) -> PostingDoc:
    lat, lon = north(0.3)
    values: dict[str, Any] = dict(
        employer_id="e1",
        title="焊工",
        occupation_code="6-18-02-04",
        adcode="420102",
        lat=lat,
        lon=lon,
        location_precision="point",
        salary_min=5000,
        salary_max=7000,
        created_at=NOW - timedelta(days=1),
        tokens=("焊工",),
    )
    values.update(fields)
    return PostingDoc(id=doc_id, **values)


def person(doc_id: str = "s", km: float = 0.3, **fields: Any) -> JobseekerDoc:
    lat, lon = north(km)
    values: dict[str, Any] = dict(lat=lat, lon=lon, consent_show_to_employers=True)
    values.update(fields)
    return JobseekerDoc(id=doc_id, **values)


def random_corpus(
    rng: np.random.Generator, n: int, dim: int = 16, min_tokens: int = 0
) -> list[PostingDoc]:
    vocabulary = [f"w{i}" for i in range(60)]
    docs = []
    for i in range(n):
        tokens = tuple(rng.choice(vocabulary, size=int(rng.integers(min_tokens, 12))))
        docs.append(
            posting(
                f"p{i}",
                employment_type=["full_time", "part_time", "gig"][i % 3],
                adcode=["420102", "420111", "420202"][i % 4 % 3],
                lat=float(rng.uniform(30.5, 30.7)),
                lon=float(rng.uniform(114.2, 114.4)),
                tokens=tokens,
                vector=rng.standard_normal(dim) if i % 17 else None,
            )
        )
    return docs


def brute_bm25(docs: list[PostingDoc], query: tuple[str, ...]) -> dict[str, float]:
    n = len(docs)
    avgdl = sum(len(d.tokens) for d in docs) / n
    df = Counter(t for d in docs for t in set(d.tokens))
    scores = {}
    for d in docs:
        tf = Counter(d.tokens)
        score = 0.0
        for term, repeats in Counter(query).items():
            if tf[term]:
                idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
                norm = 1.2 * (1 - 0.75 + 0.75 * len(d.tokens) / avgdl)
                score += repeats * idf * tf[term] * 2.2 / (tf[term] + norm)
        scores[d.id] = score
    return scores


def passes(doc: PostingDoc) -> bool:
    return doc.employment_type in ("full_time", "gig") and (doc.adcode or "").startswith("4201")
