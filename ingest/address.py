"""Chinese address text → administrative division code, using the cpca package."""

from __future__ import annotations

import threading
import warnings
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

RECENT_ADDRESSES = 30_000  # answers remembered (imports repeat a street address many times)


@dataclass(frozen=True)
class AddressMatch:
    adcode: str  # 6-digit GB/T 2260 code of the most precise division found
    level: str  # "district", "city" or "province"


class _Recent:
    """The answers for recent (address, city hint) pairs, a bounded number, the least recently
    used forgotten first. cpca reads each address on its own, so an answer never depends on
    the other addresses of the call it came from."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, str | None], AddressMatch | None] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(
        self, keys: Sequence[tuple[str, str | None]]
    ) -> dict[tuple[str, str | None], AddressMatch | None]:
        found = {}
        with self._lock:
            for key in keys:
                if key in self._items:
                    self._items.move_to_end(key)
                    found[key] = self._items[key]
        return found

    def put_many(self, pairs: Sequence[tuple[tuple[str, str | None], AddressMatch | None]]) -> None:
        with self._lock:
            for key, value in pairs:
                self._items[key] = value
                self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


_recent = _Recent(RECENT_ADDRESSES)


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
    unique = list(dict.fromkeys(addresses))
    known = _recent.get_many([(address, city_hint) for address in unique])
    todo = [address for address in unique if (address, city_hint) not in known]
    if todo:
        pairs = [
            ((address, city_hint), match)
            for address, match in zip(todo, _parse(todo, city_hint), strict=True)
        ]
        _recent.put_many(pairs)
        known.update(pairs)
    return [known[(address, city_hint)] for address in addresses]


def _parse(addresses: list[str], city_hint: str | None) -> list[AddressMatch | None]:
    results = _matches(_cpca().transform(addresses))
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
