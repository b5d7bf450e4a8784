"""The embedded index's rows: numpy columns per document kind, with the vectors and terms.

A document is one row; codes are integers (``code_number``), dates are numbers, group
memberships are 64-bit masks, so every hard filter is a whole-column comparison.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import fields
from functools import cache
from typing import Any

import numpy as np

from matching.documents import (
    ADCODE_DIGITS,
    PRECISE,
    JobseekerDoc,
    PostingDoc,
    code_number,
    prefix_number,
)
from matching.index.terms import Terms, grown

MAX_DESIRED_OCCUPATIONS = 8  # people name one to three; more are cut for the fixed-width column
NO_DAY = np.iinfo(np.int32).max  # valid_until absent: open indefinitely

ColumnSpec = dict[str, tuple[Any, Any, tuple[int, ...]]]  # name → (dtype, fill, extra shape)
_COMMON: ColumnSpec = {
    "alive": (bool, False, ()),
    "lat": (np.float64, np.nan, ()),
    "lon": (np.float64, np.nan, ()),
    "precise": (bool, False, ()),
    "adcode": (np.int64, -1, ()),
    "occ": (np.int64, -1, ()),
    "has_vec": (bool, False, ()),
}


class Table:
    """Rows of one document kind: ids, stored documents, columns, vectors, terms."""

    def __init__(self, spec: ColumnSpec) -> None:
        self.spec = {**_COMMON, **spec}
        self.capacity = self.size = 0
        # numpy object arrays, so that a query's chosen rows' ids and documents are one ``take``
        self.ids: np.ndarray = np.empty(0, object)  # str, or None for a free row
        self.docs: np.ndarray = np.empty(0, object)
        self.row_of: dict[str, int] = {}
        self.free: list[int] = []
        self.cols = {k: np.full((0, *shape), fill, t) for k, (t, fill, shape) in self.spec.items()}
        self.vectors: np.ndarray | None = None
        self.terms = Terms()
        self.version = 0  # moves with every write: what is derived from the rows can be kept

    @property
    def live(self) -> int:
        return len(self.row_of)

    def col(self, name: str) -> np.ndarray:
        return self.cols[name][: self.size]

    def reserve(self, capacity: int) -> None:
        if capacity <= self.capacity:
            return
        for name, (_, fill, _) in self.spec.items():
            self.cols[name] = grown(self.cols[name], capacity, fill)
        if self.vectors is not None:
            self.vectors = grown(self.vectors, capacity, 0.0)
        self.terms.resize(capacity)
        self.ids = grown(self.ids, capacity, None)
        self.docs = grown(self.docs, capacity, None)
        self.capacity = capacity

    def claim(self, doc_id: str) -> tuple[int, Any]:
        """The row of ``doc_id`` (a free or new one if unknown) and the document it held."""
        row = self.row_of.get(doc_id)
        if row is not None:
            return row, self.docs[row]
        if self.free:
            row = self.free.pop()
        else:
            row = self.size
            if row >= self.capacity:  # grow by a quarter (at least 1024 rows) only when full
                self.reserve(max(row + 1, self.capacity + max(1024, self.capacity // 4)))
            self.size += 1
        self.ids[row] = doc_id
        self.row_of[doc_id] = row
        return row, None

    def write(self, row: int, values: dict[str, Any], vector: np.ndarray | None) -> None:
        self.version += 1
        for name, value in values.items():
            self.cols[name][row] = value
        self.cols["has_vec"][row] = vector is not None
        if vector is not None:
            if self.vectors is None:
                self.vectors = np.zeros((self.capacity, len(vector)), np.float32)
            self.vectors[row] = vector

    @property
    def dim(self) -> int | None:
        return None if self.vectors is None else int(self.vectors.shape[1])

    def release(self, doc_id: str) -> tuple[int, Any] | None:
        row = self.row_of.pop(doc_id, None)
        if row is None:
            return None
        self.version += 1
        doc = self.docs[row]
        for name, (_, fill, _) in self.spec.items():
            self.cols[name][row] = fill
        self.terms.remove(row, doc.tokens)
        self.ids[row] = self.docs[row] = None
        self.free.append(row)
        return row, doc

    def load(self, docs: list[Any], extract: Callable[[Any], dict[str, Any]]) -> None:
        """Fill an empty table column by column (start-up and reindex)."""
        self.version += 1
        self.reserve(len(docs) + len(docs) // 50 + 16)
        columns: dict[str, list[Any]] = {}
        for row, doc in enumerate(docs):
            for name, value in extract(doc).items():
                columns.setdefault(name, []).append(value)
            self.ids[row] = doc.id
            self.row_of[doc.id] = row
            self.docs[row] = without_vector(doc)
        self.size = len(docs)
        for name, values in columns.items():
            self.cols[name][: self.size] = np.array(values, dtype=self.cols[name].dtype)
        with_vectors = [(row, doc.vector) for row, doc in enumerate(docs) if doc.vector is not None]
        if with_vectors:
            dim = len(with_vectors[0][1])
            self.vectors = np.zeros((self.capacity, dim), np.float32)
            for row, vector in with_vectors:
                self.vectors[row] = vector
                self.cols["has_vec"][row] = True
        self.terms.build([(row, doc.tokens) for row, doc in enumerate(docs)])


POSTING_COLUMNS: ColumnSpec = {
    "open": (bool, False, ()),
    "valid_day": (np.int32, NO_DAY, ()),
    "starts": (np.float64, np.nan, ()),
    "ends": (np.float64, np.nan, ()),
    "created": (np.float64, np.nan, ()),
    "etype": (np.int8, -1, ()),
    "pay": (np.float64, np.nan, ()),
    "reserved": (np.uint64, 0, ()),
}
JOBSEEKER_COLUMNS: ColumnSpec = {
    "seeking": (bool, False, ()),
    "consent": (bool, False, ()),
    "groups": (np.uint64, 0, ()),
    "mode": (np.int8, -1, ()),
    "limit": (np.float64, np.nan, ()),
    "wants": (np.int64, -1, (MAX_DESIRED_OCCUPATIONS,)),
    "registered": (np.float64, np.nan, ()),
}


def without_vector(doc: Any) -> Any:
    """The document as stored beside the vector matrix: a copy without its vector (the matrix
    holds it). A shallow copy, not ``dataclasses.replace``: the document was validated when it
    was made, and re-running its checks for every row was a third of a city's build."""
    if doc.vector is None:
        return doc
    kind = type(doc)
    stored = object.__new__(kind)
    assign = object.__setattr__  # a frozen dataclass with slots; the copy is still private
    for name in _slots(kind):
        assign(stored, name, getattr(doc, name))
    assign(stored, "vector", None)
    return stored


