"""Occupation typeahead for people typing on phones: prefix, alias and pinyin initials.

"hg" finds 焊工 (hàn gōng), "hangong" finds it too, "焊" finds every name or alias that
starts with it. Built once from the taxonomy; a query is a scan of a few thousand short keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from matching.taxonomy import Occupation, Taxonomy


@dataclass(frozen=True)
class _Key:
    term: str  # the name or alias
    initials: str  # "hg"
    spelled: str  # "hangong"
    code: str
    level: int
    is_name: bool  # the official name, not a platform alias


def _keys(occupation: Occupation) -> list[_Key]:
    keys = []
    for term in dict.fromkeys((occupation.name, *occupation.aliases)):
        syllables = lazy_pinyin(term, errors="ignore")
        initials = "".join(lazy_pinyin(term, style=Style.FIRST_LETTER, errors="ignore"))
        keys.append(
            _Key(
                term,
                initials.lower(),
                "".join(syllables).lower(),
                occupation.code,
                occupation.level,
                term == occupation.name,
            )
        )
    return keys


@lru_cache(maxsize=2)
def _index(taxonomy: Taxonomy) -> tuple[_Key, ...]:
    return tuple(key for occupation in taxonomy.all() for key in _keys(occupation))


def _rank(key: _Key, q: str) -> int | None:
    """Lower is better; None: no match."""
    if key.term == q:
        return 0
    if key.term.startswith(q):
        return 1
    if q.isascii():
        if key.initials == q:
            return 2
        if key.spelled.startswith(q):
            return 3
        if key.initials.startswith(q):
            return 4
        return None
    if q in key.term:
        return 5
    return None


def suggest(taxonomy: Taxonomy, q: str, *, limit: int = 10) -> list[Occupation]:
    """Best match kind first; then official names before aliases, detailed occupations before
    groups, shorter terms first; each occupation once."""
    q = q.strip().lower()
    if not q:
        return []
    scored: list[tuple[int, bool, int, int, str]] = []
    for key in _index(taxonomy):
        rank = _rank(key, q)
        if rank is not None:
            scored.append((rank, not key.is_name, -key.level, len(key.term), key.code))
    seen: dict[str, None] = {}
    for *_, code in sorted(scored):
        seen.setdefault(code, None)
        if len(seen) == limit:
            break
    return [occupation for code in seen if (occupation := taxonomy.get(code)) is not None]
