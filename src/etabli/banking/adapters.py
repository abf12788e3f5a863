"""Rows of this app and views of the billing app → plain inputs of the engines (and back).

Engines are imported inside the functions: they pull numpy, scikit-learn, lxml… which every `etabli` command
would otherwise load at start-up.

Why a module of its own: the engines never see the database; keeping every conversion here means a change of
an engine's dataclass touches one file, and the services read as business steps.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from etabli.banking.constants import INTERNAL_TRANSFER, short_label
from etabli.banking.models import BankLine

if TYPE_CHECKING:
    from etabli.engines.matching import OpenItem, PastMatch
    from etabli.engines.spending import BankLine as EngineBankLine
    from etabli.engines.statements import StatementLine


def statement_line(row: BankLine) -> StatementLine:
    """A stored bank line as the matching engine reads it."""
    from etabli.engines.statements.model import StatementLine

    return StatementLine(
        date=row.date,
        amount=row.amount,
        label=row.label,
        value_date=row.value_date,
        reference=row.reference,
        counterparty_name=row.counterparty_name,
        counterparty_iban=row.counterparty_iban,
        extra_info=tuple(row.extra_info or ()),
        bank_operation_code=row.bank_operation_code,
        fingerprint=row.fingerprint,
        source_line=row.source_line,
    )


def open_item(view, *, already_proposed: Decimal = Decimal(0)) -> OpenItem | None:
    """An open invoice of billing (`OpenInvoiceView`) as the matching engine reads it.

    The engine wants the amount signed as the bank will show it: + for a customer invoice (money in), − for a
    supplier invoice. `already_proposed` is what pending proposals already allocate to it."""
    remaining = view.amount_open - already_proposed
    if remaining <= 0:
        return None
    from etabli.engines.matching.model import OpenItem

    sign = Decimal(1) if view.kind == "customer" else Decimal(-1)
    return OpenItem(
        id=view.id,
        kind=view.kind,
        number=view.number,
        partner_name=view.partner_name,
        amount_open=remaining * sign,
        due_date=view.due_date,
        issue_date=view.issue_date,
        partner_iban=view.partner_iban or "",
        references=tuple(view.references or ()),
        partner_id=view.partner_id,
    )


def past_match(row: BankLine) -> PastMatch | None:
    """What the matching memory learns from a matched line: its label went to this partner."""
    if row.matched_partner_id is None:
        return None
    from etabli.engines.matching.model import PastMatch

    return PastMatch(label=row.text, partner=row.matched_partner_id, counterparty_name=row.counterparty_name,
                     counterparty_iban=row.counterparty_iban)


def forecast_line(row: BankLine, account_name: str) -> EngineBankLine:
    """A stored bank line as the spending watch and the cash forecast read it.

    The counterparty is the one the bank gave, else the partner the line was matched to; the category is the
    short French label (« Salaires »), which names the recurring charges and the causes of the alerts."""
    from etabli.engines.spending.types import BankLine as EngineBankLine

    return EngineBankLine(
        date=row.date,
        amount=row.amount,
        label=row.label,
        counterparty=row.counterparty_name or row.matched_partner_name or "",
        category=short_label(row.category) if row.category else "",
        account=account_name,
        document_date=row.document_date,
    )


def is_internal_transfer(row: BankLine) -> bool:
    """A transfer between the company's own accounts is an owner's decision, not spending nor activity: the
    forecast and the spending watch leave it out of what they learn."""
    return row.category == INTERNAL_TRANSFER


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
