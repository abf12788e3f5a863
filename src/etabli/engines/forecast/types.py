"""Inputs and outputs of the cash forecast, as plain frozen dataclasses.

Inputs: today's balance per account, the known future flows (`ScheduledFlow`: open customer invoices with
the uncertainty of their payment date, open supplier invoices at their due date, anything the owner
adds) and the bank history. Outputs: `CashForecast` with the daily balance of each scenario per account
and in total, the flows behind it and the alerts; `to_dict()` gives JSON (ISO dates, amounts as strings).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from etabli.common.money import round_cents
from etabli.engines.spending.serialize import to_jsonable
from etabli.engines.spending.types import RecurringCharge


class ForecastError(ValueError):
    """Bad input given to the cash forecast (the message is in French, for the owner)."""


class Scenario(StrEnum):
    PESSIMISTIC = "pessimistic"
    REALISTIC = "realistic"
    OPTIMISTIC = "optimistic"

    @property
    def label(self) -> str:
        return {"pessimistic": "pessimiste", "realistic": "réaliste", "optimistic": "optimiste"}[self.value]


class FlowKind(StrEnum):
    CUSTOMER_INVOICE = "customer_invoice"
    SUPPLIER_INVOICE = "supplier_invoice"
    RECURRING = "recurring"
    MANUAL = "manual"

    @property
    def label(self) -> str:
        return {
            "customer_invoice": "facture client",
            "supplier_invoice": "facture fournisseur",
            "recurring": "charge récurrente",
            "manual": "flux ajouté",
        }[self.value]


def _check_date(value: object, what: str) -> None:
    if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
        raise ForecastError(f"{what} invalide : « {value!r} » (une date est attendue).")


def check_amount(value: object, what: str) -> Decimal:
    """A finite Decimal rounded to the cent, or a French error (floats are refused: money is exact)."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise ForecastError(f"{what} invalide : « {value!r} » (un Decimal est attendu).")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ForecastError(f"{what} invalide : « {value!r} ».")
    return round_cents(amount)


@dataclass(frozen=True, slots=True)
class ScheduledFlow:
    """A known future flow. `amount` is signed (+ money in, − money out).

    Uncertainty of the date, for an expected customer payment, comes either as
    - `optimistic_date` / `pessimistic_date`: the dates with one chance in ten of being beaten on each
      side (10th and 90th percentiles; for money in, optimistic is the earlier date, for money out the
      later one), `date` being the most likely (median) date; or
    - `delay_distribution`: ((days after `date`, probability), …), whose missing probability mass is the
      chance of no payment within the horizon (a bad debt).
    Without either, the flow is certain to happen on `date` (a supplier paid at its due date).
    `issue_date` is the invoice date (used only in explanations).
    """

    date: dt.date
    amount: Decimal
    label: str = ""
    counterparty: str = ""
    kind: FlowKind = FlowKind.MANUAL
    reference: str = ""
    account: str = ""
    optimistic_date: dt.date | None = None
    pessimistic_date: dt.date | None = None
    delay_distribution: tuple[tuple[int, float], ...] = ()
    issue_date: dt.date | None = None
    amount_spread: Decimal = Decimal("0.00")

    def __post_init__(self) -> None:
        _check_date(self.date, "Date de flux")
        if self.date is None:
            raise ForecastError("Un flux prévu doit avoir une date.")
        _check_date(self.optimistic_date, "Date optimiste")
        _check_date(self.pessimistic_date, "Date pessimiste")
        _check_date(self.issue_date, "Date de facture")
        object.__setattr__(self, "amount", check_amount(self.amount, f"Montant du flux « {self.label} »"))
        object.__setattr__(self, "amount_spread", check_amount(self.amount_spread, "Dispersion du montant"))
        if self.amount == 0:
            raise ForecastError(f"Le flux « {self.label or self.reference} » a un montant nul.")
        if not isinstance(self.kind, FlowKind):
            try:
                object.__setattr__(self, "kind", FlowKind(self.kind))
            except ValueError as exc:
                raise ForecastError(f"Type de flux inconnu : « {self.kind} ».") from exc
        self._check_uncertainty()

    def _check_uncertainty(self) -> None:
        has_dates = self.optimistic_date is not None or self.pessimistic_date is not None
        if has_dates and self.delay_distribution:
            raise ForecastError(
                f"Flux « {self.label or self.reference} » : donnez soit les dates optimiste/pessimiste, soit une "
                "distribution des retards, pas les deux."
            )
        if has_dates:
            early, late = (
                (self.optimistic_date, self.pessimistic_date)
                if self.amount > 0
                else (self.pessimistic_date, self.optimistic_date)
            )
            if (early is not None and early > self.date) or (late is not None and late < self.date):
                raise ForecastError(
                    f"Flux « {self.label or self.reference} » : les dates sont dans le désordre (pour un "
                    "encaissement, optimiste ≤ réaliste ≤ pessimiste ; pour un décaissement, l'inverse)."
                )
        if self.delay_distribution:
            total = 0.0
            for pair in self.delay_distribution:
                if len(pair) != 2 or not isinstance(pair[0], int) or not 0 <= float(pair[1]) <= 1:
                    raise ForecastError(
                        f"Flux « {self.label or self.reference} » : la distribution des retards doit être une "
                        "liste de paires (jours de retard entiers, probabilité entre 0 et 1)."
                    )
                total += float(pair[1])
            if total > 1.000001 or total <= 0:
                raise ForecastError(
                    f"Flux « {self.label or self.reference} » : les probabilités de la distribution des retards "
                    f"doivent totaliser au plus 1 (total : {total:.2f})."
                )

    @property
    def is_uncertain(self) -> bool:
        return bool(self.delay_distribution) or (
            (self.optimistic_date is not None and self.optimistic_date != self.date)
            or (self.pessimistic_date is not None and self.pessimistic_date != self.date)
        )

    @property
    def display_name(self) -> str:
        return self.counterparty or self.label or self.reference or self.kind.label


