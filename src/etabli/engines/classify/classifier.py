"""The document-type classifier: French rules + a seed model, calibrated, that learns from corrections.

How it decides, and why:

- Features are the words of the document (TF-IDF of accent-folded words and word pairs, from its first
  3 000 and last 1 000 characters, where documents say what they are and carry their legal footers)
  plus the *signals* of :mod:`etabli.engines.classify.rules` (titles, key phrases, structures, metadata).
  A logistic regression learns how much each weighs; the signals make it robust to vocabulary it never
  saw, and they are what the reasons quote.
- Day one: :meth:`DocumentClassifier.seed` trains on the synthetic French corpus of
  :mod:`etabli.engines.classify.synthetic` (deterministic, so it can be rebuilt identically).
- Learning: :meth:`DocumentClassifier.refit` retrains on the seed corpus plus the owner's corrections,
  each correction weighing ``correction_weight`` seed documents; a correction memory also pulls a new
  document towards the type the owner gave to a near-identical one (same supplier's next invoice), which
  a linear model would need many examples to learn.
- Confidence: probabilities are calibrated by temperature scaling fitted on out-of-fold predictions of
  the training set (3-fold). Below ``threshold`` the classifier abstains: it still says what it would
  guess, but asks the owner (« je ne sais pas »).
- Received or issued? The text of a customer invoice looks like the text of a supplier invoice, so the
  model learns one « facture » class and the split comes from the metadata: issued by the company →
  facture client, by someone else → facture fournisseur, unknown → the company's own share of supplier
  invoices among its corrected invoices (3 in 4 before any correction, what a TPE's inbox holds).
- Exact information wins: an e-invoice's XML type and the fact that the company issued the document are
  applied as constraints after the model, not just as features.
- « Autre » is the residual type: without a positive sign of it, predicting it means « I do not recognise
  this document », so its confidence is capped under the threshold and the owner is asked.
"""

from __future__ import annotations

import hashlib
import math
import pickle
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import sklearn
from scipy import sparse
from scipy.optimize import minimize_scalar
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from etabli.common.formats import format_percent
from etabli.engines.classify.errors import ClassifyError
from etabli.engines.classify.labels import (
    AUTRE,
    AVOIR,
    DOC_TYPES,
    FACTURE_CLIENT,
    FACTURE_FOURNISSEUR,
    INVOICE_TYPES,
    check_doc_type,
    doc_type_label,
)
from etabli.engines.classify.models import Alternative, Correction, DocumentMeta, Prediction
from etabli.engines.classify.rules import SIGNAL_NAMES, SignalHit, document_signals
from etabli.engines.classify.synthetic import GENERATOR_VERSION, generate_corpus
from etabli.engines.classify.text import fold
from etabli.engines.search.stopwords import FRENCH_STOP_WORDS

#: Bumped when features or training change: a stored model of another version asks to be retrained.
ENGINE_VERSION = f"classify-1/gen-{GENERATOR_VERSION}"
_MAGIC = b"ETABLI-CLASSIFY\x00"
_FORMAT = 1

HEAD_CHARS = 3000
TAIL_CHARS = 1000

#: Internal class of the word model for both kinds of invoices (split by the metadata afterwards).
MODEL_INVOICE = "facture"
#: Share of supplier invoices among invoices when nothing is known, and how many documents it weighs
#: against the company's own corrections.
DEFAULT_SUPPLIER_SHARE = 0.75
SUPPLIER_PRIOR_STRENGTH = 8.0
#: The temperature is never below 1 (never sharper than the raw regression): out-of-fold predictions on
#: synthetic documents are easier than real ones, and would otherwise push confidences to 100 %.
MIN_TEMPERATURE = 1.0
#: Highest confidence of « autre » without a positive sign of it (under the default threshold).
RESIDUAL_MAX_CONFIDENCE = 0.5

_EINVOICE_AVOIR = {"avoir", "credit_note", "creditnote", "381", "261", "396", "532"}
_EINVOICE_FACTURE = {"facture", "invoice", "380", "384", "386", "389", "751"}


@dataclass(frozen=True)
class SeedSpec:
    """How the seed corpus was drawn: enough to draw it again instead of storing it."""

    n_per_class: int = 120
    random_state: int = 0
    noise: float = 0.35
    generator_version: str = GENERATOR_VERSION


