"""Writes of billing. The names below are the public interface other apps code against (banking records
payments and supplier invoices, documents creates supplier invoices from scans, the assistant reads
through selectors); the modules of this package hold the rest.
"""

from etabli.billing.dto import ImportResult, OpenInvoiceView, PartnerView, PaymentView
from etabli.billing.errors import BillingError
from etabli.billing.services.documents import (
    create_credit_note,
    create_invoice,
    create_quote,
    delete_draft_invoice,
    deposit_from_quote,
    invoice_from_quote,
    issue_invoice,
    set_quote_status,
    update_draft_invoice,
    update_quote,
)
from etabli.billing.services.partners import create_partner, update_partner, upsert_supplier
from etabli.billing.services.payments import record_payment
from etabli.billing.services.purchases import create_supplier_invoice, import_einvoice

__all__ = [
    "BillingError",
    "ImportResult",
    "OpenInvoiceView",
    "PartnerView",
    "PaymentView",
    "create_credit_note",
    "create_invoice",
    "create_partner",
    "create_quote",
    "create_supplier_invoice",
    "delete_draft_invoice",
    "deposit_from_quote",
    "import_einvoice",
    "invoice_from_quote",
    "issue_invoice",
    "record_payment",
    "set_quote_status",
    "update_draft_invoice",
    "update_partner",
    "update_quote",
    "upsert_supplier",
]
