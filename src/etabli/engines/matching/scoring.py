"""Confidence of a candidate match and the French reasons behind it.

Why a logistic score of named evidence: each piece of evidence (amount, invoice number in the label,
partner recognised, IBAN, date) adds a known weight to a log-odds, so the confidence is explained by
exactly the reasons listed, and a reviewer can see why two candidates are close. The weights are
defaults chosen so that a single piece of evidence is never enough for an auto-match (the threshold is
0.90): an identical amount alone gives about 0.45, an identical amount with the partner recognised about
0.93, an identical amount with the invoice number about 0.97. They were checked, not fitted, on the
synthetic statements of ``benchmarks/reconciliation.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from etabli.common.formats import format_date, format_eur, format_percent
from etabli.engines.matching.memory import PartnerHint
from etabli.engines.matching.references import ReferenceHit

AmountKind = Literal["exact", "fee", "partial", "over"]


@dataclass(frozen=True)
class ScoringWeights:
    bias: float = -3.0
    amount_exact: float = 2.2
    amount_fee: float = 1.8
    amount_partial: float = -0.3
    amount_over: float = -1.5
    reference_full: float = 4.0
    reference_digits: float = 3.2
    reference_truncated: float = 2.0
    partner: float = 3.0
    date_near: float = 0.5
    date_close: float = 0.2
    date_late: float = -0.2
    date_before_issue: float = -2.0
    group_per_extra_item: float = -0.25
    group_unique: float = 0.6
    group_ambiguous: float = -1.2
    #: The label cites an open invoice that this candidate leaves out.
    reference_elsewhere: float = -2.5
    #: A partial payment that is a usual share of the invoice (30 %, 50 %…) …
    partial_usual_share: float = 0.8
    #: … or whose label says so (« ACOMPTE », « SOLDE », « ARRHES »).
    partial_announced: float = 0.5


@dataclass
class Evidence:
    """Everything known about one candidate, gathered by the reconciler."""

    amount_kind: AmountKind
    paid: Decimal
    total_open: Decimal
    remaining: Decimal
    numbers: tuple[str, ...]
    partner_name: str
    partner_kind: str
    references: list[ReferenceHit | None] = field(default_factory=list)
    name_score: float = 0.0
    name_strength: float = 0.0
    hint: PartnerHint | None = None
    iban_match: bool = False
    days_from_due: int | None = None
    before_issue: bool = False
    issue_date_text: str = ""
    group_solutions: int | None = None
    #: Numbers of other open invoices cited in the label (not part of this candidate).
    cited_elsewhere: tuple[str, ...] = ()
    #: For a partial payment: the usual share of the invoice it represents (in percent), if any.
    usual_share: int | None = None
    #: For a partial payment: the word of the label announcing it (« ACOMPTE »…), if any.
    partial_word: str = ""

    @property
    def partner_strength(self) -> float:
        hint = self.hint.strength if self.hint else 0.0
        return max(self.name_strength, hint, 1.0 if self.iban_match else 0.0)

    @property
    def has_identity(self) -> bool:
        """Something beyond the amount says who paid (reference, name, alias or IBAN)."""
        return any(self.references) or self.partner_strength > 0


def score(evidence: Evidence, weights: ScoringWeights) -> tuple[float, tuple[str, ...], tuple[str, ...]]:
    """(confidence 0–1, French reasons, signal names) of a candidate."""
    logit = weights.bias
    reasons: list[str] = []
    signals: list[str] = []
    logit += _amount(evidence, weights, reasons, signals)
    logit += _references(evidence, weights, reasons, signals)
    logit += _partner(evidence, weights, reasons, signals)
    logit += _date(evidence, weights, reasons, signals)
    logit += _group(evidence, weights, reasons, signals)
    if evidence.cited_elsewhere:
        signals.append("reference_elsewhere")
        reasons.append(f"le libellé cite une autre facture ({', '.join(evidence.cited_elsewhere)})")
        logit += weights.reference_elsewhere
    confidence = 1.0 / (1.0 + math.exp(-logit))
    return round(confidence, 4), tuple(reasons), tuple(signals)


def _amount(evidence: Evidence, weights: ScoringWeights, reasons: list[str], signals: list[str]) -> float:
    gap = evidence.total_open - evidence.paid
    signals.append(f"amount_{evidence.amount_kind}")
    if evidence.amount_kind == "exact":
        reasons.append(f"montant identique ({format_eur(evidence.paid)})")
        return weights.amount_exact
    if evidence.amount_kind == "fee":
        why = (
            "frais bancaires probables"
            if evidence.partner_kind == "customer"
            else "escompte ou frais probables"
        )
        reasons.append(f"montant à {format_eur(gap)} près ({why})")
        return weights.amount_fee
    if evidence.amount_kind == "partial":
        reasons.append(
            f"paiement partiel : {format_eur(evidence.paid)} sur {format_eur(evidence.total_open)}, "
            f"reste {format_eur(evidence.remaining)}"
        )
        value = weights.amount_partial
        if evidence.usual_share is not None:
            reasons.append(f"soit {evidence.usual_share} % de la facture, une part habituelle d'acompte")
            value += weights.partial_usual_share
        if evidence.partial_word:
            reasons.append(f"le libellé annonce un paiement partiel (« {evidence.partial_word} »)")
            value += weights.partial_announced
        return value
    reasons.append(f"montant supérieur de {format_eur(-gap)} au reste dû ({format_eur(evidence.total_open)})")
    return weights.amount_over


def _references(evidence: Evidence, weights: ScoringWeights, reasons: list[str], signals: list[str]) -> float:
    hits = [hit for hit in evidence.references if hit is not None]
    if not hits:
        return 0.0
    signals.append("reference")
    value = {
        "full": weights.reference_full,
        "digits": weights.reference_digits,
        "truncated": weights.reference_truncated,
    }
    shown = ", ".join(hit.shown for hit in hits)
    if any(hit.kind == "truncated" for hit in hits):
        reasons.append(f"début du numéro {shown} dans le libellé (tronqué)")
    elif len(hits) == 1:
        reasons.append(f"numéro de facture {shown} dans le libellé")
    else:
        reasons.append(f"numéros de facture {shown} dans le libellé")
    share = len(hits) / max(1, len(evidence.references))
    return max(value[hit.kind] for hit in hits) * share


def _partner(evidence: Evidence, weights: ScoringWeights, reasons: list[str], signals: list[str]) -> float:
    role = "du client" if evidence.partner_kind == "customer" else "du fournisseur"
    if evidence.iban_match:
        signals.append("iban")
        reasons.append(f"IBAN connu {role}")
    if evidence.name_strength > 0:
        signals.append("name")
        reasons.append(
            f"nom proche de « {evidence.partner_name} » ({format_percent(evidence.name_score / 100)})"
        )
    hint = evidence.hint
    if hint is not None and hint.kind == "alias" and hint.strength > evidence.name_strength:
        signals.append("alias")
        times = "une fois" if hint.support == 1 else f"{hint.support} fois"
        reasons.append(f"libellé « {hint.alias} » déjà rapproché de « {evidence.partner_name} » ({times})")
    if hint is not None and hint.kind == "iban" and not evidence.iban_match:
        signals.append("iban")
        reasons.append(f"IBAN déjà vu sur les paiements {role}")
    return weights.partner * evidence.partner_strength


def _date(evidence: Evidence, weights: ScoringWeights, reasons: list[str], signals: list[str]) -> float:
    if evidence.before_issue:
        signals.append("before_issue")
        reasons.append(f"paiement antérieur à la facture du {evidence.issue_date_text}")
        return weights.date_before_issue
    days = evidence.days_from_due
    if days is None or evidence.group_solutions is not None:
        return 0.0
    if days == 0:
        reasons.append("le jour de l'échéance")
    elif days > 0:
        reasons.append(f"{days} jour{'s' if days > 1 else ''} après l'échéance")
    else:
        reasons.append(f"{-days} jour{'s' if days < -1 else ''} avant l'échéance")
    if -3 <= days <= 15:
        signals.append("date")
        return weights.date_near
    if -30 <= days <= 60:
        return weights.date_close
    if days > 60:
        return weights.date_late
    return 0.0


def _group(evidence: Evidence, weights: ScoringWeights, reasons: list[str], signals: list[str]) -> float:
    count = len(evidence.numbers)
    if count < 2:
        return 0.0
    signals.append("group")
    value = weights.group_per_extra_item * (count - 1)
    listed = ", ".join(evidence.numbers)
    solutions = evidence.group_solutions
    if solutions is None:
        reasons.append(f"règlement groupé de {count} factures ({listed})")
        return value
    if solutions <= 1:
        reasons.append(f"règlement groupé de {count} factures ({listed}), seule combinaison de ce montant")
        return value + weights.group_unique
    reasons.append(
        f"règlement groupé de {count} factures ({listed}), mais {solutions} combinaisons donnent ce montant"
    )
    return value + weights.group_ambiguous


def date_text(day: date) -> str:
    return format_date(day)
