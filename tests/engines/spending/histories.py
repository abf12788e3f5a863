"""Small hand-written bank histories for the spending watch tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np

from etabli.engines.spending import BankCalendar, BankLine
from etabli.engines.spending.calendar import add_months

CALENDAR = BankCalendar()


def monthly(start: dt.date, months: int, day: int, amount: str, label: str, counterparty: str = "",
            category: str = "", noise: float = 0.0, seed: int = 0) -> list[BankLine]:
    """One line a month on `day` (moved to the next bank business day), optional multiplicative noise."""
    rng = np.random.default_rng(seed)
    lines = []
    for k in range(months):
        nominal = add_months(start, k, target_day=day)
        value = Decimal(amount) * (Decimal(str(round(1 + rng.normal(0, noise), 4))) if noise else 1)
        lines.append(BankLine(CALENDAR.roll_forward(nominal), value.quantize(Decimal("0.01")), label, counterparty,
                              category))
    return lines


def steady_history(months: int = 30, start: dt.date = dt.date(2024, 1, 1), seed: int = 3) -> list[BankLine]:
    """A calm company: fixed rent and loan, salaries, energy ±8 %, subscriptions, irregular purchases."""
    rng = np.random.default_rng(seed)
    lines: list[BankLine] = []
    lines += monthly(start, months, 5, "-1450.00", "PRLV SEPA SCI DES LILAS LOYER", "SCI des Lilas")
    lines += monthly(start, months, 10, "-820.35", "ECHEANCE PRET 0012345", "Banque Populaire")
    lines += monthly(start, months, 12, "-310.00", "PRLV SEPA EDF PRO", "EDF", noise=0.08, seed=seed)
    lines += monthly(start, months, 8, "-64.99", "PRLV SEPA ORANGE PRO", "Orange")
    lines += monthly(start, months, 15, "-3900.00", "PRLV URSSAF", "URSSAF", noise=0.06, seed=seed + 1)
    for k in range(months):
        month = add_months(start, k)
        pay_day = CALENDAR.last_business_day_of_month(month.year, month.month)
        for name, salary in (("Marie Curie", "2210.40"), ("Paul Langevin", "1985.10")):
            lines.append(BankLine(pay_day, -Decimal(salary), f"VIR SALAIRE {name.upper()}", name))
    day = start
    end = add_months(start, months)
    while day < end:
        if CALENDAR.is_business_day(day):
            if rng.random() < 0.25:
                supplier = ["Point P", "Rexel", "Würth"][int(rng.integers(3))]
                amount = Decimal(str(round(float(rng.lognormal(6.5, 0.6)), 2)))
                lines.append(BankLine(day, -amount, f"VIR SEPA {supplier.upper()} FACT {rng.integers(10000, 99999)}",
                                      supplier))
            if rng.random() < 0.5:
                amount = Decimal(str(round(float(rng.lognormal(3.5, 0.7)), 2)))
                lines.append(BankLine(day, -amount, f"CB CARBURANT {day:%d/%m}"))
            if rng.random() < 0.3:
                amount = Decimal(str(round(float(rng.lognormal(7.8, 0.5)), 2)))
                lines.append(BankLine(day, amount, f"VIR RECU CLIENT {rng.integers(100, 999)}",
                                      f"Client {int(rng.integers(1, 30))}"))
        day += dt.timedelta(days=1)
    return sorted(lines, key=lambda line: line.date)
