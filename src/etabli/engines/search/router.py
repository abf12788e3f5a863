"""FAQ answering: route a question to an entry of the knowledge base, or to clarify, or to a person.

Why several signals: a TPE's FAQ has a handful of question variants per entry and customers write
with typos and their own words. BM25 over the variants rewards the shared content words; a character
n-gram TF-IDF similarity survives typos and word-form changes ("livrés"/"livraison"); when there are
enough variants (3 or more per entry, usually), a small logistic regression learns what separates
the entries. The similarities are averaged, then turned into a confidence by a logistic (Platt)
calibration fitted on out-of-fold predictions of the variants themselves, so that "0.8" means "about
8 times out of 10 right" on questions like the variants, and the thresholds mean something.
When the KB is too small to calibrate, the confidence is the averaged similarity itself: monotone and
thresholdable, but not a probability (the result says which with `calibrated`).

Routes (guide ch. 5.1): high confidence → "answered"; medium → "answered_offer_human"; two close
candidates → "clarify" with the choices; otherwise → "escalated" ("je transmets à l'équipe").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from threadpoolctl import threadpool_limits

from etabli.common.formats import format_percent
from etabli.engines.search.analyzer import FrenchAnalyzer, normalize
from etabli.engines.search.bm25 import BM25Scorer
from etabli.engines.search.errors import SearchError

Route = Literal["answered", "answered_offer_human", "clarify", "escalated"]
#: A callable turning a text into a vector (a local embedding model); optional.
Embedder = Callable[[str], Sequence[float]]

DEFAULT_MAX_QUESTION_CHARS = 2000
DEFAULT_WEIGHTS: Mapping[str, float] = {"bm25": 1.0, "chars": 1.0, "classifier": 1.0, "embedding": 1.0}
COMPONENT_LABELS: Mapping[str, str] = {
    "bm25": "mots-clés",
    "chars": "ressemblance d'écriture",
    "classifier": "modèle appris",
    "embedding": "proximité de sens",
}
_ANSWER_BOOST = 0.3  # an answer's words count, but less than the question variants' words
#: Below this many variants, Platt scaling is dominated by its regulariser (measured: an 8-entry KB with
#: 22 variants gave every answer 0.5–0.76), so the similarity itself is used as the confidence.
_MIN_CALIBRATION_SAMPLES = 60


@dataclass(frozen=True)
class FaqEntry:
    """An intent of the knowledge base: several ways to ask, one answer."""

    entry_id: str
    questions: tuple[str, ...]
    answer: str
    title: str = ""

    @property
    def display_title(self) -> str:
        """What the customer sees among clarifying choices: the title, else the first variant."""
        return self.title or self.questions[0]


@dataclass(frozen=True)
class RouterThresholds:
    """Where the routes change; `answer` and `offer_human` apply to the confidence, the others to the
    combined similarity of the candidates (0–1)."""

    answer: float = 0.80
    offer_human: float = 0.50
    clarify_margin: float = 0.05
    min_similarity: float = 0.25

    def __post_init__(self) -> None:
        if not 0 <= self.offer_human <= self.answer <= 1:
            raise SearchError(
                "Seuils invalides : il faut 0 ≤ seuil « proposer un humain » ≤ seuil « répondre » ≤ 1."
            )
        if not 0 <= self.clarify_margin <= 1 or not 0 <= self.min_similarity <= 1:
            raise SearchError(
                "Seuils invalides : l'écart de clarification et la similarité minimale sont entre 0 et 1."
            )


@dataclass(frozen=True)
class Candidate:
    """A possible entry for the question, with its combined similarity and the signals behind it."""

    entry_id: str
    title: str
    score: float
    components: Mapping[str, float]


@dataclass(frozen=True)
class RoutingResult:
    """The decision for one question; `reasons` are French sentences meant for the owner's inbox."""

    entry_id: str | None
    confidence: float
    candidates: tuple[Candidate, ...]
    route: Route
    reasons: tuple[str, ...]
    answer: str | None = None
    calibrated: bool = False
    truncated: bool = False

    def to_dict(self) -> dict[str, object]:
        """Plain data for the JSON of the CLI and the API."""
        return {
            "entry_id": self.entry_id,
            "answer": self.answer,
            "confidence": round(self.confidence, 4),
            "route": self.route,
            "reasons": list(self.reasons),
            "candidates": [
                {"entry_id": c.entry_id, "title": c.title, "score": round(c.score, 4)}
                for c in self.candidates
            ],
            "calibrated": self.calibrated,
            "truncated": self.truncated,
        }


