import pytest

from matching.taxonomy import Occupation, Taxonomy, load_taxonomy


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def test_load_is_cached(taxonomy: Taxonomy) -> None:
    assert load_taxonomy() is taxonomy


def test_size_and_levels(taxonomy: Taxonomy) -> None:
    # csco22.csv has 2,051 rows; four codes appear twice (two verbatim repeats and two listed
    # both as a group and as an occupation), which leaves 2,047 distinct codes.
    assert len(taxonomy) == 2047
    levels = [occupation.level for occupation in taxonomy]
    assert levels.count(1) == 8
    assert levels.count(4) == 1632
    assert all(o.parent is None for o in taxonomy if o.level == 1)
    assert all(o.parent in taxonomy for o in taxonomy if o.level > 1)


def test_welder(taxonomy: Taxonomy) -> None:
    welder = taxonomy.get("6-18-02-04")
    assert welder is not None
    assert welder.name == "焊工"
    assert welder.level == 4
    assert welder.parent == "6-18-02-00"
    assert "氩弧焊工" in welder.aliases
    assert "焊工" not in welder.aliases
    assert welder.definition.startswith("使用焊机或焊接设备")


def test_parent_chain(taxonomy: Taxonomy) -> None:
    chain = [occupation.code for occupation in taxonomy.ancestors("6-18-02-04")]
    assert chain == ["6-18-02-00", "6-18-00-00", "6-00-00-00"]
    assert [o.name for o in taxonomy.ancestors("6-18-02-04")][-1] == "生产制造及有关人员"
    assert taxonomy.ancestors("6-00-00-00") == []
    assert taxonomy.ancestors("9-99-99-99") == []


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [
        ("1-02-01-00", 4, "1-02-00-00"),  # an occupation directly under a medium group
        ("1-01-00-01", 4, "1-01-00-00"),  # zero minor-group segment
        ("6-18-02-00", 3, "6-18-00-00"),
        ("6-18-00-00", 2, "6-00-00-00"),
        ("6-00-00-00", 1, None),
        ("2-03-01-00", 4, "2-03-00-00"),  # listed twice in the file (level 3 and level 4)
    ],
)
def test_levels_and_parents(taxonomy: Taxonomy, code: str, level: int, parent: str | None) -> None:
    occupation = taxonomy.get(code)
    assert occupation is not None
    assert (occupation.level, occupation.parent) == (level, parent)


def test_children(taxonomy: Taxonomy) -> None:
    kids = taxonomy.children("6-18-02-00")
    assert [o.code for o in kids][:4] == ["6-18-02-01", "6-18-02-02", "6-18-02-03", "6-18-02-04"]
    assert all(o.parent == "6-18-02-00" for o in kids)
    assert [o.code for o in taxonomy.children("1-01-00-00")] == ["1-01-00-01", "1-01-00-02"]
    assert taxonomy.children("6-18-02-04") == []
    assert taxonomy.children("9-99-99-99") == []


def test_membership(taxonomy: Taxonomy) -> None:
    assert "6-18-02-04" in taxonomy
    assert "9-99-99-99" not in taxonomy
    assert 6180204 not in taxonomy
    assert taxonomy.get("9-99-99-99") is None


def test_green_and_digital_marks(taxonomy: Taxonomy) -> None:
    driver = taxonomy.get("4-02-02-01")
    assert driver is not None
    assert driver.name == "客运车辆驾驶员"  # "客运车辆驾驶员L" in the file
    assert driver.green and not driver.digital
    assert not any(o.name.endswith(("L", "S")) for o in taxonomy)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("焊工", "6-18-02-04"),  # exact name beats 喷涂喷焊工 (substring)
        ("氩弧焊工", "6-18-02-04"),  # exact alias
        ("焊", "6-18-02-04"),  # prefix; the shortest matching name first
        ("6-18-02-04", "6-18-02-04"),
        ("6180204", "6-18-02-04"),  # the 7-digit code form
        ("6-18", "6-18-00-00"),
        ("司机", "4-02-02-01"),  # an exact alias of 客运车辆驾驶员
        ("PMC", "2-02-30-01"),  # aliases are matched without regard to case
        ("ＰＭＣ", "2-02-30-01"),  # or to full-width forms
        ("  快递员 ", "4-02-07-08"),
    ],
)
def test_search_first_hit(taxonomy: Taxonomy, query: str, first: str) -> None:
    assert taxonomy.search(query)[0].code == first


