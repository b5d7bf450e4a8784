"""The two sets the circle is about: where people live (communities with a population) and where
service is given (stations of some kind). Columns are NumPy arrays, one row per point."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import numpy as np


def _floats(values: Iterable[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def _texts(values: Iterable[str]) -> np.ndarray:
    return np.array(list(values), dtype=object)


@dataclass(frozen=True)
class Communities:
    """Population points: a residential community (社区/村) with its people and coordinates."""

    ids: np.ndarray
    names: np.ndarray
    adcodes: np.ndarray  # the district (6 digits) each community lies in
    lat: np.ndarray
    lon: np.ndarray
    population: np.ndarray  # int64

    @classmethod
    def of(
        cls,
        rows: Iterable[tuple[str, str, str, float | None, float | None, int]],
    ) -> Communities:
        """From ``(id, name, adcode, lat, lon, population)`` rows."""
        items = list(rows)
        return cls(
            ids=_texts(r[0] for r in items),
            names=_texts(r[1] for r in items),
            adcodes=_texts(r[2] for r in items),
            lat=_floats(r[3] for r in items),
            lon=_floats(r[4] for r in items),
            population=np.array([int(r[5]) for r in items], dtype=np.int64),
        )

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def located(self) -> np.ndarray:
        return ~(np.isnan(self.lat) | np.isnan(self.lon))

    def take(self, rows: np.ndarray) -> Communities:
        return Communities(
            self.ids[rows],
            self.names[rows],
            self.adcodes[rows],
            self.lat[rows],
            self.lon[rows],
            self.population[rows],
        )


@dataclass(frozen=True)
class Stations:
    """Service points; a station without coordinates has NaN there (it reaches nobody)."""

    ids: np.ndarray
    names: np.ndarray
    kinds: np.ndarray
    adcodes: np.ndarray
    lat: np.ndarray
    lon: np.ndarray

    @classmethod
    def of(cls, rows: Iterable[tuple[str, str, str, str, float | None, float | None]]) -> Stations:
        """From ``(id, name, kind, adcode, lat, lon)`` rows."""
        items = list(rows)
        return cls(
            ids=_texts(r[0] for r in items),
            names=_texts(r[1] for r in items),
            kinds=_texts(r[2] for r in items),
            adcodes=_texts(r[3] for r in items),
            lat=_floats(r[4] for r in items),
            lon=_floats(r[5] for r in items),
        )

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def located(self) -> np.ndarray:
        return ~(np.isnan(self.lat) | np.isnan(self.lon))

    def of_kinds(self, kinds: Collection[str] | None) -> Stations:
        """The stations of these kinds (all of them for ``None``)."""
        if kinds is None:
            return self
        return self.take(np.isin(self.kinds, list(kinds)))

    def take(self, rows: np.ndarray) -> Stations:
        return Stations(
            self.ids[rows],
            self.names[rows],
            self.kinds[rows],
            self.adcodes[rows],
            self.lat[rows],
            self.lon[rows],
        )
