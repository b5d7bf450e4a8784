"""Upper bounds of a person's match scores with many candidates at once, for ranking by bound.

``Matcher.rank_postings`` assesses a person's candidates best bound first and stops once no
bound can reach the k-th best score, so a bound must never be below the score it bounds (the
targeted boost included) and the tighter it is, the fewer candidates are assessed. These are
computed for all of a match's candidates in a few numpy operations: every feature of
``matching.rank`` but the schedule, with the same formulas; the schedule counts at whichever
end of [0, 1] its weight favours unless it is neutral for sure (no start, or a person who gave
no free time), as do the travel and cosine where the index did not measure them.

Skills and certificates match as in ``rank.matched_terms`` (equal after folding, or one
containing the other when both have two characters or more), but by item ids: every distinct
folded item of the postings gets an id, and each distinct item a person holds is compared once
with the whole vocabulary (a containment search in C), so a person's matches with all their
candidates are one lookup.

A posting's own facts (pay, type, dates, requirements, list item ids) are kept in a small
table by posting id, reused while the index hands back the same document, so a match run reads
each posting's attributes once rather than once per person it is offered to.

Keep in step with ``matching.rank``: ``tests/matching/test_match_many.py`` and
``test_bounded_ranking.py`` compare ranking by bound with assessing every candidate.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime

import numpy as np

from matching.documents import EDUCATION_RANK, JobseekerDoc, PostingDoc, as_utc
from matching.rank import (
    FRESH_HALF_LIFE_DAYS,
    LEXICAL_HALF,
    NEUTRAL,
    PAY_ABOVE,
    PAY_SHORTFALL_SLOPE,
    ScoringModel,
)
from matching.rank import _fold as fold_item  # the folding the features use

# Columns of a posting's facts: NaN where the posting does not say.
PAY_MAX, PAY_MIN, CREATED, EDUCATION, EXPERIENCE, TYPE, SKILLS, CERTIFICATES, START = range(9)
TRAITS = 9
MAX_KEPT = 500_000  # postings whose facts are kept; the table starts afresh beyond


class ListItems:
    """Ids of folded list items (skills and certificates share them), and which ids a
    person's items hold."""

    NONE = -1  # padding, and an empty item: never held

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.words: list[str] = []
        self._array = np.array([], dtype=str)
        self._holding: dict[str, tuple[int, np.ndarray]] = {}  # item → (vocabulary size, ids)

    def id_of(self, item: str) -> int:
        key = fold_item(item)
        if not key:
            return self.NONE
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = len(self.words)
            self.words.append(key)
        return found

    def held(self, items: Sequence[str]) -> np.ndarray:
        """True at every id the person's ``items`` hold; the last entry (``NONE``) False."""
        mask = np.zeros(len(self.words) + 1, bool)
        for key in {fold_item(item) for item in items} - {""}:
            mask[self._holding_ids(key)] = True
        return mask

    def _holding_ids(self, key: str) -> np.ndarray:
        known, ids = self._holding.get(key, (0, np.zeros(0, np.int64)))
        if known < len(self.words):
            if len(self._array) < len(self.words):
                self._array = np.array(self.words)
            fresh = np.flatnonzero(self._matches(key, self._array[known : len(self.words)]))
            ids = np.concatenate([ids, fresh + known])
            self._holding[key] = (len(self.words), ids)
        return ids

    @staticmethod
    def _matches(key: str, words: np.ndarray) -> np.ndarray:
        equal = words == key
        if len(key) < 2:
            return equal
        long = np.char.str_len(words) >= 2
        inside = np.char.find(words, key) >= 0  # the word contains the key
        within = np.char.find(key, words) >= 0  # the key contains the word
        return equal | (long & (inside | within))


