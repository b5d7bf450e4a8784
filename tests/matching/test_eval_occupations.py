from collections.abc import Sequence

import pytest

from matching.eval.occupations import (
    JaccardBaseline,
    LabelledTitle,
    OccupationScores,
    TfidfBaseline,
    evaluate,
    load_cases,
    minor_group,
    report,
    split_cases,
)
from matching.normalize import OccupationMatch


class FixedAnswers:
    """A coder that answers from a table (title → codes, best first)."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers

    def normalize_many(
        self, titles: Sequence[str], *, limit: int = 5
    ) -> list[list[OccupationMatch]]:
        return [
            [
                OccupationMatch(code, code, 4, 1.0 - i / 10, "fixed")
                for i, code in enumerate(self.answers.get(title, [])[:limit])
            ]
            for title in titles
        ]


def test_load_cases() -> None:
    cases = load_cases()
    assert len(cases) == 5891  # 5,903 rows, 12 without a code
    assert len(load_cases(labelled_only=False)) == 5903
    assert all(isinstance(case, LabelledTitle) and case.code for case in cases)
    assert LabelledTitle("解记面馆招聘洗碗工", "4-03-02-05") in cases


def test_split_is_deterministic_disjoint_and_complete() -> None:
    cases = load_cases()
    train, test = split_cases(cases)
    assert (train, test) == split_cases(list(reversed(cases)))  # order does not matter
    assert len(test) == round(len(cases) * 0.2)
    assert not set(train) & set(test)
    assert set(train) | set(test) == set(cases)
    _, other_test = split_cases(cases, seed=1)
    assert set(other_test) != set(test)


def test_split_sizes_and_bad_fraction() -> None:
    cases = [(f"t{i}", "1-00-00-00") for i in range(10)]
    train, test = split_cases(cases, test_fraction=0.3)
    assert (len(train), len(test)) == (7, 3)
    assert split_cases(cases, test_fraction=0.0)[1] == []
    with pytest.raises(ValueError):
        split_cases(cases, test_fraction=1.5)


def test_minor_group() -> None:
    assert minor_group("6-18-02-04") == "6-18-02"
    assert minor_group("4-03-02-00") == "4-03-02"


def test_evaluate_known_numbers() -> None:
    coder = FixedAnswers(
        {
            "a": ["6-18-02-04", "6-18-02-01"],  # exact at rank 1
            "b": ["6-18-02-01", "6-18-02-04"],  # same minor group, right code at rank 2
            "c": ["1-00-00-00", "2-00-00-00", "3-00-00-00", "4-00-00-00", "4-03-02-05"],  # rank 5
            "d": ["4-03-01-01"],  # wrong group, absent
            # "e": no answer at all
        }
    )
    cases = [
        ("a", "6-18-02-04"),
        ("b", "6-18-02-04"),
        ("c", "4-03-02-05"),
        ("d", "4-03-02-05"),
        ("e", "4-03-02-05"),
    ]
    scores = evaluate(coder, cases)
    assert scores == OccupationScores(
        cases=5,
        exact_top1=pytest.approx(1 / 5),
        minor_group_top1=pytest.approx(2 / 5),
        top5=pytest.approx(3 / 5),
        mrr=pytest.approx((1 + 1 / 2 + 1 / 5) / 5),
    )
    assert evaluate(coder, []) == OccupationScores(0, 0.0, 0.0, 0.0, 0.0)


def test_baselines_on_exact_names() -> None:
    cases = [("焊工", "6-18-02-04"), ("中式烹调师", "4-03-02-01")]
    for baseline in (TfidfBaseline(), TfidfBaseline(clean=True)):
        assert evaluate(baseline, cases).mrr == 1.0
    # pooled over many aliases, a code's bigram set grows and its Jaccard falls: 西式烹调师 (few
    # aliases) beats 中式烹调师 (many), which is why this floor is low
    jaccard = evaluate(JaccardBaseline(), cases)
    assert (jaccard.exact_top1, jaccard.top5) == (0.5, 1.0)


def test_report_on_a_small_case_list() -> None:
    cases = [(f"招聘焊工{i}号", "6-18-02-04") for i in range(8)] + [
        (f"饭店招聘洗碗工{i}", "4-03-02-05") for i in range(8)
    ]
    text = report(cases=cases, baselines=False, test_fraction=0.25)
    lines = text.splitlines()
    assert "held-out 25% of 16" in lines[0]
    assert any(line.startswith("normaliser") and "held-out" in line for line in lines)
    assert "target ≥ 65%" in text