@dataclass(frozen=True)
class _Calibration:
    """Platt scaling on (best similarity, margin to the second): confidence = σ(w·x + b)."""

    coef: tuple[float, float]
    intercept: float

    def confidence(self, best: float, margin: float) -> float:
        z = self.coef[0] * best + self.coef[1] * margin + self.intercept
        return 1.0 / (1.0 + math.exp(-z))


@dataclass
class _Components:
    """The fitted similarity signals over a fixed list of entries (read-only once built)."""

    n_entries: int
    analyzer: FrenchAnalyzer
    bm25: BM25Scorer
    passage_entry: np.ndarray
    passage_boost: np.ndarray
    variant_entry: np.ndarray
    chars: TfidfVectorizer | None
    char_matrix: sparse.csr_matrix | None
    words: TfidfVectorizer | None
    classifier: LogisticRegression | None
    embedder: Embedder | None
    embedding_matrix: np.ndarray | None
    weights: Mapping[str, float]
    names: tuple[str, ...] = field(default=())

    def similarities(self, questions: Sequence[str]) -> dict[str, np.ndarray]:
        """Each signal as an array (questions × entries) of values in [0, 1]."""
        result = {"bm25": self._bm25(questions)}
        char_queries = self.chars.transform(questions) if self.chars is not None else None
        if char_queries is not None and self.char_matrix is not None:
            result["chars"] = self._max_per_entry((char_queries @ self.char_matrix.T).toarray())
        if self.classifier is not None and char_queries is not None and self.words is not None:
            features = sparse.hstack([self.words.transform(questions), char_queries]).tocsr()
            probabilities = np.zeros((len(questions), self.n_entries))
            probabilities[:, self.classifier.classes_] = self.classifier.predict_proba(features)
            result["classifier"] = probabilities
        if self.embedder is not None and self.embedding_matrix is not None:
            vectors = _unit_rows(np.array([self.embedder(q) for q in questions], dtype=float))
            result["embedding"] = np.clip(self._max_per_entry(vectors @ self.embedding_matrix.T), 0, 1)
        return result

    def combine(self, parts: Mapping[str, np.ndarray]) -> np.ndarray:
        """Weighted mean of the available signals."""
        total = sum(self.weights[name] for name in parts)
        return sum(self.weights[name] * values for name, values in parts.items()) / total

    def _bm25(self, questions: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(questions), self.n_entries))
        if not len(self.passage_entry):
            return out
        for row, question in enumerate(questions):
            terms = self.analyzer.analyze_query(question)
            ideal = self.bm25.ideal_score(terms)
            if ideal <= 0:
                continue
            scores = self.bm25.score(terms) * self.passage_boost / ideal
            np.maximum.at(out[row], self.passage_entry, np.clip(scores, 0, 1))
        return out

    def _max_per_entry(self, variant_scores: np.ndarray) -> np.ndarray:
        """(questions × variants) → (questions × entries), taking the best variant of each entry."""
        out = np.zeros((variant_scores.shape[0], self.n_entries))
        if variant_scores.shape[1] == 0:
            return out
        present, starts = np.unique(self.variant_entry, return_index=True)
        out[:, present] = np.maximum.reduceat(variant_scores, starts, axis=1)
        return out


