"""The circle tiers of the policy file."""

from __future__ import annotations

import pytest

from matching.policy import load_default_policy, parse_policy
from service.enums import StationKind

BASE = {"version": "t", "groups": [{"code": "graduate", "name": "高校毕业生", "order": 1}]}


def test_the_shipped_file_has_the_three_hunan_tiers() -> None:
    policy = load_default_policy()
    tiers = policy.circle_tiers
    assert [(t.code, t.minutes) for t in tiers] == [
        ("service", 10),
        ("employment", 20),
        ("training", 30),
    ]
    assert {policy.tier_mode(t) for t in tiers} == {policy.travel_defaults.mode}
    known = {kind.value for kind in StationKind}
    for tier in tiers:
        assert set(tier.kinds) <= known, tier.code
    assert tiers[2].kinds == ("training_base",)


def test_a_tier_may_name_its_mode_and_leave_out_kinds() -> None:
    policy = parse_policy(
        BASE | {"circle_tiers": [{"code": "a", "name": "圈", "minutes": 15, "mode": "ebike"}]}
    )
    assert policy.tier_mode(policy.circle_tiers[0]) == "ebike"
    assert policy.circle_tiers[0].kinds == ()


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ([{"code": "a", "name": "x", "minutes": 10}] * 2, "circle_tiers: duplicate code a"),
        ([{"code": "a", "name": "x", "minutes": 0}], r"circle_tiers\[0\]\.minutes"),
        ([{"code": "a", "name": "x", "minutes": 10, "mode": "rocket"}], r"circle_tiers\[0\]\.mode"),
        ([{"code": "a", "name": "x", "minute": 10}], r"circle_tiers\[0\]\.minute"),
    ],
)
def test_mistakes_in_tiers_are_named(tiers: list[dict[str, object]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_policy(BASE | {"circle_tiers": tiers})
