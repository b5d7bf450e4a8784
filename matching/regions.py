"""Administrative divisions (GB/T 2260) with centroids, from the ``cpca`` package's data file.

The CSV is read directly: importing ``cpca`` would pull in ``pkg_resources`` and pandas. Codes are
the 6-digit GB/T 2260 codes (the file's 12-digit codes end in six zeros). The data predates some
recent changes, so a few abolished counties remain and a few new districts lack centroids.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from matching.package_data import read_csv_rows

Level = Literal["province", "city", "district"]

# Grouping rows, not places: "市辖区"/"县" under a prefecture and the 省直辖县级行政区划 lists.
# They are dropped when they have no centroid; the municipalities' own 市辖区/县 rows (110100,
# 500200, ...) do have one and are kept as the city level of Beijing, Tianjin, Shanghai, Chongqing.
PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


@dataclass(frozen=True)
class Region:
    adcode: str
    name: str
    level: Level
    parent: str | None
    lat: float | None
    lon: float | None
    full_name: str  # e.g. "湖北省武汉市江岸区"; placeholder names such as 市辖区 are left out


def level_of(adcode: str) -> Level:
    if adcode.endswith("0000"):
        return "province"
    return "city" if adcode.endswith("00") else "district"


def normalise_adcode(code: str) -> str:
    """Accept the 12-digit form: 420102000000 → 420102; other input is only stripped."""
    code = code.strip()
    if len(code) == 12 and code.isdigit() and code.endswith("000000"):
        return code[:6]
    return code


def _coordinate(text: str | None) -> float | None:
    text = (text or "").strip()
    return float(text) if text else None


def _parent(adcode: str, known: Container[str]) -> str | None:
    """Nearest existing ancestor: the prefecture (XXYY00), else the province (XX0000)."""
    level = level_of(adcode)
    if level == "province":
        return None
    prefecture, province = adcode[:4] + "00", adcode[:2] + "0000"
    candidates = (prefecture, province) if level == "district" else (province,)
    return next((code for code in candidates if code in known), None)


class RegionTable:
    """Regions by adcode, with the tree (parent, children) and a search by code or name."""

    def __init__(self, regions: Iterable[Region]) -> None:
        self._ordered = tuple(sorted(regions, key=lambda r: r.adcode))
        self._by_code = {region.adcode: region for region in self._ordered}
        children: dict[str, list[Region]] = {}
        for region in self._ordered:
            if region.parent is not None:
                children.setdefault(region.parent, []).append(region)
        self._children = {code: tuple(kids) for code, kids in children.items()}

    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, str]]) -> RegionTable:
        """Build from rows with the columns of cpca's ``adcodes.csv``."""
        raw: dict[str, tuple[str, float | None, float | None]] = {}
        for row in rows:
            adcode, name = row["adcode"].strip()[:6], row["name"].strip()
            lat, lon = _coordinate(row.get("latitude")), _coordinate(row.get("longitude"))
            if name in PLACEHOLDER_NAMES and (lat is None or lon is None):
                continue
            raw[adcode] = (name, lat, lon)
        regions: list[Region] = []
        for adcode, (name, lat, lon) in raw.items():
            parent = _parent(adcode, raw)
            regions.append(Region(adcode, name, level_of(adcode), parent, lat, lon, name))
        return cls(_with_full_names(regions))

    def get(self, adcode: str) -> Region | None:
        return self._by_code.get(normalise_adcode(adcode))

    def __contains__(self, adcode: object) -> bool:
        return isinstance(adcode, str) and normalise_adcode(adcode) in self._by_code

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Region]:
        return iter(self._ordered)

    def all(self) -> tuple[Region, ...]:
        """Every region, in adcode order."""
        return self._ordered

    def children(self, adcode: str) -> list[Region]:
        """Direct children in adcode order."""
        return list(self._children.get(normalise_adcode(adcode), ()))

    def ancestors(self, adcode: str) -> list[Region]:
        """Parent, then grandparent (nearest first)."""
        chain: list[Region] = []
        current = self.get(adcode)
        while current is not None and current.parent is not None:
            current = self._by_code[current.parent]
            chain.append(current)
        return chain

    def is_within(self, adcode: str, ancestor: str) -> bool:
        """Whether ``adcode`` is ``ancestor`` or lies inside it."""
        ancestor = normalise_adcode(ancestor)
        if normalise_adcode(adcode) == ancestor:
            return True
        return any(region.adcode == ancestor for region in self.ancestors(adcode))

    def districts_of(self, city_adcode: str) -> list[Region]:
        """County-level divisions (districts, counties, county-level cities) inside a prefecture
        or a province, in adcode order."""
        code = normalise_adcode(city_adcode)
        return [
            r for r in self._ordered if r.level == "district" and self.is_within(r.adcode, code)
        ]

    def search(self, q: str, *, parent: str | None = None, limit: int = 20) -> list[Region]:
        """Regions matching ``q``, best first.

        Digits search by adcode prefix (the exact code first, then adcode order). Text searches
        names: exact name, then name prefix ("武汉" → 武汉市), then name substring, then full name
        substring ("武汉市江岸"); ties go to the higher level (province, city, district), then
        adcode. ``parent`` keeps only regions inside that region (at any depth).
        """
        query = q.strip()
        if not query or limit <= 0:
            return []
        pool = [r for r in self._ordered if parent is None or self.is_within(r.adcode, parent)]
        if query.isdigit():
            code = normalise_adcode(query)
            hits = [r for r in pool if r.adcode.startswith(code)]
            hits.sort(key=lambda r: (r.adcode != code, r.adcode))
            return hits[:limit]
        ranked = [(tier, r) for r in pool if (tier := _name_tier(query, r)) is not None]
        ranked.sort(key=lambda item: (item[0], _LEVEL_RANK[item[1].level], item[1].adcode))
        return [region for _, region in ranked[:limit]]


_LEVEL_RANK: dict[str, int] = {"province": 0, "city": 1, "district": 2}


def _name_tier(query: str, region: Region) -> int | None:
    if region.name == query:
        return 0
    if region.name.startswith(query):
        return 1
    if query in region.name:
        return 2
    return 3 if query in region.full_name else None


def _with_full_names(regions: list[Region]) -> list[Region]:
    by_code = {region.adcode: region for region in regions}

    def full_name(region: Region) -> str:
        own = "" if region.name in PLACEHOLDER_NAMES else region.name
        if region.parent is None:
            return own
        return full_name(by_code[region.parent]) + own

    return [
        Region(r.adcode, r.name, r.level, r.parent, r.lat, r.lon, full_name(r)) for r in regions
    ]


@lru_cache(maxsize=1)
def load_regions() -> RegionTable:
    """All divisions from the installed ``cpca`` package (read once, then cached)."""
    return RegionTable.from_rows(read_csv_rows("cpca", "resources", "adcodes.csv"))
