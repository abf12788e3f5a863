"""Pure business rules of billing (no database): due dates, late penalties, dunning tone, aging, DSO,
Factur-X code lists. Kept apart so each rule is written once, tested on its own and quoted in the docs.

Sources: C. com. L441-10 (payment terms, penalties at the ECB rate + 10 points, €40 indemnity — D441-5),
CGI ann. II art. 242 nonies A (mentions), décret 2022-1299 (2026 mentions), the guide ch. 4.2 (tones).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from etabli.common.money import ZERO, round_cents, to_decimal

#: Longest agreed terms (C. com. L441-10): 60 days from the invoice date, or 45 days end of month.
MAX_TERMS_DAYS = 60
MAX_TERMS_END_OF_MONTH = 45
#: Small tolerance when a payment slightly exceeds what is due (bank rounding, a few cents).
OVERPAYMENT_TOLERANCE = Decimal("0.05")


# --- Payment terms ----------------------------------------------------------------------------------------


def end_of_month(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def due_date_for(issue_date: dt.date, terms_days: int, end_of_month_terms: bool = False) -> dt.date:
    """Due date from the terms. "45 jours fin de mois" is counted as date + 45 days, then end of that month
    (one of the two methods the DGCCRF accepts)."""
    due = issue_date + dt.timedelta(days=int(terms_days))
    return end_of_month(due) if end_of_month_terms else due


def check_terms(terms_days: int, end_of_month_terms: bool = False) -> str | None:
    """French reason why payment terms exceed the legal maximum, or None when they are allowed."""
    if terms_days < 0:
        return "Le délai de paiement ne peut pas être négatif."
    if end_of_month_terms and terms_days > MAX_TERMS_END_OF_MONTH:
        return "Un délai « fin de mois » ne peut pas dépasser 45 jours (C. com. L441-10)."
    if terms_days > MAX_TERMS_DAYS:
        return (
            "Le délai de paiement ne peut pas dépasser 60 jours après la date de facture (C. com. L441-10)."
        )
    return None


def terms_text(terms_days: int, end_of_month_terms: bool = False) -> str:
    if terms_days == 0:
        return "Paiement à réception de facture"
    return f"Paiement à {terms_days} jours{' fin de mois' if end_of_month_terms else ''}"


# --- Late penalties -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PenaltyClaim:
    principal: Decimal
    days_late: int
    annual_rate: Decimal  # percent
    penalties: Decimal
    indemnity: Decimal

    @property
    def total(self) -> Decimal:
        return self.principal + self.penalties + self.indemnity


def late_penalties(principal: object, days_late: int, annual_rate_percent: object) -> Decimal:
    """Simple interest on the unpaid amount (TTC) from the day after the due date:
    principal × rate × days / 365, rounded half-up to the cent. Penalties are due without any reminder."""
    if days_late <= 0:
        return ZERO
    amount = (
        to_decimal(principal)
        * to_decimal(annual_rate_percent)
        / Decimal(100)
        * Decimal(days_late)
        / Decimal(365)
    )
    return round_cents(amount)


def penalty_claim(
    *,
    principal: object,
    due_date: dt.date,
    as_of: dt.date,
    annual_rate_percent: object,
    indemnity: object,
    professional: bool,
) -> PenaltyClaim:
    """What a formal notice claims. The €40 indemnity and the L441-10 rate apply between professionals
    only; a private customer is claimed the principal (interest at the legal rate runs from the notice)."""
    days = max(0, (as_of - due_date).days)
    principal = round_cents(principal)
    if not professional:
        return PenaltyClaim(principal, days, ZERO, ZERO, ZERO)
    return PenaltyClaim(
        principal=principal,
        days_late=days,
        annual_rate=to_decimal(annual_rate_percent),
        penalties=late_penalties(principal, days, annual_rate_percent),
        indemnity=round_cents(indemnity) if days > 0 else ZERO,
    )


# --- Dunning tone (guide ch. 4.2) -------------------------------------------------------------------------

TONE_COURTEOUS, TONE_INFORMATIVE, TONE_FIRM = "courteous", "informative", "firm"


@dataclass(frozen=True)
class PaymentHistory:
    """What the customer did before: counts over its settled invoices, most recent first."""

    invoices_before: int  # invoices issued to this customer before the one being chased
    recent_outcomes: tuple[bool, ...]  # True = paid late, most recent first (settled invoices)
    other_overdue: int  # other invoices of this customer overdue right now
    customer_age_days: int | None


def choose_tone(history: PaymentHistory, *, window: int = 5) -> tuple[str, str]:
    """The guide's rule: a loyal customer's first delay → courteous; a recurrent late payer → firm; a new
    customer → informative. Returns (tone, French reason)."""
    recent = history.recent_outcomes[:window]
    late = sum(1 for outcome in recent if outcome)
    if history.invoices_before < 3 or (
        history.customer_age_days is not None and history.customer_age_days < 90
    ):
        count = history.invoices_before
        return TONE_INFORMATIVE, (
            f"Nouveau client ({count} facture{'s' if count > 1 else ''} avant celle-ci) → message informatif"
        )
    if late >= 2 or history.other_overdue >= 1:
        detail = f"{late} retard{'s' if late > 1 else ''} sur les {len(recent)} dernières factures"
        if history.other_overdue:
            detail += (
                f", {history.other_overdue} autre{'s' if history.other_overdue > 1 else ''} facture"
                f"{'s' if history.other_overdue > 1 else ''} en retard"
            )
        return TONE_FIRM, f"Retards fréquents ({detail}) → ton ferme"
    return TONE_COURTEOUS, (
        f"Client fidèle ({late} retard{'s' if late > 1 else ''} sur les {len(recent)} dernières factures) "
        "→ ton courtois"
    )


# --- Aging and DSO ----------------------------------------------------------------------------------------

AGING_BUCKETS: tuple[tuple[str, int | None, int | None], ...] = (
    ("Non échu", None, 0),
    ("1 à 30 jours", 1, 30),
    ("31 à 60 jours", 31, 60),
    ("61 à 90 jours", 61, 90),
    ("Plus de 90 jours", 91, None),
)


def aging_bucket(due_date: dt.date | None, as_of: dt.date) -> str:
    """Label of the aging bucket of an open amount (days past the due date)."""
    days = (as_of - due_date).days if due_date else 0
    for label, low, high in AGING_BUCKETS:
        if (low is None or days >= low) and (high is None or days <= high):
            return label
    return AGING_BUCKETS[-1][0]


def dso(receivables: Decimal, credit_sales: Decimal, period_days: int = 90) -> Decimal | None:
    """Days sales outstanding, the accountant's formula: receivables / sales TTC of the period × days."""
    if credit_sales <= 0:
        return None
    return (to_decimal(receivables) / to_decimal(credit_sales) * Decimal(period_days)).quantize(
        Decimal("0.1")
    )