@dataclass
class _TrainingSet:
    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    metas: list[DocumentMeta] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    #: True for the synthetic seed corpus, whose class balance says nothing about the company.
    from_seed: bool = False
    #: Prepared texts and signals, computed once for the seed corpus (shared by every retraining).
    prepared: list[str] | None = None
    hits: list[list[SignalHit]] | None = None


def _model_label(label: str) -> str:
    return MODEL_INVOICE if label in INVOICE_TYPES else label


def _supplier_share(labels: Iterable[str]) -> float:
    """Share of supplier invoices among the company's invoices, shrunk towards the default."""
    suppliers = sum(1 for label in labels if label == FACTURE_FOURNISSEUR)
    customers = sum(1 for label in labels if label == FACTURE_CLIENT)
    prior = SUPPLIER_PRIOR_STRENGTH
    return (suppliers + prior * DEFAULT_SUPPLIER_SHARE) / (suppliers + customers + prior)


def corrections_fingerprint(corrections: Iterable[Correction]) -> str:
    """A digest of the owner's corrections: same corrections (in any order), same fingerprint.

    The app stores it next to the model and calls :meth:`DocumentClassifier.needs_retrain` before
    queueing a retraining, so that nothing is retrained when nothing changed. A document corrected twice
    counts once, with its last label.
    """
    latest: dict[str, str] = {}
    for correction in corrections:
        key = _correction_key(correction)
        meta = correction.meta
        latest[key] = "|".join(
            (
                correction.label,
                str(meta.issuer_is_company),
                meta.filename,
                meta.sender_email,
                str(meta.einvoice_type),
            )
        )
    digest = hashlib.sha256()
    for key in sorted(latest):
        digest.update(f"{key}\t{latest[key]}\n".encode())
    return digest.hexdigest()


def _correction_key(correction: Correction) -> str:
    if correction.document_id is not None and str(correction.document_id) != "":
        return f"id:{correction.document_id}"
    return "text:" + hashlib.sha256(correction.text.encode("utf-8", "replace")).hexdigest()


def _dedupe(corrections: Iterable[Correction]) -> list[Correction]:
    latest: dict[str, Correction] = {}
    for correction in corrections:
        latest[_correction_key(correction)] = correction
    return list(latest.values())


def prepare_text(text: str) -> str:
    """What the word model reads: folded text, head and tail only (long contracts stay cheap)."""
    folded = fold(text)
    if len(folded) <= HEAD_CHARS + TAIL_CHARS:
        return folded
    return folded[:HEAD_CHARS] + "\n" + folded[-TAIL_CHARS:]


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise ClassifyError("Le texte du document doit être une chaîne de caractères.")
    return text


def _signal_matrix(all_hits: Sequence[Sequence[SignalHit]]) -> sparse.csr_matrix:
    index = {name: position for position, name in enumerate(SIGNAL_NAMES)}
    rows, cols = [], []
    for row, hits in enumerate(all_hits):
        for hit in hits:
            rows.append(row)
            cols.append(index[hit.name])
    data = np.ones(len(rows), dtype=np.float64)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(all_hits), len(SIGNAL_NAMES)))


