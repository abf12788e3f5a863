"""A small company's bank history, built month by month, imported through the app (CFONB 120)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from tests.apps.banking.conftest import today
from tests.apps.banking.factories import cfonb_statement


def month_start(day: dt.date, back: int) -> dt.date:
    year, month = day.year, day.month - back
    while month <= 0:
        month, year = month + 12, year - 1
    return dt.date(year, month, 1)


def weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def history_rows(months: int = 14, *, energy_drift: float = 0.0, seed: int = 3, end: dt.date | None = None) -> list[dict]:
    """Rent on the 5th, contributions on the 15th, salaries on the 27th, an energy bill on the 20th (drifting up by
    `energy_drift` over the last 12 months), customer receipts every week."""
    rng = random.Random(seed)
    end = end or today() - dt.timedelta(days=1)
    rows = []
    for back in range(months, 0, -1):
        start = month_start(end, back - 1)
        index = months - back
        drift = 1 + energy_drift * max(0, index - (months - 12)) / 12
        for day_of_month, amount, label in (
            (5, Decimal("-2400.00"), "PRLV SEPA SCI DES ARTISANS LOYER"),
            (15, Decimal("-2500.00"), "PRLV SEPA URSSAF PAYS DE LA LOIRE"),
            (20, -(Decimal(600) * Decimal(str(round(drift, 4)))).quantize(Decimal("0.01")), "PRLV SEPA ENERGIE OUEST"),
            (27, Decimal("-6000.00"), "VIR SALAIRES"),
        ):
            rows.append({"date": weekday(start.replace(day=day_of_month)), "amount": amount, "label": label})
        for week in range(4):
            rows.append({"date": weekday(start + dt.timedelta(days=2 + 7 * week)),
                         "amount": Decimal(rng.randint(2200, 3400)), "label": f"VIR CLIENT {rng.randint(100, 999)}"})
    rows = [row for row in rows if row["date"] <= end]
    rows.sort(key=lambda row: (row["date"], row["label"]))
    return rows


def import_history(company, account, rows, opening=Decimal("30000.00")):
    from etabli.banking.services import import_file

    data = cfonb_statement(account.iban, opening, rows, start=rows[0]["date"], end=rows[-1]["date"])
    return import_file(company=company, data=data, filename="historique.txt", reconcile=False)
