from __future__ import annotations

import pytest

from matching.taxonomy import load_taxonomy
from matching.typeahead import suggest


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("hg", "6-18-02-04"),  # pinyin initials of 焊工
        ("hangong", "6-18-02-04"),  # full pinyin
        ("hang", "6-18-02-04"),  # pinyin prefix
        ("焊", "6-18-02-04"),  # name prefix
        ("氩弧", "6-18-02-04"),  # alias prefix (氩弧焊工)
        ("kdy", "4-02-07-08"),  # 快递员
        ("bay", "4-07-05-01"),  # 保安员
        ("中式烹调师", "4-03-02-01"),  # exact name
    ],
)
def test_first_suggestion(typed: str, first: str) -> None:
    found = suggest(load_taxonomy(), typed, limit=5)
    assert found and found[0].code == first, [(o.code, o.name) for o in found]


def test_each_occupation_once_and_limit_holds() -> None:
    found = suggest(load_taxonomy(), "h", limit=7)
    codes = [o.code for o in found]
    assert len(codes) == 7 == len(set(codes))


def test_nothing_for_nonsense_or_blank() -> None:
    assert suggest(load_taxonomy(), "zzzzqqq") == []
    assert suggest(load_taxonomy(), "   ") == []
