"""Expected payment dates: ranges ordered, customers' habits and elapsed time taken into account."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np

from etabli.engines.scoring import InvoiceRecord, PaymentDelayModel
from etabli.engines.scoring.invoices import history_frame, to_day

START = dt.date(2024, 1, 1)


def history() -> list[InvoiceRecord]:
    """'PONCTUEL' pays 2 days early, 'LENT' pays 40 days late, 20 invoices each."""
    records = []
    for i in range(20):
        issue = START + dt.timedelta(days=10 * i)
        due = issue + dt.timedelta(days=30)
        for customer, delay in (("PONCTUEL", -2), ("LENT", 40)):
            records.append(
                InvoiceRecord(
                    invoice_id=f"{customer}-{i}",
                    customer_id=customer,
                    issue_date=issue,
                    due_date=due,
                    amount=Decimal(500),
                    paid_date=due + dt.timedelta(days=delay),
                )
            )
    return records


def fitted() -> PaymentDelayModel:
    return PaymentDelayModel().fit(history_frame(history()), dt.date(2024, 12, 31))


def test_late_customer_expected_later_and_ranges_are_ordered() -> None:
    model = fitted()
    due = np.array([to_day(dt.date(2025, 1, 30))] * 2)
    today = np.array([to_day(dt.date(2025, 1, 1))] * 2)
    days = model.estimate_days(np.array(["PONCTUEL", "LENT"]), due, today, np.array([0.1, 0.9]))
    assert np.all(days[:, 0] <= days[:, 1]) and np.all(days[:, 1] <= days[:, 2])
    punctual, slow = days[:, 1] - due
    assert punctual <= 0  # expected on or before the due date
    assert slow >= 25  # its own 40-day habit pulls the pooled late delays up


def test_higher_late_probability_means_later_expected_date() -> None:
    model = fitted()
    due = np.array([to_day(dt.date(2025, 1, 30))] * 2)
    today = np.array([to_day(dt.date(2025, 1, 1))] * 2)
    days = model.estimate_days(np.array(["X", "X"]), due, today, np.array([0.05, 0.95]))
    assert days[1, 1] > days[0, 1]


def test_overdue_invoice_is_expected_after_today() -> None:
    model = fitted()
    today = dt.date(2025, 3, 15)
    due = dt.date(2025, 2, 1)
    [estimate] = model.estimate(
        np.array(["LENT"]), np.array([to_day(due)]), np.array([to_day(today)]), np.array([1.0])
    )
    assert today < estimate.optimistic <= estimate.expected <= estimate.pessimistic
