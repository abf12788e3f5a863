"""Time-ordered back-test of the late-payment score on any invoice history.

Why time-ordered: a random split would let the model learn from a customer's March payment to predict
its February invoice. Here the scorer is fitted as of the first day of month `train_months + 1` (it sees
nothing after), then every invoice issued during the next `test_months` months is scored *at its issue
date*, with features as of that date, and compared with what really happened. Test invoices whose
outcome is still unknown at the end of the data (due date not yet passed and unpaid) are left out, since
keeping only the paid ones would favour the punctual. Two baselines run on the same rows: the logistic
regression on the same features (trained on the same snapshots) and the priors alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from etabli.engines.scoring.errors import ScoringError
from etabli.engines.scoring.invoices import (
    MODEL_FEATURES,
    InvoiceRecord,
    ScoringConfig,
    build_features,
    final_late_label,
    from_day,
    history_frame,
    to_day,
)
from etabli.engines.scoring.metrics import brier_score, expected_calibration_error, roc_auc
from etabli.engines.scoring.model import LogisticBaseline
from etabli.engines.scoring.scorer import InvoiceRiskScorer


@dataclass(frozen=True)
class BacktestResult:
    train_end: dt.date
    test_end: dt.date
    n_train_invoices: int
    n_test_invoices: int
    test_late_rate: float
    engine_status: str
    metrics: dict[str, dict[str, float]] = field(default_factory=dict)
    payment_mae_days: float = float("nan")
    payment_range_coverage: float = float("nan")
    #: Mean ECE a *perfectly calibrated* model would show on a test set of this size with the engine's
    #: probabilities (labels drawn from them, 200 draws): below this, an ECE difference is noise.
    ece_noise_floor: float = float("nan")


def _month_start(day: dt.date, months_after: int) -> dt.date:
    index = day.month - 1 + months_after
    return dt.date(day.year + index // 12, index % 12 + 1, 1)


def _figures(labels: np.ndarray, probabilities: np.ndarray) -> dict[str, float]:
    return {
        "auc": roc_auc(labels, probabilities),
        "ece": expected_calibration_error(labels, probabilities, n_bins=10),
        "brier": brier_score(labels, probabilities),
    }


def ece_noise_floor(probabilities: np.ndarray, draws: int = 200, seed: int = 0) -> float:
    """Expected ECE (10 bins) of labels drawn from the probabilities themselves: pure sampling noise."""
    rng = np.random.default_rng(seed)
    values = [
        expected_calibration_error(
            (rng.random(probabilities.size) < probabilities).astype(int), probabilities
        )
        for _ in range(draws)
    ]
    return float(np.mean(values))


def run_backtest(
    records: Sequence[InvoiceRecord],
    *,
    train_months: int = 18,
    test_months: int = 6,
    config: ScoringConfig | None = None,
    random_state: int = 0,
) -> BacktestResult:
    """Train on months 1..train_months, test on the next test_months (month 1 = first invoice's month)."""
    if train_months < 1 or test_months < 1:
        raise ScoringError("Les périodes d'apprentissage et de test doivent durer au moins un mois.")
    config = config or ScoringConfig()
    frame = history_frame(records)
    first = min(r.issue_date for r in records)
    train_end = _month_start(first, train_months)
    test_end = _month_start(first, train_months + test_months)
    last_known = max(
        max(r.issue_date for r in records), max((r.paid_date for r in records if r.paid_date), default=first)
    )
    data_end = to_day(last_known) + 1

    issue = frame["issue"].to_numpy()
    in_window = (issue >= to_day(train_end)) & (issue < to_day(test_end))
    known = frame["due"].to_numpy() + config.grace_days < data_end
    paid = frame["paid"].to_numpy()
    known |= ~np.isnan(paid) & (paid <= frame["due"].to_numpy() + config.grace_days)
    test = frame[in_window & known]
    if len(test) == 0:
        raise ScoringError("Aucune facture de test dont l'issue est connue : historique trop court.")
    labels = final_late_label(test, config.grace_days)
    if labels.min() == labels.max():
        raise ScoringError("Les factures de test sont toutes à l'heure ou toutes en retard : AUC impossible.")

    scorer = InvoiceRiskScorer(config, random_state=random_state).fit(records, train_end)

    at_issue = [(str(i), from_day(d)) for i, d in zip(test["invoice_id"], test["issue"], strict=True)]
    risks = scorer.score_at(records, at_issue)
    engine = np.array([r.probability for r in risks])
    metrics = {"engine": _figures(labels, engine)}

    test_queries = pd.DataFrame(
        {"invoice_id": test["invoice_id"].to_numpy(), "as_of": test["issue"].to_numpy()}
    )
    test_features = build_features(frame, test_queries, config)
    metrics["priors"] = _figures(labels, scorer.priors.predict_proba(test_features))
    snapshots = scorer.training_snapshots_
    train_labels = snapshots["label"].to_numpy()
    if scorer.training_features_ is not None and 0 < train_labels.sum() < len(train_labels):
        baseline = LogisticBaseline(random_state=random_state).fit(
            scorer.training_features_[list(MODEL_FEATURES)], train_labels
        )
        metrics["logistic"] = _figures(labels, baseline.predict_proba(test_features[list(MODEL_FEATURES)]))

    paid_test = ~np.isnan(test["paid"].to_numpy())
    expected = np.array([to_day(r.payment.expected) for r in risks])
    low = np.array([to_day(r.payment.optimistic) for r in risks])
    high = np.array([to_day(r.payment.pessimistic) for r in risks])
    actual = test["paid"].to_numpy()
    mae = float(np.mean(np.abs(expected[paid_test] - actual[paid_test]))) if paid_test.any() else float("nan")
    inside = (actual[paid_test] >= low[paid_test]) & (actual[paid_test] <= high[paid_test])
    coverage = float(inside.mean()) if paid_test.any() else float("nan")
    return BacktestResult(
        train_end=train_end,
        test_end=test_end,
        n_train_invoices=int(snapshots["invoice_id"].nunique()),
        n_test_invoices=len(test),
        test_late_rate=float(labels.mean()),
        engine_status=scorer.status_,
        metrics=metrics,
        payment_mae_days=mae,
        payment_range_coverage=coverage,
        ece_noise_floor=ece_noise_floor(engine),
    )


__all__ = ["BacktestResult", "ece_noise_floor", "run_backtest"]
