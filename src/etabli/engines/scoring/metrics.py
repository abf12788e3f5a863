"""Metrics used to judge a risk model: ranking (ROC AUC), calibration (ECE) and both at once (Brier).

Why our own ECE: scikit-learn has no expected calibration error; the definition used everywhere in this
project is the classic one (Naeini et al. 2015, Guo et al. 2017): equal-width bins on the predicted
probability, ECE = Σ_b (n_b / n) · |mean(p in b) − mean(y in b)|. Ten bins unless told otherwise.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from sklearn.metrics import brier_score_loss, roc_auc_score

from etabli.engines.scoring.errors import ScoringError


def _as_labels_and_probabilities(
    y_true: ArrayLike, probabilities: ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    labels = np.asarray(y_true, dtype=float).ravel()
    probs = np.asarray(probabilities, dtype=float).ravel()
    if labels.shape != probs.shape:
        raise ScoringError(
            f"Étiquettes et probabilités de tailles différentes ({labels.size} contre {probs.size})."
        )
    if labels.size == 0:
        raise ScoringError("Aucune observation : impossible de calculer la mesure.")
    if np.any((probs < 0) | (probs > 1)) or np.any(np.isnan(probs)):
        raise ScoringError("Les probabilités doivent être comprises entre 0 et 1.")
    if not np.all(np.isin(labels, (0.0, 1.0))):
        raise ScoringError("Les étiquettes doivent valoir 0 ou 1.")
    return labels, probs


def expected_calibration_error(y_true: ArrayLike, probabilities: ArrayLike, n_bins: int = 10) -> float:
    """ECE with `n_bins` equal-width bins on [0, 1]; 0 means perfectly calibrated on this sample."""
    if n_bins < 1:
        raise ScoringError("Le nombre de classes de calibration doit être au moins 1.")
    labels, probs = _as_labels_and_probabilities(y_true, probabilities)
    # Bin b holds p in [b/n, (b+1)/n); p = 1 goes to the last bin.
    bins = np.minimum((probs * n_bins).astype(int), n_bins - 1)
    counts = np.bincount(bins, minlength=n_bins)
    prob_sums = np.bincount(bins, weights=probs, minlength=n_bins)
    label_sums = np.bincount(bins, weights=labels, minlength=n_bins)
    filled = counts > 0
    gaps = np.abs(prob_sums[filled] - label_sums[filled])  # = n_b · |mean p − mean y|
    return float(gaps.sum() / labels.size)


def roc_auc(y_true: ArrayLike, probabilities: ArrayLike) -> float:
    """ROC AUC; refuses a sample with a single class, where AUC means nothing."""
    labels, probs = _as_labels_and_probabilities(y_true, probabilities)
    if labels.min() == labels.max():
        raise ScoringError("Une seule classe dans l'échantillon : l'AUC n'est pas définie.")
    return float(roc_auc_score(labels, probs))


def brier_score(y_true: ArrayLike, probabilities: ArrayLike) -> float:
    """Mean squared error of the probabilities (lower is better; 0.25 is a coin toss at 50 %)."""
    labels, probs = _as_labels_and_probabilities(y_true, probabilities)
    return float(brier_score_loss(labels, probs))
