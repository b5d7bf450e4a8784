import dataclasses

import pytest

from matching.eval.occupations import evaluate, load_cases, split_cases
from matching.normalize import OccupationMatch, OccupationNormalizer, load_normalizer
from matching.taxonomy import Taxonomy, load_taxonomy


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


@pytest.fixture(scope="module")
def normalizer() -> OccupationNormalizer:
    return load_normalizer()


@pytest.fixture(scope="module")
def taxonomy_only(taxonomy: Taxonomy) -> OccupationNormalizer:
    return OccupationNormalizer.build(taxonomy)


def test_load_is_cached(normalizer: OccupationNormalizer) -> None:
    assert load_normalizer() is normalizer


@pytest.mark.parametrize("title", ["氩弧焊工", "蔡甸工业园招聘氩弧焊工 6000-9000"])
def test_welder(normalizer: OccupationNormalizer, title: str) -> None:
    best = normalizer.normalize(title)[0]
    assert best.code == "6-18-02-04"
    assert best.name == "焊工"
    assert best.level == 4
    assert best.method == "alias_exact"
    assert best.score > 0.8


@pytest.mark.parametrize(
    "title",
    ["解记面馆招聘洗碗工", "饭店招聘洗碗工", "火锅店招聘传菜员", "后厨帮工", "川菜厨师包吃住"],
)
def test_kitchen_titles_land_in_the_catering_minor_group(
    normalizer: OccupationNormalizer, title: str
) -> None:
    assert normalizer.normalize(title)[0].code.startswith("4-03-02-")


def test_without_training_titles_names_and_aliases_answer(
    taxonomy_only: OccupationNormalizer,
) -> None:
    best = taxonomy_only.normalize("蔡甸工业园招聘氩弧焊工 6000-9000")[0]
    assert (best.code, best.method, best.score) == ("6-18-02-04", "alias_exact", pytest.approx(1.0))
    assert taxonomy_only.normalize("解记面馆招聘洗碗工")[0].code.startswith("4-03-02-")


@pytest.mark.parametrize("which", ["trained", "taxonomy_only"])
@pytest.mark.parametrize("title", ["电影院检票员300/天包吃包住", "汽修学徒工", "java开发", "保安"])
def test_scores_in_unit_interval_sorted_descending(
    request: pytest.FixtureRequest, which: str, title: str
) -> None:
    coder = request.getfixturevalue("normalizer" if which == "trained" else "taxonomy_only")
    matches = coder.normalize(title, limit=5)
    assert 1 <= len(matches) <= 5
    scores = [match.score for match in matches]
    assert all(0.0 <= score <= 1.0 for score in scores)
    assert scores == sorted(scores, reverse=True)
    assert len({match.code for match in matches}) == len(matches)
    assert all(match.method in {"alias_exact", "classifier", "tfidf"} for match in matches)


def test_group_codes_are_answers_too(normalizer: OccupationNormalizer) -> None:
    # "普工" (general worker) names no occupation: people label it with the major group
    best = normalizer.normalize("【急招】普工 5-8K 包吃住 (长白班)")[0]
    assert best.code == "6-00-00-00"
    assert best.level == 1


def test_empty_and_noise_titles_get_no_answer(normalizer: OccupationNormalizer) -> None:
    assert normalizer.normalize("") == []
    assert normalizer.normalize("   ") == []
    assert normalizer.normalize("高薪急招 包吃包住") == []
    assert normalizer.normalize("焊工", limit=0) == []


def test_limit(normalizer: OccupationNormalizer) -> None:
    assert len(normalizer.normalize("焊工", limit=1)) == 1
    assert len(normalizer.normalize("焊工", limit=12)) == 12


def test_match_is_frozen(normalizer: OccupationNormalizer) -> None:
    match = normalizer.normalize("焊工")[0]
    assert isinstance(match, OccupationMatch)
    with pytest.raises(dataclasses.FrozenInstanceError):
        match.code = "x"  # type: ignore[misc]


def test_normalize_many_agrees_with_normalize(normalizer: OccupationNormalizer) -> None:
    titles = ["氩弧焊工", "解记面馆招聘洗碗工", "", "氩弧焊工", "保安"]
    assert normalizer.normalize_many(titles, limit=3) == [
        normalizer.normalize(title, limit=3) for title in titles
    ]
    assert normalizer.normalize_many([]) == []


def test_training_labels_outside_the_taxonomy_are_ignored(taxonomy: Taxonomy) -> None:
    training = [("氩弧焊工", "6-18-02-04"), ("洗碗工", "4-03-02-05"), ("奇怪岗位", "9-99-99-99")]
    coder = OccupationNormalizer.build(taxonomy, training)
    assert coder.normalize("焊工学徒")[0].code == "6-18-02-04"
    assert all(m.code != "9-99-99-99" for m in coder.normalize("奇怪岗位", limit=50))


def test_held_out_exact_top1_meets_the_target(normalizer: OccupationNormalizer) -> None:
    _, test = split_cases(load_cases())
    assert evaluate(normalizer, test).exact_top1 >= 0.65


def test_a_remembered_answer_is_the_same_and_cannot_be_changed_by_the_caller(
    normalizer: OccupationNormalizer,
) -> None:
    first = normalizer.normalize("解记面馆招聘洗碗工")
    assert first == normalizer.normalize_many(["解记面馆招聘洗碗工"])[0]
    first.clear()  # the caller's list, not the remembered one
    again = normalizer.normalize("解记面馆招聘洗碗工")
    assert again and again == normalizer.normalize_many(["解记面馆招聘洗碗工"])[0]
    assert normalizer.normalize("解记面馆招聘洗碗工", limit=1) == again[:1]
