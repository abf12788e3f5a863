"""French reasons: the sentences the owner reads, one per (feature, direction)."""

from __future__ import annotations

import pytest

from etabli.engines.scoring import Factor
from etabli.engines.scoring.reasons import reasons_from_factors

NNBSP, NBSP = "\u202f", "\xa0"


def texts(feature: str, contribution: float, **row: object) -> list[str]:
    return [r.text for r in reasons_from_factors([Factor(feature, None, contribution)], row)]


@pytest.mark.parametrize(
    ("feature", "contribution", "row", "expected"),
    [
        (
            "recent_late_ratio",
            0.8,
            {"recent_n": 5, "recent_late": 3},
            "3 retards sur les 5 dernières factures",
        ),
        (
            "recent_late_ratio",
            -0.5,
            {"recent_n": 5, "recent_late": 0},
            "aucun retard sur les 5 dernières factures",
        ),
        ("recent_late_ratio", 0.3, {"recent_n": 1, "recent_late": 1}, "1 retard sur la dernière facture"),
        ("amount_ratio", 0.6, {"amount_ratio": 4.2}, "montant 4 fois supérieur à l'habitude"),
        ("amount_ratio", 0.2, {"amount_ratio": 1.8}, "montant 1,8 fois supérieur à l'habitude"),
        ("amount_ratio", -0.2, {"amount_ratio": 1.0}, "montant habituel pour ce client"),
        (
            "n_resolved",
            0.4,
            {"n_resolved": 0, "n_invoices": 0},
            "client récent : pas encore d'historique de paiement",
        ),
        (
            "late_rate_shrunk",
            0.4,
            {"n_resolved": 0, "n_late": 0},
            "client récent : pas encore d'historique de paiement",
        ),
        (
            "terms_days",
            0.3,
            {"terms_days": 60, "usual_terms": 30},
            "délai de paiement de 60 jours, plus long que d'habitude (30 jours)",
        ),
        ("terms_days", -0.3, {"terms_days": 15, "usual_terms": 30}, "délai de paiement court (15 jours)"),
        ("overdue_count", 0.9, {"overdue_count": 2}, "2 autres factures déjà en retard"),
        ("mean_delay", 0.5, {"mean_delay": 12.4}, "retard moyen de 12 jours sur les factures payées"),
        ("max_delay", -0.1, {"max_delay": -2}, "jamais payé en retard"),
        (
            "open_amount_log",
            0.2,
            {"open_amount": 1234.5},
            f"encours : 1{NNBSP}234,50{NBSP}€ déjà dus sur d'autres factures",
        ),
        (
            "sector_late_rate",
            0.2,
            {"sector": "BTP", "sector_late_rate": 0.42},
            f"secteur « BTP » : plus de retards que la moyenne (42{NBSP}% des factures)",
        ),
        ("customer_age_days", 0.2, {"customer_age_days": 95}, "client depuis 3 mois seulement"),
        (
            "days_to_due",
            0.5,
            {"days_to_due": 3, "days_since_issue": 27},
            "échéance dans 3 jours et toujours pas réglée",
        ),
    ],
)
def test_reason_text(feature: str, contribution: float, row: dict, expected: str) -> None:
    assert texts(feature, contribution, **row) == [expected]


@pytest.mark.parametrize(
    ("feature", "contribution", "row"),
    [
        # A sentence is only written in the direction the factor pushed.
        ("recent_late_ratio", -0.5, {"recent_n": 5, "recent_late": 3}),
        ("recent_late_ratio", 0.5, {"recent_n": 5, "recent_late": 0}),
        ("amount_ratio", 0.5, {"amount_ratio": 0.9}),
        ("amount_ratio", -0.5, {"amount_ratio": 4.0}),
        ("overdue_count", 0.5, {"overdue_count": 0}),
        ("n_resolved", -0.5, {"n_resolved": 0, "n_invoices": 0}),
        ("sector", 0.5, {"sector": None, "sector_late_rate": 0.4}),
        ("unknown_feature", 1.0, {}),
    ],
)
def test_no_sentence_against_the_direction(feature: str, contribution: float, row: dict) -> None:
    assert texts(feature, contribution, **row) == []


def test_reasons_are_distinct_ordered_and_limited() -> None:
    row = {
        "n_resolved": 0,
        "n_late": 0,
        "n_invoices": 0,
        "amount_ratio": 5.0,
        "overdue_count": 1,
        "terms_days": 60,
        "usual_terms": 30,
        "max_delay": 20,
    }
    factors = [
        Factor("n_resolved", 0, 0.9),
        Factor("late_rate_shrunk", 0.3, 0.8),  # same sentence as above: not repeated
        Factor("amount_ratio", 5.0, 0.7),
        Factor("overdue_count", 1, 0.6),
        Factor("terms_days", 60, 0.5),
        Factor("max_delay", 20, 0.4),
    ]
    reasons = reasons_from_factors(factors, row, limit=4)
    assert [r.feature for r in reasons] == ["n_resolved", "amount_ratio", "overdue_count", "terms_days"]
    assert all(r.direction == 1 for r in reasons)
