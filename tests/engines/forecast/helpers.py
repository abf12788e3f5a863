"""Small bank histories and helpers for the cash-forecast tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np

from etabli.engines.forecast import CashForecast, Scenario
from etabli.engines.spending import BankCalendar, BankLine
from etabli.engines.spending.calendar import add_months

CALENDAR = BankCalendar()
NBSP, NNBSP = "\xa0", "\u202f"


def plain(text: str) -> str:
    return text.replace(NBSP, " ").replace(NNBSP, " ")


def small_company(as_of: dt.date, months: int = 18, seed: int = 1, salary_day: int = 15,
                  card_every_day: bool = False) -> list[BankLine]:
    """Rent on the 5th, two salaries on `salary_day`, customer receipts and card expenses on business days.

    `card_every_day`: card expenses also happen on weekends and holidays and, as with a real bank, are
    posted on the next business day (so the day after a closed period carries more).
    """
    rng = np.random.default_rng(seed)
    start = add_months(as_of.replace(day=1), -months)
    lines: list[BankLine] = []
    for k in range(months + 1):
        month = add_months(start, k)
        for day, amount, label, name in (
            (5, "-1800.00", "PRLV SEPA LOYER ATELIER", "SCI du Moulin"),
            (salary_day, "-2400.00", "VIR SALAIRE PAUL", "Paul Durand"),
            (salary_day, "-2100.00", "VIR SALAIRE LINA", "Lina Morel"),
        ):
            posted = CALENDAR.roll_forward(month.replace(day=day))
            if posted <= as_of:
                lines.append(BankLine(posted, Decimal(amount), label, name, "", ""))
    day = start
    while day <= as_of:
        if CALENDAR.is_business_day(day) and rng.random() < 0.35:
            lines.append(BankLine(day, Decimal(str(round(float(rng.lognormal(7.3, 0.5)), 2))),
                                  "VIR RECU CLIENT", f"Client {int(rng.integers(1, 12))}"))
        if (card_every_day or CALENDAR.is_business_day(day)) and rng.random() < 0.6:
            posted = CALENDAR.roll_forward(day)
            if posted <= as_of:
                lines.append(BankLine(posted, -Decimal(str(round(float(rng.lognormal(3.6, 0.6)), 2))),
                                      f"CB FOURNITURES {day:%d/%m}"))
        day += dt.timedelta(days=1)
    return sorted(lines, key=lambda line: line.date)


def assert_ordered(forecast: CashForecast) -> None:
    for series in (forecast.total, *forecast.accounts):
        for day in series.days:
            assert day.pessimistic <= day.realistic <= day.optimistic, (series.account, day)


def difference(baseline: CashForecast, variant: CashForecast, day: dt.date, scenario: Scenario) -> Decimal:
    return variant.total.on(day).get(scenario) - baseline.total.on(day).get(scenario)
