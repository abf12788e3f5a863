"""Scoring engine: calibrated risk scores with their reasons, and the late-payment layer built on them.

Pure Python (no Django). Two levels:

**Generic, any table** (scikit-learn style)::

    from etabli.engines.scoring import RiskModel, LogisticBaseline
    model = RiskModel(random_state=0).fit(X_train, y_train)   # X: DataFrame (NaN and text columns OK)
    model.predict_proba(X)        # calibrated P(y = 1), shape (n,)
    model.score(X)                # ints 0–100
    model.explain(X, top=4)       # [[Factor(feature, value, contribution in log-odds), ...], ...]

LightGBM trees, number of trees by early stopping inside K folds, Platt calibration on out-of-fold scores,
explanations from the trees' own paths (exact for an additive model, `interactions=False`). An optional
`offset` (prior log-odds per row) makes the trees learn only a correction to a prior.
`LogisticBaseline` is the baseline it must beat; `expected_calibration_error`, `roc_auc`, `brier_score`
measure both.

**Late payment of invoices**::

    from etabli.engines.scoring import InvoiceRecord, InvoiceRiskScorer
    records = [InvoiceRecord(invoice_id="F-0042", customer_id="C7", issue_date=date(2026, 10, 1),
                             due_date=date(2026, 10, 31), amount=Decimal("1200.00"), paid_date=None,
                             sector="BTP", customer_since=date(2024, 3, 1)), ...]
    scorer = InvoiceRiskScorer().fit(records, as_of=today)
    scorer.status_          # "model", or "insufficient_history" ("pas assez d'historique …")
    for risk in scorer.score(records, as_of=today):   # every invoice open today
        risk.probability, risk.score, risk.status, risk.status_label
        risk.reason_texts   # ["3 retards sur les 5 dernières factures", "montant 4 fois supérieur à l'habitude"]
        risk.payment        # PaymentDateEstimate(optimistic, expected, pessimistic)
    scorer.suggest_terms(records, customer_id="C9", amount=Decimal("15000"), as_of=today)
    #   → CreditTermsSuggestion(deposit_percent=30, term_days=30, explanation="Risque modéré … : proposer
    #     30 % d'acompte (4 500,00 €) + paiement 30 jours (au lieu de 60 habituels).")

- Features are point-in-time (nothing after `as_of` leaks in), see `invoices.py`.
- Cold start: `PriorModel` (sector late rate shrunk toward the company's and `ScoringConfig` priors,
  amount and terms effects, the customer's own record shrunk toward that prior). It scores alone when the
  company has fewer than `ScoringConfig.min_labelled_invoices` (100) known outcomes, or fewer than 20
  late or 20 on-time ones, or when the learned model does not beat it on out-of-fold issue-day log loss.
  Otherwise the trees boost from the prior's log-odds.
- Invoices already past due (+ grace) get probability 1 and status "overdue".
- `run_backtest(records)` replays a history in time order (train months 1–18, test 19–24).
- `generate_invoice_history(seed=…)` makes deterministic synthetic histories for tests and benchmarks.

Every message meant for a person is in French; bad input raises `ScoringError` (a ValueError).
"""

from etabli.engines.scoring.backtest import BacktestResult, run_backtest
from etabli.engines.scoring.errors import ScoringError
from etabli.engines.scoring.invoices import MODEL_FEATURES, InvoiceRecord, ScoringConfig
from etabli.engines.scoring.metrics import brier_score, expected_calibration_error, roc_auc
from etabli.engines.scoring.model import Factor, LogisticBaseline, RiskModel, probability_to_score
from etabli.engines.scoring.payment import PaymentDateEstimate, PaymentDelayModel
from etabli.engines.scoring.priors import PriorModel
from etabli.engines.scoring.reasons import Reason
from etabli.engines.scoring.scorer import STATUS_LABELS, InvoiceRisk, InvoiceRiskScorer
from etabli.engines.scoring.synthetic import SyntheticHistory, generate_invoice_history
from etabli.engines.scoring.terms import CreditTermsSuggestion, suggest_credit_terms

__all__ = [
    "MODEL_FEATURES",
    "STATUS_LABELS",
    "BacktestResult",
    "CreditTermsSuggestion",
    "Factor",
    "InvoiceRecord",
    "InvoiceRisk",
    "InvoiceRiskScorer",
    "LogisticBaseline",
    "PaymentDateEstimate",
    "PaymentDelayModel",
    "PriorModel",
    "Reason",
    "RiskModel",
    "ScoringConfig",
    "ScoringError",
    "SyntheticHistory",
    "brier_score",
    "expected_calibration_error",
    "generate_invoice_history",
    "probability_to_score",
    "roc_auc",
    "run_backtest",
    "suggest_credit_terms",
]
