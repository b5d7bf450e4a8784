"""The three_colour and alerts sections of the policy file: read, defaulted, checked."""

from __future__ import annotations

import pytest
import yaml

from matching.policy import DEFAULT_POLICY_PATH, load_default_policy, parse_policy


def document() -> dict:
    return yaml.safe_load(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"))


def test_the_shipped_file_screens_the_four_huangshi_groups() -> None:
    policy = load_default_policy()
    assert policy.three_colour is not None
    assert policy.three_colour.groups == (
        "graduate",
        "migrant_worker",
        "disabled",
        "poverty_alleviated",
    )
    assert policy.three_colour.red.no_contact_days == 30
    assert policy.alerts.district_registrations.min_count == 10
    assert policy.alerts.former_employer_registrations.min_count == 5
    assert (policy.alerts.supply_demand.low, policy.alerts.supply_demand.high) == (0.5, 3.0)


def test_sections_are_optional() -> None:
    data = document()
    del data["three_colour"], data["alerts"]
    policy = parse_policy(data)
    assert policy.three_colour is None and policy.alerts.district_registrations.ratio == 2.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["three_colour"].update(groups=["astronaut"]), "unknown group astronaut"),
        (lambda d: d["three_colour"]["red"].update(no_contact_dayz=3), "no_contact_dayz"),
        (lambda d: d["alerts"]["district_registrations"].update(ratio=0.5), "ratio"),
    ],
)
def test_mistakes_name_the_entry(change, message: str) -> None:  # type: ignore[no-untyped-def]
    data = document()
    change(data)
    with pytest.raises(ValueError, match=message):
        parse_policy(data)