def test_search_welder_ranking(taxonomy: Taxonomy) -> None:
    assert [o.code for o in taxonomy.search("焊工")] == ["6-18-02-04", "6-18-03-04"]


def test_search_code_prefix(taxonomy: Taxonomy) -> None:
    hits = taxonomy.search("6-18", limit=500)
    codes = [o.code for o in hits]
    assert codes == sorted(codes)
    assert all(code.startswith("6-18") for code in codes)
    assert "6-18-02-04" in codes
    assert len(taxonomy.search("6-18", limit=5)) == 5


def test_search_limits_and_misses(taxonomy: Taxonomy) -> None:
    assert len(taxonomy.search("工", limit=7)) == 7
    assert taxonomy.search("焊工", limit=0) == []
    assert taxonomy.search("") == []
    assert taxonomy.search("完全不存在的职业xyz") == []


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        ("6-18-02-04", "6-18-02-04", "same_code"),
        ("6-18-02-04", "6-18-02-01", "same_minor_group"),
        ("6-18-02-04", "6-18-02-00", "same_minor_group"),
        ("6-18-02-04", "6-18-01-01", "same_medium_group"),
        ("6-18-02-04", "6-18-00-00", "same_medium_group"),
        ("6-18-02-04", "6-20-03-03", "same_major_group"),
        ("6-18-02-04", "6-00-00-00", "same_major_group"),
        ("6-18-02-04", "4-02-02-01", "unrelated"),
        ("1-01-00-01", "1-01-00-02", "same_medium_group"),  # no minor group to share
    ],
)
def test_relation(taxonomy: Taxonomy, a: str, b: str, relation: str) -> None:
    assert taxonomy.relation(a, b) == relation
    assert taxonomy.relation(b, a) == relation


@pytest.mark.parametrize("bad", ["6-18-02", "焊工", "6180204", ""])
def test_relation_rejects_malformed_codes(taxonomy: Taxonomy, bad: str) -> None:
    with pytest.raises(ValueError, match="not an occupation code"):
        taxonomy.relation("6-18-02-04", bad)


def _row(level: int, code: str, name: str, alias: str = "", definition: str = "") -> dict[str, str]:
    return {
        "level": str(level),
        "code": code,
        "name": name,
        "alias": alias,
        "definition": definition,
    }


def test_from_rows_skips_missing_ancestors_and_merges_repeats() -> None:
    taxonomy = Taxonomy.from_rows(
        [
            _row(1, "6-00-00-00", "生产制造及有关人员"),
            _row(2, "6-18-00-00", "机械制造基础加工人员"),
            _row(4, "6-18-02-04", "焊工", alias="焊工,氩弧焊工"),
            _row(4, "6-18-02-04", "焊工", alias="电焊工, 氩弧焊工", definition="焊接金属工件"),
            _row(3, "6-18-03-00", "机械表面处理加工人员S"),
        ]
    )
    assert len(taxonomy) == 4
    assert taxonomy.get("6-18-02-04") == Occupation(
        code="6-18-02-04",
        name="焊工",
        level=4,
        parent="6-18-00-00",  # 6-18-02-00 is absent, so the next ancestor up
        aliases=("氩弧焊工", "电焊工"),
        definition="焊接金属工件",
    )
    group = taxonomy.get("6-18-03-00")
    assert group is not None
    assert (group.name, group.digital, group.green) == ("机械表面处理加工人员", True, False)