def _temperature_scale(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    logits = np.log(np.clip(probabilities, 1e-12, 1.0)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    return exp / exp.sum(axis=1, keepdims=True)


def _fit_temperature(probabilities: np.ndarray, targets: np.ndarray, weights: np.ndarray) -> float:
    """The temperature that minimises the (weighted) log-loss of out-of-fold probabilities."""
    log_p = np.log(np.clip(probabilities, 1e-12, 1.0))

    def loss(log_temperature: float) -> float:
        logits = log_p / math.exp(log_temperature)
        logits = logits - logits.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(logits).sum(axis=1))
        picked = logits[np.arange(len(targets)), targets] - log_norm
        return float(-(weights * picked).sum() / weights.sum())

    result = minimize_scalar(loss, bounds=(math.log(MIN_TEMPERATURE), math.log(4.0)), method="bounded")
    return float(math.exp(result.x))


class DocumentClassifier:
    """Document type from text and metadata; ``fit``/``predict`` like a scikit-learn estimator.

    Parameters:
        threshold: under this calibrated confidence the prediction abstains (asks the owner).
        correction_weight: how many seed documents one correction of the owner weighs.
        C: inverse regularisation of the logistic regression.
        memory_similarity: cosine similarity (word TF-IDF) from which a corrected document pulls a new
            one towards its type.
        calibrate: fit the temperature on out-of-fold predictions (3 more fits); False keeps 1.0.
    """

    def __init__(
        self,
        *,
        threshold: float = 0.6,
        correction_weight: float = 10.0,
        C: float = 10.0,
        memory_similarity: float = 0.75,
        calibrate: bool = True,
        random_state: int = 0,
    ) -> None:
        if not 0.0 < threshold < 1.0:
            raise ClassifyError("Le seuil de confiance doit être compris entre 0 et 1 (exclus).")
        if correction_weight <= 0:
            raise ClassifyError("Le poids des corrections doit être positif.")
        self.threshold = threshold
        self.correction_weight = correction_weight
        self.C = C
        self.memory_similarity = memory_similarity
        self.calibrate = calibrate
        self.random_state = random_state
        self.temperature_: float = 1.0
        self.engine_version_ = ENGINE_VERSION
        self.sklearn_version_ = sklearn.__version__
        self.corrections_: list[Correction] = []
        self.corrections_fingerprint_: str = corrections_fingerprint([])
        self._base: SeedSpec | _TrainingSet | None = None
        self._vectorizer: TfidfVectorizer | None = None
        self._model: LogisticRegression | None = None
        self._memory: sparse.csr_matrix | None = None
        self._memory_labels: list[str] = []
        self.supplier_share_: float = DEFAULT_SUPPLIER_SHARE

    # ------------------------------------------------------------------------------------------
    # Training

    @classmethod
    def seed(
        cls, *, n_per_class: int = 120, random_state: int = 0, noise: float = 0.35, **params: object
    ) -> DocumentClassifier:
        """A classifier trained on the synthetic French corpus: useful before the first correction."""
        classifier = cls(**params)  # type: ignore[arg-type]
        spec = SeedSpec(n_per_class=n_per_class, random_state=random_state, noise=noise)
        training = _seed_training_set(spec)
        classifier._train(training, corrections=[])
        classifier._base = spec
        return classifier

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        metas: Sequence[DocumentMeta | None] | None = None,
        sample_weight: Sequence[float] | None = None,
    ) -> DocumentClassifier:
        """Train on exactly these documents (they become the base that corrections are added to)."""
        training = _TrainingSet(
            texts=[_check_text(text) for text in texts],
            labels=[check_doc_type(label) for label in labels],
            metas=_metas(metas, len(texts)),
            weights=[float(w) for w in sample_weight] if sample_weight is not None else [1.0] * len(texts),
        )
        if not (len(training.texts) == len(training.labels) == len(training.metas) == len(training.weights)):
            raise ClassifyError(
                "Les listes de textes, de types, de métadonnées et de poids n'ont pas la même longueur."
            )
        if len(set(training.labels)) < 2:
            raise ClassifyError("Il faut des exemples d'au moins deux types de documents pour apprendre.")
        self._train(training, corrections=[])
        self._base = training
        return self

    def refit(self, corrections: Iterable[Correction]) -> DocumentClassifier:
        """Retrain on the base documents plus *all* the owner's corrections (the full list, not a delta).

        Passing the same corrections again gives the same model; :meth:`needs_retrain` tells whether it
        is worth doing.
        """
        kept = _dedupe(corrections)
        for correction in kept:
            _check_text(correction.text)
            check_doc_type(correction.label)
        if self._base is None:
            raise ClassifyError(
                "Le classifieur n'a pas encore été entraîné : appelez seed() ou fit() d'abord."
            )
        base = _seed_training_set(self._base) if isinstance(self._base, SeedSpec) else self._base
        self._train(base, corrections=kept)
        return self

    def learn(self, corrections: Iterable[Correction]) -> DocumentClassifier:
        """Add new corrections to the ones already learned and retrain (a document corrected again keeps
        its last label)."""
        return self.refit([*self.corrections_, *corrections])

    def needs_retrain(self, corrections_fingerprint: str) -> bool:
        """True when the corrections changed since the last training, or the stored model is outdated."""
        return (
            self._model is None
            or corrections_fingerprint != self.corrections_fingerprint_
            or self.engine_version_ != ENGINE_VERSION
            or self.sklearn_version_ != sklearn.__version__
        )

    def _train(self, base: _TrainingSet, corrections: Sequence[Correction]) -> None:
        labels = base.labels + [c.label for c in corrections]
        weights = np.array(base.weights + [self.correction_weight] * len(corrections), dtype=np.float64)
        prepared = (base.prepared or [prepare_text(text) for text in base.texts]) + [
            prepare_text(c.text) for c in corrections
        ]
        hits = (
            base.hits or [document_signals(t, m) for t, m in zip(base.texts, base.metas, strict=True)]
        ) + [document_signals(c.text, c.meta) for c in corrections]
        vectorizer = _new_vectorizer()
        words = vectorizer.fit_transform(prepared)
        features = sparse.hstack([words, _signal_matrix(hits)], format="csr")
        targets = np.array([_model_label(label) for label in labels])
        own_labels = [c.label for c in corrections] + ([] if base.from_seed else base.labels)
        self.supplier_share_ = _supplier_share(own_labels)
        # One BLAS thread: on small sparse problems, thread start-up costs ten times the work.
        with threadpool_limits(1):
            model = self._new_model()
            model.fit(features, targets, sample_weight=weights)
            self.temperature_ = self._calibration(features, targets, weights) if self.calibrate else 1.0
        self._vectorizer = vectorizer
        self._model = model
        self.corrections_ = list(corrections)
        self.corrections_fingerprint_ = corrections_fingerprint(corrections)
        self.engine_version_ = ENGINE_VERSION
        self.sklearn_version_ = sklearn.__version__
        if corrections:
            start = len(base.texts)
            self._memory = sparse.csr_matrix(words[start:])
            self._memory_labels = [c.label for c in corrections]
        else:
            self._memory = None
            self._memory_labels = []

    def _new_model(self) -> LogisticRegression:
        return LogisticRegression(C=self.C, max_iter=3000, random_state=self.random_state)

    def _calibration(self, features: sparse.csr_matrix, targets: np.ndarray, weights: np.ndarray) -> float:
        classes, counts = np.unique(targets, return_counts=True)
        folds = int(min(3, counts.min()))
        if folds < 2:
            return 1.0
        out_of_fold = np.zeros((len(targets), len(classes)))
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.random_state)
        for train, test in splitter.split(features, targets):
            model = self._new_model()
            model.fit(features[train], targets[train], sample_weight=weights[train])
            columns = np.searchsorted(classes, model.classes_)
            out_of_fold[np.ix_(test, columns)] = model.predict_proba(features[test])
        return _fit_temperature(out_of_fold, np.searchsorted(classes, targets), weights)

    # ------------------------------------------------------------------------------------------
    # Prediction

    @property
    def classes_(self) -> tuple[str, ...]:
        """The types this classifier can answer, in the order of :data:`DOC_TYPES`."""
        known = set(self._fitted_model().classes_)
        return tuple(label for label in DOC_TYPES if _model_label(label) in known)

    def predict(self, text: str, meta: DocumentMeta | None = None) -> Prediction:
        """Type of one document, with calibrated confidence, alternatives, French reasons, abstention."""
        return self.predict_many([text], [meta])[0]

    def predict_many(
        self, texts: Sequence[str], metas: Sequence[DocumentMeta | None] | None = None
    ) -> list[Prediction]:
        """Like :meth:`predict` for many documents (one matrix product instead of many)."""
        model = self._fitted_model()
        texts = [_check_text(text) for text in texts]
        all_metas = _metas(metas, len(texts))
        hits = [document_signals(text, meta) for text, meta in zip(texts, all_metas, strict=True)]
        words = self._vectorizer.transform([prepare_text(text) for text in texts])  # type: ignore[union-attr]
        features = sparse.hstack([words, _signal_matrix(hits)], format="csr")
        with threadpool_limits(1):
            raw = model.predict_proba(features)
        probabilities = _temperature_scale(raw, self.temperature_)
        similarities = self._memory_similarities(words)
        return [
            self._decide(
                texts[row],
                all_metas[row],
                hits[row],
                features[row],
                probabilities[row],
                None if similarities is None else similarities[row],
            )
            for row in range(len(texts))
        ]

    def _expand(self, model_p: np.ndarray, meta: DocumentMeta) -> tuple[np.ndarray, str | None]:
        """From the model's classes (one « facture ») to the public types, splitting invoices by issuer."""
        model_classes = list(self._fitted_model().classes_)
        classes = self.classes_
        p = np.zeros(len(classes))
        if meta.issuer_is_company is True:
            supplier_share, reason = 0.0, "l'émetteur est votre entreprise"
        elif meta.issuer_is_company is False:
            supplier_share, reason = 1.0, "l'émetteur est un tiers"
        else:
            supplier_share = self.supplier_share_
            reason = f"émetteur inconnu : {format_percent(supplier_share)} de vos factures sont des factures fournisseurs"
        for column, label in enumerate(classes):
            value = model_p[model_classes.index(_model_label(label))]
            if label == FACTURE_FOURNISSEUR:
                value *= supplier_share
            elif label == FACTURE_CLIENT:
                value *= 1.0 - supplier_share
            p[column] = value
        return p, reason

    def predict_proba(
        self, texts: Sequence[str], metas: Sequence[DocumentMeta | None] | None = None
    ) -> np.ndarray:
        """Final probabilities (columns in :attr:`classes_` order), after memory and constraints."""
        classes = self.classes_
        predictions = self.predict_many(texts, metas)
        matrix = np.zeros((len(predictions), len(classes)))
        for row, prediction in enumerate(predictions):
            values = {
                prediction.label: prediction.confidence,
                **{a.label: a.confidence for a in prediction.alternatives},
            }
            for column, label in enumerate(classes):
                matrix[row, column] = values.get(label, 0.0)
        return matrix

    def _memory_similarities(self, words: sparse.csr_matrix) -> np.ndarray | None:
        if self._memory is None or self._memory.shape[0] == 0:
            return None
        return (words @ self._memory.T).toarray()

    def _decide(
        self,
        text: str,
        meta: DocumentMeta,
        hits: list[SignalHit],
        features: sparse.csr_matrix,
        probabilities: np.ndarray,
        similarities: np.ndarray | None,
    ) -> Prediction:
        classes = list(self.classes_)
        p, issuer_reason = self._expand(probabilities.astype(np.float64), meta)
        reasons: list[str] = []
        forced: str | None = None
        remembered = False

        if similarities is not None and similarities.size:
            best = int(similarities.argmax())
            similarity = float(similarities[best])
            if similarity >= self.memory_similarity:
                label = str(self._memory_labels[best])
                span = max(1e-9, 1.0 - self.memory_similarity)
                pull = 0.6 + 0.35 * min(1.0, (similarity - self.memory_similarity) / span)
                target = np.zeros_like(p)
                target[classes.index(label)] = 1.0
                p = (1 - pull) * p + pull * target
                remembered = True
                reasons.append(
                    f"ressemble à un document que vous avez classé « {doc_type_label(label)} » "
                    f"(similarité {format_percent(similarity)})"
                )

        einvoice = (meta.einvoice_type or "").strip().lower()
        if einvoice in _EINVOICE_AVOIR and AVOIR in classes:
            forced = AVOIR
            reasons.append("facture électronique : le XML indique un avoir")
        elif einvoice in _EINVOICE_FACTURE:
            mask = np.array([label in INVOICE_TYPES for label in classes])
            if mask.any():
                p = np.where(mask, p, 0.0)
                reasons.append("facture électronique : le XML indique une facture")

        if (
            meta.issuer_is_company is not None
            and FACTURE_CLIENT in classes
            and FACTURE_FOURNISSEUR in classes
        ):
            client, supplier = classes.index(FACTURE_CLIENT), classes.index(FACTURE_FOURNISSEUR)
            if meta.issuer_is_company:
                p[client] += p[supplier]
                p[supplier] = 0.0
            else:
                p[supplier] += p[client]
                p[client] = 0.0

        if forced is not None:
            p = np.full_like(p, 0.01 / max(1, len(p) - 1))
            p[classes.index(forced)] = 0.99
        total = p.sum()
        p = p / total if total > 0 else np.full_like(p, 1.0 / len(p))
        residual = False
        if AUTRE in classes and not remembered and forced is None:
            index = classes.index(AUTRE)
            if (
                int(p.argmax()) == index
                and p[index] > RESIDUAL_MAX_CONFIDENCE
                and not any(AUTRE in hit.labels for hit in hits)
            ):
                p = _cap(p, index, RESIDUAL_MAX_CONFIDENCE)
                residual = True

        order = np.argsort(-p)
        label = str(classes[int(order[0])])
        confidence = float(p[order[0]])
        alternatives = tuple(
            Alternative(str(classes[int(i)]), round(float(p[i]), 4)) for i in order[1:4] if p[i] >= 0.01
        )
        reasons = self._signal_reasons(label, hits) + reasons
        if label in INVOICE_TYPES and issuer_reason and issuer_reason not in reasons:
            reasons.append(issuer_reason)
        empty = not text.strip()
        if not empty and not any(not reason.startswith("ressemble") for reason in reasons):
            reasons.extend(self._word_reasons(label, features))
        if residual:
            reasons.append("aucun indice propre à un type connu : je ne reconnais pas ce document")
        if empty:
            reasons.insert(0, "aucun texte lisible dans le document")
        abstain = empty or confidence < self.threshold
        if abstain and forced is None:
            reasons.append(
                f"confiance {format_percent(confidence)}, sous le seuil de {format_percent(self.threshold)}"
            )
        question = _question(label, alternatives, empty) if abstain else None
        return Prediction(
            label=label,
            confidence=round(confidence, 4),
            alternatives=alternatives,
            reasons=tuple(reasons),
            abstain=abstain,
            question=question,
        )

    def _signal_reasons(self, label: str, hits: list[SignalHit]) -> list[str]:
        """The signals that pointed to ``label`` and that the model weighs for it, strongest first."""
        model = self._fitted_model()
        row = list(model.classes_).index(_model_label(label))
        offset = len(self._vectorizer.vocabulary_)  # type: ignore[union-attr]
        coefficients = _coefficients(model)
        scored: list[tuple[float, SignalHit]] = []
        for hit in hits:
            if hit.name.startswith("emetteur"):
                continue  # said by the issuer split, in the same words
            if label not in hit.labels and not (
                label in INVOICE_TYPES and set(hit.labels) & set(INVOICE_TYPES)
            ):
                continue
            column = offset + SIGNAL_NAMES.index(hit.name)
            weight = float(coefficients[row, column] - coefficients[:, column].mean())
            if weight > 0:
                scored.append((weight, hit))
        scored.sort(key=lambda item: -item[0])
        quoted = [
            hit.phrase
            for _weight, hit in scored[:4]
            if not hit.name.startswith(("emetteur", "expediteur", "champs", "fichier"))
        ]
        meta = [
            hit.phrase
            for _weight, hit in scored[:4]
            if hit.name.startswith(("emetteur", "expediteur", "champs", "fichier"))
        ]
        reasons = [f"contient {_join_fr(quoted)}"] if quoted else []
        return reasons + meta

    def _word_reasons(self, label: str, features: sparse.csr_matrix) -> list[str]:
        """When no rule fired: the words of the document that weighed most for ``label``."""
        model = self._fitted_model()
        vocabulary = self._vectorizer.get_feature_names_out()  # type: ignore[union-attr]
        row = list(model.classes_).index(_model_label(label))
        words = sparse.csr_matrix(features[:, : len(vocabulary)])
        columns, values = words.indices, words.data
        fallback = [f"ressemble aux exemples de « {doc_type_label(label)} » appris"]
        if not len(columns):
            return fallback
        coefficients = _coefficients(model)
        weights = values * (coefficients[row, columns] - coefficients[:, columns].mean(axis=0))
        top = [str(vocabulary[columns[i]]) for i in np.argsort(-weights)[:3] if weights[i] > 0]
        if not top:
            return fallback
        listed = ", ".join(f"« {word} »" for word in top)
        return [f"vocabulaire proche des documents « {doc_type_label(label)} » appris : {listed}"]

    def _fitted_model(self) -> LogisticRegression:
        if self._model is None or self._vectorizer is None:
            raise ClassifyError(
                "Le classifieur n'a pas encore été entraîné : appelez seed() ou fit() d'abord."
            )
        return self._model

    # ------------------------------------------------------------------------------------------
    # Storage (one model per company, in the app's database or file store)

    def to_bytes(self) -> bytes:
        """The model as bytes (compressed pickle). The seed corpus is not stored: it is redrawn.

        Pickle runs code when loaded: load only bytes this application wrote itself.
        """
        self._fitted_model()
        state = dict(self.__dict__)
        payload = pickle.dumps({"format": _FORMAT, "state": state}, protocol=pickle.HIGHEST_PROTOCOL)
        return _MAGIC + zlib.compress(payload, level=6)

    @classmethod
    def from_bytes(cls, data: bytes) -> DocumentClassifier:
        """Load a model written by :meth:`to_bytes` (check :meth:`needs_retrain` afterwards)."""
        if not isinstance(data, bytes | bytearray) or not bytes(data).startswith(_MAGIC):
            raise ClassifyError("Ces données ne sont pas un modèle de classement Établi.")
        try:
            payload = pickle.loads(zlib.decompress(bytes(data)[len(_MAGIC) :]))
        except Exception as error:  # corrupt bytes can raise many kinds of errors
            raise ClassifyError("Le modèle de classement enregistré est illisible ou corrompu.") from error
        if not isinstance(payload, dict) or payload.get("format") != _FORMAT:
            raise ClassifyError(
                "Le modèle de classement enregistré vient d'une version incompatible : réentraînez-le."
            )
        classifier = cls.__new__(cls)
        classifier.__dict__.update(payload["state"])
        return classifier


