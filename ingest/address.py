"""Chinese address text → administrative division code, using the cpca package."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True)
class AddressMatch:
    adcode: str  # 6-digit GB/T 2260 code of the most precise division found
    level: str  # "district", "city" or "province"


@lru_cache(maxsize=1)
def _cpca() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cpca imports pkg_resources, which warns
        import cpca
    return cpca


def _level(row: Any) -> str | None:
    for column, level in (("区", "district"), ("市", "city"), ("省", "province")):
        value = row.get(column)
        if isinstance(value, str) and value:
            return level
    return None


def _matches(frame: Any) -> list[AddressMatch | None]:
    out: list[AddressMatch | None] = []
    for row in frame.to_dict("records"):
        code, level = row.get("adcode"), _level(row)
        ok = isinstance(code, str) and bool(code) and level is not None
        out.append(AddressMatch(adcode=code[:6], level=level) if ok else None)  # type: ignore[arg-type]
    return out


def geocode_many(
    addresses: Sequence[str], *, city_hint: str | None = None
) -> list[AddressMatch | None]:
    """Parse many addresses at once (cpca is much faster in batches).

    ``city_hint`` (e.g. "武汉市") is prepended to addresses that resolve to nothing, so that a
    bare street address is looked for inside the deploying city.
    """
    if not addresses:
        return []
    results = _matches(_cpca().transform(list(addresses)))
    missing = [i for i, match in enumerate(results) if match is None]
    if city_hint and missing:
        retry = _matches(_cpca().transform([city_hint + addresses[i] for i in missing]))
        for index, match in zip(missing, retry, strict=True):
            # Only a district found in the text counts; the hint alone proves nothing.
            if match is not None and match.level == "district":
                results[index] = match
    return results


def geocode(address: str, *, city_hint: str | None = None) -> AddressMatch | None:
    return geocode_many([address], city_hint=city_hint)[0]
