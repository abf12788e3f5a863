"""Credit-terms suggestion for a large order ("30 % d'acompte + paiement 30 jours", guide ch. 10.3).

Why a rule table and not a learned policy: the decision is the owner's, and the rule must be readable
in one glance. Two inputs drive it:
- the risk level, from the calibrated late-payment probability:
  faible < 20 % ≤ modéré < 45 % ≤ élevé < 70 % ≤ très élevé;
- the size of the request relative to what the customer usually orders (or, for a new customer, to the
  company's usual invoice): habituel < 1.5× ≤ important < 3× ≤ très important.

| risk \\ size  | habituel        | important       | très important   |
|--------------|-----------------|-----------------|------------------|
| faible       | 0 %, standard   | 0 %, standard   | 20 %, 45 j       |
| modéré       | 0 %, 45 j       | 20 %, 30 j      | 30 %, 30 j       |
| élevé        | 20 %, 30 j      | 30 %, 30 j      | 40 %, 30 j       |
| très élevé   | 30 %, 30 j      | 50 %, 30 j      | 50 %, comptant   |

The probability is that of paying *late*, not of never paying: even "très élevé" keeps a deposit and a
short term rather than refusing credit outright; payment in full with the order is left to the owner.

"standard" is the requested term, capped at the legal 60 days (C. com. L441-10). The guide's case — a
company created a year ago, volatile sector, 15 000 € when it usually buys far less — lands on
"30 % d'acompte + paiement 30 jours (au lieu de 60 habituels)".

For a customer who is a natural person, credit scoring is a high-risk use under the EU AI Act (Annex III
5(b)): this is a suggestion for a human decision, never an automatic refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from etabli.common.formats import format_eur, format_number
from etabli.common.money import round_cents, to_decimal
from etabli.engines.scoring.errors import ScoringError
from etabli.engines.scoring.model import probability_to_score

LEGAL_MAX_TERM_DAYS = 60
_RISK_LEVELS = ((0.20, "faible"), (0.45, "modéré"), (0.70, "élevé"), (1.01, "très élevé"))
_SIZE_LEVELS = ((1.5, "habituel"), (3.0, "important"), (float("inf"), "très important"))
# (deposit %, term days or None for "the standard term")
_GRID: dict[tuple[str, str], tuple[int, int | None]] = {
    ("faible", "habituel"): (0, None),
    ("faible", "important"): (0, None),
    ("faible", "très important"): (20, 45),
    ("modéré", "habituel"): (0, 45),
    ("modéré", "important"): (20, 30),
    ("modéré", "très important"): (30, 30),
    ("élevé", "habituel"): (20, 30),
    ("élevé", "important"): (30, 30),
    ("élevé", "très important"): (40, 30),
    ("très élevé", "habituel"): (30, 30),
    ("très élevé", "important"): (50, 30),
    ("très élevé", "très important"): (50, 0),
}


@dataclass(frozen=True)
class CreditTermsSuggestion:
    """Suggested deposit and maximum term, with the French sentence shown to the owner."""

    deposit_percent: int
    deposit_amount: Decimal
    term_days: int
    risk_level: str
    size_level: str
    score: int
    explanation: str


def risk_level(probability: float) -> str:
    if not 0 <= probability <= 1:
        raise ScoringError("La probabilité de retard doit être comprise entre 0 et 1.")
    return next(label for limit, label in _RISK_LEVELS if probability < limit)


def size_level(ratio: float) -> str:
    return next(label for limit, label in _SIZE_LEVELS if ratio < limit)


def suggest_credit_terms(
    *,
    probability: float,
    requested_amount: object,
    usual_amount: object | None,
    requested_term_days: int = LEGAL_MAX_TERM_DAYS,
    reasons: tuple[str, ...] = (),
    usual_is_company: bool = False,
) -> CreditTermsSuggestion:
    """Deposit % and maximum term for a credit request, from its late-payment risk and its size.

    `usual_amount` is the customer's usual invoice. For a new customer pass the company's usual invoice
    amount with `usual_is_company=True` (the sentence then says so), or None to judge the risk alone.
    """
    amount = round_cents(to_decimal(requested_amount))
    if amount <= 0:
        raise ScoringError("Le montant demandé doit être positif.")
    if requested_term_days < 0:
        raise ScoringError("Le délai demandé ne peut pas être négatif.")
    usual = None if usual_amount is None else round_cents(to_decimal(usual_amount))
    if usual is not None and usual <= 0:
        raise ScoringError("Le montant habituel doit être positif.")
    level = risk_level(probability)
    ratio = float(amount / usual) if usual is not None else 1.0
    size = size_level(ratio)
    deposit, term = _GRID[(level, size)]
    standard = min(requested_term_days, LEGAL_MAX_TERM_DAYS)
    term_days = standard if term is None else min(term, standard)
    deposit_amount = round_cents(amount * Decimal(deposit) / Decimal(100))
    score = int(probability_to_score([probability])[0])

    context = [f"risque {level} ({score}/100)"]
    if usual is not None and size != "habituel":
        reference = "à une facture habituelle de l'entreprise" if usual_is_company else "à l'habitude"
        context.append(f"montant {format_number(ratio, 1 if ratio < 2.5 else 0)} fois supérieur {reference}")
    context.extend(reasons)
    if term_days == 0 and deposit:
        proposal = f"{deposit} % d'acompte ({format_eur(deposit_amount)}) + solde comptant à la livraison"
    elif deposit:
        proposal = f"{deposit} % d'acompte ({format_eur(deposit_amount)}) + paiement {term_days} jours"
    elif term_days == 0:
        proposal = "paiement comptant, sans acompte"
    else:
        proposal = f"sans acompte, paiement {term_days} jours"
    if 0 < term_days < standard:
        proposal += f" (au lieu de {standard} habituels)"
    if requested_term_days > LEGAL_MAX_TERM_DAYS:
        proposal += f" ; le délai légal maximal est de {LEGAL_MAX_TERM_DAYS} jours"
    summary = " ; ".join(context)
    explanation = f"{summary[0].upper()}{summary[1:]} : proposer {proposal}."
    return CreditTermsSuggestion(
        deposit_percent=deposit,
        deposit_amount=deposit_amount,
        term_days=term_days,
        risk_level=level,
        size_level=size,
        score=score,
        explanation=explanation,
    )


__all__ = ["LEGAL_MAX_TERM_DAYS", "CreditTermsSuggestion", "risk_level", "size_level", "suggest_credit_terms"]
