"""Shared fixtures: one synthetic company history and one fitted scorer per test session (fits cost CPU)."""

from __future__ import annotations

import datetime as dt

import pytest

from etabli.engines.scoring import InvoiceRiskScorer, SyntheticHistory, generate_invoice_history


@pytest.fixture(scope="session")
def history() -> SyntheticHistory:
    return generate_invoice_history(seed=1, n_customers=60)


@pytest.fixture(scope="session")
def as_of(history: SyntheticHistory) -> dt.date:
    return history.end


@pytest.fixture(scope="session")
def fitted_scorer(history: SyntheticHistory, as_of: dt.date) -> InvoiceRiskScorer:
    return InvoiceRiskScorer(random_state=0).fit(history.records, as_of)
