"""Spending watch through the app: recurring charges, unusual amount, duplicate payment, drifting cost line —
each explained and raised once in the core feed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from etabli.banking.services import run_spending
from etabli.core.models import Alert
from tests.apps.banking.conftest import today
from tests.apps.banking.history import history_rows, import_history

pytestmark = pytest.mark.django_db


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_recurring_charges_are_found_with_their_period_and_amount(bank_company, account):
    import_history(bank_company, account, history_rows(8))
    payload = run_spending(company=bank_company)
    by_key = {(c["kind"], c["period"]): c for c in payload["recurring"]}
    rent = next(c for c in payload["recurring"] if c["typical_amount"] == "-2400.00")
    assert rent["period"] == "monthly" and rent["active"] and rent["typical_day"] == 5
    assert "loyer" in plain(rent["explanation"]) or rent["kind"] == "rent"
    assert ("salary", "monthly") in by_key and by_key[("salary", "monthly")]["typical_amount"] == "-6000.00"
    assert rent["next_dates"][0] > today().isoformat()


def test_unusual_amount_and_duplicate_payment_are_raised_and_explained(bank_company, account):
    rows = history_rows(8)
    last = max(row["date"] for row in rows)
    rows += [
        {"date": last - dt.timedelta(days=3), "amount": Decimal("-4500.00"), "label": "VIR SEPA MENUISERIE FOURNITURES PRO"},
        {"date": last - dt.timedelta(days=2), "amount": Decimal("-389.00"), "label": "PRLV SEPA ASSURANCE FLOTTE"},
        {"date": last - dt.timedelta(days=1), "amount": Decimal("-389.00"), "label": "PRLV SEPA ASSURANCE FLOTTE"},
    ]
    for k in range(1, 7):  # the supplier is usually paid about 1 200 €
        rows.append({"date": last - dt.timedelta(days=30 * k + 3), "amount": Decimal(str(1150 + 20 * k)) * -1,
                     "label": "VIR SEPA MENUISERIE FOURNITURES PRO"})
    rows.sort(key=lambda row: row["date"])
    import_history(bank_company, account, rows)
    payload = run_spending(company=bank_company)
    kinds = {alert["kind"] for alert in payload["alerts"]}
    assert {"unusual_amount", "duplicate"} <= kinds
    unusual = next(a for a in payload["alerts"] if a["kind"] == "unusual_amount")
    assert "4 500 €" in plain(unusual["message"]) and "1 2" in plain(unusual["message"])
    core = Alert.objects.filter(company=bank_company, source="banque", code__startswith="banking:spending:")
    assert core.filter(code__contains=":unusual_amount:").exists() and core.filter(code__contains=":duplicate:").exists()
    assert all(alert.detail and alert.link_url == "/banque/depenses/" for alert in core)
    count = core.count()
    run_spending(company=bank_company)  # the daily pass again: updated, not duplicated
    assert Alert.objects.filter(company=bank_company, source="banque", code__startswith="banking:spending:").count() == count


def test_a_drifting_cost_line_is_flagged(bank_company, account):
    import_history(bank_company, account, history_rows(24, energy_drift=0.45))
    payload = run_spending(company=bank_company)
    drift = [a for a in payload["alerts"] if a["kind"] == "drift"]
    assert drift and "%" in drift[0]["message"] and "12 mois" in drift[0]["message"]
    assert "mois par mois" in drift[0]["explanation"]


def test_internal_transfers_are_neither_spending_nor_activity(bank_company, account):
    from etabli.banking.selectors import forecast_history
    from etabli.banking.services import add_rule, recategorise

    rows = history_rows(4)
    rows.append({"date": rows[-1]["date"], "amount": Decimal("-25000.00"), "label": "VIR VERS COMPTE A TERME N 0042"})
    import_history(bank_company, account, rows)
    add_rule(company=bank_company, pattern="COMPTE A TERME", category="virement_interne")
    recategorise(company=bank_company)
    assert all(line.amount != Decimal("-25000.00") for line in forecast_history(bank_company))