#: Articles and pronouns say nothing of a type; courtesy words (« Madame », « merci ») do (letters).
_STOP_WORDS = FRENCH_STOP_WORDS - {"madame", "monsieur", "merci", "bonjour", "bonsoir", "svp", "stp"}


def _new_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(
        lowercase=False,
        token_pattern=r"(?u)\b[^\W\d_]{2,}\b",
        stop_words=sorted(_STOP_WORDS),
        ngram_range=(1, 2),
        min_df=2,
        max_df=0.95,
        sublinear_tf=True,
        max_features=40000,
        dtype=np.float64,
    )


def _seed_training_set(base: SeedSpec | _TrainingSet) -> _TrainingSet:
    if isinstance(base, _TrainingSet):
        return base
    return _cached_seed_training_set(base)


@lru_cache(maxsize=4)
def _cached_seed_training_set(base: SeedSpec) -> _TrainingSet:
    """The seed corpus of a spec, drawn and analysed once per process (retraining many companies'
    models in one worker reuses it). Treated as read-only."""
    corpus = generate_corpus(base.n_per_class, random_state=base.random_state, noise=base.noise)
    return _TrainingSet(
        texts=[doc.text for doc in corpus],
        labels=[doc.label for doc in corpus],
        metas=[doc.meta for doc in corpus],
        weights=[1.0] * len(corpus),
        from_seed=True,
        prepared=[prepare_text(doc.text) for doc in corpus],
        hits=[document_signals(doc.text, doc.meta) for doc in corpus],
    )