class PostingTraits:
    """Postings' own facts as rows of one float matrix, the ids of their skills and
    certificates as rows of two padded integer matrices, and the groups each is aimed at
    (``aims``: those ``priority.person_boost`` lifts it for) as bits, by posting id."""

    def __init__(self, aims: Callable[[PostingDoc], Iterable[str]]) -> None:
        self.aims = aims
        self.group_bits: dict[str, int] = {}
        self.rows: dict[str, tuple[PostingDoc, int]] = {}
        self.matrix = np.zeros((1024, TRAITS))
        self.aimed = np.zeros(1024, np.uint64)
        self.types: dict[str | None, int] = {}
        self.items = ListItems()
        self.lists = {
            name: np.full((1024, 4), ListItems.NONE, np.int64)
            for name in ("skills", "certificates")
        }

    def rows_of(self, postings: Sequence[PostingDoc]) -> np.ndarray:
        if len(self.rows) + len(postings) > MAX_KEPT:
            self.rows.clear()
        kept = [self.rows.get(posting.id) for posting in postings]
        found = [
            -1 if k is None or k[0] is not posting else k[1]
            for k, posting in zip(kept, postings, strict=True)
        ]
        for i in [i for i, row in enumerate(found) if row < 0]:
            k = kept[i]
            found[i] = self._write(postings[i], None if k is None else k[1])
        return np.array(found, np.int64)

    def type_code(self, employment_type: str | None) -> int:
        return self.types.setdefault(employment_type, len(self.types))

    def _write(self, posting: PostingDoc, row: int | None) -> int:
        if row is None:
            row = len(self.rows)
            if row >= len(self.matrix):
                self.matrix = np.concatenate([self.matrix, np.zeros_like(self.matrix)])
                self.aimed = np.concatenate([self.aimed, np.zeros_like(self.aimed)])
                for name, ids in self.lists.items():
                    self.lists[name] = np.concatenate([ids, np.full_like(ids, ListItems.NONE)])
        for name, items in (("skills", posting.skills), ("certificates", posting.certificates)):
            ids = self.lists[name]
            if len(items) > ids.shape[1]:
                wider = np.full((len(ids), len(items)), ListItems.NONE, np.int64)
                wider[:, : ids.shape[1]] = ids
                ids = self.lists[name] = wider
            ids[row] = ListItems.NONE
            ids[row, : len(items)] = [self.items.id_of(item) for item in items]
        created = as_utc(posting.created_at)
        top, bottom = posting.monthly_pay_max, posting.monthly_pay_min
        self.matrix[row] = (
            math.nan if top is None else top,
            math.nan if bottom is None else bottom,
            math.nan if created is None else created.timestamp(),
            EDUCATION_RANK.get(posting.education or "none", 0),
            posting.experience_years or 0,
            self.type_code(posting.employment_type),
            len(posting.skills),
            len(posting.certificates),
            posting.starts_at is not None,
        )
        self.aimed[row] = self.bits(self.aims(posting), create=True)
        self.rows[posting.id] = (posting, row)
        return row

    def bits(self, groups: Iterable[str], *, create: bool = False) -> int:
        """The groups as a bit mask (groups past the 64th all share the last bit, so a
        mask can only claim too much: a bound stays a bound)."""
        mask = 0
        for code in groups:
            bit = self.group_bits.get(code)
            if bit is None:
                if not create:
                    continue  # no posting is aimed at it
                bit = self.group_bits[code] = min(len(self.group_bits), 63)
            mask |= 1 << bit
        return mask


