"""Ranking of postings for a person: the labelled pairs, the split, the metrics, the report.

The labelled set is ``data/ranking_pairs.jsonl``: (jobseeker, posting) pairs from the demo
city, each graded 0–3 by a person reading the two records (rubric in ``data/README.md``), with
everything :func:`matching.rank.assess` needs to recompute the features offline (both
documents, the raw BM25, cosine and travel minutes the index measured, the reference time).
``bench/make_ranking_pairs.py`` draws the candidate pairs; the grades are not computed.

The people (queries) are split in two halves with a fixed seed. Weights are fitted on one
half; every figure printed is on the other, held-out half. Metrics are per query, then
averaged over queries:

- nDCG@k with gain 2^grade − 1 and discount 1/log2(rank + 1);
- average precision (MAP) and the area under the ROC curve (AUC), with grade ≥ 2
  ("reasonable" or "strong") as relevant.

Scores that tie are taken in every order with equal chance (the expected value over the
orders, computed exactly): a scorer that cannot tell two postings apart is neither rewarded nor
punished by the order they happen to come in.
"""

from __future__ import annotations

import dataclasses
import json
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from matching.documents import GroupMembership, JobseekerDoc, PostingDoc
from matching.priority import PriorityRules
from matching.rank import (
    DEFAULT_WEIGHTS,
    FEATURES,
    PairContext,
    ScoringModel,
    assess,
    fit_pairwise_weights,
    fit_weights,
)
from matching.taxonomy import Taxonomy, load_taxonomy

DATA_PATH = Path(__file__).resolve().parent / "data" / "ranking_pairs.jsonl"
SEED = 2026
RELEVANT_GRADE = 2  # "reasonable" or better counts as relevant for MAP and AUC
GRADES = (0, 1, 2, 3)
L2 = 1.0  # ridge strength of the fits (fixed in advance, not tuned on the held-out half)
# The score at which matching.priority counts a candidate as qualified: a fit must not move it.
BAR = PriorityRules().threshold

# Document fields kept out of the file: the vector and tokens are replaced by the raw cosine and
# BM25 the index measured; coordinates by the travel minutes (a home address stays private).
_LEFT_OUT = frozenset({"vector", "tokens", "lat", "lon"})
_DATES = frozenset({"valid_until", "available_from"})
_DATETIMES = frozenset({"starts_at", "ends_at", "created_at", "registered_at"})


# --- the labelled file -----------------------------------------------------------------------


def doc_to_json(doc: PostingDoc | JobseekerDoc) -> dict[str, Any]:
    """The document's fields as JSON values; empty and unset fields are left out."""
    out: dict[str, Any] = {}
    for item in dataclasses.fields(doc):
        value = getattr(doc, item.name)
        if item.name in _LEFT_OUT or value is None or value == ():
            continue
        if item.name == "groups":
            value = [
                {"code": g.code, "certified_at": g.certified_at.isoformat()}
                if g.certified_at
                else {"code": g.code}
                for g in value
            ]
        elif isinstance(value, date | datetime):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        out[item.name] = value
    return out


