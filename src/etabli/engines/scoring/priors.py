"""Cold-start risk: a transparent Bayesian prior for companies (and customers) without enough history.

Why not the learned model: with a few dozen known outcomes, boosted trees and their calibration are
noise. This model has no fitted weights beyond counts; it reads, in log-odds:

    prior  = logit(sector rate)                       pooled, shrunk late rate of the customer's sector
           + amount_weight · log(amount / usual)      usual = the customer's median, else the company's
           + terms_weight · (terms − 30) / 30         longer terms, later payments
           + new_customer_weight  if the customer has no known outcome yet
    p      = (customer's late count + m · prior) / (customer's known outcomes + m)

i.e. the customer's own late rate shrunk toward the prior (Beta–binomial posterior mean, m =
`customer_prior_strength` pseudo-invoices). Every term is a named contribution, so the explanation is
exact: contributions sum to logit(p) − logit(company rate).

The weights are assumptions stated here, deliberately mild: +0.4 log-odds when the amount is e times the
usual one, +0.4 per 30 extra days of terms, +0.3 for a customer with no payment history yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from etabli.engines.scoring.invoices import ScoringConfig
from etabli.engines.scoring.model import logit, sigmoid

#: The feature names under which the prior's terms are reported (same names as the learned model's,
#: so the French reasons are written once).
PRIOR_TERMS: tuple[str, ...] = (
    "sector_late_rate",
    "amount_ratio",
    "terms_days",
    "n_resolved",
    "late_rate_shrunk",
)


@dataclass(frozen=True)
class PriorModel:
    """Late-payment probability from pooled priors and the customer's own (shrunk) record."""

    config: ScoringConfig = field(default_factory=ScoringConfig)
    amount_weight: float = 0.4
    terms_weight: float = 0.4
    new_customer_weight: float = 0.3

    def contributions(self, features: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(probabilities, contributions (n, len(PRIOR_TERMS)) in log-odds, base log-odds per row)."""
        company = logit(features["company_late_rate"].to_numpy(dtype=float))
        sector = logit(features["sector_late_rate"].to_numpy(dtype=float))
        amount = features["amount"].to_numpy(dtype=float)
        usual = features["usual_amount"].to_numpy(dtype=float)
        reference = np.where(np.isnan(usual), features["company_median_amount"].to_numpy(dtype=float), usual)
        amount_term = self.amount_weight * np.clip(np.log(amount / reference), -2.0, 2.0)
        terms_term = self.terms_weight * (features["terms_days"].to_numpy(dtype=float) - 30.0) / 30.0
        n_resolved = features["n_resolved"].to_numpy(dtype=float)
        new_term = np.where(n_resolved == 0, self.new_customer_weight, 0.0)
        prior = sigmoid(sector + amount_term + terms_term + new_term)
        m = self.config.customer_prior_strength
        posterior = (features["n_late"].to_numpy(dtype=float) + m * prior) / (n_resolved + m)
        history_term = logit(posterior) - logit(prior)
        terms = np.column_stack([sector - company, amount_term, terms_term, new_term, history_term])
        return posterior, terms, company

    def predict_proba(self, features: pd.DataFrame) -> np.ndarray:
        return self.contributions(features)[0]


__all__ = ["PRIOR_TERMS", "PriorModel"]
