"""The embedded index: hard filters, travel limits, exact vector and BM25 retrieval, writes."""

import dataclasses
import math
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from typing import Any

import numpy as np
import pytest

from matching.documents import (
    GroupMembership,
    JobseekerDoc,
    PostingDoc,
    default_tokenize,
    jobseeker_tokens,
    posting_tokens,
)
from matching.geo import EARTH_RADIUS_KM
from matching.index import (
    EmbeddedIndex,
    JobseekerFilters,
    JobseekerQuery,
    JobseekerReach,
    PostingFilters,
    PostingQuery,
    SearchIndex,
    TravelFilter,
)

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


async def ids(index: EmbeddedIndex, filters: PostingFilters, **query: Any) -> list[str]:
    found = await index.search_postings(PostingQuery(filters, **query), limit=1000)
    return sorted(c.id for c in found)


async def loaded(*docs: PostingDoc | JobseekerDoc, offload: bool = False) -> EmbeddedIndex:
    index = EmbeddedIndex(offload=offload)
    await index.bulk_load(docs)
    return index


def test_embedded_index_implements_the_protocol() -> None:
    assert isinstance(EmbeddedIndex(), SearchIndex)


@pytest.mark.parametrize(
    ("fields", "returned"),
    [
        ({}, True),
        ({"status": "closed"}, False),
        ({"status": "filled"}, False),
        ({"status": "rejected"}, False),
        ({"valid_until": date(2025, 3, 2)}, False),  # expired yesterday
        ({"valid_until": date(2025, 3, 3)}, True),  # open through today
        ({"employment_type": "gig", "ends_at": NOW - timedelta(minutes=1)}, False),
        ({"employment_type": "gig", "ends_at": NOW + timedelta(hours=3)}, True),
        ({"employer_credit": "c_grade"}, False),
        ({"employer_credit": "wage_arrears_list"}, False),
        ({"employer_credit": "red_list"}, True),
        ({"reserved_for": ("veteran",)}, False),  # the viewer is not a veteran
    ],
)
async def test_hard_filters_for_postings(fields: dict[str, Any], returned: bool) -> None:
    index = await loaded(posting("p", **fields))
    assert await ids(index, PostingFilters(now=NOW)) == (["p"] if returned else [])


@pytest.mark.parametrize(
    ("viewer", "include_reserved", "returned"),
    [
        ((), False, False),
        (("graduate",), False, False),
        (("veteran",), False, True),
        (("graduate", "veteran"), False, True),
        ((), True, True),  # a back-office listing, not an offer
    ],
)
async def test_reserved_posts_only_for_their_groups(
    viewer: tuple[str, ...], include_reserved: bool, returned: bool
) -> None:
    index = await loaded(posting("r", reserved_for=("veteran",)), posting("open"))
    filters = PostingFilters(now=NOW, viewer_groups=viewer, include_reserved=include_reserved)
    assert await ids(index, filters) == (["open", "r"] if returned else ["open"])


async def test_gig_window() -> None:
    starts = {"early": NOW + timedelta(hours=2), "in": NOW + timedelta(days=1)}
    starts["late"] = NOW + timedelta(days=3)
    docs = [posting(k, employment_type="gig", starts_at=v) for k, v in starts.items()]
    index = await loaded(*docs, posting("no_start"))
    window = PostingFilters(
        now=NOW, starts_from=NOW + timedelta(hours=12), starts_to=NOW + timedelta(days=2)
    )
    assert await ids(index, window) == ["in"]
    edge = PostingFilters(now=NOW, starts_from=starts["in"], starts_to=starts["in"])
    assert await ids(index, edge) == ["in"]  # both ends of the window are inclusive


@pytest.mark.parametrize(
    ("prefixes", "expected"),
    [
        (("42",), ["a", "b", "c"]),
        (("4201",), ["a", "b"]),
        (("420102",), ["a"]),
        (("4202",), ["c"]),
        (("420102", "4202"), ["a", "c"]),
        (("43",), []),
    ],
)
async def test_adcode_prefix(prefixes: tuple[str, ...], expected: list[str]) -> None:
    index = await loaded(
        posting("a", adcode="420102"), posting("b", adcode="420111"), posting("c", adcode="420202")
    )
    assert await ids(index, PostingFilters(now=NOW, adcode_prefixes=prefixes)) == expected


