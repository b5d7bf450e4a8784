"""The Elasticsearch backend's pure parts, without a cluster: the DSL it sends for the hard
filters where a slip would show a closed, expired or reserved post, the documents it stores, and
the client-side travel and fusion that must give the embedded index's numbers."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import numpy as np
import pytest

from matching.documents import GroupMembership
from matching.index import (
    EmbeddedIndex,
    JobseekerFilters,
    JobseekerQuery,
    JobseekerReach,
    PostingFilters,
    PostingQuery,
    TravelFilter,
)
from matching.index import es_queries as q
from matching.index.es_hits import Hit, by_minutes, fused, people_in_reach, postings_in_reach
from matching.index.es_search import Plan, RankedList, facet_order, picks, plan
from matching.index.fusion import fuse
from matching.travel import EstimatedTravel
from tests.matching.index_docs import HOME, NOW, north, person, posting

UTC8 = timezone(timedelta(hours=8))


def clauses(filters: PostingFilters) -> tuple[list[Any], list[Any]]:
    built = q.posting_filter(filters)
    return built["filter"], built["must_not"]


def reserved_clause(filters: PostingFilters) -> Any:
    found = [c for c in clauses(filters)[0] if "reserved_for" in str(c)]
    assert len(found) <= 1
    return found[0] if found else None


# --- hard filters ---------------------------------------------------------------------------


def test_open_and_not_banned_are_always_required() -> None:
    must, must_not = clauses(PostingFilters(now=NOW))
    assert {"term": {"status": "open"}} in must
    assert {"terms": {"employer_credit": ["c_grade", "wage_arrears_list"]}} in must_not


def test_reserved_post_without_viewer_groups_only_unreserved() -> None:
    assert reserved_clause(PostingFilters(now=NOW)) == {
        "bool": {
            "should": [{"bool": {"must_not": [{"exists": {"field": "reserved_for"}}]}}],
            "minimum_should_match": 1,
        }
    }


def test_reserved_post_for_a_viewer_in_groups() -> None:
    filters = PostingFilters(now=NOW, viewer_groups=("veteran", "graduate"))
    assert reserved_clause(filters) == {
        "bool": {
            "should": [
                {"bool": {"must_not": [{"exists": {"field": "reserved_for"}}]}},
                {"terms": {"reserved_for": ["veteran", "graduate"]}},
            ],
            "minimum_should_match": 1,
        }
    }


def test_include_reserved_lifts_the_reservation_filter() -> None:
    filters = PostingFilters(now=NOW, viewer_groups=("veteran",), include_reserved=True)
    assert reserved_clause(filters) is None


@pytest.mark.parametrize(
    ("now", "today"),
    [
        (NOW, "2025-03-03"),
        # 00:30 in China is still the previous day in UTC: the local date counts
        (datetime(2025, 3, 3, 0, 30, tzinfo=UTC8), "2025-03-03"),
        (datetime(2025, 3, 3, 23, 59, tzinfo=UTC8), "2025-03-03"),
    ],
)
def test_valid_until_is_open_through_the_local_day(now: datetime, today: str) -> None:
    _, must_not = clauses(PostingFilters(now=now))
    assert {"range": {"valid_until": {"lt": today}}} in must_not
    assert not any("valid_until" in str(c) for c in clauses(PostingFilters(now=now))[0])


def test_gig_end_compares_utc_instants_to_the_microsecond() -> None:
    now = datetime(2025, 3, 3, 9, 0, 0, 250, tzinfo=UTC8)
    _, must_not = clauses(PostingFilters(now=now))
    assert {"range": {"ends_at": {"lte": "2025-03-03T01:00:00.000250Z"}}} in must_not
    naive = datetime(2025, 3, 3, 1, 0)  # naive is UTC, as the database stores it
    _, must_not = clauses(PostingFilters(now=naive))
    assert {"range": {"ends_at": {"lte": "2025-03-03T01:00:00.000000Z"}}} in must_not


def test_pay_floor_is_on_the_monthly_top_of_the_range() -> None:
    must, _ = clauses(PostingFilters(now=NOW, min_monthly_pay=4000))
    assert {"range": {"monthly_pay_max": {"gte": 4000}}} in must
    day = q.posting_source(posting(salary_min=200, salary_max=None, salary_unit="day"))
    assert day["monthly_pay_max"] == pytest.approx(4350.0)
    ranged = q.posting_source(posting(salary_min=4000, salary_max=6000))
    assert ranged["monthly_pay_max"] == 6000.0
    piece = q.posting_source(posting(salary_min=2, salary_max=None, salary_unit="piece"))
    assert "monthly_pay_max" not in piece  # unknown pay: a floor excludes it


def test_gig_window_is_inclusive_at_both_ends() -> None:
    start, end = NOW + timedelta(hours=12), NOW + timedelta(days=2)
    must, _ = clauses(PostingFilters(now=NOW, starts_from=start, starts_to=end))
    window = {"gte": "2025-03-03T13:00:00.000000Z", "lte": "2025-03-05T01:00:00.000000Z"}
    assert {"range": {"starts_at": window}} in must
    must, _ = clauses(PostingFilters(now=NOW, starts_to=end))
    assert {"range": {"starts_at": {"lte": window["lte"]}}} in must


def test_employment_types_are_checked_and_excluded() -> None:
    must, must_not = clauses(
        PostingFilters(now=NOW, employment_types=("gig",), exclude_employment_types=("gig",))
    )
    assert {"terms": {"employment_type": ["gig"]}} in must
    assert {"terms": {"employment_type": ["gig"]}} in must_not
    with pytest.raises(ValueError, match="unknown type: fulltime"):
        q.posting_filter(PostingFilters(now=NOW, employment_types=("fulltime",)))
    with pytest.raises(ValueError, match="unknown type"):
        q.posting_filter(PostingFilters(now=NOW, exclude_employment_types=("welfare",)))


def test_code_prefixes_are_digit_prefixes() -> None:
    must, _ = clauses(PostingFilters(now=NOW, occupation_prefixes=("6-1", "4-03-02")))
    assert {
        "bool": {
            "should": [{"prefix": {"occupation": "61"}}, {"prefix": {"occupation": "40302"}}],
            "minimum_should_match": 1,
        }
    } in must
    with pytest.raises(ValueError, match="not a code prefix"):
        q.posting_filter(PostingFilters(now=NOW, adcode_prefixes=("wuhan",)))
    with pytest.raises(ValueError, match="not a code prefix"):
        q.jobseeker_filter(JobseekerFilters(occupation_prefixes=("6-18-02-04-1",)))


def test_jobseeker_filters() -> None:
    built = q.jobseeker_filter(
        JobseekerFilters(for_employer=True, groups_any=("veteran",), adcode_prefixes=("4201",))
    )
    assert built["filter"][:3] == [
        {"term": {"status": "seeking"}},
        {"term": {"consent": True}},
        {"terms": {"groups": ["veteran"]}},
    ]
    assert q.jobseeker_filter(JobseekerFilters())["filter"] == [{"term": {"status": "seeking"}}]


def test_reach_by_each_persons_mode() -> None:
    reach = JobseekerReach(*HOME, default_mode="walk")
    radius = {mode: float(i + 1) for i, mode in enumerate(("walk", "bike", "ebike", "transit"))}
    radius["drive"] = 9.0
    located, by_mode = q.reach_clauses(reach, radius)
    assert located == {"exists": {"field": "location"}}
    walkers = by_mode["bool"]["should"][0]["bool"]["filter"]
    assert walkers[0]["bool"]["should"][1] == {
        "bool": {"must_not": [{"exists": {"field": "travel_mode"}}]}  # no mode: the default
    }
    assert walkers[1]["geo_distance"]["distance"] == f"{1.0 * 1.001 + 0.005:.6f}km"
    drivers = by_mode["bool"]["should"][4]["bool"]["filter"]
    assert drivers[0] == {"term": {"travel_mode": "drive"}}
    everyone = q.reach_clauses(JobseekerReach(*HOME, mode="bike", include_imprecise=False), radius)
    assert everyone[1] == {"term": {"precise": True}}
    assert everyone[2]["geo_distance"]["distance"] == f"{2.0 * 1.001 + 0.005:.6f}km"


def test_travel_prefilter_is_a_superset_of_the_reach() -> None:
    travel = TravelFilter(*HOME, "walk", 15, include_imprecise=False)
    reach_km = float(EstimatedTravel().reach_km("walk", np.array([15.0]))[0])
    precise, circle = q.travel_clauses(travel, reach_km)
    assert precise == {"term": {"precise": True}}
    assert float(circle["geo_distance"]["distance"].removesuffix("km")) > reach_km
    assert q.travel_clauses(TravelFilter(*HOME, "walk", None), None) == []


# --- documents ------------------------------------------------------------------------------


def test_posting_source_holds_normalised_codes() -> None:
    source = q.posting_source(posting(occupation_code="6-18-02-04", adcode="420102"))
    assert (source["occupation"], source["occupation_major"]) == ("6180204", "6")
    assert (source["occupation_medium"], source["adcode"]) == ("6-18", "420102")
    assert source["location"] == {"lat": north(0.3)[0], "lon": HOME[1]}
    bad = q.posting_source(posting(occupation_code="焊工", adcode=None, lat=None, lon=None))
    assert not {"occupation", "occupation_major", "adcode", "location"} & bad.keys()
    assert bad["precise"] is False


def test_jobseeker_source_keeps_the_first_eight_desired_occupations() -> None:
    codes = tuple(f"6-18-02-{i:02d}" for i in range(1, 11))
    source = q.jobseeker_source(person(desired_occupations=codes, travel_mode="teleport"))
    assert source["desired_occupations"] == [f"61802{i:02d}" for i in range(1, 9)]
    assert "travel_mode" not in source  # an unknown mode: the default applies


def test_documents_come_back_from_their_source() -> None:
    doc = posting(valid_until=date(2025, 4, 1), ends_at=NOW + timedelta(hours=3), vector=[1, 0])
    stored = q.stored_doc(q.POSTINGS, q.posting_source(doc)["doc"])
    assert stored == doc and stored.vector is None
    someone = person(groups=(GroupMembership("veteran", date(2024, 5, 1)),), registered_at=NOW)
    assert q.stored_doc(q.JOBSEEKERS, q.jobseeker_source(someone)["doc"]) == someone


# --- client side: the embedded index's numbers ---------------------------------------------


def hit(doc: Any, source: dict[str, Any], score: float | None = None) -> Hit:
    return Hit(doc.id, source, score, None)


async def test_people_in_reach_match_the_embedded_index() -> None:
    people = [
        person("walker", km=0.9, travel_mode="walk", travel_max_minutes=15),
        person("far_walker", km=2.0, travel_mode="walk", travel_max_minutes=15),
        person("ebike", km=2.0, travel_mode="ebike", travel_max_minutes=15),
        person("short", km=2.0, travel_mode="ebike", travel_max_minutes=9),
        person("default", km=1.0),
        person("driver", km=6.0, travel_mode="drive", travel_max_minutes=20),
    ]
    embedded = EmbeddedIndex(offload=False)
    await embedded.bulk_load(people)
    for reach in (
        JobseekerReach(*HOME),
        JobseekerReach(*HOME, mode="drive", max_minutes=12),
        JobseekerReach(*HOME, default_mode="bike", default_max_minutes=5),
    ):
        expected = await embedded.search_jobseekers(
            JobseekerQuery(JobseekerFilters(reach=reach)), limit=10
        )
        hits = [hit(p, q.jobseeker_source(p)) for p in people]
        kept = people_in_reach(hits, reach, EstimatedTravel())
        got = {(h.id, h.mode, h.minutes) for h in kept}
        assert got == {(c.id, c.travel_mode, c.travel_minutes) for c in expected}


async def test_postings_in_reach_match_the_embedded_index() -> None:
    docs = [posting(f"p{km}", lat=north(km)[0]) for km in (0.2, 0.99, 1.0, 1.01, 3.0)]
    docs.append(posting("nowhere", lat=None, lon=None, location_precision="unknown"))
    embedded = EmbeddedIndex(offload=False)
    await embedded.bulk_load(docs)
    for travel in (TravelFilter(*HOME, "walk", 15), TravelFilter(*HOME, "bike", None)):
        expected = await embedded.search_postings(
            PostingQuery(PostingFilters(now=NOW, travel=travel)), limit=10
        )
        hits = [hit(d, q.posting_source(d)) for d in docs]
        kept = postings_in_reach(hits, travel, EstimatedTravel())
        ordered = by_minutes([h for h in kept if h.mode], [h for h in kept if not h.mode], 10)
        got = [(h.id, None if np.isnan(h.minutes) else h.minutes) for h, _ in ordered]
        assert got == [(c.id, c.travel_minutes) for c in expected]


def test_fusion_is_the_embedded_fusion() -> None:
    rng = np.random.default_rng(3)
    docs = [posting(f"p{i}", vector=rng.standard_normal(8)) for i in range(40)]
    query = docs[0].vector
    assert query is not None
    by_vector = sorted(docs, key=lambda d: -float(d.vector @ query))[:10]  # type: ignore[operator]
    by_text = docs[5:15]
    text_hits = [hit(d, q.posting_source(d), 10.0 - i) for i, d in enumerate(by_text)]
    vector_hits = [hit(d, q.posting_source(d)) for d in by_vector]
    got = fused(vector_hits, text_hits, query, True, 10)
    union = vector_hits + [h for h in text_hits if h.id not in {v.id for v in vector_hits}]
    vec = np.array([np.asarray(h.source["vector"], np.float32) @ query for h in union])
    text_scores = {h.id: q.LEXICAL_SCALE * (h.score or 0.0) for h in text_hits}
    lex = np.array([text_scores.get(h.id, 0.0) for h in union], np.float32)
    positions, scores = fuse(vec, lex, 10)
    assert [(h.id, s) for h, s in got] == [
        (union[i].id, s) for i, s in zip(positions.tolist(), scores.tolist(), strict=True)
    ]


def test_plan_asks_the_lists_the_embedded_order_needs() -> None:
    filters = PostingFilters(now=NOW)
    base = q.posting_filter(filters)
    vector = np.array([1.0, 0.0], np.float32)
    listing = plan(q.POSTINGS, PostingQuery(filters), 5, base, None, None, None, 2)
    assert (listing.by_vector, listing.by_text) == (None, None)
    assert listing.ordered[0].body["sort"][0] == {
        "created_at": {"order": "desc", "missing": "_last"}
    }
    query = PostingQuery(filters, tokens=("焊工",), vector=vector)
    both = plan(q.POSTINGS, query, 5, base, None, None, vector, 2)
    assert both.by_vector is not None and both.by_text is not None and not both.ordered
    assert both.by_vector.body["_source"]["includes"][-1] == "vector"  # cosines on the client
    no_vectors_yet = plan(q.POSTINGS, query, 5, base, None, None, vector, None)
    assert no_vectors_yet.by_vector is None and no_vectors_yet.by_text is not None
    with pytest.raises(ValueError, match="query vector has 2 dimensions, the index 3"):
        plan(q.POSTINGS, query, 5, base, None, None, vector, 3)
    padded = plan(
        q.POSTINGS, PostingQuery(filters, tokens=("焊工",)), 5, base, None, None, None, None
    )
    assert padded.padding
    assert padded.ordered[0].body["query"]["bool"]["must_not"][-1] == q.match_tokens(("焊工",))
    required = PostingQuery(filters, tokens=(), require_text=True)
    assert plan(q.POSTINGS, required, 5, base, None, None, None, None).lists() == []
    origin = (*HOME, False)
    near = plan(q.POSTINGS, PostingQuery(filters), 5, base, None, origin, None, None, True)
    assert near.by_distance and [x.need for x in near.ordered] == [21, 5]
    people = plan(
        q.JOBSEEKERS, JobseekerQuery(JobseekerFilters()), 5, base, None, origin, None, None
    )
    assert [x.need for x in people.ordered] == [None]  # by their own modes: all, then minutes


def test_picks_put_the_unlocated_last_and_pad_text_with_the_rest() -> None:
    located = [Hit("b", {}, None, None, minutes=9.0), Hit("a", {}, None, None, minutes=3.0)]
    unlocated = [Hit("z", {}, None, None)]
    listing = Plan(q.POSTINGS, PostingQuery(PostingFilters(now=NOW)), 3, None, None)
    listing.by_distance = True
    listing.ordered = [
        RankedList(q.POSTINGS, {}, 3, None, located),
        RankedList(q.POSTINGS, {}, 3, None, unlocated),
    ]
    assert [(h.id, s) for h, s in picks(listing)][:2] == [("a", -3.0), ("b", -9.0)]
    assert picks(listing)[2][0].id == "z"
    text = Plan(q.POSTINGS, PostingQuery(PostingFilters(now=NOW), tokens=("w",)), 3, None, None)
    text.by_text = RankedList(q.POSTINGS, {}, 3, None, [Hit("t", {}, 2.0, None)])
    text.padding = True
    text.ordered = [
        RankedList(q.POSTINGS, {}, 3, None, [Hit("n1", {}, None, None), Hit("n2", {}, None, None)])
    ]
    assert [(h.id, s) for h, s in picks(text)] == [
        ("t", pytest.approx(2.0 * q.LEXICAL_SCALE)),
        ("n1", 0.0),
        ("n2", 0.0),
    ]


def test_facet_ties_follow_the_embedded_order() -> None:
    assert sorted(
        ["part_time", "gig", "full_time"], key=lambda v: facet_order("employment_type", v)
    ) == [
        "full_time",
        "part_time",
        "gig",
    ]
    assert sorted(["6-18", "4-03", "10-01"], key=lambda v: facet_order("occupation_medium", v)) == [
        "4-03",
        "6-18",
        "10-01",
    ]
