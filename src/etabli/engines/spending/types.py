"""Plain data types of the spending watch: bank lines in, recurring charges and explained alerts out.

Why frozen dataclasses: the engine is a pure function of its inputs; the banking app adapts its rows to
`BankLine` and stores or displays what comes back (`to_dict()` gives JSON with ISO dates and amounts as
strings, so no float ever touches money).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from etabli.common.money import round_cents


class SpendingError(ValueError):
    """Bad input given to the spending watch (the message is in French, for the owner)."""


class Period(StrEnum):
    """How often a recurring charge comes back."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"

    @property
    def label(self) -> str:
        return _PERIOD_LABELS[self]

    @property
    def nominal_days(self) -> float:
        """Mean length of one period in days (a month is 365.25 / 12 days)."""
        return _PERIOD_DAYS[self]


_PERIOD_LABELS = {
    Period.WEEKLY: "hebdomadaire",
    Period.MONTHLY: "mensuel",
    Period.QUARTERLY: "trimestriel",
    Period.YEARLY: "annuel",
}
_PERIOD_DAYS = {Period.WEEKLY: 7.0, Period.MONTHLY: 30.4375, Period.QUARTERLY: 91.3125, Period.YEARLY: 365.25}


class ChargeKind(StrEnum):
    """Business nature of a recurring flow, guessed from the category or the words of the label."""

    RENT = "rent"
    SALARY = "salary"
    LOAN = "loan"
    SUBSCRIPTION = "subscription"
    ENERGY = "energy"
    TAX = "tax"
    INSURANCE = "insurance"
    BANK_FEES = "bank_fees"
    INCOME = "income"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    ChargeKind.RENT: "loyer",
    ChargeKind.SALARY: "salaires",
    ChargeKind.LOAN: "emprunt",
    ChargeKind.SUBSCRIPTION: "abonnements",
    ChargeKind.ENERGY: "énergie",
    ChargeKind.TAX: "impôts et cotisations",
    ChargeKind.INSURANCE: "assurances",
    ChargeKind.BANK_FEES: "frais bancaires",
    ChargeKind.INCOME: "recette régulière",
    ChargeKind.OTHER: "autre charge régulière",
}


class DayRule(StrEnum):
    """How the due day of a monthly/quarterly/yearly charge is placed in a month."""

    FIXED_DAY = "fixed_day"  # e.g. the 5th, moved to the next bank business day when closed
    LAST_BUSINESS_DAY = "last_business_day"  # e.g. salaries paid on the last business day of the month


@dataclass(frozen=True, slots=True)
class BankLine:
    """One bank statement line, as the engines need it.

    `amount` is signed: positive for money in (credit), negative for money out (debit).
    `document_date` is the issue date of the invoice the line settled when reconciliation knows it: the
    cash forecast uses it to tell which past flows were already known in advance (open invoices) from
    the ones nobody could foresee.
    """

    date: dt.date
    amount: Decimal
    label: str = ""
    counterparty: str = ""
    category: str = ""
    account: str = ""
    document_date: dt.date | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.date, dt.date) or isinstance(self.date, dt.datetime):
            raise SpendingError(f"Date de ligne bancaire invalide : « {self.date!r} » (une date est attendue).")
        if isinstance(self.amount, bool) or not isinstance(self.amount, (Decimal, int)):
            raise SpendingError(
                f"Montant de ligne bancaire invalide : « {self.amount!r} » (un Decimal est attendu, "
                "jamais un nombre à virgule flottante)."
            )
        amount = Decimal(self.amount)
        if not amount.is_finite():
            raise SpendingError(f"Montant de ligne bancaire invalide : « {self.amount!r} ».")
        object.__setattr__(self, "amount", round_cents(amount))
        if self.document_date is not None and (
            not isinstance(self.document_date, dt.date) or isinstance(self.document_date, dt.datetime)
        ):
            raise SpendingError(f"Date de facture invalide : « {self.document_date!r} ».")
        for name in ("label", "counterparty", "category", "account"):
            if not isinstance(getattr(self, name), str):
                raise SpendingError(f"Le champ « {name} » d'une ligne bancaire doit être un texte.")


@dataclass(frozen=True, slots=True)
class RecurringCharge:
    """A flow that comes back on a regular schedule (rent, salary, loan, subscription, energy, taxes…).

    `typical_amount` is signed like the lines (negative for a charge) and is the median of the recent
    occurrences; `amount_spread` is the robust standard deviation (1.4826 × MAD) of the occurrences.
    `line_indexes` are the positions, in the list given to the detector, of the lines that belong to it.
    """

    key: str
    name: str
    kind: ChargeKind
    category: str
    period: Period
    typical_amount: Decimal
    amount_spread: Decimal
    variability: float
    occurrences: int
    first_date: dt.date
    last_date: dt.date
    next_dates: tuple[dt.date, ...]
    active: bool
    confidence: float
    account: str = ""
    typical_day: int | None = None
    typical_weekday: int | None = None
    typical_month: int | None = None
    day_rule: DayRule = DayRule.FIXED_DAY
    invoice_linked: bool = False
    month_factors: tuple[tuple[int, float], ...] = ()
    trend: float = 0.0
    explanation: str = ""
    line_indexes: tuple[int, ...] = field(default=(), repr=False)

    @property
    def is_income(self) -> bool:
        return self.typical_amount > 0

    def amount_for(self, day: dt.date) -> Decimal:
        """Expected amount of the occurrence on `day`: the typical amount, moved by the trend (`trend` is
        the relative change per period, e.g. URSSAF rising with hirings) and by the month's factor (a 13th
        month in December, a January bump)."""
        factor = 1.0
        for month, month_factor in self.month_factors:
            if month == day.month:
                factor = month_factor
        if self.trend:
            periods = (day - self.last_date).days / self.period.nominal_days + 1  # typical ≈ one period ago
            factor *= min(max((1 + self.trend) ** periods, 0.5), 2.0)
        if factor == 1.0:
            return self.typical_amount
        return round_cents(self.typical_amount * Decimal(f"{factor:.6f}"))

    def to_dict(self) -> dict[str, Any]:
        from etabli.engines.spending.serialize import to_jsonable

        data = to_jsonable(self)
        data.pop("line_indexes", None)
        data["period_label"] = self.period.label
        data["kind_label"] = self.kind.label
        return data


class AlertKind(StrEnum):
    UNUSUAL_AMOUNT = "unusual_amount"
    DUPLICATE = "duplicate"
    DRIFT = "drift"

    @property
    def label(self) -> str:
        return {
            AlertKind.UNUSUAL_AMOUNT: "Montant inhabituel",
            AlertKind.DUPLICATE: "Doublon probable",
            AlertKind.DRIFT: "Dérive d'un poste de dépense",
        }[self]


@dataclass(frozen=True, slots=True)
class SpendingAlert:
    """An explained alert of the spending watch; `message` is the one-line French headline."""

    kind: AlertKind
    date: dt.date
    subject: str
    amount: Decimal
    reference_amount: Decimal
    message: str
    explanation: str
    score: float
    line_indexes: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        from etabli.engines.spending.serialize import to_jsonable

        data = to_jsonable(self)
        data["kind_label"] = self.kind.label
        return data


@dataclass(frozen=True, slots=True)
class SpendingReport:
    """What the spending watch found for one company at one date."""

    as_of: dt.date
    recurring: tuple[RecurringCharge, ...]
    alerts: tuple[SpendingAlert, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "recurring": [charge.to_dict() for charge in self.recurring],
            "alerts": [alert.to_dict() for alert in self.alerts],
        }
