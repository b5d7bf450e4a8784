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

A posting's own facts are kept in a small table by posting id, reused while the index hands
back the same document, so a match run reads each posting's attributes once rather than once
per person it is offered to. They are kept in the form a person's bounds use them: the
requirements (employment type, education, experience) as small integer codes, so each of
those features is one lookup in a table made for the person (and kept for the next person with
the same answers); the creation time in half-lives of freshness, so freshness is one power of
two. A person's features are then the rows of one matrix, and their weighted sum one product.

Keep in step with ``matching.rank``: ``tests/matching/test_match_many.py`` and
``test_bounded_ranking.py`` compare ranking by bound with assessing every candidate.
"""

from __future__ import annotations

import math
from bisect import bisect_right
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

# Columns of a posting's facts, one row of 64 bytes a posting (a match reads a few hundred
# postings spread over the table: one cache line each). NaN where the posting does not say.
PAY_MAX, PAY_MIN, CREATED, REQUIREMENTS = range(4)
# A share of listed items is held / ASKED + UNASKED: ASKED is the number listed (at least 1),
# UNASKED the neutral value where none is listed (nothing is held of an empty list), else 0.
ASKED = {"skills": 4, "certificates": 5}
UNASKED = {"skills": 6, "certificates": 7}
COLUMNS = 8
LISTS = ("skills", "certificates")
# Features a person's bounds compute as rows of one matrix; the others (employment type,
# education, experience, schedule) depend only on the person's answers and the posting's
# requirements, so they are one lookup of the requirements' code in a table for the answers.
MEASURED = ("occupation", "lexical", "vector", "travel", "pay", "freshness", *LISTS)
ROW = {name: position for position, name in enumerate(MEASURED)}
HALF_LIFE_SECONDS = FRESH_HALF_LIFE_DAYS * 86400
MAX_KEPT = 500_000  # postings whose facts are kept; the table starts afresh beyond
SEPARATOR = "\x00"  # between the words searched as one string (a key with it is searched apart)
MAX_KEY = 64  # longer keys are compared with each word (the pieces of a key grow as its square)
MAX_TABLES = 4096  # tables kept for the next person with the same answers


class ListItems:
    """Ids of folded list items (skills and certificates share them), and which ids a
    person's items hold."""

    NONE = -1  # padding, and an empty item: never held

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.words: list[str] = []
        self._holding: dict[str, tuple[int, np.ndarray]] = {}  # item → (vocabulary size, ids)
        self._held: dict[tuple[str, ...], tuple[int, np.ndarray | None]] = {}
        self._joined_words: tuple[str, int, list[int]] = ("", 0, [0])

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

    def held_or_none(self, items: tuple[str, ...]) -> np.ndarray | None:
        """``held(items)`` as 1.0 and 0.0, or None when they hold no item at all; kept for the
        next person with the same list (people share lists) until the vocabulary grows."""
        known = self._held.get(items)
        if known is not None and known[0] == len(self.words):
            return known[1]
        mask = self.held(items)
        found = mask.astype(np.float64) if mask.any() else None
        if len(self._held) >= MAX_TABLES:
            self._held.clear()
        self._held[items] = (len(self.words), found)
        return found

    def _holding_ids(self, key: str) -> np.ndarray:
        known, ids = self._holding.get(key, (0, np.zeros(0, np.int64)))
        if known < len(self.words):
            fresh = self._holds(key, known)
            ids = np.concatenate([ids, fresh])
            self._holding[key] = (len(self.words), ids)
        return ids

    def _holds(self, key: str, start: int) -> np.ndarray:
        """Ids from ``start`` on whose words ``key`` holds (``_matches``), found by searching
        the words joined into one string for the key, and the vocabulary for each piece of
        the key: a few C searches instead of a pass of numpy string functions over every
        word (about 1.7 ms a key with 20,000 words)."""
        if len(key) > MAX_KEY or SEPARATOR in key:
            words = np.array(self.words[start:])
            return np.flatnonzero(self._matches(key, words)) + start
        get = self.ids.get
        found = {get(key, -1)}
        if len(key) >= 2:
            joined, starts = self._joined()
            at = joined.find(key, starts[start])
            while at >= 0:  # the words containing the key
                word = bisect_right(starts, at) - 1
                found.add(word)
                at = joined.find(key, starts[word + 1])
            for i in range(len(key) - 1):  # the words of two or more characters it contains
                found.update(get(key[i:j], -1) for j in range(i + 2, len(key) + 1))
        return np.array(sorted(i for i in found if i >= start), np.int64)

    def _joined(self) -> tuple[str, list[int]]:
        if self._joined_words[1] != len(self.words):
            joined = SEPARATOR.join(self.words)
            starts = [0]
            for word in self.words:
                starts.append(starts[-1] + len(word) + 1)
            self._joined_words = (joined, len(self.words), starts)
        joined, _, starts = self._joined_words
        return joined, starts

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
    certificates as rows of one padded integer matrix, and the groups each is aimed at
    (``aims``: those ``priority.person_boost`` lifts it for) as bits, by posting id; and the
    requirements (employment type, education, experience, a start) as codes of the distinct
    combinations seen, with the value of each combination to people who answer alike."""

    def __init__(self, aims: Callable[[PostingDoc], Iterable[str]]) -> None:
        self.aims = aims
        self.group_bits: dict[str, int] = {}
        self.rows: dict[str, tuple[PostingDoc, int]] = {}
        self.matrix = np.zeros((1024, COLUMNS))
        self.aimed = np.zeros(1024, np.uint64)
        # each posting's occupation code as a number: an index into ``occupation_codes``
        self.occupation = np.zeros(1024, np.int32)
        self.occupation_codes: list[str | None] = []
        self._occupation_ids: dict[str | None, int] = {}
        self.types: dict[str | None, int] = {}
        self.items = ListItems()
        self.widths = {name: 4 for name in LISTS}
        self.item_ids = np.full((1024, sum(self.widths.values())), ListItems.NONE, np.int32)
        # (type code, education rank, experience years, has a start) → code, and back
        self.requirements: dict[tuple[int, int, int, int], int] = {}
        self._combinations = np.zeros((0, 4), np.int64)
        self._tables: dict[tuple[object, ...], np.ndarray] = {}
        self._addresses = np.zeros(0, np.int64)  # sorted addresses of documents held
        self._address_rows = np.zeros(0, np.intp)  # their rows (-1: replaced since)
        self._replaced: list[PostingDoc] = []
        self._unsorted = 0  # writes since the addresses were sorted

    @property
    def lists(self) -> dict[str, np.ndarray]:
        """Each list's ids, a row per posting row (views of ``item_ids``)."""
        skills = self.widths["skills"]
        return {"skills": self.item_ids[:, :skills], "certificates": self.item_ids[:, skills:]}

    def rows_of(self, postings: Sequence[PostingDoc]) -> np.ndarray:
        """The postings' rows, each written first if the table does not hold that document.

        Documents already sorted into ``addresses`` are found by their address in one
        search (no attribute or dict lookups: a match's few hundred documents lie all over
        memory); those written since, or new, by id. The table holds every document whose
        address it lists, and a replaced one until the next sort, so no other object can
        take such an address meanwhile."""
        if len(self.rows) + len(postings) > MAX_KEPT:
            self._clear()
        addresses = np.fromiter(map(id, postings), np.int64, len(postings))
        found = self._by_address(addresses)
        missing = np.flatnonzero(found < 0)
        if len(missing):
            for i in missing.tolist():
                found[i] = self._row(postings[i])
            if self._unsorted > max(1024, len(self.rows) // 8):
                self._sort()
        return found

    def _by_address(self, addresses: np.ndarray) -> np.ndarray:
        if not len(self._addresses):
            return np.full(len(addresses), -1, np.intp)
        at = np.searchsorted(self._addresses, addresses)
        np.minimum(at, len(self._addresses) - 1, out=at)
        found = self._address_rows.take(at)
        found[self._addresses.take(at) != addresses] = -1
        return found

    def _row(self, posting: PostingDoc) -> int:
        kept = self.rows.get(posting.id)
        if kept is None:
            return self._write(posting, None)
        if kept[0] is not posting:
            self._retire(kept[0])
            return self._write(posting, kept[1])
        return kept[1]

    def _retire(self, replaced: PostingDoc) -> None:
        self._replaced.append(replaced)  # alive until the next sort: its address stays its own
        address = id(replaced)
        at = int(np.searchsorted(self._addresses, address))
        if at < len(self._addresses) and self._addresses[at] == address:
            self._address_rows[at] = -1  # its row now holds the new document

    def _sort(self) -> None:
        kept = list(self.rows.values())
        addresses = np.fromiter((id(posting) for posting, _ in kept), np.int64, len(kept))
        order = np.argsort(addresses)
        self._addresses = addresses[order]
        self._address_rows = np.fromiter((row for _, row in kept), np.intp, len(kept))[order]
        self._replaced.clear()
        self._unsorted = 0

    def _clear(self) -> None:
        self.rows.clear()
        self._addresses = np.zeros(0, np.int64)
        self._address_rows = np.zeros(0, np.intp)
        self._replaced.clear()
        self._unsorted = 0

    def type_code(self, employment_type: str | None) -> int:
        return self.types.setdefault(employment_type, len(self.types))

    def _write(self, posting: PostingDoc, row: int | None) -> int:
        if row is None:
            row = len(self.rows)
            while row >= len(self.aimed):
                self._grow()
        facts = self.matrix[row]
        for name, items in (("skills", posting.skills), ("certificates", posting.certificates)):
            if len(items) > self.widths[name]:
                self._widen(name, len(items))
            ids = self.lists[name][row]
            ids[:] = ListItems.NONE
            ids[: len(items)] = [self.items.id_of(item) for item in items]
            facts[ASKED[name]] = max(len(items), 1)
            facts[UNASKED[name]] = 0.0 if items else NEUTRAL
        created = as_utc(posting.created_at)
        top, bottom = posting.monthly_pay_max, posting.monthly_pay_min
        facts[PAY_MAX] = math.nan if top is None else top
        facts[PAY_MIN] = math.nan if bottom is None else bottom
        facts[CREATED] = math.nan if created is None else created.timestamp() / HALF_LIFE_SECONDS
        facts[REQUIREMENTS] = self._requirement_code(posting)
        self.occupation[row] = self._occupation_id(posting.occupation_code)
        self.aimed[row] = self.bits(self.aims(posting), create=True)
        self.rows[posting.id] = (posting, row)
        self._unsorted += 1
        return row

    def _requirement_code(self, posting: PostingDoc) -> int:
        # A fractional experience is rounded down: the feature can only be overestimated.
        key = (
            self.type_code(posting.employment_type),
            EDUCATION_RANK.get(posting.education or "none", 0),
            max(0, int(posting.experience_years or 0)),
            int(posting.starts_at is not None),
        )
        code = self.requirements.get(key)
        if code is None:
            code = self.requirements[key] = len(self.requirements)
            self._combinations = np.array(list(self.requirements), np.int64)
        return code

    def _occupation_id(self, code: str | None) -> int:
        found = self._occupation_ids.get(code)
        if found is None:
            found = self._occupation_ids[code] = len(self.occupation_codes)
            self.occupation_codes.append(code)
        return found

    def _grow(self) -> None:
        self.matrix = np.concatenate([self.matrix, np.zeros_like(self.matrix)])
        self.aimed = np.concatenate([self.aimed, np.zeros_like(self.aimed)])
        self.occupation = np.concatenate([self.occupation, np.zeros_like(self.occupation)])
        self.item_ids = np.concatenate([self.item_ids, np.full_like(self.item_ids, -1)])

    def _widen(self, name: str, width: int) -> None:
        narrow = self.lists
        self.widths[name] = width
        wider = np.full((len(self.item_ids), sum(self.widths.values())), -1, np.int32)
        for each, ids in narrow.items():
            self._part(wider, each)[:, : ids.shape[1]] = ids
        self.item_ids = wider

    def _part(self, ids: np.ndarray, name: str) -> np.ndarray:
        skills = self.widths["skills"]
        return ids[:, :skills] if name == "skills" else ids[:, skills:]

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

    def requirement_values(self, fusion: _Fusion, seeker: JobseekerDoc) -> np.ndarray:
        """The weighted sum of employment type, education, experience and schedule for
        ``seeker`` by requirement code (the schedule at its best end where there is a start
        and the person gave free time), as ``matching.rank`` computes them."""
        free_time = bool(
            seeker.available_weekdays or seeker.available_day_parts or seeker.available_from
        )
        key = (fusion, seeker.employment_types, seeker.education, seeker.experience_years)
        key += (free_time,)
        known = self._tables.get(key)
        if known is not None and len(known) == len(self.requirements):
            return known
        if len(self._tables) >= MAX_TABLES:
            self._tables.clear()
        wanted = [self.type_code(t) for t in seeker.employment_types]
        table = self._tables[key] = _requirement_values(
            fusion, seeker, self._combinations, wanted, free_time
        )
        return table


def _requirement_values(
    fusion: _Fusion,
    seeker: JobseekerDoc,
    combinations: np.ndarray,
    wanted: list[int],
    free_time: bool,
) -> np.ndarray:
    kind, required, experience, starts = combinations.T
    weight = fusion.requirement_weights
    if seeker.employment_types:
        kinds = np.isin(kind, wanted).astype(np.float64)
    else:
        kinds = np.full(len(kind), NEUTRAL)
    rank = EDUCATION_RANK.get(seeker.education or "")
    if rank is None:
        education = np.where(required == 0, 1.0, NEUTRAL)
    else:
        education = np.where(required <= rank, 1.0, 0.0)
    years = seeker.experience_years
    if years is None:
        experienced = np.where(experience <= 0, 1.0, NEUTRAL)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            share = years / experience
        experienced = np.where((experience <= 0) | (years >= experience), 1.0, share)
    schedule = np.full(len(kind), weight["schedule"] * NEUTRAL)
    if free_time:
        schedule[starts == 1] = max(weight["schedule"], 0.0)
    return (
        weight["employment_type"] * kinds
        + weight["education"] * education
        + weight["experience"] * experienced
        + schedule
    )


class _Fusion:
    """A model's weights of the measured features (``MEASURED``), the value standing in for
    an unknown one (the best end for its weight, or neutral), the weights of the features
    that come from the requirements, and the weight of names it does not know (which count
    at their best end)."""

    def __init__(self, model: ScoringModel) -> None:
        weights = model.weights
        self.model = model
        self.weights = np.array([weights.get(name, 0.0) for name in MEASURED])
        best = [1.0 if weights.get(name, 0.0) > 0 else 0.0 for name in MEASURED]
        for name in ("pay", "freshness"):  # unknown only where the posting does not say
            best[ROW[name]] = NEUTRAL
        self.unknown = np.array(best)[:, None]
        from_requirements = ("employment_type", "education", "experience", "schedule")
        self.requirement_weights = {name: weights.get(name, 0.0) for name in from_requirements}
        known = {*MEASURED, *from_requirements}
        self.rest = sum(max(w, 0.0) for name, w in weights.items() if name not in known)
        self.norm = sum(abs(w) for w in weights.values()) or 1.0


_FUSIONS: dict[int, _Fusion] = {}


def _fusion(model: ScoringModel) -> _Fusion:
    # By identity, like ``priority._group_rank``: the model is immutable.
    found = _FUSIONS.get(id(model))
    if found is None or found.model is not model:
        if len(_FUSIONS) > 64:
            _FUSIONS.clear()
        found = _FUSIONS[id(model)] = _Fusion(model)
    return found


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
        occupation: np.ndarray | Callable[[np.ndarray], np.ndarray],
        max_minutes: float,
        now: datetime,
    ) -> None:
        """``occupation``: the occupation feature of each posting, or a function giving it
        from the postings' rows in ``traits``."""
        rows = traits.rows_of(postings)  # first: it may grow the tables
        facts = traits.matrix.take(rows, axis=0).T
        values = np.empty((len(MEASURED), len(rows)))  # a row per feature, NaN if unknown
        values[ROW["occupation"]] = occupation(rows) if callable(occupation) else occupation
        _lexical(lexical, values[ROW["lexical"]])
        _unit(cosine, values[ROW["vector"]])
        _travel(minutes, max_minutes, values[ROW["travel"]])
        _pay(seeker, facts, values[ROW["pay"]])
        _freshness(facts, now, values[ROW["freshness"]])
        _shares(traits, rows, facts, seeker, values)
        fusion = _fusion(model)
        np.copyto(values, fusion.unknown, where=np.isnan(values))
        requirements = traits.requirement_values(fusion, seeker)
        totals = fusion.weights @ values
        totals += requirements[facts[REQUIREMENTS].astype(np.intp)]
        if fusion.rest:
            totals += fusion.rest
        self.totals = totals
        bounds = _squash(model, fusion.norm, totals)
        mine = traits.bits(seeker.group_codes)
        if mine:
            self.boosted = (traits.aimed.take(rows) & np.uint64(mine)) != 0
            bounds = np.minimum(1.0, bounds + boost * self.boosted)
        else:
            self.boosted = np.zeros(len(rows), bool)
        self.bounds = bounds


