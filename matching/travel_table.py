"""Travel minutes from a routing engine's travel-time table, and the configured provider.

A city with an OSRM or Valhalla server computes the minutes between its communities, stations
and other fixed points once (their ``table`` / ``sources_to_targets`` services), saves the answers
as a file, and points ``JOBCIRCLE_TRAVEL_TABLE`` at it. :class:`TableTravel` answers from the file
and falls back to the estimate for every pair it does not hold (a person's own position, a new
posting), so nothing breaks when the table is stale.

File formats (:func:`read_travel_table`):

- CSV with a header: ``mode,from_lat,from_lon,to_lat,to_lon,minutes`` (or ``seconds`` instead of
  ``minutes``); an empty time means no route.
- JSON: one engine answer or a list of them, each with a ``"mode"`` added beside the engine's own
  keys. OSRM ``/table`` answers carry ``durations`` (seconds, ``null`` for no route) and
  ``sources``/``destinations`` with ``location: [lon, lat]``; Valhalla ``sources_to_targets``
  answers carry rows of ``{"time": seconds}`` and ``sources``/``targets`` with ``lat``/``lon``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from matching.travel import DEFAULT_SPEEDS, EstimatedTravel, ModeSpeed, TravelTimeProvider, pair_km

# Coordinates are matched to the table at 5 decimals (about 1 m): a table computed for the stored
# points of communities and stations answers for exactly those points.
_KEY_SCALE = 1e5
_LAT_SPAN = 9_000_000  # 90° × 1e5: shifts keys to non-negative values
_LON_SPAN = 18_000_000
_KEY_STRIDE = 2 * _LON_SPAN + 1


def point_keys(lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """One int64 per point, equal for points equal at 5 decimals; -1 where a coordinate is NaN."""
    lats = np.asarray(lats, dtype=np.float64)
    lons = np.asarray(lons, dtype=np.float64)
    known = ~(np.isnan(lats) | np.isnan(lons))
    keys = np.full(lats.shape, -1, dtype=np.int64)
    lat_i = np.rint(lats[known] * _KEY_SCALE).astype(np.int64) + _LAT_SPAN
    lon_i = np.rint(lons[known] * _KEY_SCALE).astype(np.int64) + _LON_SPAN
    keys[known] = lat_i * _KEY_STRIDE + lon_i
    return keys


@dataclass(frozen=True)
class TravelTableEntries:
    """Minutes from origins to destinations for one mode, as parallel arrays (inf: no route)."""

    from_lat: np.ndarray
    from_lon: np.ndarray
    to_lat: np.ndarray
    to_lon: np.ndarray
    minutes: np.ndarray


class _ModeTable:
    """Sorted keys of one mode's pairs, for vectorised look-ups with ``searchsorted``."""

    def __init__(self, entries: TravelTableEntries) -> None:
        origin_keys = point_keys(entries.from_lat, entries.from_lon)
        dest_keys = point_keys(entries.to_lat, entries.to_lon)
        self.origins = np.unique(origin_keys)
        self.dests = np.unique(dest_keys)
        codes = np.searchsorted(self.origins, origin_keys) * len(self.dests) + np.searchsorted(
            self.dests, dest_keys
        )
        order = np.argsort(codes, kind="stable")
        self.codes = codes[order]
        self.minutes = np.asarray(entries.minutes, dtype=np.float64)[order]
        km = pair_km(entries.from_lat, entries.from_lon, entries.to_lat, entries.to_lon)[order]
        finite = np.isfinite(self.minutes)
        # The fastest straight-line pace in the table bounds how far any listed trip can go.
        pace = km[finite] / np.maximum(self.minutes[finite], 0.5)
        self.km_per_minute = float(np.max(pace, initial=0.0))

    def lookup(self, origin_keys: np.ndarray, dest_keys: np.ndarray) -> np.ndarray:
        """Minutes for each (origin, destination) pair; NaN where the table lacks the pair."""
        out = np.full(origin_keys.shape, np.nan)
        if not len(self.codes):
            return out
        oi = np.minimum(np.searchsorted(self.origins, origin_keys), len(self.origins) - 1)
        di = np.minimum(np.searchsorted(self.dests, dest_keys), len(self.dests) - 1)
        known = (self.origins[oi] == origin_keys) & (self.dests[di] == dest_keys)
        known &= (origin_keys >= 0) & (dest_keys >= 0)
        codes = oi * len(self.dests) + di
        pi = np.minimum(np.searchsorted(self.codes, codes), len(self.codes) - 1)
        known &= self.codes[pi] == codes
        out[known] = self.minutes[pi[known]]
        return out


