import pytest

from matching.regions import Region, RegionTable, level_of, load_regions

WUHAN_DISTRICTS = [
    "江岸区", "江汉区", "硚口区", "汉阳区", "武昌区", "青山区", "洪山区",
    "东西湖区", "汉南区", "蔡甸区", "江夏区", "黄陂区", "新洲区",
]  # fmt: skip


@pytest.fixture(scope="module")
def regions() -> RegionTable:
    return load_regions()


def test_load_is_cached(regions: RegionTable) -> None:
    assert load_regions() is regions


def test_jiangan(regions: RegionTable) -> None:
    jiangan = regions.get("420102")
    assert jiangan is not None
    assert jiangan.name == "江岸区"
    assert jiangan.level == "district"
    assert jiangan.parent == "420100"
    assert jiangan.full_name == "湖北省武汉市江岸区"
    assert jiangan.lat == pytest.approx(30.600052)
    assert jiangan.lon == pytest.approx(114.30911)


def test_wuhan_and_hubei(regions: RegionTable) -> None:
    wuhan = regions.get("420100")
    hubei = regions.get("420000")
    assert wuhan is not None and hubei is not None
    assert (wuhan.name, wuhan.level, wuhan.parent, wuhan.full_name) == (
        "武汉市", "city", "420000", "湖北省武汉市"
    )  # fmt: skip
    assert (hubei.level, hubei.parent, hubei.full_name) == ("province", None, "湖北省")


def test_wuhan_has_13_districts(regions: RegionTable) -> None:
    districts = regions.districts_of("420100")
    assert [d.name for d in districts] == WUHAN_DISTRICTS
    assert [d.name for d in regions.children("420100")] == WUHAN_DISTRICTS


def test_unknown_codes(regions: RegionTable) -> None:
    assert regions.get("999999") is None
    assert "999999" not in regions
    assert regions.children("999999") == []
    assert regions.districts_of("999999") == []


def test_placeholders_are_skipped(regions: RegionTable) -> None:
    # 420101 is the "市辖区" row of Wuhan, 429000 the 省直辖县级行政区划 grouping: not places.
    assert "420101" not in regions
    assert "429000" not in regions
    xiantao = regions.get("429004")
    assert xiantao is not None
    assert (xiantao.name, xiantao.parent, xiantao.full_name) == ("仙桃市", "420000", "湖北省仙桃市")


def test_regions_without_coordinates_are_kept(regions: RegionTable) -> None:
    qingjiangpu = regions.get("320812")
    assert qingjiangpu is not None
    assert qingjiangpu.name == "清江浦区"
    assert (qingjiangpu.lat, qingjiangpu.lon) == (None, None)


def test_municipality_districts(regions: RegionTable) -> None:
    dongcheng = regions.get("110101")
    assert dongcheng is not None
    assert dongcheng.parent == "110100"  # Beijing's city-level row exists (with a centroid)
    assert dongcheng.full_name == "北京市东城区"
    assert len(regions.districts_of("110000")) == 16
    chongqing_city_levels = [r.adcode for r in regions.children("500000")]
    assert chongqing_city_levels == ["500100", "500200"]


def test_twelve_digit_codes_are_accepted(regions: RegionTable) -> None:
    assert "420102000000" in regions
    region = regions.get("420102000000")
    assert region is not None and region.adcode == "420102"


def test_levels_and_parents_are_consistent(regions: RegionTable) -> None:
    provinces = [r for r in regions if r.level == "province"]
    assert len(provinces) == 34
    for region in regions:
        if region.parent is None:
            assert region.level == "province"
        else:
            parent = regions.get(region.parent)
            assert parent is not None
            assert region.adcode.startswith(parent.adcode[:2])


@pytest.mark.parametrize(
    ("code", "level"), [("420000", "province"), ("420100", "city"), ("420102", "district")]
)
def test_level_of(code: str, level: str) -> None:
    assert level_of(code) == level


def test_search_by_name(regions: RegionTable) -> None:
    assert regions.search("武汉市")[0].adcode == "420100"
    assert regions.search("武汉")[0].adcode == "420100"  # name prefix
    assert [r.adcode for r in regions.search("江岸")] == ["420102"]
    assert [r.full_name for r in regions.search("朝阳区")] == ["北京市朝阳区", "吉林省长春市朝阳区"]
    assert [r.adcode for r in regions.search("朝阳区", parent="220000")] == ["220104"]
    assert regions.search("武汉市江岸")[0].adcode == "420102"  # full-name substring
    assert regions.search("不存在的地方") == []


def test_search_by_code(regions: RegionTable) -> None:
    hits = regions.search("4201", limit=50)
    assert [r.adcode for r in hits][:3] == ["420100", "420102", "420103"]
    assert len(hits) == 14
    assert regions.search("420102")[0].name == "江岸区"
    assert len(regions.search("42", limit=5)) == 5


def test_search_exact_name_first(regions: RegionTable) -> None:
    # 江夏区 is an exact match; names that merely contain 江夏 would come after it.
    assert regions.search("江夏区")[0].adcode == "420115"


def test_from_rows() -> None:
    table = RegionTable.from_rows(
        [
            {"adcode": "420000000000", "name": "湖北省", "longitude": "114.3", "latitude": "30.5"},
            {"adcode": "420100000000", "name": "武汉市", "longitude": "114.3", "latitude": "30.6"},
            {"adcode": "420101000000", "name": "市辖区", "longitude": "", "latitude": ""},
            {"adcode": "420102000000", "name": "江岸区", "longitude": "", "latitude": ""},
        ]
    )
    assert table.all() == (
        Region("420000", "湖北省", "province", None, 30.5, 114.3, "湖北省"),
        Region("420100", "武汉市", "city", "420000", 30.6, 114.3, "湖北省武汉市"),
        Region("420102", "江岸区", "district", "420100", None, None, "湖北省武汉市江岸区"),
    )