def _fields_from_json(data: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name in _DATES:
            values[name] = date.fromisoformat(value)
        elif name in _DATETIMES:
            values[name] = datetime.fromisoformat(value)
        elif name == "groups":
            values[name] = tuple(
                GroupMembership(
                    g["code"],
                    date.fromisoformat(g["certified_at"]) if g.get("certified_at") else None,
                )
                for g in value
            )
        elif isinstance(value, list):
            values[name] = tuple(value)
        else:
            values[name] = value
    return values


def posting_from_json(data: Mapping[str, Any]) -> PostingDoc:
    return PostingDoc(**_fields_from_json(data))


def jobseeker_from_json(data: Mapping[str, Any]) -> JobseekerDoc:
    return JobseekerDoc(**_fields_from_json(data))


def context_to_json(context: PairContext) -> dict[str, Any]:
    return {
        "lexical": context.lexical,
        "cosine": context.vector,
        "travel_minutes": context.travel_minutes,
        "travel_mode": context.travel_mode,
        "travel_limit": context.travel_limit,
        "imprecise": context.imprecise,
    }


def context_from_json(data: Mapping[str, Any]) -> PairContext:
    return PairContext(
        lexical=float(data.get("lexical") or 0.0),
        vector=data.get("cosine"),
        travel_minutes=data.get("travel_minutes"),
        travel_mode=data.get("travel_mode"),
        travel_limit=data.get("travel_limit"),
        imprecise=bool(data.get("imprecise", False)),
    )


@dataclass(frozen=True)
class LabelledPair:
    pair_id: str
    seeker: JobseekerDoc
    posting: PostingDoc
    context: PairContext
    now: datetime
    grade: int
    reason: str

    @property
    def query(self) -> str:
        return self.seeker.id


def load_pairs(path: Path = DATA_PATH) -> list[LabelledPair]:
    """Every graded pair of the file; an ungraded or malformed line is an error, not skipped."""
    pairs: list[LabelledPair] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            grade = row.get("grade")
            if grade not in GRADES or not (row.get("reason") or "").strip():
                raise ValueError(f"{path.name}:{number}: grade must be 0–3 with a reason")
            if row["pair_id"] in seen:
                raise ValueError(f"{path.name}:{number}: pair {row['pair_id']} twice")
            seen.add(row["pair_id"])
            pairs.append(
                LabelledPair(
                    pair_id=row["pair_id"],
                    seeker=jobseeker_from_json(row["jobseeker"]),
                    posting=posting_from_json(row["posting"]),
                    context=context_from_json(row["retrieval"]),
                    now=datetime.fromisoformat(row["now"]),
                    grade=int(grade),
                    reason=row["reason"],
                )
            )
    return pairs


def split_queries(query_ids: Iterable[str], *, seed: int = SEED) -> tuple[list[str], list[str]]:
    """(fit, held-out): a seeded shuffle of the distinct ids in sorted order, halved; the
    held-out half is the first ⌊n/2⌋. Depends only on the seed and the set of ids."""
    ordered = sorted(set(query_ids))
    random.Random(seed).shuffle(ordered)
    size = len(ordered) // 2
    return sorted(ordered[size:]), sorted(ordered[:size])


# --- metrics ---------------------------------------------------------------------------------


def _tie_groups(scores: Sequence[float]) -> list[list[int]]:
    """Indices by descending score, grouped where the scores are equal."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    groups: list[list[int]] = []
    for i in order:
        if groups and scores[groups[-1][0]] == scores[i]:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _discount(position: int) -> float:
    return 1.0 / math.log2(position + 2)  # position 0 is rank 1


def dcg_at(scores: Sequence[float], grades: Sequence[int], k: int) -> float:
    """Expected DCG@k over the orders of tied scores: every place a tie group occupies gets the
    group's mean gain (McSherry & Najork 2008)."""
    total, position = 0.0, 0
    for group in _tie_groups(scores):
        mean_gain = sum(2.0 ** grades[i] - 1.0 for i in group) / len(group)
        for place in range(position, min(position + len(group), k)):
            total += mean_gain * _discount(place)
        position += len(group)
    return total


def ndcg_at(scores: Sequence[float], grades: Sequence[int], k: int) -> float | None:
    """nDCG@k; None when no item has a grade above 0 (the ideal DCG is 0)."""
    ideal = dcg_at([float(g) for g in grades], grades, k)
    return None if ideal == 0 else dcg_at(scores, grades, k) / ideal


def average_precision(scores: Sequence[float], relevant: Sequence[bool]) -> float | None:
    """Expected average precision over the orders of tied scores; None without a relevant item.

    For a relevant item at place j (0-based) of a tie group that starts after ``start`` items,
    holds ``n`` items of which ``r`` are relevant, with ``before`` relevant items ahead of the
    group: E[precision] = (before + 1 + j·(r − 1)/(n − 1)) / (start + j + 1), and j is uniform.
    """
    total_relevant = sum(relevant)
    if total_relevant == 0:
        return None
    total, start, before = 0.0, 0, 0
    for group in _tie_groups(scores):
        n, r = len(group), sum(relevant[i] for i in group)
        if r:
            spread = (r - 1) / (n - 1) if n > 1 else 0.0
            expected = sum((before + 1 + j * spread) / (start + j + 1) for j in range(n)) / n
            total += r * expected
        start += n
        before += r
    return total / total_relevant


def auc(scores: Sequence[float], relevant: Sequence[bool]) -> float | None:
    """Share of (relevant, not relevant) pairs ordered right, ties half; None without both."""
    positives = [s for s, y in zip(scores, relevant, strict=True) if y]
    negatives = [s for s, y in zip(scores, relevant, strict=True) if not y]
    if not positives or not negatives:
        return None
    right = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return right / (len(positives) * len(negatives))


@dataclass(frozen=True)
class RankingScores:
    queries: int  # queries in the part evaluated
    ndcg5: float
    ndcg10: float
    map: float
    auc: float
    # how many queries each metric averages over (a query without a relevant item has no AP)
    counted: tuple[int, int, int]


def _mean(values: Iterable[float | None]) -> tuple[float, int]:
    found = [v for v in values if v is not None]
    return (sum(found) / len(found) if found else 0.0), len(found)


# --- features and scorers --------------------------------------------------------------------

Scorer = Callable[[Mapping[str, float]], float]


@dataclass(frozen=True)
class Query:
    """One person's labelled postings with their features."""

    query_id: str
    features: tuple[dict[str, float], ...]
    grades: tuple[int, ...]

    @cached_property
    def relevant(self) -> tuple[bool, ...]:
        return tuple(g >= RELEVANT_GRADE for g in self.grades)


def build_queries(pairs: Iterable[LabelledPair], taxonomy: Taxonomy) -> dict[str, Query]:
    """Features recomputed with :func:`assess` for every pair, grouped by person."""
    features: dict[str, list[dict[str, float]]] = defaultdict(list)
    grades: dict[str, list[int]] = defaultdict(list)
    for pair in pairs:
        assessed = assess(pair.seeker, pair.posting, pair.context, taxonomy=taxonomy, now=pair.now)
        features[pair.query].append(assessed.features)
        grades[pair.query].append(pair.grade)
    return {q: Query(q, tuple(features[q]), tuple(grades[q])) for q in sorted(features)}


def evaluate(queries: Sequence[Query], scorer: Scorer) -> RankingScores:
    """Per-query metrics of ``scorer``, averaged over ``queries``."""
    rows = []
    for query in queries:
        scores = [scorer(f) for f in query.features]
        rows.append(
            (
                ndcg_at(scores, query.grades, 5),
                ndcg_at(scores, query.grades, 10),
                average_precision(scores, query.relevant),
                auc(scores, query.relevant),
            )
        )
    ndcg5, n_ndcg = _mean(r[0] for r in rows)
    ndcg10, _ = _mean(r[1] for r in rows)
    mean_ap, n_ap = _mean(r[2] for r in rows)
    mean_auc, n_auc = _mean(r[3] for r in rows)
    return RankingScores(len(queries), ndcg5, ndcg10, mean_ap, mean_auc, (n_ndcg, n_ap, n_auc))


def single_feature(name: str) -> Scorer:
    return lambda features: features.get(name, 0.5)


def random_expectation(queries: Sequence[Query]) -> RankingScores:
    """The floor: every posting tied, i.e. the expected figures of a random order."""
    return evaluate(queries, lambda features: 0.0)


def fit_models(queries: Sequence[Query], *, l2: float = L2) -> dict[str, ScoringModel]:
    """The fits on ``queries``: the pairwise (within-person) weighted mean, the same with the
    qualification bar kept, and a pointwise logistic regression on grade ≥ 2."""
    graded = [list(zip(q.features, q.grades, strict=True)) for q in queries]
    return {
        "pairwise": fit_pairwise_weights(graded, l2=l2),
        "pairwise_bar": fit_pairwise_weights(graded, l2=l2, bar=BAR, relevant_grade=RELEVANT_GRADE),
        "logistic": fit_weights(
            [(f, g >= RELEVANT_GRADE) for items in graded for f, g in items], l2=l2
        ),
    }


def bar_shares(queries: Sequence[Query], scorer: Scorer, bar: float = BAR) -> tuple[float, float]:
    """(share of the pairs graded ≥ 2, share of those graded 0) scoring at least ``bar``."""
    scored = [(scorer(f), g) for q in queries for f, g in zip(q.features, q.grades, strict=True)]
    good = [score >= bar for score, g in scored if g >= RELEVANT_GRADE]
    bad = [score >= bar for score, g in scored if g == 0]
    return sum(good) / max(1, len(good)), sum(bad) / max(1, len(bad))


# --- report ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    name: str
    scorer: Scorer
    note: str = ""
    bar: bool = True  # a score meant for the qualification bar (not a single-feature baseline)


def _per_person_changes(
    folds: Sequence[tuple[Sequence[Query], ScoringModel]], reference: ScoringModel
) -> tuple[int, int, int]:
    """(better, worse, equal): people whose nDCG@10 a fitted model changes against
    ``reference``, each person scored by the model fitted on the half they are not in."""
    better = worse = same = 0
    for scored, model in folds:
        for query in scored:
            before = ndcg_at([reference.score(f) for f in query.features], query.grades, 10)
            after = ndcg_at([model.score(f) for f in query.features], query.grades, 10)
            if before is None or after is None:
                continue
            if after > before + 1e-9:
                better += 1
            elif after < before - 1e-9:
                worse += 1
            else:
                same += 1
    return better, worse, same


def _weights_line(model: ScoringModel) -> str:
    ordered = sorted(model.weights.items(), key=lambda item: -item[1])
    return ", ".join(f"{name} {weight:.3f}" for name, weight in ordered if weight > 0.0005)


def report(pairs: Sequence[LabelledPair] | None = None, *, seed: int = SEED, l2: float = L2) -> str:
    """The ranking table printed by ``jobcircle eval``: every variant on the held-out half."""
    taxonomy = load_taxonomy()
    all_pairs = list(pairs) if pairs is not None else load_pairs()
    queries = build_queries(all_pairs, taxonomy)
    fit_ids, held_ids = split_queries(queries, seed=seed)
    fit_part = [queries[q] for q in fit_ids]
    held = [queries[q] for q in held_ids]
    fitted = fit_models(fit_part, l2=l2)
    default = ScoringModel(DEFAULT_WEIGHTS)
    equal = ScoringModel(weights={name: 1.0 for name in FEATURES})
    variants = [
        Variant("default weights (in use)", default.score, "hand-set"),
        Variant("pairwise fit", fitted["pairwise"].score, "fit half"),
        Variant("pairwise fit, bar kept", fitted["pairwise_bar"].score, "fit half"),
        Variant("logistic fit", fitted["logistic"].score, "fit half"),
        Variant("equal weights", equal.score),
        Variant("occupation only", single_feature("occupation"), "baseline", bar=False),
        Variant("vector only", single_feature("vector"), "baseline", bar=False),
        Variant("travel only", single_feature("travel"), "baseline", bar=False),
        Variant("random order", lambda features: 0.0, "floor (expected)", bar=False),
    ]
    grades = [p.grade for p in all_pairs]
    held_pairs = sum(len(q.grades) for q in held)
    header = (
        f"{'variant':<26}{'nDCG@5':>8}{'nDCG@10':>9}{'MAP':>7}{'AUC':>7}"
        f"{'2-3 pass':>10}{'0 pass':>8}  note"
    )
    lines = [
        f"Ranking postings for a person, {len(all_pairs)} graded pairs of {len(queries)} people "
        f"(grades 0/1/2/3: {', '.join(str(grades.count(g)) for g in GRADES)})",
        f"held-out half: {len(held)} people, {held_pairs} pairs (seed {seed}); "
        f"fits on the other {len(fit_part)} people",
        header,
        "-" * len(header),
    ]
    for variant in variants:
        s = evaluate(held, variant.scorer)
        passed = ""
        if variant.bar:
            good, bad = bar_shares(held, variant.scorer)
            passed = f"{good:>10.0%}{bad:>8.0%}"
        lines.append(
            f"{variant.name:<26}{s.ndcg5:>8.3f}{s.ndcg10:>9.3f}{s.map:>7.3f}{s.auc:>7.3f}"
            f"{passed:<18}  {variant.note}".rstrip()
        )
    swapped = fit_models(held, l2=l2)
    folds = {
        name: [(held, fitted[name]), (fit_part, swapped[name])]
        for name in ("pairwise", "pairwise_bar")
    }
    changes = {name: _per_person_changes(f, default) for name, f in folds.items()}
    counted = evaluate(held, default.score).counted

    def swapped_ndcg10(model: ScoringModel) -> str:
        return f"{evaluate(fit_part, model.score).ndcg10:.3f}"

    lines += [
        "Halves swapped (fitted on the held-out half, scored on the fit half), nDCG@10: "
        f"default {swapped_ndcg10(default)}, pairwise fit {swapped_ndcg10(swapped['pairwise'])}, "
        f"bar kept {swapped_ndcg10(swapped['pairwise_bar'])}.",
        "Per person over both halves, nDCG@10 against the default weights: pairwise fit "
        "{} better, {} worse, {} equal; bar kept {} better, {} worse, {} equal.".format(
            *changes["pairwise"], *changes["pairwise_bar"]
        ),
        f"Pairwise fit: {_weights_line(fitted['pairwise'])}.",
        f"Bar kept: {_weights_line(fitted['pairwise_bar'])}.",
        f"2-3 pass / 0 pass: share of the pairs graded 2-3 / graded 0 scoring at least {BAR:g},",
        "the bar at which matching.priority counts a candidate as qualified (members of priority",
        "groups above it go first). nDCG: gain 2^grade - 1, averaged over the people with a",
        f"grade above 0 ({counted[0]} of {len(held)}). MAP and AUC: grade >= 2 is relevant;",
        f"averaged over the people with a relevant posting ({counted[1]}), for AUC also with one",
        f"that is not ({counted[2]}).",
        "Tied scores count in every order with equal chance. The matcher adds the priority boost",
        "(postings aimed at a person's group) on top of these scores; it is not evaluated here.",
    ]
    return "\n".join(lines)
