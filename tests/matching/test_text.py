import logging

import pytest

from matching.text import (
    JiebaTokenizer,
    TitleParts,
    char_ngrams,
    clean_title,
    find_places,
    normalize_text,
    split_title,
    strip_places,
    tokenize,
)


def test_normalize_text_folds_width_case_and_space() -> None:
    assert normalize_text("  ＪＡＶＡ　开发（５年） ") == "java 开发(5年)"
    assert normalize_text("Ｃ１驾驶员") == "c1驾驶员"
    assert normalize_text("") == ""


@pytest.mark.parametrize(
    ("title", "cleaned"),
    [
        ("解记面馆招聘洗碗工", "洗碗工"),
        ("电影院检票员300/天包吃包住", "电影院检票员"),
        ("汽修学徒工", "汽修学徒工"),
        ("【急招】普工 5-8K 包吃住 (长白班)", "普工"),
        ("蔡甸工业园招聘氩弧焊工 6000-9000", "氩弧焊工"),
        ("新乡西大街急招【人事专员】 五险+包住宿", "人事专员"),
        ("西宁海湖新区餐饮招楼面主管3名", "楼面主管"),
        ("高薪急聘销售专员+朝九晚六", "销售专员"),
        ("招聘导购员月入5000+", "导购员"),
        ("新能源电工+五险一金+包食宿", "新能源电工"),
        ("销售代表（阳泉市内）", "销售代表"),
        ("湖北武汉洪山区 快递员 18-45岁 若干名", "快递员"),
        ("Java开发工程师 15-25K·13薪", "java开发工程师"),
        ("福州少儿数学教师(J10865)", "少儿数学教师"),
        ("美容店长（年薪30万+精准客户）", "美容店长"),
        ("良品铺子店员6.5小时", "良品铺子店员"),
        ("武汉市场专员", "市场专员"),  # 武汉 + 市场专员, not 武汉市 + 场专员
        ("社保专员（双休）", "社保专员"),  # a perk word that begins a job's name stays
        ("宿舍管理员包吃住", "宿舍管理员"),
    ],
)
def test_clean_title(title: str, cleaned: str) -> None:
    assert clean_title(title) == cleaned


def test_recruiting_words_that_are_jobs_are_kept() -> None:
    assert clean_title("招聘专员") == "招聘专员"
    assert clean_title("招生老师") == "招生老师"
    assert clean_title("招商经理 双休") == "招商经理"


def test_split_title_keeps_the_employer_as_context() -> None:
    assert split_title("解记面馆招聘洗碗工") == TitleParts(role="洗碗工", context="解记面馆")
    assert split_title("赣州市楠方影业招聘服务员") == TitleParts(role="服务员", context="楠方影业")
    parts = split_title("软件运维工程师（软件工程师）（运维工程师）")
    assert parts.role == "软件运维工程师"
    assert parts.context == "软件工程师 运维工程师"
    assert parts.text == "软件运维工程师 软件工程师 运维工程师"


def test_employer_stands_in_when_no_role_is_named() -> None:
    assert split_title("重庆绿茶餐厅诚聘各岗4000起+包吃住") == TitleParts("绿茶餐厅", "")


def test_titles_of_noise_only_clean_to_nothing() -> None:
    assert clean_title("高薪急招 包吃包住 5000-8000") == ""
    assert clean_title("") == ""


def test_places_full_and_short_forms() -> None:
    assert strip_places("湖北省武汉市江岸区焊工").split() == ["焊工"]
    assert strip_places("武汉焊工").strip() == "焊工"
    # short forms only at the start of a word: 精通海空运 holds 通海 (a county) by accident
    assert find_places("精通海空运") == []
    assert find_places("米兰西饼店") == []
    # names that are also occupation words are never places
    assert strip_places("安全员") == "安全员"


@pytest.mark.parametrize("term", ["焊工", "氩弧焊工", "中式烹调师"])
def test_tokenizer_keeps_taxonomy_terms_whole(term: str) -> None:
    assert term in tokenize(f"招聘{term}若干")
    assert tokenize(term) == [term]


def test_tokenizer_drops_punctuation_and_space() -> None:
    assert tokenize("焊工 / 电工！") == ["焊工", "电工"]


def test_private_tokenizer_is_lazy_and_quiet(caplog: pytest.LogCaptureFixture) -> None:
    tokenizer = JiebaTokenizer(["氩弧焊工"])
    assert tokenizer._tokenizer is None  # nothing loaded before the first cut
    with caplog.at_level(logging.DEBUG, logger="jieba"):
        assert "氩弧焊工" in tokenizer.cut("蔡甸招聘氩弧焊工")
    assert not [r for r in caplog.records if r.name == "jieba"]


def test_char_ngrams() -> None:
    assert char_ngrams("焊工", 1, 2) == ["焊", "工", "焊工"]
    assert char_ngrams("焊工 师傅", 2, 2) == ["焊工", "师傅"]  # no n-gram across a space
    assert char_ngrams("焊工", 2, 3, boundaries=True) == ["^焊", "焊工", "工$", "^焊工", "焊工$"]
    assert char_ngrams("", 1, 3) == []