class IntentRouter:
    """Routes a customer's question to a FAQ entry, a clarifying question or a person.

    Usage::

        entry = FaqEntry("horaires", ("Êtes-vous ouverts le samedi ?",), "Oui, de 9 h à 18 h.")
        router = IntentRouter().fit([entry])
        result = router.route("vous etes ouvert samedi ?")   # result.route == "answered"

    `fit` replaces the whole KB (an owner's edit triggers a refit: a few hundred variants take well
    under a second). `route` is thread-safe: it reads an immutable fitted model.
    """

    def __init__(
        self,
        *,
        thresholds: RouterThresholds | None = None,
        analyzer: FrenchAnalyzer | None = None,
        embedder: Embedder | None = None,
        weights: Mapping[str, float] | None = None,
        min_variants_for_classifier: int = 3,
        calibrate: bool = True,
        max_question_chars: int = DEFAULT_MAX_QUESTION_CHARS,
        random_state: int = 0,
    ) -> None:
        self.thresholds = thresholds or RouterThresholds()
        self.analyzer = analyzer or FrenchAnalyzer()
        self.embedder = embedder
        self.weights = {**DEFAULT_WEIGHTS, **(weights or {})}
        if any(w < 0 for w in self.weights.values()) or not any(self.weights.values()):
            raise SearchError("Les poids des signaux doivent être positifs et pas tous nuls.")
        if max_question_chars < 1:
            raise SearchError("La longueur maximale d'une question doit être d'au moins 1 caractère.")
        self.min_variants_for_classifier = min_variants_for_classifier
        self.calibrate = calibrate
        self.max_question_chars = max_question_chars
        self.random_state = random_state
        self._entries: tuple[FaqEntry, ...] = ()
        self._components: _Components | None = None
        self._calibration: _Calibration | None = None

    # ----------------------------------------------------------------------------------------- fitting
    @property
    def entries(self) -> tuple[FaqEntry, ...]:
        return self._entries

    @property
    def components(self) -> tuple[str, ...]:
        """Names of the signals in use ("bm25", "chars", "classifier", "embedding")."""
        return self._components.names if self._components is not None else ()

    @property
    def is_calibrated(self) -> bool:
        return self._calibration is not None

    def fit(self, entries: Sequence[FaqEntry]) -> IntentRouter:
        """Index the entries and calibrate the confidence; an empty list gives a router that escalates."""
        checked = tuple(_check_entry(entry) for entry in entries)
        ids = [entry.entry_id for entry in checked]
        if len(set(ids)) != len(ids):
            raise SearchError("Deux entrées de la base de connaissances ont le même identifiant.")
        variants = _variants(checked)
        # One BLAS thread: these matrices are small, and on a busy machine BLAS threads fighting for the
        # cores made the fit 6 times slower (measured: 24 s → 4 s for 330 variants on 2 loaded cores).
        with threadpool_limits(limits=1, user_api="blas"):
            components = self._build(checked, variants, range(len(variants))) if checked else None
            calibration = self._fit_calibration(checked, variants) if checked and self.calibrate else None
        # Swap the three together only at the end, so a concurrent `route` never sees half a model.
        self._entries, self._components, self._calibration = checked, components, calibration
        return self

    def _build(
        self,
        entries: Sequence[FaqEntry],
        variants: Sequence[tuple[int, str]],
        rows: Sequence[int],
        excluded: frozenset[int] = frozenset(),
    ) -> _Components:
        """Fit the signals on the variants `rows`, leaving the entries `excluded` out of the KB entirely
        (the calibration uses that to see questions the KB cannot answer)."""
        included = [i for i in range(len(entries)) if i not in excluded]
        kept = sorted((r for r in rows if variants[r][0] not in excluded), key=lambda r: (variants[r][0], r))
        texts = [variants[r][1] for r in kept] + [entries[i].title for i in included if entries[i].title]
        owners = [variants[r][0] for r in kept] + [i for i in included if entries[i].title]
        order = np.argsort(np.asarray(owners, dtype=int), kind="stable")
        texts = [texts[i] for i in order]
        variant_entry = np.asarray(owners, dtype=int)[order]
        passages = [self.analyzer.analyze(t) for t in texts] + [
            self.analyzer.analyze(entries[i].answer) for i in included
        ]
        passage_entry = np.concatenate([variant_entry, np.asarray(included, dtype=int)]).astype(int)
        passage_boost = np.concatenate([np.ones(len(texts)), np.full(len(included), _ANSWER_BOOST)])
        names = ["bm25"]
        chars = char_matrix = words = classifier = None
        if texts:
            chars = TfidfVectorizer(
                analyzer="char_wb", ngram_range=(2, 4), preprocessor=normalize, sublinear_tf=True
            )
            char_matrix = chars.fit_transform(texts).tocsr()
            names.append("chars")
            counts = np.bincount(variant_entry, minlength=len(entries))[included]
            if len(included) >= 2 and np.median(counts) >= self.min_variants_for_classifier:
                words = TfidfVectorizer(analyzer=self.analyzer.analyze, sublinear_tf=True)
                features = sparse.hstack([words.fit_transform(texts), char_matrix]).tocsr()
                classifier = LogisticRegression(C=10.0, max_iter=2000)
                classifier.fit(features, variant_entry)
                names.append("classifier")
        embedding_matrix = None
        if self.embedder is not None and texts:
            embedding_matrix = _unit_rows(np.array([self.embedder(t) for t in texts], dtype=float))
            names.append("embedding")
        weights = {name: self.weights[name] for name in names if self.weights[name] > 0}
        return _Components(
            n_entries=len(entries),
            analyzer=self.analyzer,
            bm25=BM25Scorer().fit(passages),
            passage_entry=passage_entry,
            passage_boost=passage_boost,
            variant_entry=variant_entry,
            chars=chars,
            char_matrix=char_matrix,
            words=words,
            classifier=classifier,
            embedder=self.embedder,
            embedding_matrix=embedding_matrix,
            weights=weights,
            names=tuple(weights),
        )

    def _fit_calibration(
        self, entries: Sequence[FaqEntry], variants: Sequence[tuple[int, str]]
    ) -> _Calibration | None:
        """Platt scaling on out-of-fold routing of the variants; None when the KB is too small.

        Each of the 5 folds holds out a fifth of the variants *and* a fifth of the entries as a whole:
        the held-out variants of a held-out entry are questions the KB cannot answer, so the calibration
        learns what "not in the KB" looks like (otherwise an off-topic question, which always has a
        nearest entry, would get a medium confidence).
        """
        if len(variants) < _MIN_CALIBRATION_SAMPLES or len(entries) < 2:
            return None
        features: list[tuple[float, float]] = []
        correct: list[int] = []
        rng = np.random.default_rng(self.random_state)
        entry_groups = np.array_split(rng.permutation(len(entries)), 5) if len(entries) >= 4 else [[]] * 5
        folds = KFold(n_splits=5, shuffle=True, random_state=self.random_state)
        for fold, (train_rows, test_rows) in enumerate(folds.split(np.arange(len(variants)))):
            excluded = frozenset(int(i) for i in entry_groups[fold])
            components = self._build(entries, variants, train_rows, excluded)
            combined = components.combine(components.similarities([variants[r][1] for r in test_rows]))
            for row, scores in zip(test_rows, combined, strict=True):
                best, second, top = _best_two(scores)
                features.append((best, best - second))
                correct.append(int(top == variants[row][0] and top not in excluded))
        if len(set(correct)) < 2:
            return None
        x = np.asarray(features)
        for columns in ((0, 1), (0,)):
            model = LogisticRegression(C=10.0).fit(x[:, columns], correct)
            coef = [float(c) for c in model.coef_[0]]
            if all(c > 0 for c in coef):  # monotone: more similarity, more margin → more confidence
                full = (coef[0], coef[1] if len(coef) == 2 else 0.0)
                return _Calibration(full, float(model.intercept_[0]))
        return None

    # ----------------------------------------------------------------------------------------- routing
    def score(self, questions: Sequence[str]) -> np.ndarray:
        """Combined similarity (questions × entries, 0–1) for many questions at once (benchmarks)."""
        if self._components is None:
            return np.zeros((len(questions), 0))
        cleaned = [self._clean(q)[0] for q in questions]
        return self._components.combine(self._components.similarities(cleaned))

    def component_scores(self, questions: Sequence[str]) -> dict[str, np.ndarray]:
        """Each signal separately (questions × entries): for the owner's preview and for ablations."""
        if self._components is None:
            return {}
        cleaned = [self._clean(q)[0] for q in questions]
        return self._components.similarities(cleaned)

    def route(self, question: str) -> RoutingResult:
        """Decide what to do with one question; see the module docstring for the routes."""
        text, truncated = self._clean(question)
        notices = (_truncation_notice(self.max_question_chars),) if truncated else ()
        components, entries, calibration = self._components, self._entries, self._calibration
        if components is None:
            reason = "La base de connaissances ne contient encore aucune réponse : je transmets à l'équipe."
            return RoutingResult(None, 0.0, (), "escalated", notices + (reason,), truncated=truncated)
        parts = components.similarities([text])
        combined = components.combine(parts)[0]
        best, second, top = _best_two(combined)
        confidence = calibration.confidence(best, best - second) if calibration else best
        candidates = tuple(
            Candidate(
                entries[i].entry_id,
                entries[i].display_title,
                float(combined[i]),
                {name: float(values[0, i]) for name, values in parts.items()},
            )
            for i in np.argsort(-combined, kind="stable")[:3]
            if combined[i] > 0
        )
        route, reasons = self._decide(confidence, candidates, combined)
        chosen = entries[top] if route in ("answered", "answered_offer_human") else None
        return RoutingResult(
            entry_id=chosen.entry_id if chosen else None,
            confidence=float(confidence),
            candidates=candidates,
            route=route,
            reasons=notices + reasons,
            answer=chosen.answer if chosen else None,
            calibrated=calibration is not None,
            truncated=truncated,
        )

    def _decide(
        self, confidence: float, candidates: tuple[Candidate, ...], combined: np.ndarray
    ) -> tuple[Route, tuple[str, ...]]:
        t = self.thresholds
        if not candidates:
            none = "Aucune entrée de la base de connaissances ne correspond à la question : je transmets à l'équipe."
            return "escalated", (none,)
        best = candidates[0]
        signals = _signals_reason(best)
        if confidence >= t.answer:
            return "answered", (
                f"Réponse trouvée : « {best.title} » (confiance {format_percent(confidence)}).",
                signals,
            )
        close = [
            c for c in candidates if c.score >= t.min_similarity and best.score - c.score <= t.clarify_margin
        ]
        if len(close) >= 2:
            choices = ", ".join(f"« {c.title} »" for c in close)
            return "clarify", (
                f"Plusieurs réponses possibles et proches : {choices} ; je demande de préciser.",
            )
        percent = format_percent(confidence)
        if confidence >= t.offer_human:
            offer = (
                f"Réponse probable : « {best.title} » (confiance {percent}) ; "
                "je propose aussi de parler à une personne de l'équipe."
            )
            return "answered_offer_human", (offer, signals)
        unsure = (
            f"La meilleure piste (« {best.title} », confiance {percent}) n'est pas assez sûre : "
            "je transmets à l'équipe."
        )
        return "escalated", (unsure,)

    def _clean(self, question: str) -> tuple[str, bool]:
        if not isinstance(question, str):
            raise SearchError("La question doit être un texte.")
        text = question.strip()
        if not text:
            raise SearchError("La question est vide : écrivez votre question en quelques mots.")
        if len(text) > self.max_question_chars:
            return text[: self.max_question_chars], True
        return text, False


