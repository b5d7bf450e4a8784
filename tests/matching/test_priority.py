"""Priority rules. Each test here fails if the rule it names is dropped."""

from typing import Any

import pytest

from matching.documents import GroupMembership, JobseekerDoc, PostingDoc
from matching.policy import load_default_policy, parse_policy
from matching.priority import (
    PriorityRules,
    group_reasons,
    may_offer,
    order_candidates,
    person_boost,
    reserved_groups,
    types_reserved_from,
)

POLICY = load_default_policy()  # graduate 10, veteran 20, ...; veterans first at equal conditions
RULES = PriorityRules(threshold=0.5, epsilon=0.02, targeted_boost=0.1)


def order(*entries: tuple[str, float, tuple[str, ...]]) -> list[tuple[str, int]]:
    return [(r.id, r.tier) for r in order_candidates(entries, POLICY, RULES)]


def test_member_above_threshold_outranks_a_better_scored_non_member() -> None:
    assert order(("plain", 0.9, ()), ("fisher", 0.6, ("fishing_ban_fisher",))) == [
        ("fisher", 0), ("plain", 1)
    ]  # fmt: skip


def test_member_below_threshold_does_not_jump_ahead() -> None:
    assert order(("plain", 0.6, ()), ("fisher", 0.4, ("fishing_ban_fisher",))) == [
        ("plain", 1), ("fisher", 2)
    ]  # fmt: skip


def test_members_follow_the_policy_group_order() -> None:
    ranked = order(
        ("household", 0.9, ("zero_employment_household",)),  # order 50
        ("graduate", 0.55, ("graduate",)),  # order 10
        ("plain", 0.95, ()),
    )
    assert ranked == [("graduate", 0), ("household", 0), ("plain", 1)]


def test_veteran_first_at_equal_scores_among_members() -> None:
    # Group order alone puts the graduate (10) before the veteran (20).
    assert order(("graduate", 0.7, ("graduate",)), ("veteran", 0.7, ("veteran",))) == [
        ("veteran", 0), ("graduate", 0)
    ]  # fmt: skip


def test_veteran_first_at_equal_scores_below_threshold() -> None:
    assert order(("plain", 0.40, ()), ("veteran", 0.40, ("veteran",))) == [
        ("veteran", 2), ("plain", 2)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("veteran_score", "veteran_first"),
    [(0.40, True), (0.385, True), (0.379, False), (0.30, False)],
)
def test_equal_conditions_means_within_epsilon(veteran_score: float, veteran_first: bool) -> None:
    ranked = order(("plain", 0.40, ()), ("veteran", veteran_score, ("veteran",)))
    assert (ranked[0][0] == "veteran") is veteran_first


def test_equal_conditions_keeps_veterans_in_their_own_order() -> None:
    ranked = order(
        ("g1", 0.80, ("graduate",)),
        ("g2", 0.70, ("graduate",)),
        ("v1", 0.80, ("veteran",)),
        ("v2", 0.79, ("veteran",)),
    )
    assert [r for r, _ in ranked] == ["v1", "v2", "g1", "g2"]


def test_without_equal_conditions_rule_group_order_decides() -> None:
    policy = parse_policy(
        {
            "version": 1,
            "groups": [
                {"code": "graduate", "name": "高校毕业生", "order": 10},
                {"code": "veteran", "name": "退役军人", "order": 20},
            ],
        }
    )
    entries = [("veteran", 0.7, ("veteran",)), ("graduate", 0.7, ("graduate",))]
    assert [r.id for r in order_candidates(entries, policy, RULES)] == ["graduate", "veteran"]


def test_unknown_groups_give_no_priority() -> None:
    assert order(("a", 0.9, ()), ("b", 0.8, ("not_a_group",))) == [("a", 1), ("b", 1)]


def posting(**fields: Any) -> PostingDoc:
    return PostingDoc(id="p", employer_id="e", title="岗位", **fields)


def seeker(*groups: str) -> JobseekerDoc:
    return JobseekerDoc(id="s", groups=tuple(GroupMembership(g) for g in groups))


@pytest.mark.parametrize(
    ("doc", "groups", "offered"),
    [
        (posting(reserved_for=("veteran",)), (), False),
        (posting(reserved_for=("veteran",)), ("graduate",), False),
        (posting(reserved_for=("veteran",)), ("veteran",), True),
        # reserved by the policy's rule even if the document forgot to say so
        (posting(employment_type="public_welfare"), (), False),
        (posting(employment_type="public_welfare"), ("employment_difficulty",), True),
        (posting(), (), True),
        (posting(), ("veteran",), True),  # general jobs are never hidden from members
    ],
)
def test_reserved_posts_only_go_to_their_groups(
    doc: PostingDoc, groups: tuple[str, ...], offered: bool
) -> None:
    assert may_offer(POLICY, doc, groups) is offered


def test_reserved_groups_from_the_policy_rules() -> None:
    assert reserved_groups(POLICY, employment_type="public_welfare") == ("employment_difficulty",)
    veteran_fair = [("special_recruitment", ("veteran",))]
    assert reserved_groups(POLICY, employment_type="full_time", events=veteran_fair) == ("veteran",)
    open_fair = [("job_fair", ("veteran",))]
    assert reserved_groups(POLICY, employment_type="full_time", events=open_fair) == ()
    assert reserved_groups(POLICY, employment_type="gig", explicit=("disabled",)) == ("disabled",)
    assert types_reserved_from(POLICY, ()) == ("public_welfare",)
    assert types_reserved_from(POLICY, ("employment_difficulty",)) == ()


def test_group_targeted_event_boosts_the_posting_for_members_only() -> None:
    fair = posting(event_target_groups=("veteran",))
    assert person_boost(POLICY, fair, seeker("veteran"), RULES) == (
        0.1,
        ("专场招聘面向：退役军人",),
    )
    assert person_boost(POLICY, fair, seeker("graduate"), RULES) == (0.0, ())
    assert person_boost(POLICY, posting(), seeker("veteran"), RULES) == (0.0, ())


def test_public_welfare_reason() -> None:
    welfare = posting(employment_type="public_welfare", reserved_for=("employment_difficulty",))
    boost, reasons = person_boost(POLICY, welfare, seeker("employment_difficulty"), RULES)
    assert boost == 0.1
    assert reasons == ("公益性岗位（就业困难人员专岗）",)


def test_group_names_are_shown_to_staff_not_to_employers() -> None:
    assert group_reasons(POLICY, ["veteran"], for_employer=False) == ["优先群体：退役军人"]
    assert group_reasons(POLICY, ["disabled"], for_employer=True) == [
        "重点群体（同等条件优先推荐）"
    ]
    assert group_reasons(POLICY, [], for_employer=False) == []
