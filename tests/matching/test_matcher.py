"""The matcher end to end over the embedded index, the real taxonomy and the default policy."""

import math
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from matching.documents import GroupMembership, JobseekerDoc, PostingDoc
from matching.geo import EARTH_RADIUS_KM
from matching.index import EmbeddedIndex, PostingFilters, TravelFilter
from matching.matcher import Matcher
from matching.policy import load_default_policy
from matching.taxonomy import load_taxonomy

CHINA = timezone(timedelta(hours=8))
NOW = datetime(2025, 3, 3, 9, 0, tzinfo=CHINA)
HOME = (30.59, 114.30)


def north(km: float) -> tuple[float, float]:
    return HOME[0] + math.degrees(km / EARTH_RADIUS_KM), HOME[1]


def posting(doc_id: str, km: float = 0.8, **fields: Any) -> PostingDoc:
    lat, lon = north(km)
    values: dict[str, Any] = dict(
        employer_id="e1",
        title="招聘焊工",
        occupation_code="6-18-02-04",
        adcode="420102",
        lat=lat,
        lon=lon,
        location_precision="point",
        salary_min=6000,
        salary_max=8000,
        skills=("氩弧焊",),
        created_at=NOW - timedelta(days=10),
        tokens=("焊工", "氩弧焊"),
    )
    values.update(fields)
    return PostingDoc(id=doc_id, **values)


def person(doc_id: str, *groups: str, km: float = 0.0, **fields: Any) -> JobseekerDoc:
    lat, lon = north(km)
    values: dict[str, Any] = dict(
        desired_occupations=("6-18-02-04",),
        skills=("氩弧焊",),
        salary_expectation=5000,
        lat=lat,
        lon=lon,
        groups=tuple(GroupMembership(g) for g in groups),
        consent_show_to_employers=True,
        tokens=("焊工",),
    )
    values.update(fields)
    return JobseekerDoc(id=doc_id, **values)


async def matcher(*docs: PostingDoc | JobseekerDoc) -> Matcher:
    index = EmbeddedIndex()
    await index.bulk_load(docs)
    return Matcher(index, load_taxonomy(), load_default_policy())


async def test_postings_for_explains_in_chinese() -> None:
    m = await matcher(posting("weld"))
    [match] = await m.postings_for(person("s"), now=NOW)
    assert match.posting_id == "weld"
    assert match.travel_minutes == pytest.approx(12.0)
    assert match.travel_mode == "walk"
    for reason in ("职业匹配：焊工", "技能匹配：氩弧焊", "步行约12分钟", "薪资高于期望"):
        assert reason in match.reasons
    assert 0.0 <= match.score <= 1.0
    assert match.features["occupation"] == 1.0


async def test_own_mode_and_overrides() -> None:
    m = await matcher(posting("near", km=8 / 60 * 15 / 1.2), posting("far", km=3.0))
    ebike = person("s", travel_mode="ebike", travel_max_minutes=10)
    [match] = await m.postings_for(ebike, now=NOW)
    assert match.posting_id == "near"
    assert "电动车约8分钟" in match.reasons
    walker = person("w")  # no preference: the policy's 15 minutes' walk
    assert await m.postings_for(walker, now=NOW) == []
    found = await m.postings_for(walker, now=NOW, minutes=30, mode="ebike")
    assert [x.posting_id for x in found] == ["near", "far"]


async def test_imprecise_postings_are_said_or_excluded() -> None:
    m = await matcher(posting("district", location_precision="district"))
    [match] = await m.postings_for(person("s"), now=NOW)
    assert match.imprecise
    assert "位置仅精确到区县，通勤时间为估算" in match.reasons
    assert await m.postings_for(person("s"), now=NOW, include_imprecise=False) == []


async def test_expired_closed_and_banned_postings_never_matched() -> None:
    m = await matcher(
        posting("open"),
        posting("expired", valid_until=date(2025, 3, 2)),
        posting("closed", status="closed"),
        posting("banned", employer_credit="wage_arrears_list"),
        posting("gig_over", employment_type="gig", ends_at=NOW - timedelta(hours=1)),
    )
    assert [x.posting_id for x in await m.postings_for(person("s"), now=NOW)] == ["open"]
    later = NOW + timedelta(days=30)
    assert [x.posting_id for x in await m.postings_for(person("s"), now=later)] == ["open"]


async def test_reserved_post_only_for_its_group_and_general_jobs_still_shown() -> None:
    welfare = posting(
        "welfare", employment_type="public_welfare", reserved_for=("employment_difficulty",)
    )
    # a document built without the policy's reservation must not leak either
    forgot = posting("forgot", employment_type="public_welfare")
    m = await matcher(welfare, forgot, posting("general"))
    plain = await m.postings_for(person("s"), now=NOW)
    assert [x.posting_id for x in plain] == ["general"]
    veteran = await m.postings_for(person("v", "veteran"), now=NOW)
    assert [x.posting_id for x in veteran] == ["general"]
    member = await m.postings_for(person("d", "employment_difficulty"), now=NOW)
    assert {x.posting_id for x in member} == {"welfare", "forgot", "general"}
    first = member[0]
    assert first.posting_id in {"welfare", "forgot"}
    assert "公益性岗位（就业困难人员专岗）" in first.reasons