def weighted_average_delay(pairs: Iterable[tuple[Decimal, int]]) -> Decimal | None:
    """Average days from issue to payment weighted by amount (the guide's "délai moyen de paiement")."""
    total, weight = Decimal(0), Decimal(0)
    for amount, days in pairs:
        total += to_decimal(amount) * days
        weight += to_decimal(amount)
    if weight <= 0:
        return None
    return (total / weight).quantize(Decimal("0.1"))


# --- Factur-X code lists ----------------------------------------------------------------------------------

#: Our units → UN/ECE Recommendation 20 codes (BT-130).
UNIT_CODES = {
    "u": "C62",
    "h": "HUR",
    "j": "DAY",
    "m²": "MTK",
    "ml": "MTR",
    "m": "MTR",
    "kg": "KGM",
    "forfait": "LS",
    "lot": "LO",
}
UNIT_FROM_CODE = {
    "C62": "u",
    "H87": "u",
    "EA": "u",
    "HUR": "h",
    "DAY": "j",
    "MTK": "m²",
    "MTR": "m",
    "KGM": "kg",
    "LS": "forfait",
    "LO": "lot",
    "XPP": "u",
    "XUN": "u",
}

#: Category of operation (2026 mention) → BT-23 "cadre de facturation" codes of the French CTC
#: (B1 goods, S1 services, M1 mixed) **[verify code list]**, as in french-rules §1.
OPERATION_CODES = {"goods": "B1", "services": "S1", "mixed": "M1"}
OPERATION_FROM_CODE = {"B": "goods", "S": "services", "M": "mixed"}

#: VAT exemption reason codes (BT-121, VATEX list) for our categories.
VATEX_CODES = {"E": "VATEX-FR-FRANCHISE", "AE": "VATEX-EU-AE", "K": "VATEX-EU-IC", "G": "VATEX-EU-G"}
DEFAULT_EXEMPTION_TEXTS = {
    "E": "TVA non applicable, art. 293 B du CGI",
    "AE": "Autoliquidation",
    "K": "Exonération de TVA, article 262 ter, I du CGI (livraison intracommunautaire)",
    "G": "Exonération de TVA, article 262 I du CGI (exportation)",
    "Z": "",
}


def operation_category(item_kinds: Sequence[str]) -> str:
    kinds = {kind for kind in item_kinds if kind}
    if kinds == {"goods"}:
        return "goods"
    if kinds == {"service"}:
        return "services"
    return "mixed" if kinds else "services"


def format_rate(rate: object) -> str:
    """20 → "20", 5.50 → "5,5" (VAT rates as the French write them)."""
    value = to_decimal(rate).normalize()
    text = f"{value:f}"
    return text.replace(".", ",")
