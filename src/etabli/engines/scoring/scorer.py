"""Late-payment risk of a company's open invoices: probability, score, French reasons, payment dates.

Why this orchestration:
- **Enough history → learned model.** Point-in-time snapshots of every invoice whose outcome is known
  train a `RiskModel`; customers without history are handled by the same (company-pooled) model through
  their sector rate, amount and terms features, and the reasons say "client récent".
- **Too little history → priors, said out loud.** Below `ScoringConfig.min_labelled_invoices` known
  outcomes (or too few late / on-time ones), or when the learned model does not beat the priors on
  out-of-fold log loss, scores come from `PriorModel` and carry the status "insufficient_history" with
  the label "pas assez d'historique …". Unknown is an answer (DESIGN §3).
- **Already overdue → probability 1.** An invoice past its due date (+ grace) is late by definition; its
  score is 100 and its payment range is conditioned on the time already elapsed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import log_loss

from etabli.common.gc import cyclic_gc_paused
from etabli.engines.scoring.errors import ScoringError
from etabli.engines.scoring.invoices import (
    MODEL_FEATURES,
    InvoiceRecord,
    ScoringConfig,
    build_features,
    history_frame,
    labelled_counts,
    open_invoice_ids,
    to_day,
    training_snapshots,
)
from etabli.engines.scoring.model import (
    Factor,
    RiskModel,
    logit,
    plain_value_table,
    probability_to_score,
    select_factors_table,
)
from etabli.engines.scoring.payment import PaymentDateEstimate, PaymentDelayModel
from etabli.engines.scoring.priors import PRIOR_TERMS, PriorModel
from etabli.engines.scoring.reasons import Reason, reasons_from_factors
from etabli.engines.scoring.terms import CreditTermsSuggestion, suggest_credit_terms

STATUS_LABELS: dict[str, str] = {
    "model": "score appris sur l'historique de paiement de l'entreprise",
    "insufficient_history": (
        "pas assez d'historique : score estimé à partir des tendances du secteur, du montant et du délai"
    ),
    "overdue": "échéance dépassée : la facture est déjà en retard",
}
_MAX_FACTORS = 4


@dataclass(frozen=True)
class InvoiceRisk:
    """The risk assessment of one open invoice."""

    invoice_id: str
    customer_id: str
    probability: float
    score: int
    status: str
    status_label: str
    reasons: tuple[Reason, ...]
    factors: tuple[Factor, ...]
    payment: PaymentDateEstimate

    @property
    def reason_texts(self) -> list[str]:
        return [reason.text for reason in self.reasons]


class InvoiceRiskScorer:
    """Fit on a company's invoice history as of a date, then score its open invoices.

    >>> scorer = InvoiceRiskScorer().fit(records, as_of=date(2026, 11, 26))    # doctest: +SKIP
    >>> for risk in scorer.score(records, as_of=date(2026, 11, 26)):          # doctest: +SKIP
    ...     print(risk.invoice_id, risk.score, risk.reason_texts, risk.payment.expected)
    """

    def __init__(
        self,
        config: ScoringConfig | None = None,
        *,
        random_state: int = 0,
        model_params: Mapping[str, Any] | None = None,
        boost_from_prior: bool = True,
    ) -> None:
        self.config = config or ScoringConfig()
        self.boost_from_prior = boost_from_prior
        self.random_state = random_state
        self.model_params = dict(model_params or {})
        self.priors = PriorModel(self.config)

    # ---------------------------------------------------------------------------------------- fit
    def fit(self, records: Sequence[InvoiceRecord], as_of: dt.date) -> InvoiceRiskScorer:
        """Learn from every invoice whose outcome is known on `as_of` (nothing after `as_of` is used)."""
        frame = history_frame(records)
        config = self.config
        self.as_of_ = as_of
        self.n_late_, self.n_on_time_ = labelled_counts(frame, as_of, config)
        self.delays_ = PaymentDelayModel(config).fit(frame, as_of)
        self.model_: RiskModel | None = None
        self.model_selection_: dict[str, float] = {}
        snapshots = training_snapshots(frame, as_of, config)
        self.training_features_ = (
            build_features(frame, snapshots[["invoice_id", "as_of"]], config) if len(snapshots) else None
        )
        self.training_snapshots_ = snapshots

        enough = (
            self.n_late_ + self.n_on_time_ >= config.min_labelled_invoices
            and self.n_late_ >= config.min_late_invoices
            and self.n_on_time_ >= config.min_on_time_invoices
        )
        if enough and self.training_features_ is not None:
            model = RiskModel(random_state=self.random_state, **self.model_params).fit(
                self.training_features_[list(MODEL_FEATURES)],
                snapshots["label"].to_numpy(),
                groups=snapshots["invoice_id"].to_numpy(),
                offset=self._offset(self.training_features_),
            )
            # Judge both on issue-day rows, the hardest case (nothing known yet about this payment).
            at_issue = snapshots["at_issue"].to_numpy(dtype=bool)
            labels = snapshots["label"].to_numpy()[at_issue]
            model_loss = log_loss(labels, model.out_of_fold_proba_[at_issue], labels=[0, 1])
            prior_loss = log_loss(
                labels, self.priors.predict_proba(self.training_features_)[at_issue], labels=[0, 1]
            )
            self.model_selection_ = {"model_log_loss": float(model_loss), "prior_log_loss": float(prior_loss)}
            if model_loss < prior_loss:
                self.model_ = model
        self.status_ = "model" if self.model_ is not None else "insufficient_history"
        return self

    @property
    def status_label_(self) -> str:
        return STATUS_LABELS[self.status_]

    def _check_fitted(self) -> None:
        if not hasattr(self, "status_"):
            raise ScoringError("Le score n'est pas encore entraîné : appelez fit() d'abord.")

    # -------------------------------------------------------------------------------------- score
    def score(
        self, records: Sequence[InvoiceRecord], as_of: dt.date, invoice_ids: Sequence[str] | None = None
    ) -> list[InvoiceRisk]:
        """Assess the invoices open on `as_of` (all of them, or those listed, which must be open)."""
        self._check_fitted()
        frame = history_frame(records)
        open_ids = open_invoice_ids(frame, as_of)
        if invoice_ids is None:
            wanted = open_ids
        else:
            open_set = set(open_ids)
            not_open = [i for i in invoice_ids if i not in open_set]
            if not_open:
                raise ScoringError(
                    f"Facture non ouverte au {as_of:%d/%m/%Y} (déjà payée, pas encore émise ou inconnue) : "
                    f"{not_open[0]}."
                )
            wanted = list(invoice_ids)
        if not wanted:
            return []
        queries = pd.DataFrame({"invoice_id": wanted, "as_of": np.full(len(wanted), to_day(as_of))})
        return self._assess(frame, queries)

    def score_at(
        self, records: Sequence[InvoiceRecord], queries: Sequence[tuple[str, dt.date]]
    ) -> list[InvoiceRisk]:
        """Assess given invoices each as of its own date (e.g. at issue time, for a back-test)."""
        self._check_fitted()
        frame = history_frame(records)
        if not queries:
            return []
        table = pd.DataFrame(
            {"invoice_id": [q[0] for q in queries], "as_of": [to_day(q[1]) for q in queries]}
        )
        return self._assess(frame, table)

    def _offset(self, features: pd.DataFrame) -> np.ndarray | None:
        """The priors' log-odds, from which the trees boost (None when boosting from the average)."""
        return logit(self.priors.predict_proba(features)) if self.boost_from_prior else None

    def _probabilities(self, features: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, Sequence[str]]:
        prior_probabilities, prior_contributions, _ = self.priors.contributions(features)
        if self.model_ is None:
            return prior_probabilities, prior_contributions, PRIOR_TERMS
        model_input = features[list(MODEL_FEATURES)]
        offset = logit(prior_probabilities) if self.boost_from_prior else None
        probabilities, contributions = self.model_.predict_explained(model_input, offset)
        if self.boost_from_prior:
            # The margin is prior + trees: each prior term is credited to the feature it is about.
            for j, name in enumerate(PRIOR_TERMS):
                contributions[:, MODEL_FEATURES.index(name)] += prior_contributions[:, j]
        return probabilities, contributions, MODEL_FEATURES

    def _assess(self, frame: pd.DataFrame, queries: pd.DataFrame) -> list[InvoiceRisk]:
        with cyclic_gc_paused():
            return self._assess_batch(frame, queries)

    def _assess_batch(self, frame: pd.DataFrame, queries: pd.DataFrame) -> list[InvoiceRisk]:
        features = build_features(frame, queries, self.config)
        probabilities, contributions, names = self._probabilities(features)
        overdue = features["days_to_due"].to_numpy() < -self.config.grace_days
        probabilities = np.where(overdue, 1.0, probabilities)
        scores = probability_to_score(probabilities)
        payments = self.delays_.estimate(
            features["customer_id"].to_numpy(),
            features["due"].to_numpy(),
            features["as_of"].to_numpy(),
            probabilities,
        )
        columns = {name: features[name].tolist() for name in features.columns}
        rows = [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]
        # The factors' raw values come straight from the feature columns (what `select_factors_batch`
        # would read from each row dict, one value at a time).
        all_factors = select_factors_table(
            contributions,
            names,
            plain_value_table([features[name] for name in names]),
            top=_MAX_FACTORS + 2,
            min_contribution=0.02,
        )
        company_status = self.status_
        results: list[InvoiceRisk] = []
        for row, factors, is_overdue, probability, score, payment in zip(
            rows,
            all_factors,
            overdue.tolist(),
            probabilities.tolist(),
            scores.tolist(),
            payments,
            strict=True,
        ):
            reasons = reasons_from_factors(factors, row, limit=_MAX_FACTORS)
            status = company_status
            if is_overdue:
                late_by = -int(row["days_to_due"])
                lead = Reason(f"échéance dépassée de {late_by} jours", 1, "days_to_due", float("inf"))
                reasons = [lead, *[r for r in reasons if r.direction > 0]][:_MAX_FACTORS]
                status = "overdue"
            results.append(
                InvoiceRisk(
                    invoice_id=str(row["invoice_id"]),
                    customer_id=str(row["customer_id"]),
                    probability=probability,
                    score=score,
                    status=status,
                    status_label=STATUS_LABELS[status],
                    reasons=tuple(reasons),
                    factors=tuple(factors[:_MAX_FACTORS]),
                    payment=payment,
                )
            )
        return results

    # ------------------------------------------------------------------------------ credit terms
    def suggest_terms(
        self,
        records: Sequence[InvoiceRecord],
        *,
        customer_id: str,
        amount: object,
        as_of: dt.date,
        requested_term_days: int = 60,
        sector: str | None = None,
        customer_since: dt.date | None = None,
    ) -> CreditTermsSuggestion:
        """Terms for a credit request: score a hypothetical invoice issued today, then apply the rule table.

        The customer may be new (no invoice yet): give its `sector` and `customer_since` then.
        """
        self._check_fitted()
        known = [r for r in records if r.customer_id == customer_id]
        hypothetical = InvoiceRecord(
            invoice_id="__demande_de_credit__",
            customer_id=customer_id,
            issue_date=as_of,
            due_date=as_of + dt.timedelta(days=min(requested_term_days, 60)),
            amount=amount,  # type: ignore[arg-type]
            sector=sector or (known[-1].sector if known else None),
            customer_since=customer_since or (known[-1].customer_since if known else None),
            payment_terms_days=min(requested_term_days, 60),
        )
        risk = self.score(list(records) + [hypothetical], as_of, [hypothetical.invoice_id])[0]
        past = sorted(r.amount for r in known if r.issue_date <= as_of)
        company = sorted(r.amount for r in records if r.issue_date <= as_of)
        usual = past[len(past) // 2] if past else (company[len(company) // 2] if company else None)
        return suggest_credit_terms(
            probability=risk.probability,
            requested_amount=hypothetical.amount,
            usual_amount=usual,
            requested_term_days=requested_term_days,
            reasons=tuple(r.text for r in risk.reasons if r.direction > 0)[:2],
            usual_is_company=not past,
        )


__all__ = ["STATUS_LABELS", "InvoiceRisk", "InvoiceRiskScorer"]