@pytest.mark.parametrize(
    ("prefixes", "expected"),
    [
        (("6",), ["weld", "weld2"]),
        (("6-18",), ["weld", "weld2"]),
        (("6-18-02",), ["weld", "weld2"]),
        (("6-18-02-04",), ["weld"]),
        (("6-1",), ["weld", "weld2"]),
        (("4-03",), ["waiter"]),
        (("6-2",), []),
    ],
)
async def test_occupation_prefix(prefixes: tuple[str, ...], expected: list[str]) -> None:
    index = await loaded(
        posting("weld", occupation_code="6-18-02-04"),
        posting("weld2", occupation_code="6-18-02-05"),
        posting("waiter", occupation_code="4-03-02-05"),
        posting("none", occupation_code=None),
    )
    assert await ids(index, PostingFilters(now=NOW, occupation_prefixes=prefixes)) == expected


@pytest.mark.parametrize(("floor", "expected"), [(4000, ["day", "month"]), (5000, ["month"])])
async def test_monthly_pay_floor(floor: float, expected: list[str]) -> None:
    index = await loaded(
        posting("day", salary_min=200, salary_max=None, salary_unit="day"),  # 4,350 a month
        posting("month", salary_min=4000, salary_max=6000),
        posting("piece", salary_min=2, salary_max=None, salary_unit="piece"),  # unknown
        posting("none", salary_min=None, salary_max=None),
    )
    assert await ids(index, PostingFilters(now=NOW, min_monthly_pay=floor)) == expected


async def test_employment_type_and_event_filters() -> None:
    index = await loaded(
        posting("gig", employment_type="gig", event_ids=("fair",)),
        posting("full", event_ids=("other",)),
        posting("welfare", employment_type="public_welfare"),
    )
    assert await ids(index, PostingFilters(now=NOW, employment_types=("gig",))) == ["gig"]
    excluded = PostingFilters(now=NOW, exclude_employment_types=("public_welfare",))
    assert await ids(index, excluded) == ["full", "gig"]
    assert await ids(index, PostingFilters(now=NOW, event_id="fair")) == ["gig"]
    assert await ids(index, PostingFilters(now=NOW, event_id="unknown")) == []
    with pytest.raises(ValueError, match="unknown type"):
        await ids(index, PostingFilters(now=NOW, employment_types=("fulltime",)))


@pytest.mark.parametrize(
    ("km", "precision", "include_imprecise", "returned"),
    [
        (0.5, "point", True, True),
        (1.0, "point", True, True),  # exactly 15 minutes' walk: on the limit counts as inside
        (1.01, "point", True, False),
        (0.5, "district", True, True),
        (0.5, "district", False, False),
        (0.5, "city", False, False),
    ],
)
async def test_travel_limit(
    km: float, precision: str, include_imprecise: bool, returned: bool
) -> None:
    lat, lon = north(km)
    index = await loaded(posting("p", lat=lat, lon=lon, location_precision=precision))
    travel = TravelFilter(*HOME, "walk", 15, include_imprecise=include_imprecise)
    found = await index.search_postings(
        PostingQuery(PostingFilters(now=NOW, travel=travel)), limit=10
    )
    assert [c.id for c in found] == (["p"] if returned else [])
    if returned:
        assert found[0].travel_minutes == pytest.approx(km * 15)
        assert found[0].distance_km == pytest.approx(km)
        assert found[0].travel_mode == "walk"
        assert found[0].imprecise is (precision != "point")


async def test_unlocated_posting_dropped_by_a_limit_kept_when_only_annotating() -> None:
    index = await loaded(posting("nowhere", lat=None, lon=None, location_precision="unknown"))
    limit = TravelFilter(*HOME, "walk", 15)
    assert await ids(index, PostingFilters(now=NOW, travel=limit)) == []
    annotate = TravelFilter(*HOME, "walk", None)
    found = await index.search_postings(
        PostingQuery(PostingFilters(now=NOW, travel=annotate)), limit=10
    )
    assert [(c.id, c.travel_minutes) for c in found] == [("nowhere", None)]


