"""Synthetic generator (deterministic, plausible) and the time-ordered back-test."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from etabli.engines.scoring import ScoringError, SyntheticHistory, generate_invoice_history, run_backtest
from etabli.engines.scoring.backtest import ece_noise_floor


def test_generator_is_deterministic_and_seed_dependent() -> None:
    first = generate_invoice_history(seed=4, n_customers=10, months=6)
    again = generate_invoice_history(seed=4, n_customers=10, months=6)
    other = generate_invoice_history(seed=5, n_customers=10, months=6)
    assert first.records == again.records
    assert first.records != other.records


def test_generated_world_has_the_announced_shape(history: SyntheticHistory) -> None:
    records = history.records
    assert 400 <= len(records) <= 1500
    assert all(history.start <= r.issue_date <= history.end for r in records)
    assert all(r.paid_date is None or r.paid_date <= history.end for r in records)
    late_rate: dict[str, list[bool]] = {}
    for r in records:
        if r.paid_date is not None:
            late_rate.setdefault(history.customers[r.customer_id].profile, []).append(
                r.paid_date > r.due_date
            )
    assert np.mean(late_rate["late_payer"]) > np.mean(late_rate["average"]) > np.mean(late_rate["loyal"])
    assert any(c.is_new for c in history.customers.values())


def test_generator_refuses_nonsense() -> None:
    with pytest.raises(ScoringError):
        generate_invoice_history(n_customers=0)


def test_backtest_trains_on_the_past_and_tests_on_the_future(history: SyntheticHistory) -> None:
    result = run_backtest(history.records, train_months=18, test_months=6)
    assert result.train_end == dt.date(2025, 7, 1) and result.test_end == dt.date(2026, 1, 1)
    assert result.n_test_invoices > 50 and 0 < result.test_late_rate < 1
    assert set(result.metrics) == {"engine", "priors", "logistic"}
    for figures in result.metrics.values():
        assert set(figures) == {"auc", "ece", "brier"}
    assert result.metrics["engine"]["auc"] > 0.6  # clearly better than chance on this world
    assert 0.0 <= result.payment_range_coverage <= 1.0 and result.payment_mae_days >= 0
    assert 0.0 < result.ece_noise_floor < 0.2


def test_ece_noise_floor_matches_the_sampling_error_of_a_proportion() -> None:
    # 100 predictions at 50 %: ECE = |share of positives − 0.5|, whose mean is √(0.25/100)·√(2/π) ≈ 0.040.
    assert ece_noise_floor(np.full(100, 0.5), draws=400) == pytest.approx(0.040, abs=0.008)


def test_backtest_needs_a_test_period(history: SyntheticHistory) -> None:
    with pytest.raises(ScoringError, match="Aucune facture de test"):
        run_backtest(history.records, train_months=30, test_months=6)
