"""French bank calendar: which days money can move on a French business account.

Why both lists: a bank line is never posted on a weekend or a French public holiday (`holidays.France`,
with the Alsace-Moselle extra days when `subdiv` says so), and SEPA transfers do not settle on TARGET2
closing days either (Good Friday and 26 December, from `holidays.financial_holidays("XECB")`), so a
payment due on one of those days reaches the statement on the next open day.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
import numpy as np

from etabli.engines.spending.types import SpendingError

_TARGET_NAMES_FR = {
    "Good Friday": "Vendredi saint (fermeture TARGET2)",
    "Easter Monday": "Lundi de Pâques",
    "Christmas Holiday": "Lendemain de Noël (fermeture TARGET2)",
    "Christmas Day": "Noël",
    "New Year's Day": "Jour de l'an",
    "Labour Day": "Fête du Travail",
}


@lru_cache(maxsize=64)
def _closed_days_for_year(year: int, subdiv: str | None) -> dict[dt.date, str]:
    try:
        french = holidays.France(years=year, subdiv=subdiv, language="fr")
    except NotImplementedError as exc:  # raised by `holidays` for an unknown subdivision
        raise SpendingError(f"Subdivision française inconnue pour les jours fériés : « {subdiv} ».") from exc
    closed = {day: str(name) for day, name in french.items()}
    for day, name in holidays.financial_holidays("XECB", years=year).items():
        closed.setdefault(day, _TARGET_NAMES_FR.get(str(name), str(name)))
    return closed


class BankCalendar:
    """Business days of a French bank account (Monday–Friday, minus public and TARGET2 holidays)."""

    def __init__(self, subdiv: str | None = None) -> None:
        self.subdiv = subdiv
        if subdiv is not None:
            _closed_days_for_year(2026, subdiv)  # fail early, with a French message, on a bad subdivision

    def holiday_name(self, day: dt.date) -> str | None:
        """The French name of the holiday on `day`, or None on an ordinary day."""
        return _closed_days_for_year(day.year, self.subdiv).get(day)

    def is_business_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in _closed_days_for_year(day.year, self.subdiv)

    def roll_forward(self, day: dt.date) -> dt.date:
        """`day` itself when the bank is open, else the next open day (where a due payment lands)."""
        while not self.is_business_day(day):
            day += dt.timedelta(days=1)
        return day

    def roll_backward(self, day: dt.date) -> dt.date:
        """`day` itself when open, else the previous open day (salaries paid before a closed month end)."""
        while not self.is_business_day(day):
            day -= dt.timedelta(days=1)
        return day

    def last_business_day_of_month(self, year: int, month: int) -> dt.date:
        return self.roll_backward(_month_end(year, month))

    def business_mask(self, start: dt.date, n_days: int) -> np.ndarray:
        """Boolean array: is each of the `n_days` days from `start` (inclusive) a bank business day?"""
        return np.fromiter(
            (self.is_business_day(start + dt.timedelta(days=i)) for i in range(n_days)), dtype=bool, count=n_days
        )

    def holiday_mask(self, start: dt.date, n_days: int) -> np.ndarray:
        """Boolean array: is each day a public/TARGET2 holiday falling on a weekday?"""
        out = np.zeros(n_days, dtype=bool)
        for i in range(n_days):
            day = start + dt.timedelta(days=i)
            out[i] = day.weekday() < 5 and day in _closed_days_for_year(day.year, self.subdiv)
        return out


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def month_end(year: int, month: int) -> dt.date:
    """Last calendar day of a month."""
    return _month_end(year, month)


def add_months(day: dt.date, months: int, *, target_day: int | None = None) -> dt.date:
    """Same day `months` later (clamped to the month's length), or `target_day` of that month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    wanted = target_day if target_day is not None else day.day
    return dt.date(year, month, min(wanted, _month_end(year, month).day))