class TableTravel:
    """Travel minutes from a routing engine's table (OSRM or Valhalla ``table`` results), with
    the estimate for every pair the table does not hold.

    A pair missing in one direction is read from the other when ``symmetric`` (walking and
    cycling times barely depend on the direction; set it off for one-way-heavy driving tables).
    A pair the engine found no route for (``null`` in its answer) is unreachable: infinite
    minutes, never replaced by the estimate. ``reach_km`` stays conservative: it is the wider of
    the estimate's radius and the fastest straight-line pace found in the table.
    """

    def __init__(
        self,
        tables: Mapping[str, TravelTableEntries],
        fallback: EstimatedTravel | None = None,
        *,
        symmetric: bool = True,
    ) -> None:
        self.fallback = fallback or EstimatedTravel()
        self.symmetric = symmetric
        self._tables = {mode: _ModeTable(entries) for mode, entries in tables.items()}
        unknown = set(self._tables) - set(self.fallback.speeds)
        if unknown:
            raise ValueError(f"travel table for unknown mode(s): {', '.join(sorted(unknown))}")

    @property
    def modes(self) -> tuple[str, ...]:
        return tuple(self._tables)

    def pairs_in_table(self, mode: str) -> int:
        table = self._tables.get(mode)
        return len(table.codes) if table else 0

    def reach_km(self, mode: str, minutes: np.ndarray) -> np.ndarray:
        estimate = self.fallback.reach_km(mode, minutes)
        table = self._tables.get(mode)
        if table is None:
            return estimate
        return np.maximum(estimate, np.asarray(minutes, dtype=np.float64) * table.km_per_minute)

    def minutes_from(
        self, lat: float, lon: float, lats: np.ndarray, lons: np.ndarray, mode: str
    ) -> np.ndarray:
        lats = np.asarray(lats, dtype=np.float64)
        return self.minutes_between(
            np.full(lats.shape, lat), np.full(lats.shape, lon), lats, lons, mode
        )

    def minutes_between(
        self,
        from_lat: np.ndarray,
        from_lon: np.ndarray,
        to_lat: np.ndarray,
        to_lon: np.ndarray,
        mode: str,
    ) -> np.ndarray:
        """Minutes for each pair (element by element): the table's, else the estimate."""
        minutes = self.fallback.minutes_between(from_lat, from_lon, to_lat, to_lon, mode)
        table = self._tables.get(mode)
        if table is None:
            return minutes
        origins, dests = point_keys(from_lat, from_lon), point_keys(to_lat, to_lon)
        found = table.lookup(origins, dests)
        if self.symmetric:
            missing = np.isnan(found)
            found[missing] = table.lookup(dests[missing], origins[missing])
        return np.where(np.isnan(found), minutes, found)


# --- reading table files --------------------------------------------------------------------


class _Rows:
    """Accumulates (from, to, minutes) per mode while a file is read."""

    def __init__(self) -> None:
        self.by_mode: dict[str, list[tuple[float, float, float, float, float]]] = {}

    def add(
        self, mode: str, origin: tuple[float, float], dest: tuple[float, float], m: float
    ) -> None:
        self.by_mode.setdefault(mode, []).append((*origin, *dest, m))

    def entries(self) -> dict[str, TravelTableEntries]:
        out = {}
        for mode, rows in self.by_mode.items():
            a = np.asarray(rows, dtype=np.float64).reshape(-1, 5)
            out[mode] = TravelTableEntries(a[:, 0], a[:, 1], a[:, 2], a[:, 3], a[:, 4])
        return out


