"""Spending watch: recurring charges and explained alerts from a company's bank history.

Usage::

    from etabli.engines.spending import BankLine, analyse_spending
    report = analyse_spending(lines, as_of=date(2026, 11, 30))
    for charge in report.recurring: print(charge.explanation)
    for alert in report.alerts: print(alert.message, "—", alert.explanation)

Pure Python (numpy, holidays): no Django, no I/O. The cash forecast (`etabli.engines.forecast`) uses the
recurring charges and their next dates.
"""

from etabli.engines.spending.alerts import (
    AlertSettings,
    analyse_spending,
    drift_alerts,
    duplicate_alerts,
    spending_alerts,
    unusual_amount_alerts,
)
from etabli.engines.spending.calendar import BankCalendar
from etabli.engines.spending.recurring import detect_recurring, occurrences_between
from etabli.engines.spending.serialize import to_jsonable
from etabli.engines.spending.types import (
    AlertKind,
    BankLine,
    ChargeKind,
    DayRule,
    Period,
    RecurringCharge,
    SpendingAlert,
    SpendingError,
    SpendingReport,
)

__all__ = [
    "AlertKind",
    "AlertSettings",
    "BankCalendar",
    "BankLine",
    "ChargeKind",
    "DayRule",
    "Period",
    "RecurringCharge",
    "SpendingAlert",
    "SpendingError",
    "SpendingReport",
    "analyse_spending",
    "detect_recurring",
    "drift_alerts",
    "duplicate_alerts",
    "occurrences_between",
    "spending_alerts",
    "to_jsonable",
    "unusual_amount_alerts",
]
