"""Sensitive-message detection: French rules, plus a small classifier trained on labelled messages.

Why both: rules are explainable and catch the explicit cases at once, even with no training data (a new
company); but customers also write implicit anger, sarcasm and distress that no word list foresees
("Ah c'est sûr que pour encaisser vous êtes rapides"). A character n-gram + word TF-IDF logistic
regression, trained on labelled messages, adds those. A message is sensitive when:
- the rules say so (score ≥ 0.5: one strong cue, or two weak ones); or
- the rules saw one weak cue (e.g. "bravo", "depuis trois semaines", "!!") and the classifier confirms it
  (probability ≥ `confirm_threshold`); or
- the classifier alone is very sure (probability ≥ `classifier_threshold`).
Why not "rules OR classifier at a low threshold": with a few hundred training messages the classifier
is weak on its own (AUC ≈ 0.90 out-of-fold on the dev half), and a recall-oriented threshold made it
escalate a third of the plain questions — which defeats an assistant meant to answer 70 % of them.

The classifier sees the text with the cues that a negation cancelled replaced by a neutral token, so
"ce n'est pas urgent" does not look like "urgent" to it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from etabli.common.formats import format_percent
from etabli.engines.escalation._text import normalize
from etabli.engines.escalation.errors import EscalationError
from etabli.engines.escalation.rules import (
    CATEGORY_LABELS,
    SENSITIVE_FROM,
    Signal,
    find_signals,
    rule_score,
)

DEFAULT_MAX_CHARS = 4000
#: Both chosen on the dev half of benchmarks/data/escalation_fr.jsonl by 5-fold cross-validation (see
#: benchmarks/assistant.py): alone = smallest threshold with ≥ 90 % precision; confirming a weak cue =
#: the threshold that maximises the classifier's F2 score (recall weighs four times precision).
DEFAULT_CLASSIFIER_THRESHOLD = 0.75
DEFAULT_CONFIRM_THRESHOLD = 0.35
_CANCELLED = " neutre "


@dataclass(frozen=True)
class EscalationResult:
    """Whether a person should take the message, and why (category, French sentence) per category."""

    sensitive: bool
    reasons: tuple[tuple[str, str], ...]
    score: float
    signals: tuple[Signal, ...] = ()
    classifier_probability: float | None = None
    truncated: bool = False

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(category for category, _ in self.reasons)


class EscalationDetector:
    """Rules (always) + classifier (after `fit`). Thread-safe once fitted: `detect` only reads.

    Usage::

        detector = EscalationDetector()                       # rules only
        detector.detect("Je veux parler à quelqu'un, c'est urgent").sensitive   # True
        detector.fit(texts, labels)                           # adds the classifier (see thresholds)
    """

    def __init__(
        self,
        *,
        rule_threshold: float = SENSITIVE_FROM,
        classifier_threshold: float = DEFAULT_CLASSIFIER_THRESHOLD,
        confirm_threshold: float = DEFAULT_CONFIRM_THRESHOLD,
        max_chars: int = DEFAULT_MAX_CHARS,
        use_rules: bool = True,
    ) -> None:
        thresholds = (rule_threshold, classifier_threshold, confirm_threshold)
        if not all(0 < t <= 1 for t in thresholds) or confirm_threshold > classifier_threshold:
            raise EscalationError(
                "Seuils invalides : ils sont entre 0 (exclu) et 1, et le seuil de confirmation ne dépasse pas"
                " celui du modèle seul."
            )
        if max_chars < 1:
            raise EscalationError("La longueur maximale d'un message doit être d'au moins 1 caractère.")
        self.rule_threshold = rule_threshold
        self.classifier_threshold = classifier_threshold
        self.confirm_threshold = confirm_threshold
        self.max_chars = max_chars
        self.use_rules = use_rules
        self._model: tuple[TfidfVectorizer, TfidfVectorizer, LogisticRegression] | None = None
        self._lock = threading.Lock()

    @property
    def is_fitted(self) -> bool:
        return self._model is not None

    def fit(self, texts: Sequence[str], labels: Sequence[bool]) -> EscalationDetector:
        """Train the classifier on labelled messages (True = sensitive); both classes are needed."""
        if len(texts) != len(labels):
            raise EscalationError("Il faut autant d'étiquettes que de messages.")
        y = np.asarray([bool(label) for label in labels], dtype=int)
        if len(texts) < 10 or len(set(y.tolist())) < 2:
            raise EscalationError(
                "Pas assez d'exemples pour entraîner le modèle : il faut au moins 10 messages,"
                " sensibles et non sensibles."
            )
        prepared = [self._classifier_text(self._clean(t)[0]) for t in texts]
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1)
        words = TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"[a-z0-9']+"
        )
        features = sparse.hstack([chars.fit_transform(prepared), words.fit_transform(prepared)]).tocsr()
        with threadpool_limits(limits=1, user_api="blas"):  # small problem: BLAS threads only contend
            classifier = LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000).fit(features, y)
        with self._lock:
            self._model = (chars, words, classifier)
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Classifier probability of "sensitive" for each text (the rules are not included)."""
        model = self._model
        if model is None:
            raise EscalationError("Le modèle n'est pas entraîné : appelez fit() avec des messages étiquetés.")
        chars, words, classifier = model
        prepared = [self._classifier_text(self._clean(t)[0]) for t in texts]
        features = sparse.hstack([chars.transform(prepared), words.transform(prepared)]).tocsr()
        return classifier.predict_proba(features)[:, 1]

    def detect(self, text: str) -> EscalationResult:
        """Judge one message; see the module docstring."""
        cleaned, truncated = self._clean(text)
        signals = find_signals(cleaned)
        score = rule_score(signals) if self.use_rules else 0.0
        reasons = _rule_reasons(signals) if self.use_rules and score >= self.rule_threshold else []
        probability = float(self.predict_proba([cleaned])[0]) if self._model is not None else None
        if probability is not None and not reasons:
            weak_cue = score > 0
            if probability >= self.classifier_threshold or (
                weak_cue and probability >= self.confirm_threshold
            ):
                reasons.extend(_rule_reasons(signals) if weak_cue else [])
                learned = (
                    f"{CATEGORY_LABELS['signal_appris']} : ressemble aux messages sensibles déjà vus "
                    f"(probabilité {format_percent(probability)})."
                )
                reasons.append(("signal_appris", learned))
        sensitive = bool(reasons)
        if truncated:
            reasons.append(("message_tronque", _truncation_notice(self.max_chars)))
        combined = max(score, probability or 0.0)
        return EscalationResult(sensitive, tuple(reasons), combined, tuple(signals), probability, truncated)

    def _clean(self, text: str) -> tuple[str, bool]:
        if not isinstance(text, str):
            raise EscalationError("Le message doit être un texte.")
        stripped = text.strip()
        if not stripped:
            raise EscalationError("Le message est vide.")
        if len(stripped) > self.max_chars:
            return stripped[: self.max_chars], True
        return stripped, False

    @staticmethod
    def _classifier_text(text: str) -> str:
        """Folded text with the cancelled cues blanked out."""
        signals = sorted(
            (s for s in find_signals(text) if not s.kept and s.end > s.start), key=lambda s: s.start
        )
        norm = normalize(text)
        pieces: list[str] = []
        position = 0
        for signal in signals:
            if signal.start < position:
                continue
            pieces.append(norm[position : signal.start])
            pieces.append(_CANCELLED)
            position = signal.end
        pieces.append(norm[position:])
        return "".join(pieces)


def _rule_reasons(signals: Sequence[Signal]) -> list[tuple[str, str]]:
    """One French sentence per category, quoting up to two of the customer's words that triggered it."""
    by_category: dict[str, list[str]] = {}
    for signal in sorted((s for s in signals if s.kept), key=lambda s: -s.weight):
        excerpts = by_category.setdefault(signal.category, [])
        if signal.excerpt and signal.excerpt not in excerpts and len(excerpts) < 2:
            excerpts.append(signal.excerpt)
    return [
        (category, f"{CATEGORY_LABELS[category]} : " + ", ".join(f"« {e} »" for e in excerpts) + ".")
        for category, excerpts in by_category.items()
    ]


def _truncation_notice(limit: int) -> str:
    return f"Message trop long : seuls les {limit:,} premiers caractères ont été analysés.".replace(
        ",", "\u202f"
    )


_DEFAULT = EscalationDetector()


def detect(text: str) -> EscalationResult:
    """Rules-only detection with the default settings (no training data needed)."""
    return _DEFAULT.detect(text)