class RoughBounds:
    """Bounds of one person's scores with their candidates (see the module docstring): the
    postings, and the index's raw scores of each (BM25, cosine and travel minutes, NaN where
    the index has none), aligned."""

    def __init__(
        self,
        *,
        model: ScoringModel,
        boost: float,
        traits: PostingTraits,
        seeker: JobseekerDoc,
        postings: Sequence[PostingDoc],
        lexical: np.ndarray,
        cosine: np.ndarray,
        minutes: np.ndarray,
        occupation: np.ndarray,
        max_minutes: float,
        now: datetime,
    ) -> None:
        n = len(postings)
        rows = traits.rows_of(postings)  # first: it may grow the matrix
        facts = traits.matrix[rows]
        mine = np.uint64(traits.bits(seeker.group_codes))
        self.boosted = (traits.aimed[rows] & mine) != 0
        free_time = bool(
            seeker.available_weekdays or seeker.available_day_parts or seeker.available_from
        )
        features = {
            "occupation": occupation,
            "lexical": np.where(lexical > 0, lexical / (lexical + LEXICAL_HALF), 0.0),
            "vector": np.clip(cosine, 0.0, 1.0),
            "travel": _travel(minutes, max_minutes),
            "pay": _pay(seeker, facts),
            "employment_type": _employment_type(seeker, facts, traits),
            "freshness": _freshness(facts, now),
            "education": _education(seeker, facts),
            "experience": _experience(seeker, facts),
            "skills": _shares(traits, "skills", rows, facts[:, SKILLS], seeker.skills),
            "certificates": _shares(
                traits, "certificates", rows, facts[:, CERTIFICATES], seeker.certificates
            ),
            "schedule": np.where((facts[:, START] == 0) | (not free_time), NEUTRAL, np.nan),
        }
        self.totals = np.zeros(n)
        for name, weight in model.weights.items():
            value = features.get(name)
            best_end = max(weight, 0.0)
            if value is None:
                self.totals += best_end
            else:
                self.totals += np.where(np.isnan(value), best_end, weight * value)
        self.bounds = np.minimum(1.0, squash(model, self.totals) + boost * self.boosted)


def squash(model: ScoringModel, totals: np.ndarray) -> np.ndarray:
    """``ScoringModel``'s map from a weighted total to a score, for many totals at once."""
    if model.bias is None:
        norm = sum(abs(w) for w in model.weights.values()) or 1.0
        return np.clip(totals / norm, 0.0, 1.0)
    return 1.0 / (1.0 + np.exp(-(model.bias + totals)))


def _shares(
    traits: PostingTraits, name: str, rows: np.ndarray, asked: np.ndarray, held: Sequence[str]
) -> np.ndarray:
    """Share of each posting's ``name`` items the person holds; neutral where none asked."""
    holds = traits.items.held(held)
    count = holds[traits.lists[name][rows]].sum(axis=1)
    return np.where(asked == 0, NEUTRAL, count / np.maximum(asked, 1))


def _travel(minutes: np.ndarray, limit: float) -> np.ndarray:
    if not limit:
        return np.where(np.isnan(minutes), np.nan, NEUTRAL)
    return np.maximum(0.0, 1.0 - 0.5 * minutes / limit)


def _pay(seeker: JobseekerDoc, facts: np.ndarray) -> np.ndarray:
    expected = seeker.monthly_expectation
    top, bottom = facts[:, PAY_MAX], facts[:, PAY_MIN]
    if not expected:
        return np.full(len(facts), NEUTRAL)
    short = np.maximum(0.0, 1.0 - PAY_SHORTFALL_SLOPE * (1.0 - top / expected))
    value = np.where((bottom >= expected * PAY_ABOVE) | (top >= expected), 1.0, short)
    return np.where(np.isnan(top), NEUTRAL, value)


def _employment_type(seeker: JobseekerDoc, facts: np.ndarray, traits: PostingTraits) -> np.ndarray:
    if not seeker.employment_types:
        return np.full(len(facts), NEUTRAL)
    wanted = [traits.type_code(t) for t in seeker.employment_types]
    return np.isin(facts[:, TYPE], wanted).astype(np.float64)


def _freshness(facts: np.ndarray, now: datetime) -> np.ndarray:
    moment = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    age = np.maximum(0.0, (moment.timestamp() - facts[:, CREATED]) / 86400)
    return np.where(np.isnan(age), NEUTRAL, 0.5 ** (age / FRESH_HALF_LIFE_DAYS))


def _education(seeker: JobseekerDoc, facts: np.ndarray) -> np.ndarray:
    required = facts[:, EDUCATION]
    if seeker.education not in EDUCATION_RANK:
        return np.where(required == 0, 1.0, NEUTRAL)
    return np.where(required <= EDUCATION_RANK[seeker.education], 1.0, 0.0)


def _experience(seeker: JobseekerDoc, facts: np.ndarray) -> np.ndarray:
    required = facts[:, EXPERIENCE]
    years = seeker.experience_years
    if years is None:
        return np.where(required <= 0, 1.0, NEUTRAL)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((required <= 0) | (years >= required), 1.0, years / required)
