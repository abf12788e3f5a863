import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from etabli.engines.forecast import FlowKind
from etabli.engines.forecast.synthetic import Profile, generate_company
from etabli.engines.spending import BankCalendar

CALENDAR = BankCalendar()


def test_same_seed_same_company_and_another_seed_another_one():
    first = generate_company(Profile.STEADY, seed=3, years=2)
    again = generate_company(Profile.STEADY, seed=3, years=2)
    other = generate_company(Profile.STEADY, seed=4, years=2)
    assert first.lines == again.lines and first.invoices == again.invoices
    assert first.lines != other.lines


@pytest.mark.parametrize("profile", list(Profile))
def test_every_profile_is_a_consistent_bank_history(profile):
    company = generate_company(profile, seed=11, years=2)
    assert all(CALENDAR.is_business_day(line.date) for line in company.lines)
    assert all(company.start <= line.date <= company.end for line in company.lines)
    as_of = dt.date(2022, 6, 30)
    expected = sum(company.opening_balances.values(), Decimal(0)) + sum(
        (line.amount for line in company.lines if line.date <= as_of), Decimal(0))
    assert company.balance_at(as_of) == expected
    flows = company.open_flows_at(as_of)
    invoices = {invoice.reference: invoice for invoice in company.invoices}
    assert flows
    for flow in flows:
        invoice = invoices[flow.reference]
        assert invoice.issue_date <= as_of and (invoice.paid_date is None or invoice.paid_date > as_of)
        if flow.kind is FlowKind.CUSTOMER_INVOICE and flow.delay_distribution:
            # a long-overdue invoice: only a small chance of being paid at all
            assert flow.amount > 0 and sum(p for _, p in flow.delay_distribution) < 0.1
        elif flow.kind is FlowKind.CUSTOMER_INVOICE:
            assert flow.amount > 0 and flow.optimistic_date <= flow.date <= flow.pessimistic_date
        else:
            assert flow.amount < 0 and flow.date > as_of


def _monthly_receipts(company) -> np.ndarray:
    totals: dict[tuple[int, int], float] = {}
    for line in company.lines:
        if line.amount > 0 and "INTERNE" not in line.label:
            key = (line.date.year, line.date.month)
            totals[key] = totals.get(key, 0.0) + float(line.amount)
    return np.array([value for _, value in sorted(totals.items())][2:])


def test_profiles_have_their_character():
    seasonal = _monthly_receipts(generate_company(Profile.SEASONAL, seed=1, years=3))
    steady = _monthly_receipts(generate_company(Profile.STEADY, seed=1, years=3))
    growing = _monthly_receipts(generate_company(Profile.GROWING, seed=1, years=3))
    assert seasonal.std() / seasonal.mean() > 1.5 * steady.std() / steady.mean()
    assert growing[-12:].sum() > 1.4 * growing[:12].sum()
    lumpy = generate_company(Profile.LUMPY, seed=1, years=2)
    assert np.median([float(i.amount) for i in lumpy.invoices if i.direction == "customer"]) > 10000