async def test_group_targeted_event_ranks_up_for_members() -> None:
    m = await matcher(
        posting("general"),
        posting("fair", event_ids=("junggang",), event_target_groups=("veteran",)),
    )
    veteran = await m.postings_for(person("v", "veteran"), now=NOW)
    assert [x.posting_id for x in veteran] == ["fair", "general"]
    assert veteran[0].score == pytest.approx(veteran[1].score + 0.1)
    assert veteran[0].reasons[0] == "专场招聘面向：退役军人"
    plain = await m.postings_for(person("s"), now=NOW)
    assert plain[0].score == plain[1].score
    only_fair = await m.postings_for(person("v", "veteran"), now=NOW, event_id="junggang")
    assert [x.posting_id for x in only_fair] == ["fair"]


async def test_employment_type_filter() -> None:
    m = await matcher(posting("full"), posting("gig", employment_type="gig"))
    found = await m.postings_for(person("s"), now=NOW, employment_type="gig")
    assert [x.posting_id for x in found] == ["gig"]


async def test_candidates_priority_tiers_and_equal_conditions() -> None:
    m = await matcher(
        posting("weld", km=0.0),
        person("plain", km=0.5),
        person("veteran", "veteran", km=0.5),  # identical except the group
        person("better", km=0.1, experience_years=5),
        person("private", km=0.5, consent_show_to_employers=False),
        person("cook", "graduate", km=0.5, desired_occupations=("4-03-02-01",), skills=()),
    )
    target = posting("weld", km=0.0)
    staff = await m.jobseekers_for(target, now=NOW, for_employer=False, limit=10)
    by_id = {c.jobseeker_id: c for c in staff}
    assert by_id["veteran"].score == by_id["plain"].score
    order = [c.jobseeker_id for c in staff]
    assert order.index("veteran") < order.index("plain")
    assert order[0] == "veteran" and by_id["veteran"].priority_tier == 0
    assert by_id["better"].score > by_id["veteran"].score  # outranked by a qualified member
    assert by_id["cook"].score < 0.5 and by_id["cook"].priority_tier == 2
    assert order[-1] == "cook"  # a member below the threshold does not jump ahead
    assert [c.priority_tier for c in staff] == sorted(c.priority_tier for c in staff)
    assert "优先群体：退役军人" in by_id["veteran"].reasons
    assert "步行约8分钟" in by_id["veteran"].reasons
    assert all(0.0 <= c.score <= 1.0 for c in staff)
    employer = await m.jobseekers_for(target, now=NOW, for_employer=True, limit=10)
    assert "private" not in {c.jobseeker_id for c in employer}
    shown = {c.jobseeker_id: c for c in employer}["veteran"]
    assert "重点群体（同等条件优先推荐）" in shown.reasons
    assert not any("退役军人" in r for r in shown.reasons)


async def test_candidates_for_a_reserved_post_are_members_only() -> None:
    m = await matcher(person("plain"), person("veteran", "veteran"))
    reserved = posting("r", km=0.0, reserved_for=("veteran",))
    found = await m.jobseekers_for(reserved, now=NOW, for_employer=False)
    assert [c.jobseeker_id for c in found] == ["veteran"]


async def test_candidates_reach_the_posting_by_their_own_mode() -> None:
    m = await matcher(
        person("walker", km=2.0),
        person("rider", km=2.0, travel_mode="ebike", travel_max_minutes=15),
    )
    found = await m.jobseekers_for(posting("p", km=0.0), now=NOW, for_employer=False)
    assert [(c.jobseeker_id, c.travel_mode) for c in found] == [("rider", "ebike")]
    assert "电动车约10分钟" in found[0].reasons


async def test_public_search_with_facets_from_the_same_filters() -> None:
    m = await matcher(
        posting("a", km=0.1, created_at=NOW - timedelta(days=1)),
        posting("b", km=0.2, adcode="420111"),
        posting("c", km=0.3, occupation_code="4-03-02-05", tokens=("服务员",)),
        posting("far", km=5.0),
    )
    filters = PostingFilters(now=NOW, travel=TravelFilter(*HOME, "walk", 15))
    hits, facets = await m.search_postings(["焊工"], None, filters, limit=1, offset=0)
    assert facets.total == 2
    assert [(f.value, f.label) for f in facets.occupation_medium] == [
        ("6-18", "机械制造基础加工人员")
    ]
    assert [(f.value, f.count) for f in facets.adcode] == [("420102", 1), ("420111", 1)]
    second, _ = await m.search_postings(["焊工"], None, filters, limit=1, offset=1)
    assert {hits[0].posting_id, second[0].posting_id} == {"a", "b"}
    everything, facets = await m.search_postings([], None, filters, limit=10)
    assert [h.posting_id for h in everything] == ["a", "b", "c"]  # nearest first
    assert facets.total == 3
    assert everything[0].travel_minutes == pytest.approx(1.5)
