"""InvoiceRiskScorer end to end on synthetic histories: statuses, reasons, dates, cold start."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from etabli.engines.scoring import (
    InvoiceRecord,
    InvoiceRiskScorer,
    ScoringError,
    SyntheticHistory,
    generate_invoice_history,
)
from etabli.engines.scoring.invoices import history_frame, open_invoice_ids


def test_every_open_invoice_gets_a_complete_assessment(
    history: SyntheticHistory, fitted_scorer: InvoiceRiskScorer, as_of: dt.date
) -> None:
    risks = fitted_scorer.score(history.records, as_of)
    open_ids = open_invoice_ids(history_frame(history.records), as_of)
    assert [r.invoice_id for r in risks] == open_ids
    for risk in risks:
        assert 0.0 <= risk.probability <= 1.0
        assert risk.score == int(np.floor(risk.probability * 100 + 0.5))
        assert 1 <= len(risk.reasons) <= 4 or risk.status != "overdue"
        assert len(risk.factors) <= 4 and len(risk.reasons) <= 4
        assert risk.payment.optimistic <= risk.payment.expected <= risk.payment.pessimistic
        assert risk.payment.optimistic > as_of  # unpaid today: paid tomorrow at the earliest
        for reason in risk.reasons:
            assert reason.direction in (1, -1) and reason.text


def test_reasons_follow_the_sign_of_their_factor(
    history: SyntheticHistory, fitted_scorer: InvoiceRiskScorer, as_of: dt.date
) -> None:
    for risk in fitted_scorer.score(history.records, as_of):
        contributions = {f.feature: f.contribution for f in risk.factors}
        for reason in risk.reasons:
            if reason.feature in contributions:
                assert np.sign(contributions[reason.feature]) == reason.direction


def test_company_with_enough_history_uses_a_learned_or_prior_model_and_says_which(
    fitted_scorer: InvoiceRiskScorer,
) -> None:
    assert fitted_scorer.status_ in ("model", "insufficient_history")
    assert fitted_scorer.n_late_ + fitted_scorer.n_on_time_ >= 100
    assert set(fitted_scorer.model_selection_) == {"model_log_loss", "prior_log_loss"}
    if fitted_scorer.status_ == "model":
        assert (
            fitted_scorer.model_selection_["model_log_loss"]
            < fitted_scorer.model_selection_["prior_log_loss"]
        )


def test_late_payers_score_higher_than_loyal_customers(history: SyntheticHistory) -> None:
    as_of = dt.date(2025, 7, 1)
    scorer = InvoiceRiskScorer(random_state=0).fit(history.records, as_of)
    later = [r for r in history.records if as_of <= r.issue_date < dt.date(2025, 10, 1)]
    risks = scorer.score_at(history.records, [(r.invoice_id, r.issue_date) for r in later])
    by_profile: dict[str, list[float]] = {}
    for record, risk in zip(later, risks, strict=True):
        by_profile.setdefault(history.customers[record.customer_id].profile, []).append(risk.probability)
    assert np.mean(by_profile["late_payer"]) > np.mean(by_profile["loyal"]) + 0.1


def test_overdue_invoice_is_certain_and_says_by_how_much(
    history: SyntheticHistory, fitted_scorer: InvoiceRiskScorer, as_of: dt.date
) -> None:
    overdue = [r for r in fitted_scorer.score(history.records, as_of) if r.status == "overdue"]
    assert overdue, "the synthetic history should have unpaid overdue invoices"
    record = {r.invoice_id: r for r in history.records}
    for risk in overdue:
        days = (as_of - record[risk.invoice_id].due_date).days
        assert risk.probability == 1.0 and risk.score == 100
        assert risk.reasons[0].text == f"échéance dépassée de {days} jours"
        assert all(reason.direction == 1 for reason in risk.reasons)
        assert risk.status_label.startswith("échéance dépassée")


def test_too_little_history_scores_from_priors_and_says_so() -> None:
    small = generate_invoice_history(seed=3, n_customers=6, months=6)
    scorer = InvoiceRiskScorer().fit(small.records, small.end)
    assert scorer.status_ == "insufficient_history"
    assert scorer.status_label_.startswith("pas assez d'historique")
    risks = scorer.score(small.records, small.end)
    assert risks
    not_overdue = [r for r in risks if r.status != "overdue"]
    assert not_overdue and all(r.status == "insufficient_history" for r in not_overdue)
    assert all(0.0 < r.probability < 1.0 for r in not_overdue)


def _new_customer_records() -> list[InvoiceRecord]:
    history = generate_invoice_history(seed=5, n_customers=8, months=4)
    newcomer = InvoiceRecord(
        invoice_id="NOUVEAU-1",
        customer_id="NOUVEAU",
        issue_date=history.end,
        due_date=history.end + dt.timedelta(days=30),
        amount=Decimal(1500),
        sector="BTP",
        customer_since=history.end,
    )
    return [*history.records, newcomer]


def test_new_customer_reason_in_cold_start() -> None:
    records = _new_customer_records()
    today = records[-1].issue_date
    scorer = InvoiceRiskScorer().fit(records, today)
    assert scorer.status_ == "insufficient_history"
    risk = scorer.score(records, today, ["NOUVEAU-1"])[0]
    assert "client récent : pas encore d'historique de paiement" in risk.reason_texts


def test_scoring_is_deterministic() -> None:
    history = generate_invoice_history(seed=2, n_customers=30, months=12)
    first_scorer = InvoiceRiskScorer(random_state=0).fit(history.records, history.end)
    second_scorer = InvoiceRiskScorer(random_state=0).fit(history.records, history.end)
    assert first_scorer.status_ == second_scorer.status_
    first = first_scorer.score(history.records, history.end)
    second = second_scorer.score(history.records, history.end)
    assert [r.probability for r in first] == [r.probability for r in second]
    assert [r.reason_texts for r in first] == [r.reason_texts for r in second]


def test_suggest_terms_for_a_large_request_from_a_new_customer(
    history: SyntheticHistory, fitted_scorer: InvoiceRiskScorer, as_of: dt.date
) -> None:
    suggestion = fitted_scorer.suggest_terms(
        history.records,
        customer_id="NOUVEAU",
        amount=Decimal(15000),
        as_of=as_of,
        sector="BTP",
        customer_since=as_of - dt.timedelta(days=365),
    )
    assert suggestion.deposit_percent >= 20 and suggestion.term_days <= 45
    assert "à une facture habituelle de l'entreprise" in suggestion.explanation
    assert "acompte" in suggestion.explanation or "commande" in suggestion.explanation


def test_bad_calls_are_refused(
    history: SyntheticHistory, fitted_scorer: InvoiceRiskScorer, as_of: dt.date
) -> None:
    paid = next(r for r in history.records if r.paid_date is not None and r.paid_date <= as_of)
    with pytest.raises(ScoringError, match="non ouverte"):
        fitted_scorer.score(history.records, as_of, [paid.invoice_id])
    with pytest.raises(ScoringError, match="pas encore entraîné"):
        InvoiceRiskScorer().score(history.records, as_of)
    with pytest.raises(ScoringError, match="inconnue"):
        fitted_scorer.score_at(history.records, [("F-INCONNUE", as_of)])