def squash(model: ScoringModel, totals: np.ndarray) -> np.ndarray:
    """``ScoringModel``'s map from a weighted total to a score, for many totals at once."""
    return _squash(model, sum(abs(w) for w in model.weights.values()) or 1.0, totals)


def _squash(model: ScoringModel, norm: float, totals: np.ndarray) -> np.ndarray:
    if model.bias is None:
        return _unit(totals / norm)
    return 1.0 / (1.0 + np.exp(-(model.bias + totals)))


def _unit(values: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``values`` clipped to [0, 1], NaN kept (``np.clip`` costs three times as much)."""
    out = np.minimum(values, 1.0, out=out)
    return np.maximum(out, 0.0, out=out)


def _lexical(lexical: np.ndarray, out: np.ndarray) -> None:
    # s / (s + 8) where s > 0, else 0 (fmax also takes a NaN to 0, as ``s > 0`` does)
    np.fmax(lexical, 0.0, out=out)
    np.divide(out, out + LEXICAL_HALF, out=out)


def _travel(minutes: np.ndarray, limit: float, out: np.ndarray) -> None:
    if not limit:
        np.multiply(minutes, 0.0, out=out)  # NaN stays unknown
        out += NEUTRAL
        return
    np.multiply(minutes, 0.5, out=out)  # the operations of ``rank._travel``, in its order
    out /= limit
    np.subtract(1.0, out, out=out)
    np.maximum(out, 0.0, out=out)


def _pay(seeker: JobseekerDoc, facts: np.ndarray, out: np.ndarray) -> None:
    expected = seeker.monthly_expectation
    if not expected:
        out[:] = NEUTRAL
        return
    np.divide(facts[PAY_MAX], expected, out=out)  # the operations of ``rank._pay``, in order
    np.subtract(1.0, out, out=out)
    out *= PAY_SHORTFALL_SLOPE
    np.subtract(1.0, out, out=out)
    _unit(out, out)  # at or above the expectation: 1; NaN: no pay given
    out[facts[PAY_MIN] >= expected * PAY_ABOVE] = 1.0


def _freshness(facts: np.ndarray, now: datetime, out: np.ndarray) -> None:
    moment = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    # 0.5 ** (age / half-life), the creation time being kept in half-lives (NaN: unknown)
    np.subtract(facts[CREATED], moment.timestamp() / HALF_LIFE_SECONDS, out=out)
    np.minimum(out, 0.0, out=out)
    np.exp2(out, out=out)


def _shares(
    traits: PostingTraits,
    rows: np.ndarray,
    facts: np.ndarray,
    seeker: JobseekerDoc,
    values: np.ndarray,
) -> None:
    """Share of each posting's skills and certificates the person holds; neutral where none
    is listed."""
    ids = None
    for name, held in (("skills", seeker.skills), ("certificates", seeker.certificates)):
        out = values[ROW[name]]
        holds = traits.items.held_or_none(held) if held else None
        if holds is None:  # nothing held: 0, or neutral where nothing is listed
            out[:] = facts[UNASKED[name]]
            continue
        if ids is None:
            ids = traits.item_ids.take(rows, axis=0)
        listed = traits._part(ids, name)
        np.matmul(holds[listed], np.ones(listed.shape[1]), out=out)  # how many are held
        out /= facts[ASKED[name]]
        out += facts[UNASKED[name]]