async def test_nearest_first_without_text_or_vector() -> None:
    docs = [posting(f"p{km}", lat=north(km)[0]) for km in (0.9, 0.1, 0.5)]
    index = await loaded(*docs)
    filters = PostingFilters(now=NOW, travel=TravelFilter(*HOME, "walk", 15))
    found = await index.search_postings(PostingQuery(filters), limit=10)
    assert [c.id for c in found] == ["p0.1", "p0.5", "p0.9"]


# --- jobseekers ---------------------------------------------------------------------------


async def jobseeker_ids(index: EmbeddedIndex, filters: JobseekerFilters) -> list[str]:
    found = await index.search_jobseekers(JobseekerQuery(filters), limit=1000)
    return sorted(c.id for c in found)


async def test_jobseeker_filters() -> None:
    index = await loaded(
        person("seeking"),
        person("placed", status="placed"),
        person("inactive", status="inactive"),
        person("private", consent_show_to_employers=False),
        person("veteran", groups=(GroupMembership("veteran"),)),
        person("far_district", adcode="420202"),
    )
    everyone = ["far_district", "private", "seeking", "veteran"]
    assert await jobseeker_ids(index, JobseekerFilters()) == everyone
    employer = JobseekerFilters(for_employer=True)
    assert await jobseeker_ids(index, employer) == ["far_district", "seeking", "veteran"]
    members = JobseekerFilters(groups_any=("veteran", "graduate"))
    assert await jobseeker_ids(index, members) == ["veteran"]
    assert await jobseeker_ids(index, JobseekerFilters(groups_any=("disabled",))) == []
    district = JobseekerFilters(adcode_prefixes=("4202",))
    assert await jobseeker_ids(index, district) == ["far_district"]


async def test_each_person_travels_by_their_own_mode_and_limit() -> None:
    index = await loaded(
        person("walker_near", km=0.9, travel_mode="walk", travel_max_minutes=15),
        person("walker_far", km=2.0, travel_mode="walk", travel_max_minutes=15),
        person("ebike_far", km=2.0, travel_mode="ebike", travel_max_minutes=15),  # 9.6 min
        person("ebike_short", km=2.0, travel_mode="ebike", travel_max_minutes=9),
        person("default_on_edge", km=1.0),  # no preference: walk 15 by default, on the limit
        person("nowhere", lat=None, lon=None),
    )
    reach = JobseekerReach(*HOME, default_mode="walk", default_max_minutes=15)
    found = await index.search_jobseekers(JobseekerQuery(JobseekerFilters(reach=reach)), limit=10)
    by_id = {c.id: c for c in found}
    assert sorted(by_id) == ["default_on_edge", "ebike_far", "walker_near"]
    assert by_id["ebike_far"].travel_mode == "ebike"
    assert by_id["ebike_far"].travel_minutes == pytest.approx(9.6)
    assert by_id["default_on_edge"].travel_minutes == pytest.approx(15.0)
    everyone_drives = dataclasses.replace(reach, mode="drive", max_minutes=30)
    found = await index.search_jobseekers(
        JobseekerQuery(JobseekerFilters(reach=everyone_drives)), limit=10
    )
    assert len(found) == 5
    assert {c.travel_mode for c in found} == {"drive"}


async def test_occupation_prefix_matches_any_desired_occupation() -> None:
    index = await loaded(
        person("welder", desired_occupations=("4-03-02-05", "6-18-02-04")),
        person("waiter", desired_occupations=("4-03-02-05",)),
    )
    filters = JobseekerFilters(occupation_prefixes=("6-18",))
    assert await jobseeker_ids(index, filters) == ["welder"]


# --- exactness ----------------------------------------------------------------------------


def random_corpus(rng: np.random.Generator, n: int, dim: int = 16) -> list[PostingDoc]:
    vocabulary = [f"w{i}" for i in range(60)]
    docs = []
    for i in range(n):
        tokens = tuple(rng.choice(vocabulary, size=int(rng.integers(0, 12))))
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


