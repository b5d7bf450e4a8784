from pathlib import Path
from textwrap import dedent

import pytest

from matching.policy import (
    DEFAULT_POLICY_PATH,
    PriorityPolicy,
    load_default_policy,
    load_policy,
    parse_policy,
)

DOMAIN_GROUPS = {
    "graduate",
    "veteran",
    "fishing_ban_fisher",
    "employment_difficulty",
    "zero_employment_household",
    "poverty_alleviated",
    "disabled",
    "migrant_worker",
    "long_term_unemployed",
    "older_worker",
}

MINIMAL = """\
version: 1
groups:
  - {code: veteran, name: 退役军人, order: 20}
  - {code: graduate, name: 高校毕业生, order: 10}
  - {code: employment_difficulty, name: 就业困难人员, order: 30}
"""


@pytest.fixture(scope="module")
def policy() -> PriorityPolicy:
    return load_policy(DEFAULT_POLICY_PATH)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(dedent(text), encoding="utf-8")
    return path


def test_default_path_is_in_the_repository() -> None:
    repository = Path(__file__).resolve().parents[2]
    assert repository / "policy" / "priority_policy.yaml" == DEFAULT_POLICY_PATH
    assert DEFAULT_POLICY_PATH.is_file()


def test_default_policy_has_the_domain_groups(policy: PriorityPolicy) -> None:
    assert set(policy.group_codes) >= DOMAIN_GROUPS
    assert len(policy.group_codes) > len(DOMAIN_GROUPS)  # some of the "other groups" too
    assert policy.group("fishing_ban_fisher").name == "退捕渔民"
    assert policy.group("zero_employment_household").name == "零就业家庭成员"


def test_default_policy_order(policy: PriorityPolicy) -> None:
    ranks = [group.order for group in policy.ordered_groups]
    assert ranks == sorted(ranks)
    assert policy.group_codes[0] == "graduate"
    assert policy.group_codes == tuple(group.code for group in policy.ordered_groups)


def test_default_policy_promises(policy: PriorityPolicy) -> None:
    promises = {promise.code: promise for promise in policy.promises}
    assert set(promises) == {"101", "difficulty_30d", "graduate_311"}
    one_oh_one = promises["101"]
    assert (one_oh_one.group, one_oh_one.clock_starts, one_oh_one.deadline_days) == (
        "zero_employment_household",
        "registered",
        7,
    )
    assert one_oh_one.fulfilled_by == "recommendation"
    difficulty = promises["difficulty_30d"]
    assert (difficulty.clock_starts, difficulty.deadline_days) == ("certified", 30)
    assert promises["graduate_311"].fulfilled_by == "service_311"
    assert policy.promises_for("zero_employment_household") == (one_oh_one,)
    assert policy.promises_for("veteran") == ()


def test_default_policy_rules(policy: PriorityPolicy) -> None:
    assert set(policy.zeroing) == {"zero_employment_household", "fishing_ban_fisher"}
    assert (policy.travel_defaults.mode, policy.travel_defaults.max_minutes) == ("walk", 15)
    assert policy.equal_conditions_first == ("veteran",)


@pytest.mark.parametrize(
    ("posting", "groups"),
    [
        ({"employment_type": "public_welfare"}, {"employment_difficulty"}),
        (
            {"event_kind": "special_recruitment", "event_target_groups": ["veteran"]},
            {"veteran"},
        ),
        ({"event_kind": "special_recruitment", "event_target_groups": ["graduate"]}, None),
        ({"event_kind": "job_fair", "event_target_groups": ["veteran"]}, None),
        ({"employment_type": "full_time"}, None),
        ({}, None),
    ],
)
def test_default_policy_reserved_posts(
    policy: PriorityPolicy, posting: dict, groups: set[str] | None
) -> None:
    assert policy.reserved_for(**posting) == groups


def test_load_default_policy_is_cached() -> None:
    assert load_default_policy() is load_default_policy()


def test_minimal_policy(tmp_path: Path) -> None:
    policy = load_policy(_write(tmp_path, MINIMAL))
    assert policy.version == "1"  # an unquoted number is read as text
    assert policy.group_codes == ("graduate", "veteran", "employment_difficulty")
    assert policy.promises == ()
    assert policy.reserved_for(employment_type="public_welfare") is None
    assert policy.travel_defaults.max_minutes == 15


