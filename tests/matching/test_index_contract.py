"""The search index contract: every backend passes these, with the same numbers.

The ``new_index`` fixture yields a factory of empty indexes of each backend: ``embedded`` always,
``elasticsearch`` when ``JOBCIRCLE_TEST_ELASTICSEARCH_URL`` names a cluster. Each Elasticsearch
index gets its own prefix and is deleted after the test.
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest

from matching.documents import GroupMembership, JobseekerDoc, PostingDoc
from matching.index import (
    Candidate,
    EmbeddedIndex,
    JobseekerFilters,
    JobseekerQuery,
    JobseekerReach,
    PostingFilters,
    PostingQuery,
    SearchIndex,
    TravelFilter,
)
from tests.matching.index_docs import (
    HOME,
    NOW,
    brute_bm25,
    north,
    passes,
    person,
    posting,
    random_corpus,
)

ELASTICSEARCH_URL = os.environ.get("JOBCIRCLE_TEST_ELASTICSEARCH_URL")
NO_CLUSTER = "JOBCIRCLE_TEST_ELASTICSEARCH_URL not set: no Elasticsearch cluster to test against"

NewIndex = Callable[[], Awaitable[SearchIndex]]


@pytest.fixture(params=["embedded", "elasticsearch"])
async def new_index(request: pytest.FixtureRequest) -> AsyncIterator[NewIndex]:
    if request.param == "embedded":

        async def embedded() -> SearchIndex:
            return EmbeddedIndex()  # offloaded to a worker thread, as in the service

        yield embedded
        return
    if not ELASTICSEARCH_URL:
        pytest.skip(NO_CLUSTER)
    from matching.index.elasticsearch import ElasticsearchIndex

    created: list[ElasticsearchIndex] = []

    async def elasticsearch() -> SearchIndex:
        prefix = f"jobcircle-test-{uuid.uuid4().hex[:12]}"
        index = ElasticsearchIndex(ELASTICSEARCH_URL, prefix=prefix, refresh=True, replicas=0)
        created.append(index)
        return index

    yield elasticsearch
    for index in created:
        await index.drop()
        await index.close()


async def loaded(new_index: NewIndex, *docs: PostingDoc | JobseekerDoc) -> SearchIndex:
    index = await new_index()
    await index.bulk_load(docs)
    return index


async def ids(index: SearchIndex, filters: PostingFilters, **query: Any) -> list[str]:
    found = await index.search_postings(PostingQuery(filters, **query), limit=1000)
    return sorted(c.id for c in found)


async def jobseeker_ids(index: SearchIndex, filters: JobseekerFilters) -> list[str]:
    found = await index.search_jobseekers(JobseekerQuery(filters), limit=1000)
    return sorted(c.id for c in found)


async def test_implements_the_protocol(new_index: NewIndex) -> None:
    assert isinstance(await new_index(), SearchIndex)


# --- hard filters for postings -------------------------------------------------------------


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
async def test_hard_filters_for_postings(
    new_index: NewIndex, fields: dict[str, Any], returned: bool
) -> None:
    index = await loaded(new_index, posting("p", **fields))
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
    new_index: NewIndex, viewer: tuple[str, ...], include_reserved: bool, returned: bool
) -> None:
    index = await loaded(new_index, posting("r", reserved_for=("veteran",)), posting("open"))
    filters = PostingFilters(now=NOW, viewer_groups=viewer, include_reserved=include_reserved)
    assert await ids(index, filters) == (["open", "r"] if returned else ["open"])


async def test_gig_window(new_index: NewIndex) -> None:
    starts = {"early": NOW + timedelta(hours=2), "in": NOW + timedelta(days=1)}
    starts["late"] = NOW + timedelta(days=3)
    docs = [posting(k, employment_type="gig", starts_at=v) for k, v in starts.items()]
    index = await loaded(new_index, *docs, posting("no_start"))
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
async def test_adcode_prefix(
    new_index: NewIndex, prefixes: tuple[str, ...], expected: list[str]
) -> None:
    index = await loaded(
        new_index,
        posting("a", adcode="420102"),
        posting("b", adcode="420111"),
        posting("c", adcode="420202"),
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
async def test_occupation_prefix(
    new_index: NewIndex, prefixes: tuple[str, ...], expected: list[str]
) -> None:
    index = await loaded(
        new_index,
        posting("weld", occupation_code="6-18-02-04"),
        posting("weld2", occupation_code="6-18-02-05"),
        posting("waiter", occupation_code="4-03-02-05"),
        posting("none", occupation_code=None),
    )
    assert await ids(index, PostingFilters(now=NOW, occupation_prefixes=prefixes)) == expected


@pytest.mark.parametrize(("floor", "expected"), [(4000, ["day", "month"]), (5000, ["month"])])
async def test_monthly_pay_floor(new_index: NewIndex, floor: float, expected: list[str]) -> None:
    index = await loaded(
        new_index,
        posting("day", salary_min=200, salary_max=None, salary_unit="day"),  # 4,350 a month
        posting("month", salary_min=4000, salary_max=6000),
        posting("piece", salary_min=2, salary_max=None, salary_unit="piece"),  # unknown
        posting("none", salary_min=None, salary_max=None),
    )
    assert await ids(index, PostingFilters(now=NOW, min_monthly_pay=floor)) == expected


async def test_employment_type_and_event_filters(new_index: NewIndex) -> None:
    index = await loaded(
        new_index,
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


# --- travel ---------------------------------------------------------------------------------


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
    new_index: NewIndex, km: float, precision: str, include_imprecise: bool, returned: bool
) -> None:
    lat, lon = north(km)
    index = await loaded(new_index, posting("p", lat=lat, lon=lon, location_precision=precision))
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


async def test_unlocated_posting_dropped_by_a_limit_kept_when_only_annotating(
    new_index: NewIndex,
) -> None:
    index = await loaded(
        new_index, posting("nowhere", lat=None, lon=None, location_precision="unknown")
    )
    limit = TravelFilter(*HOME, "walk", 15)
    assert await ids(index, PostingFilters(now=NOW, travel=limit)) == []
    annotate = TravelFilter(*HOME, "walk", None)
    found = await index.search_postings(
        PostingQuery(PostingFilters(now=NOW, travel=annotate)), limit=10
    )
    assert [(c.id, c.travel_minutes) for c in found] == [("nowhere", None)]


async def test_nearest_first_without_text_or_vector(new_index: NewIndex) -> None:
    docs = [posting(f"p{km}", lat=north(km)[0]) for km in (0.9, 0.1, 0.5)]
    index = await loaded(new_index, *docs)
    filters = PostingFilters(now=NOW, travel=TravelFilter(*HOME, "walk", 15))
    found = await index.search_postings(PostingQuery(filters), limit=10)
    assert [c.id for c in found] == ["p0.1", "p0.5", "p0.9"]


async def test_travel_limit_is_applied_before_the_top_k(new_index: NewIndex) -> None:
    """The best documents out of reach must not crowd out reachable ones."""
    far = [posting(f"far{i}", lat=north(3.0 + i / 10)[0], tokens=("焊工",) * 3) for i in range(30)]
    near = [posting(f"near{i}", lat=north(0.1 * i)[0], tokens=("焊工", "厨师")) for i in range(5)]
    index = await loaded(new_index, *far, *near)
    filters = PostingFilters(now=NOW, travel=TravelFilter(*HOME, "walk", 15))
    found = await index.search_postings(PostingQuery(filters, tokens=("焊工",)), limit=3)
    assert len(found) == 3 and all(c.id.startswith("near") for c in found)


# --- jobseekers -----------------------------------------------------------------------------


async def test_jobseeker_filters(new_index: NewIndex) -> None:
    index = await loaded(
        new_index,
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


async def test_each_person_travels_by_their_own_mode_and_limit(new_index: NewIndex) -> None:
    index = await loaded(
        new_index,
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


async def test_occupation_prefix_matches_any_desired_occupation(new_index: NewIndex) -> None:
    index = await loaded(
        new_index,
        person("welder", desired_occupations=("4-03-02-05", "6-18-02-04")),
        person("waiter", desired_occupations=("4-03-02-05",)),
    )
    filters = JobseekerFilters(occupation_prefixes=("6-18",))
    assert await jobseeker_ids(index, filters) == ["welder"]


# --- retrieval ------------------------------------------------------------------------------


async def test_vector_search_is_exact(new_index: NewIndex) -> None:
    rng = np.random.default_rng(7)
    docs = random_corpus(rng, 3000)
    index = await loaded(new_index, *docs)
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


async def test_bm25_follows_the_formula_on_a_fresh_index(new_index: NewIndex) -> None:
    """Every document has a few tokens, nothing was replaced or deleted: BM25 is the textbook
    formula (k1 = 1.2, b = 0.75) for every backend."""
    rng = np.random.default_rng(5)
    docs = random_corpus(rng, 400, min_tokens=1)
    index = await loaded(new_index, *docs)
    vocabulary = [f"w{i}" for i in range(65)]
    for _ in range(10):
        query = tuple(rng.choice(vocabulary, size=3))
        truth = brute_bm25(docs, query)
        found = await index.search_postings(
            PostingQuery(PostingFilters(now=NOW), tokens=query), limit=len(docs)
        )
        got = {c.id: c.lexical for c in found}
        assert set(got) == {d.id for d in docs}
        for doc_id, score in truth.items():
            assert got[doc_id] == pytest.approx(score, rel=1e-5, abs=1e-6)


async def test_hybrid_returns_the_union_of_the_top_lists(new_index: NewIndex) -> None:
    rng = np.random.default_rng(13)
    docs = random_corpus(rng, 1000)
    index = await loaded(new_index, *docs)
    q = rng.standard_normal(16)
    q /= np.linalg.norm(q)
    tokens = ("w1", "w2", "w3")
    query = PostingQuery(PostingFilters(now=NOW), tokens=tokens, vector=q)
    found = await index.search_postings(query, limit=1000)
    shares_a_token = {d.id for d in docs if set(d.tokens) & set(tokens)}
    with_vector = {d.id for d in docs if d.vector is not None}
    assert {c.id for c in found} == with_vector | shares_a_token
    for c in found:
        doc = next(d for d in docs if d.id == c.id)
        assert (c.lexical > 0) is (c.id in shares_a_token)
        if doc.vector is None:
            assert c.vector is None
        else:
            assert c.vector == pytest.approx(float(doc.vector @ q), abs=1e-5)
    few = await index.search_postings(query, limit=5)
    assert len(few) == 5
    # reciprocal-rank fusion (k = 60) of the top five by cosine and the top five by BM25
    by_vector = sorted((c for c in found if c.vector is not None), key=lambda c: -(c.vector or 0))
    by_text = sorted((c for c in found if c.lexical > 0), key=lambda c: -c.lexical)
    fused: dict[str, float] = {}
    for ranked in (by_vector, by_text):
        for rank, c in enumerate(ranked[:5], start=1):
            fused[c.id] = fused.get(c.id, 0.0) + 1.0 / (60 + rank)
    # the data are chosen so that neither list has ties in its head: the ranks are known
    assert len({c.vector for c in by_vector[:6]}) == len({c.lexical for c in by_text[:6]}) == 6
    assert [c.score for c in few] == pytest.approx(sorted(fused.values(), reverse=True)[:5])
    assert all(c.score == pytest.approx(fused[c.id]) for c in few)


async def test_require_text_keeps_only_matching_documents(new_index: NewIndex) -> None:
    index = await loaded(new_index, posting("a", tokens=("焊工",)), posting("b", tokens=("厨师",)))
    query = PostingQuery(PostingFilters(now=NOW), tokens=("焊工",), require_text=True)
    assert [c.id for c in await index.search_postings(query, limit=10)] == ["a"]
    unknown = dataclasses.replace(query, tokens=("飞行员",))
    assert await index.search_postings(unknown, limit=10) == []


def same_candidates(a: list[Candidate], b: list[Candidate]) -> bool:
    return [c.id for c in a] == [c.id for c in b] and all(
        x.score == pytest.approx(y.score, nan_ok=True)
        and x.lexical == pytest.approx(y.lexical)
        and (x.vector is None) is (y.vector is None)
        and (x.vector is None or x.vector == pytest.approx(y.vector, abs=1e-6))
        and x.travel_minutes == pytest.approx(y.travel_minutes)
        and x.travel_mode == y.travel_mode
        for x, y in zip(a, b, strict=True)
    )


async def test_many_queries_at_once_answer_as_one_by_one(new_index: NewIndex) -> None:
    rng = np.random.default_rng(17)
    docs = random_corpus(rng, 300)
    people = [person(f"s{i}", km=0.2 * i, travel_mode="ebike") for i in range(12)]
    index = await loaded(new_index, *docs, *people)
    q = rng.standard_normal(16)
    queries = [
        PostingQuery(PostingFilters(now=NOW), tokens=("w3",), vector=q),
        PostingQuery(PostingFilters(now=NOW, employment_types=("gig",)), vector=q),
        PostingQuery(PostingFilters(now=NOW, travel=TravelFilter(*HOME, "drive", 20))),
    ]
    limits = [5, 7, 9]
    together = await index.search_postings_many(queries, limit=limits)
    for query, limit, found in zip(queries, limits, together, strict=True):
        assert same_candidates(found, await index.search_postings(query, limit=limit))
    asks = [
        JobseekerQuery(JobseekerFilters()),
        JobseekerQuery(JobseekerFilters(reach=JobseekerReach(*HOME))),
    ]
    together = await index.search_jobseekers_many(asks, limit=10)
    for ask, found in zip(asks, together, strict=True):
        assert same_candidates(found, await index.search_jobseekers(ask, limit=10))
    assert len(together[1]) == 10  # ebike 15 minutes reach 3.1 km: all twelve, cut to ten


# --- writes, facets, documents -------------------------------------------------------------


async def test_upsert_and_delete(new_index: NewIndex) -> None:
    index = await new_index()
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
    assert stored.id == "c" and stored.vector is None  # vectors are not handed back
    with pytest.raises(ValueError, match="dimensions"):
        await index.upsert_posting(posting("d", vector=[1.0, 0.0, 0.0]))
    with pytest.raises(ValueError, match="dimensions"):
        await index.upsert_posting(posting("c", vector=[1.0, 0.0, 0.0]))
    assert await index.count_postings() == 2  # the rejected documents changed nothing
    assert [d.id for d in await index.get_postings(["c", "d"])] == ["c"]
    assert await ids(index, PostingFilters(now=NOW), tokens=("焊工",)) == ["c"]


async def test_stored_documents_come_back_equal(new_index: NewIndex) -> None:
    full = posting(
        "p",
        valid_until=date(2025, 4, 1),
        starts_at=NOW + timedelta(days=1),
        ends_at=NOW + timedelta(days=1, hours=8),
        reserved_for=("veteran",),
        event_ids=("fair",),
        skills=("氩弧焊",),
        education="vocational",
        experience_years=2,
    )
    someone = person(
        "s",
        desired_occupations=("6-18-02-04",),
        groups=(GroupMembership("employment_difficulty", date(2025, 1, 2)),),
        available_from=date(2025, 3, 10),
        available_weekdays=(1, 2),
        registered_at=NOW,
        travel_mode="ebike",
        travel_max_minutes=20,
    )
    index = await loaded(new_index, full, someone)
    assert await index.get_postings(["p"]) == [full]
    assert await index.get_jobseekers(["s"]) == [someone]


async def test_bulk_load_replaces_everything(new_index: NewIndex) -> None:
    index = await loaded(new_index, posting("old"), person("s1"))
    await index.bulk_load([posting("new"), posting("new", title="更新"), person("s2")])
    assert await index.count_postings() == 1
    assert [d.title for d in await index.get_postings(["new", "old"])] == ["更新"]
    assert [d.id for d in await index.get_jobseekers(["s1", "s2"])] == ["s2"]
    assert await index.ping() is True


async def test_facets_count_the_filtered_set(new_index: NewIndex) -> None:
    index = await loaded(
        new_index,
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


async def test_facets_respect_the_travel_limit_and_order_ties_by_code(new_index: NewIndex) -> None:
    index = await loaded(
        new_index,
        posting("near_gig", employment_type="gig", lat=north(0.5)[0]),
        posting("near_full", lat=north(0.6)[0]),
        posting("far", employment_type="part_time", lat=north(5.0)[0]),
    )
    near = PostingFilters(now=NOW, travel=TravelFilter(*HOME, "walk", 15))
    facets = await index.facet_postings(PostingQuery(near))
    assert facets.total == 2
    # equal counts: the order of the employment-type vocabulary, not the alphabet
    assert [(f.value, f.count) for f in facets.employment_type] == [("full_time", 1), ("gig", 1)]