# --------------------------------------------------------------------------------------------- helpers
def _check_entry(entry: FaqEntry) -> FaqEntry:
    if not isinstance(entry, FaqEntry):
        raise SearchError("Chaque entrée de la base de connaissances doit être une FaqEntry.")
    if not entry.entry_id:
        raise SearchError("Chaque entrée de la base de connaissances doit avoir un identifiant.")
    questions = tuple(q.strip() for q in entry.questions if isinstance(q, str) and q.strip())
    if not questions:
        raise SearchError(f"L'entrée « {entry.entry_id} » n'a aucune formulation de question.")
    if not isinstance(entry.answer, str) or not entry.answer.strip():
        raise SearchError(f"L'entrée « {entry.entry_id} » n'a pas de réponse.")
    return FaqEntry(entry.entry_id, questions, entry.answer.strip(), entry.title.strip())


def _variants(entries: Sequence[FaqEntry]) -> list[tuple[int, str]]:
    return [(index, question) for index, entry in enumerate(entries) for question in entry.questions]


def _best_two(scores: np.ndarray) -> tuple[float, float, int]:
    if len(scores) == 0:
        return 0.0, 0.0, -1
    if len(scores) == 1:
        return float(scores[0]), 0.0, 0
    top_two = np.argpartition(-scores, 1)[:2]
    first, second = sorted(top_two, key=lambda i: (-scores[i], i))
    return float(scores[first]), float(scores[second]), int(first)


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    if matrix.ndim != 2:
        raise SearchError("Le modèle d'embeddings doit renvoyer un vecteur de nombres par texte.")
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def _signals_reason(candidate: Candidate) -> str:
    parts = [
        f"{COMPONENT_LABELS[name]} {format_percent(value)}"
        for name, value in sorted(candidate.components.items(), key=lambda item: -item[1])
    ]
    return "Signaux : " + " ; ".join(parts) + "."


def _truncation_notice(limit: int) -> str:
    return f"Message trop long : seuls les {limit:,} premiers caractères ont été lus.".replace(",", "\u202f")
