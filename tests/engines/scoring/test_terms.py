"""Credit-terms suggestion (guide ch. 10.3)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from etabli.engines.scoring import ScoringError, suggest_credit_terms
from etabli.engines.scoring.terms import risk_level, size_level

NNBSP, NBSP = "\u202f", "\xa0"


def test_the_guide_example_gives_30_percent_deposit_and_30_days() -> None:
    suggestion = suggest_credit_terms(
        probability=0.40,
        requested_amount=Decimal(15000),
        usual_amount=Decimal(2000),
        requested_term_days=60,
    )
    assert (suggestion.deposit_percent, suggestion.term_days) == (30, 30)
    assert suggestion.deposit_amount == Decimal("4500.00")
    assert suggestion.risk_level == "modéré" and suggestion.size_level == "très important"
    assert suggestion.explanation == (
        "Risque modéré (40/100) ; montant 8 fois supérieur à l'habitude : proposer 30 % d'acompte "
        f"(4{NNBSP}500,00{NBSP}€) + paiement 30 jours (au lieu de 60 habituels)."
    )


def test_low_risk_usual_amount_keeps_the_requested_term() -> None:
    suggestion = suggest_credit_terms(
        probability=0.1, requested_amount=900, usual_amount=1000, requested_term_days=45
    )
    assert (suggestion.deposit_percent, suggestion.term_days) == (0, 45)
    assert "sans acompte, paiement 45 jours" in suggestion.explanation


def test_very_high_risk_on_a_very_large_amount_asks_half_upfront_and_the_rest_on_delivery() -> None:
    suggestion = suggest_credit_terms(probability=0.85, requested_amount=10000, usual_amount=1000)
    assert (suggestion.deposit_percent, suggestion.term_days) == (50, 0)
    assert suggestion.explanation.endswith(
        f"proposer 50 % d'acompte (5{NNBSP}000,00{NBSP}€) + solde comptant à la livraison."
    )


def test_term_never_exceeds_the_legal_maximum() -> None:
    suggestion = suggest_credit_terms(
        probability=0.05, requested_amount=100, usual_amount=100, requested_term_days=90
    )
    assert suggestion.term_days == 60
    assert "délai légal maximal est de 60 jours" in suggestion.explanation


def test_new_customer_compared_with_the_company_usual_invoice() -> None:
    suggestion = suggest_credit_terms(
        probability=0.3, requested_amount=6000, usual_amount=1000, usual_is_company=True
    )
    assert "à une facture habituelle de l'entreprise" in suggestion.explanation


def test_levels_boundaries() -> None:
    assert [risk_level(p) for p in (0.0, 0.2, 0.45, 0.7, 1.0)] == [
        "faible",
        "modéré",
        "élevé",
        "très élevé",
        "très élevé",
    ]
    assert [size_level(r) for r in (1.0, 1.5, 3.0)] == ["habituel", "important", "très important"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"probability": 1.2, "requested_amount": 10, "usual_amount": None}, "entre 0 et 1"),
        ({"probability": 0.2, "requested_amount": 0, "usual_amount": None}, "montant demandé"),
        ({"probability": 0.2, "requested_amount": 10, "usual_amount": -5}, "montant habituel"),
        (
            {"probability": 0.2, "requested_amount": 10, "usual_amount": None, "requested_term_days": -1},
            "négatif",
        ),
    ],
)
def test_bad_requests_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        suggest_credit_terms(**kwargs)