def _metas(metas: Sequence[DocumentMeta | None] | None, count: int) -> list[DocumentMeta]:
    if metas is None:
        return [DocumentMeta() for _ in range(count)]
    if len(metas) != count:
        raise ClassifyError("Il faut autant de métadonnées que de documents.")
    result = []
    for meta in metas:
        if meta is None:
            result.append(DocumentMeta())
        elif isinstance(meta, DocumentMeta):
            result.append(meta)
        else:
            raise ClassifyError("Les métadonnées doivent être des DocumentMeta (ou None).")
    return result


def _coefficients(model: LogisticRegression) -> np.ndarray:
    """One row of coefficients per class, also for a two-class model (which stores a single row)."""
    if len(model.classes_) > 2:
        return model.coef_
    return np.vstack([-model.coef_[0], model.coef_[0]])


def _cap(p: np.ndarray, index: int, cap: float) -> np.ndarray:
    """Lower one probability to ``cap`` and give the rest to the others, in proportion."""
    others = p.sum() - p[index]
    capped = p.copy()
    if others <= 0:
        capped[:] = (1.0 - cap) / max(1, len(p) - 1)
    else:
        capped *= (1.0 - cap) / others
    capped[index] = cap
    return capped


def _join_fr(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " et " + items[-1]


def _question(label: str, alternatives: tuple[Alternative, ...], empty: bool) -> str:
    if empty:
        return "Aucun texte lisible : de quel type est ce document ?"
    second = alternatives[0].label if alternatives else None
    if {label, second} == set(INVOICE_TYPES):
        return "Est-ce une facture reçue d'un fournisseur ou une facture émise par votre entreprise ?"
    if second is None:
        return f"Je ne sais pas : est-ce bien « {doc_type_label(label)} » ?"
    return f"Je ne sais pas : « {doc_type_label(label)} » ou « {doc_type_label(second)} » ? Choisissez le bon type."