@dataclass(frozen=True, slots=True)
class DailyBalance:
    date: dt.date
    pessimistic: Decimal
    realistic: Decimal
    optimistic: Decimal

    def get(self, scenario: Scenario) -> Decimal:
        return getattr(self, scenario.value)


@dataclass(frozen=True, slots=True)
class BalanceSeries:
    """Daily end-of-day balances of one account (or of the total when `account` is "")."""

    account: str
    opening_balance: Decimal
    days: tuple[DailyBalance, ...]

    def values(self, scenario: Scenario) -> list[Decimal]:
        return [day.get(scenario) for day in self.days]

    def lowest(self, scenario: Scenario) -> DailyBalance:
        return min(self.days, key=lambda day: day.get(scenario))

    def on(self, day: dt.date) -> DailyBalance:
        for item in self.days:
            if item.date == day:
                return item
        raise ForecastError(f"Le {day.isoformat()} est hors de la période prévue.")


@dataclass(frozen=True, slots=True)
class ForecastFlow:
    """A flow used by the forecast, with its most likely bank date and its date range (10 %–90 %)."""

    date: dt.date
    amount: Decimal
    label: str
    counterparty: str
    kind: FlowKind
    reference: str
    account: str
    earliest_date: dt.date | None = None
    latest_date: dt.date | None = None
    probability_in_horizon: float = 1.0
    source: str = ""

    @property
    def display_name(self) -> str:
        return self.counterparty or self.label or self.reference or self.kind.label


class CauseKind(StrEnum):
    OUTFLOW = "outflow"
    LATE_INFLOW = "late_inflow"
    REMAINDER = "remainder"


@dataclass(frozen=True, slots=True)
class AlertCause:
    kind: CauseKind
    amount: Decimal
    description: str
    date: dt.date | None = None
    counterparty: str = ""
    reference: str = ""


class ActionKind(StrEnum):
    REMIND_CUSTOMER = "remind_customer"
    POSTPONE_SUPPLIER = "postpone_supplier"
    CREDIT_LINE = "credit_line"
    TRANSFER = "transfer"


@dataclass(frozen=True, slots=True)
class SuggestedAction:
    kind: ActionKind
    message: str
    amount: Decimal
    counterparty: str = ""
    reference: str = ""


@dataclass(frozen=True, slots=True)
class CashAlert:
    """First day under the threshold in one scenario, for the total ("" account) or one account."""

    scenario: Scenario
    account: str
    threshold: Decimal
    date: dt.date
    days_ahead: int
    balance: Decimal
    lowest_balance: Decimal
    lowest_date: dt.date
    shortfall: Decimal
    message: str
    causes: tuple[AlertCause, ...]
    actions: tuple[SuggestedAction, ...]


@dataclass(frozen=True, slots=True)
class CashForecast:
    """The forecast of one company from `as_of` (excluded) for `horizon_days` days."""

    as_of: dt.date
    horizon_days: int
    threshold: Decimal
    band: float
    total: BalanceSeries
    accounts: tuple[BalanceSeries, ...]
    flows: tuple[ForecastFlow, ...]
    remainder_daily: tuple[Decimal, ...]
    alerts: tuple[CashAlert, ...]
    recurring: tuple[RecurringCharge, ...] = ()
    notes: tuple[str, ...] = ()
    model: dict[str, Any] = field(default_factory=dict)

    @property
    def dates(self) -> list[dt.date]:
        return [day.date for day in self.total.days]

    def account(self, name: str) -> BalanceSeries:
        for series in self.accounts:
            if series.account == name:
                return series
        raise ForecastError(f"Compte inconnu dans la prévision : « {name} ».")

    def first_alert(self, scenario: Scenario, account: str = "") -> CashAlert | None:
        for alert in self.alerts:
            if alert.scenario is scenario and alert.account == account:
                return alert
        return None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: ISO dates, amounts as strings; recurring charges summarised."""
        data = to_jsonable(
            {
                "as_of": self.as_of,
                "horizon_days": self.horizon_days,
                "threshold": self.threshold,
                "band": self.band,
                "total": self.total,
                "accounts": self.accounts,
                "flows": self.flows,
                "remainder_daily": self.remainder_daily,
                "alerts": self.alerts,
                "notes": self.notes,
                "model": self.model,
            }
        )
        data["recurring"] = [charge.to_dict() for charge in self.recurring]
        return data