@cache
def _slots(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))


def vocab_index(vocabulary: tuple[str, ...], value: str | None) -> int:
    return vocabulary.index(value) if value in vocabulary else -1


def location_values(doc: PostingDoc | JobseekerDoc) -> dict[str, Any]:
    known = doc.lat is not None and doc.lon is not None
    return {
        "alive": True,
        "lat": doc.lat if known else np.nan,
        "lon": doc.lon if known else np.nan,
        "precise": known and doc.location_precision == PRECISE,
        "adcode": code_number(doc.adcode, ADCODE_DIGITS),
    }


def prefix_mask(values: np.ndarray, prefixes: Iterable[str], digits: int) -> np.ndarray:
    """Rows whose code starts with any prefix (a 2-D column: any of the row's codes). A prefix
    is a range of code numbers, so two comparisons replace a division per element."""
    mask = np.zeros(values.shape, bool)
    for prefix in prefixes:
        value, divisor = prefix_number(prefix, digits)
        mask |= (values >= value * divisor) & (values < (value + 1) * divisor)
    return mask if mask.ndim == 1 else mask.any(axis=1)


def vocab_codes(vocabulary: tuple[str, ...], values: Iterable[str], what: str) -> list[int]:
    unknown = [value for value in values if value not in vocabulary]
    if unknown:
        raise ValueError(f"unknown {what}: {', '.join(unknown)}")
    return [vocabulary.index(value) for value in values]
