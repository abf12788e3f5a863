"""End to end on the engines: a CFONB 120 file of the account, parsed and reconciled with open invoices."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from etabli.engines.matching import OpenItem, Reconciler
from etabli.engines.statements import parse_statement_file

FIXTURES = Path(__file__).parents[1] / "statements" / "fixtures"


def test_cfonb_file_customer_payment_is_matched_and_charges_categorised():
    statement = parse_statement_file((FIXTURES / "releve_deux_comptes.cfonb").read_bytes())[0]
    items = [
        OpenItem(
            id=42,
            kind="customer",
            number="FA-2026-0042",
            partner_name="Dupont SARL",
            amount_open=Decimal("1200.00"),
            issue_date=date(2026, 10, 2),
            due_date=date(2026, 11, 1),
            partner_iban="FR7630006000011234567890189",
        ),
        OpenItem(
            id=43,
            kind="customer",
            number="FA-2026-0043",
            partner_name="Martin TP",
            amount_open=Decimal("1200.00"),
            issue_date=date(2026, 10, 5),
            due_date=date(2026, 11, 4),
        ),
    ]
    results = Reconciler().reconcile(statement.lines, items)
    receipt, edf, coffee_1, coffee_2, card_fee = results
    assert receipt.decision == "auto" and receipt.best.item_ids == (42,)
    assert {"reference", "name", "iban"} <= set(receipt.best.signals)
    assert edf.decision == "category" and edf.category.pcg_account == "606"
    assert card_fee.decision == "category" and card_fee.category.pcg_account == "627"
    assert coffee_1.decision == coffee_2.decision == "unmatched"
    assert sum(result.minutes_saved for result in results) == 3.0 + 1.0 + 1.0