async def test_vector_search_is_exact() -> None:
    rng = np.random.default_rng(7)
    docs = random_corpus(rng, 3000)
    index = await loaded(*docs)
    filters = PostingFilters(
        now=NOW, employment_types=("full_time", "gig"), adcode_prefixes=("4201",)
    )
    for _ in range(20):
        q = rng.standard_normal(16)
        q /= np.linalg.norm(q)
        found = await index.search_postings(PostingQuery(filters, vector=q), limit=25)
        truth = sorted(
            ((float(d.vector @ q), d.id) for d in docs if passes(d) and d.vector is not None),
            reverse=True,
        )[:25]
        assert [c.id for c in found] == [doc_id for _, doc_id in truth]
        np.testing.assert_allclose([c.vector for c in found], [s for s, _ in truth], atol=1e-5)


async def test_bm25_is_exact_after_updates_deletes_and_merges() -> None:
    rng = np.random.default_rng(11)
    docs = {d.id: d for d in random_corpus(rng, 800)}
    index = await loaded(*docs.values())
    vocabulary = [f"w{i}" for i in range(70)]  # includes words new to the index
    for i in range(300):
        doc_id = f"p{int(rng.integers(0, 900))}"
        tokens = tuple(rng.choice(vocabulary, size=int(rng.integers(0, 10))))
        docs[doc_id] = posting(doc_id, tokens=tokens)
        await index.upsert_posting(docs[doc_id])
        if i % 3 == 0:
            gone = f"p{int(rng.integers(0, 900))}"
            assert await index.delete_posting(gone) is (gone in docs)
            docs.pop(gone, None)
    table = index._postings
    for phase in ("with changes pending", "after a merge"):
        if phase == "after a merge":
            table.terms.merge()
        assert await index.count_postings() == len(docs)
        for _ in range(10):
            query = tuple(rng.choice(vocabulary, size=3))
            truth = brute_bm25(list(docs.values()), query)
            found = await index.search_postings(
                PostingQuery(PostingFilters(now=NOW), tokens=query), limit=len(docs)
            )
            got = {c.id: c.lexical for c in found}
            assert set(got) == set(docs)
            for doc_id, score in truth.items():
                assert got[doc_id] == pytest.approx(score, rel=1e-5, abs=1e-6), phase


async def test_hybrid_returns_the_union_of_exact_top_lists() -> None:
    rng = np.random.default_rng(13)
    docs = random_corpus(rng, 1000)
    index = await loaded(*docs)
    q = rng.standard_normal(16)
    q /= np.linalg.norm(q)
    tokens = ("w1", "w2")
    found = await index.search_postings(
        PostingQuery(PostingFilters(now=NOW), tokens=tokens, vector=q), limit=1000
    )
    lexical = brute_bm25(docs, tokens)
    by_vector = sorted((d for d in docs if d.vector is not None), key=lambda d: -(d.vector @ q))
    by_text = sorted((d for d in docs if lexical[d.id] > 0), key=lambda d: -lexical[d.id])
    assert {c.id for c in found} == {d.id for d in by_vector} | {d.id for d in by_text}
    few = await index.search_postings(
        PostingQuery(PostingFilters(now=NOW), tokens=tokens, vector=q), limit=5
    )
    # reciprocal-rank fusion puts first what is first in both lists, or first in one of them
    assert few[0].id in {by_vector[0].id, by_text[0].id}
    assert len(few) == 5


async def test_require_text_keeps_only_matching_documents() -> None:
    index = await loaded(posting("a", tokens=("焊工",)), posting("b", tokens=("厨师",)))
    query = PostingQuery(PostingFilters(now=NOW), tokens=("焊工",), require_text=True)
    assert [c.id for c in await index.search_postings(query, limit=10)] == ["a"]
    unknown = dataclasses.replace(query, tokens=("飞行员",))
    assert await index.search_postings(unknown, limit=10) == []


# --- writes, facets, documents -------------------------------------------------------------


