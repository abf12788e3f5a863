"""Small builders for matching tests."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from etabli.engines.matching import OpenItem
from etabli.engines.statements import StatementLine

TODAY = date(2026, 11, 3)


def line(amount: str, label: str, *, day: date = TODAY, **fields: object) -> StatementLine:
    return StatementLine(date=day, amount=Decimal(amount), label=label, **fields)  # type: ignore[arg-type]


def invoice(
    item_id: str,
    number: str,
    partner: str,
    amount: str,
    *,
    kind: str = "customer",
    due: date = TODAY - timedelta(days=3),
    issued: date | None = None,
    **fields: object,
) -> OpenItem:
    return OpenItem(
        id=item_id,
        kind=kind,  # type: ignore[arg-type]
        number=number,
        partner_name=partner,
        amount_open=Decimal(amount),
        due_date=due,
        issue_date=issued or due - timedelta(days=30),
        **fields,  # type: ignore[arg-type]
    )


def book() -> list[OpenItem]:
    """A small company's open items: customers with similar names and amounts, and suppliers."""
    return [
        invoice("c1", "FA-2026-0042", "Dupont Construction SARL", "1200.00"),
        invoice("c2", "FA-2026-0043", "Boulangerie Martin", "450.00"),
        invoice("c3", "FA-2026-0044", "Martin TP", "450.00"),
        invoice("c4", "FA-2026-0045", "SCI Les Tilleuls", "300.00", due=TODAY - timedelta(days=20)),
        invoice("c5", "FA-2026-0046", "SCI Les Tilleuls", "520.50", due=TODAY - timedelta(days=10)),
        invoice("c6", "FA-2026-0047", "SCI Les Tilleuls", "179.50", due=TODAY - timedelta(days=5)),
        invoice("c7", "FA-2026-0048", "Garage du Centre", "3000.00", due=TODAY + timedelta(days=20)),
        invoice("c8", "FA-2026-0049", "Leblanc Isabelle", "1200.00"),
        invoice("s1", "F2026-1187", "Scierie du Jura", "-389.43", kind="supplier"),
        invoice("s2", "INV-88321", "Quincaillerie Roux", "-59.99", kind="supplier"),
    ]
