"""Promise clocks and three-colour screening as plain functions: facts in, states out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from matching.policy import load_default_policy
from service.cases.clocks import (
    CAREER_GUIDANCE,
    JOB_RECOMMENDATION,
    SKILLS_TRAINING,
    Colour,
    PersonFacts,
    PromiseState,
    china_date,
    promise_clocks,
    queue_key,
    screen,
)

POLICY = load_default_policy()
TODAY = date(2026, 6, 30)


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def facts(**fields: object) -> PersonFacts:
    values: dict[str, object] = {
        "jobseeker_id": "p1",
        "registered_on": day(-3),
        "status": "seeking",
        "groups": {},
    }
    values.update(fields)
    return PersonFacts(**values)  # type: ignore[arg-type]


def only_clock(person: PersonFacts):  # type: ignore[no-untyped-def]
    clocks = promise_clocks(POLICY, person, TODAY)
    assert len(clocks) == 1
    return clocks[0]


@pytest.mark.parametrize(
    ("registered", "recommended", "placed_on", "status", "state", "is_open", "fulfilled"),
    [
        (-3, [], None, "seeking", PromiseState.running, True, None),
        (-7, [], None, "seeking", PromiseState.running, True, None),  # the 7th day still counts
        (-8, [], None, "seeking", PromiseState.missed, True, None),  # overdue
        (-8, [-2], None, "seeking", PromiseState.met, False, -2),
        (-10, [-1], None, "seeking", PromiseState.missed, False, -1),  # late
        (-10, [], -5, "placed", PromiseState.met, False, -5),  # a hire closes it in time
        (-20, [], -5, "placed", PromiseState.missed, False, -5),  # …or late
        (-3, [], None, "placed", PromiseState.met, False, 0),  # placed, day unknown: today
        (-10, [], None, "inactive", PromiseState.missed, False, None),  # not seeking: not owed
    ],
)
def test_101_within_a_week_of_registration(
    registered: int,
    recommended: list[int],
    placed_on: int | None,
    status: str,
    state: PromiseState,
    is_open: bool,
    fulfilled: int | None,
) -> None:
    clock = only_clock(
        facts(
            registered_on=day(registered),
            groups={"zero_employment_household": None},
            recommended_on=[day(d) for d in recommended],
            placed_on=day(placed_on) if placed_on is not None else None,
            status=status,
        )
    )
    assert clock.code == "101"
    assert clock.deadline == day(registered + 7)
    assert (clock.state, clock.open) == (state, is_open)
    assert clock.fulfilled_on == (day(fulfilled) if fulfilled is not None else None)
    assert clock.days_left == registered + 7


def test_difficulty_clock_starts_at_certification() -> None:
    clock = only_clock(
        facts(
            registered_on=day(-100),
            groups={"employment_difficulty": day(-25)},
            recommended_on=[day(-60)],  # before certification: does not count
        )
    )
    assert clock.started_on == day(-25) and not clock.start_assumed
    assert clock.deadline == day(5) and clock.state == PromiseState.running and clock.open


def test_unknown_certification_date_falls_back_to_registration() -> None:
    clock = only_clock(facts(registered_on=day(-31), groups={"employment_difficulty": None}))
    assert clock.start_assumed and clock.started_on == day(-31)
    assert clock.state == PromiseState.missed and clock.open


def test_311_needs_all_three_parts_after_leaving_school() -> None:
    base = {"groups": {"graduate": None}, "left_school_on": day(-20)}
    assert only_clock(facts(**base)).state == PromiseState.running
    partial = facts(**base, recommended_on=[day(-5)], services={CAREER_GUIDANCE: [day(-4)]})
    assert only_clock(partial).fulfilled_on is None
    whole = facts(
        **base,
        services={
            CAREER_GUIDANCE: [day(-4)],
            SKILLS_TRAINING: [day(-2), day(-30)],
            JOB_RECOMMENDATION: [day(-6)],
        },
    )
    clock = only_clock(whole)
    assert (clock.state, clock.fulfilled_on, clock.open) == (PromiseState.met, day(-2), False)
    stale = facts(
        **base,
        recommended_on=[day(-5)],
        services={CAREER_GUIDANCE: [day(-4)], SKILLS_TRAINING: [day(-30)]},  # before leaving
    )
    assert only_clock(stale).fulfilled_on is None


def test_people_outside_promise_groups_have_no_clocks() -> None:
    assert promise_clocks(POLICY, facts(groups={"veteran": None}), TODAY) == []


@pytest.mark.parametrize(
    ("person", "colour"),
    [
        (facts(groups={"veteran": None}), None),  # not screened
        (facts(groups={"migrant_worker": None}), Colour.yellow),
        (facts(groups={"migrant_worker": None}, registered_on=day(-30)), Colour.red),  # silent
        (
            facts(groups={"migrant_worker": None}, registered_on=day(-60), last_contact_on=day(-3)),
            Colour.yellow,
        ),
        (
            facts(groups={"graduate": None}, left_school_on=day(-40), last_contact_on=day(-1)),
            Colour.red,  # 311 overdue, however recent the contact
        ),
        (facts(groups={"disabled": None}, status="placed", placed_on=day(-2)), Colour.blue),
    ],
)
def test_three_colours(person: PersonFacts, colour: Colour | None) -> None:
    result = screen(POLICY, person, promise_clocks(POLICY, person, TODAY), TODAY)
    assert (result.colour if result else None) == colour
    if colour == Colour.blue:
        assert result is not None and result.follow_up_on == day(28)


def test_queue_order_is_deadline_then_group_rank() -> None:
    graduate = only_clock(facts(groups={"graduate": None}, left_school_on=day(-25)))
    household = only_clock(facts(groups={"zero_employment_household": None}, registered_on=day(-2)))
    assert graduate.deadline == household.deadline
    ordered = sorted([(household, "a"), (graduate, "b")], key=lambda e: queue_key(POLICY, *e))
    assert [c.code for c, _ in ordered] == ["graduate_311", "101"]  # graduate ranks first


def test_days_are_china_days() -> None:
    late_evening_utc = datetime(2026, 6, 30, 17, 0, tzinfo=UTC)  # 01:00 on 1 July in Wuhan
    assert china_date(late_evening_utc) == date(2026, 7, 1)
