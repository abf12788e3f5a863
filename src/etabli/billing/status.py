"""Invoice status from amounts and dates: one function, used when writing and when reading.

Why computed here rather than only stored: "overdue" depends on today's date. The stored status is brought
up to date by every payment and by the daily pass; readers call `effective_status` so that a page opened
the morning after a due date already says "En retard".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from etabli.billing.models import DocType, Invoice, InvoiceStatus

ZERO = Decimal("0.00")

STATUS_LABELS = dict(InvoiceStatus.choices)


def compute_status(invoice: Invoice, today: dt.date) -> str:
    """The status the amounts and dates imply (drafts stay drafts)."""
    if invoice.status == InvoiceStatus.DRAFT:
        return InvoiceStatus.DRAFT
    settled = invoice.prepaid_amount + invoice.amount_paid + invoice.amount_credited
    open_amount = invoice.total_ttc - settled
    if (
        invoice.doc_type != DocType.CREDIT_NOTE
        and invoice.total_ttc > 0
        and invoice.amount_paid == 0
        and invoice.prepaid_amount == 0
        and invoice.amount_credited >= invoice.total_ttc
    ):
        return InvoiceStatus.CANCELLED
    if open_amount <= 0:
        return InvoiceStatus.PAID
    if invoice.doc_type != DocType.CREDIT_NOTE and invoice.due_date is not None and invoice.due_date < today:
        return InvoiceStatus.OVERDUE
    if invoice.amount_paid > 0 or invoice.amount_credited > 0 or invoice.prepaid_amount > 0:
        return InvoiceStatus.PARTIALLY_PAID
    return InvoiceStatus.ISSUED


def effective_status(invoice: Invoice, today: dt.date) -> str:
    if invoice.status in (InvoiceStatus.DRAFT, InvoiceStatus.PAID, InvoiceStatus.CANCELLED):
        return invoice.status
    return compute_status(invoice, today)


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))