async def test_upsert_delete_and_row_reuse() -> None:
    index = EmbeddedIndex()  # offloaded to a worker thread, as in the service
    await index.upsert_posting(posting("a", tokens=("焊工",), vector=[1.0, 0.0]))
    await index.upsert_posting(posting("b", tokens=("厨师",), vector=[0.0, 1.0]))
    await index.upsert_posting(posting("a", status="closed"))
    assert await ids(index, PostingFilters(now=NOW)) == ["b"]
    assert await index.delete_posting("b") is True
    assert await index.delete_posting("b") is False
    await index.upsert_posting(posting("c", tokens=("焊工",), vector=[0.6, 0.8]))
    assert await index.count_postings() == 2
    found = await index.search_postings(
        PostingQuery(PostingFilters(now=NOW), tokens=("焊工",), vector=np.array([1.0, 0.0])),
        limit=10,
    )
    assert [(c.id, round(c.vector or 0, 6)) for c in found] == [("c", 0.6)]
    [stored] = await index.get_postings(["c", "missing"])
    assert stored.id == "c" and stored.vector is None  # the vector lives in the matrix only
    with pytest.raises(ValueError, match="dimensions"):
        await index.upsert_posting(posting("d", vector=[1.0, 0.0, 0.0]))
    with pytest.raises(ValueError, match="dimensions"):
        await index.upsert_posting(posting("c", vector=[1.0, 0.0, 0.0]))
    assert await index.count_postings() == 2  # the rejected documents changed nothing
    assert [d.id for d in await index.get_postings(["c", "d"])] == ["c"]
    assert await ids(index, PostingFilters(now=NOW), tokens=("焊工",)) == ["c"]


async def test_bulk_load_replaces_everything() -> None:
    index = await loaded(posting("old"), person("s1"))
    await index.bulk_load([posting("new"), posting("new", title="更新"), person("s2")])
    assert await index.count_postings() == 1
    assert [d.title for d in await index.get_postings(["new", "old"])] == ["更新"]
    assert [d.id for d in await index.get_jobseekers(["s1", "s2"])] == ["s2"]
    assert await index.ping() is True


async def test_facets_count_the_filtered_set() -> None:
    index = await loaded(
        posting("a", occupation_code="6-18-02-04", adcode="420102", tokens=("焊工",)),
        posting("b", occupation_code="6-18-02-05", adcode="420102", tokens=("焊工",)),
        posting(
            "c", occupation_code="4-03-02-05", adcode="420111", employment_type="gig", tokens=()
        ),
        posting("d", occupation_code="4-03-02-05", tokens=("焊工",), status="closed"),
    )
    facets = await index.facet_postings(PostingQuery(PostingFilters(now=NOW)))
    assert facets.total == 3
    assert [(f.value, f.count) for f in facets.occupation_major] == [("6", 2), ("4", 1)]
    assert [(f.value, f.count) for f in facets.occupation_medium] == [("6-18", 2), ("4-03", 1)]
    assert [(f.value, f.count) for f in facets.adcode] == [("420102", 2), ("420111", 1)]
    assert [(f.value, f.count) for f in facets.employment_type] == [("full_time", 2), ("gig", 1)]
    text = PostingQuery(PostingFilters(now=NOW), tokens=("焊工",), require_text=True)
    assert (await index.facet_postings(text)).total == 2


def test_documents_are_frozen_tuples_with_unit_float32_vectors() -> None:
    doc = posting("p", skills=["氩弧焊"], vector=[3.0, 4.0])
    assert doc.skills == ("氩弧焊",)
    assert doc.vector is not None and doc.vector.dtype == np.float32
    np.testing.assert_allclose(doc.vector, [0.6, 0.8], rtol=1e-6)
    assert hash(doc) == hash(posting("p", skills=("氩弧焊",)))  # the vector is not compared
    with pytest.raises(ValueError, match="non-zero"):
        posting("p", vector=[0.0, 0.0])


def test_default_tokens_cover_title_and_skills() -> None:
    tokens = posting_tokens("招聘氩弧焊工（日结）", occupation_name="焊工", skills=["读图"])
    assert {"焊工", "读图"} <= set(tokens)
    assert "（" not in tokens and "）" not in tokens
    assert jobseeker_tokens(desired_titles=["电焊工"]) == tuple(default_tokenize("电焊工"))