def test_group_lookup(tmp_path: Path) -> None:
    policy = load_policy(_write(tmp_path, MINIMAL))
    assert policy.group("veteran").order == 20
    assert policy.has_group("veteran")
    assert not policy.has_group("astronaut")
    with pytest.raises(KeyError, match="unknown priority group 'astronaut'"):
        policy.group("astronaut")


def test_promise_code_may_be_unquoted(tmp_path: Path) -> None:
    text = MINIMAL + dedent("""\
        promises:
          - {code: 101, group: veteran, name: 测试, clock_starts: registered,
             deadline_days: 7, fulfilled_by: recommendation}
    """)
    assert load_policy(_write(tmp_path, text)).promises[0].code == "101"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            """\
            promises:
              - {code: "101", group: zero_household, name: x, clock_starts: registered,
                 deadline_days: 7, fulfilled_by: recommendation}
            """,
            r"promises\[0\] \(101\): unknown group zero_household",
        ),
        (
            """\
            reserved_posts:
              - code: pw
                name: 公益性岗位
                when: {employment_type: public_welfare}
                groups: [employment_difficulty, hardship]
            """,
            r"reserved_posts\[0\] \(pw\): unknown group hardship",
        ),
        (
            """\
            reserved_posts:
              - code: vets
                name: 专场
                when: {event_kind: special_recruitment, event_target_group: veterans}
                groups: [veteran]
            """,
            r"reserved_posts\[0\] \(vets\): unknown group veterans",
        ),
        ("zeroing: [fisher]\n", "zeroing: unknown group fisher"),
        ("equal_conditions_first: [army]\n", "equal_conditions_first: unknown group army"),
        (
            """\
            promises:
              - {code: a, group: veteran, name: x, clock_starts: registered, deadline_days: 7,
                 fulfilled_by: recommendation}
              - {code: a, group: graduate, name: y, clock_starts: left_school, deadline_days: 9,
                 fulfilled_by: service_311}
            """,
            "promises: duplicate code a",
        ),
        (
            """\
            promises:
              - {code: a, group: veteran, name: x, clock_starts: hired, deadline_days: 7,
                 fulfilled_by: recommendation}
            """,
            r"promises\[0\]\.clock_starts: Input should be 'registered', 'certified' or",
        ),
        (
            """\
            promises:
              - {code: a, group: veteran, name: x, clock_starts: registered, deadline_days: 0,
                 fulfilled_by: recommendation}
            """,
            r"promises\[0\]\.deadline_days: Input should be greater than or equal to 1",
        ),
        (
            """\
            reserved_posts:
              - {code: r, name: x, when: {}, groups: [veteran]}
            """,
            r"reserved_posts\[0\]\.when: give at least one of employment_type",
        ),
        ("travel_defaults: {mode: rocket, max_minutes: 15}\n", r"travel_defaults\.mode"),
        ("travel_defaults: {mode: walk, max_minuts: 15}\n", r"travel_defaults\.max_minuts: Extra"),
        ("colour: red\n", "colour: Extra inputs are not permitted"),
    ],
)
def test_invalid_policies(tmp_path: Path, extra: str, message: str) -> None:
    path = _write(tmp_path, MINIMAL + dedent(extra))
    with pytest.raises(ValueError, match=message) as caught:
        load_policy(path)
    assert str(caught.value).startswith(str(path))


def test_duplicate_group(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL + "  - {code: graduate, name: 毕业生, order: 40}\n")
    with pytest.raises(ValueError, match=r"policy\.yaml: groups: duplicate code graduate$"):
        load_policy(path)


def test_bad_group_code(tmp_path: Path) -> None:
    text = MINIMAL.replace("code: veteran", "code: Veteran Group")
    with pytest.raises(ValueError, match=r"groups\[0\]\.code: String should match pattern"):
        load_policy(_write(tmp_path, text))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "expected a mapping at the top level"),
        ("- just\n- a list\n", "expected a mapping at the top level"),
        ("version: [unclosed\n", "not valid YAML"),
        ("version: 1\ngroups: []\n", "groups: Tuple should have at least 1 item"),
        ("groups:\n  - {code: veteran, name: 退役军人, order: 1}\n", "version: Field required"),
    ],
)
def test_broken_files(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_policy(_write(tmp_path, text))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_policy(tmp_path / "nope.yaml")


def test_parse_policy_from_a_mapping() -> None:
    policy = parse_policy(
        {"version": "x", "groups": [{"code": "veteran", "name": "退役军人", "order": 1}]}
    )
    assert policy.group_codes == ("veteran",)