def _minutes(value: Any, per_minute: float) -> float:
    """Minutes from a cell or JSON value; no value means no route (infinite)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return float("inf")
    minutes = float(value) / per_minute
    if minutes < 0 or minutes != minutes:
        raise ValueError(f"travel time {value!r} is not a non-negative number")
    return minutes


def _read_csv(path: Path, rows: _Rows) -> None:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = set(reader.fieldnames or ())
        unit = "minutes" if "minutes" in fields else "seconds"
        needed = {"mode", "from_lat", "from_lon", "to_lat", "to_lon", unit}
        if not needed <= fields:
            missing = ", ".join(sorted(needed - fields))
            raise ValueError(f"{path}: missing column(s) {missing}")
        for number, row in enumerate(reader, start=2):
            try:
                origin = (float(row["from_lat"]), float(row["from_lon"]))
                dest = (float(row["to_lat"]), float(row["to_lon"]))
                minutes = _minutes(row[unit], 1.0 if unit == "minutes" else 60.0)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{path}, row {number}: {exc}") from None
            rows.add(row["mode"].strip(), origin, dest, minutes)


def _osrm_point(waypoint: Mapping[str, Any]) -> tuple[float, float]:
    lon, lat = waypoint["location"]
    return float(lat), float(lon)


def _valhalla_points(points: Any) -> list[tuple[float, float]]:
    # Valhalla nests the locations one level deeper in some versions: [[{lat, lon}, ...]].
    if points and isinstance(points[0], list):
        points = [p for group in points for p in group]
    return [(float(p["lat"]), float(p["lon"])) for p in points]


def _read_answer(answer: Mapping[str, Any], rows: _Rows) -> None:
    mode = answer.get("mode")
    if not isinstance(mode, str):
        raise ValueError('each table needs a "mode" (walk, bike, ebike, transit or drive)')
    if "durations" in answer:  # OSRM
        sources = [_osrm_point(w) for w in answer["sources"]]
        dests = [_osrm_point(w) for w in answer["destinations"]]
        for origin, durations in zip(sources, answer["durations"], strict=True):
            for dest, seconds in zip(dests, durations, strict=True):
                rows.add(mode, origin, dest, _minutes(seconds, 60.0))
    elif "sources_to_targets" in answer:  # Valhalla
        sources = _valhalla_points(answer["sources"])
        dests = _valhalla_points(answer["targets"])
        for origin, cells in zip(sources, answer["sources_to_targets"], strict=True):
            for dest, cell in zip(dests, cells, strict=True):
                rows.add(mode, origin, dest, _minutes(cell.get("time"), 60.0))
    else:
        raise ValueError("not an OSRM (durations) or Valhalla (sources_to_targets) table")


def read_travel_table(path: str | Path) -> dict[str, TravelTableEntries]:
    """The pairs of a table file, by mode. Raises ``ValueError`` naming the file and the fault."""
    path = Path(path)
    rows = _Rows()
    if path.suffix.lower() == ".csv":
        _read_csv(path, rows)
    else:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: not JSON: {exc}") from None
        answers: Iterable[Any] = document if isinstance(document, list) else [document]
        for number, answer in enumerate(answers, start=1):
            try:
                _read_answer(answer, rows)
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{path}, table {number}: {exc}") from None
    return rows.entries()


# --- the configured provider ----------------------------------------------------------------


def estimate_with(
    speeds: Mapping[str, float] | None = None,
    detours: Mapping[str, float] | None = None,
    fixed_minutes: Mapping[str, float] | None = None,
) -> EstimatedTravel:
    """The estimate with some modes' speed (km/h), detour factor or fixed minutes changed."""
    changes = {
        "speed_kmh": speeds or {},
        "detour": detours or {},
        "fixed_minutes": fixed_minutes or {},
    }
    for field_name, values in changes.items():
        unknown = set(values) - set(DEFAULT_SPEEDS)
        if unknown:
            raise ValueError(f"travel {field_name}: unknown mode(s) {', '.join(sorted(unknown))}")
    table: dict[str, ModeSpeed] = {}
    for mode, base in DEFAULT_SPEEDS.items():
        table[mode] = ModeSpeed(
            speed_kmh=float(changes["speed_kmh"].get(mode, base.speed_kmh)),
            detour=float(changes["detour"].get(mode, base.detour)),
            fixed_minutes=float(changes["fixed_minutes"].get(mode, base.fixed_minutes)),
        )
    return EstimatedTravel(table)


def build_travel(
    provider: str = "estimate",
    *,
    table: str | Path | None = None,
    speeds: Mapping[str, float] | None = None,
    detours: Mapping[str, float] | None = None,
    fixed_minutes: Mapping[str, float] | None = None,
    symmetric: bool = True,
) -> TravelTimeProvider:
    """``estimate`` (speeds, detours) or ``table`` (an engine's file over the estimate)."""
    estimate = estimate_with(speeds, detours, fixed_minutes)
    if provider == "estimate":
        return estimate
    if provider == "table":
        if table is None:
            raise ValueError("the table travel provider needs a table file")
        return TableTravel(read_travel_table(table), estimate, symmetric=symmetric)
    raise ValueError(f"unknown travel provider {provider!r}: estimate or table")
