"""Read-only views of billing data handed to other apps (banking, documents, assistant, forecast).

Why frozen dataclasses rather than model instances: other apps code against these names and must never
write billing rows by accident; billing can change its tables without breaking them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class FieldConflict:
    """A value we already had that differs from the one proposed (never overwritten silently)."""

    field: str
    existing: str
    proposed: str


@dataclass(frozen=True)
class PartnerView:
    id: int
    kind: str  # "customer" | "supplier"
    name: str
    siren: str
    siret: str
    vat_number: str
    iban: str
    email: str
    postcode: str
    city: str
    legal_type: str = "company"
    address_line1: str = ""
    sector: str = ""
    payment_terms_days: int = 30
    created: bool = False
    conflicts: tuple[FieldConflict, ...] = ()
    match: str = ""  # how find_partner found it: "siren", "siret", "vat_number", "iban", "name"
    match_score: float | None = None


@dataclass(frozen=True)
class OpenInvoiceView:
    id: int
    kind: str  # "customer" | "supplier"
    number: str
    partner_id: int
    partner_name: str
    partner_iban: str
    partner_siren: str
    amount_open: Decimal  # positive: still to be received (customer) / to be paid (supplier)
    total_ttc: Decimal
    issue_date: dt.date | None
    due_date: dt.date | None
    expected_payment_date: dt.date | None
    expected_payment_date_optimistic: dt.date | None
    expected_payment_date_pessimistic: dt.date | None
    late_probability: float | None
    status: str  # draft | issued | partially_paid | paid | overdue | cancelled
    references: tuple[str, ...]  # order reference, quote number, related invoice…
    doc_type: str = "invoice"
    currency: str = "EUR"
    total_ht: Decimal = Decimal("0.00")
    total_tva: Decimal = Decimal("0.00")
    status_label: str = ""
    risk_score: int | None = None
    risk_reasons: tuple[str, ...] = ()
    partner_vat_number: str = ""


@dataclass(frozen=True)
class InvoiceStatusView:
    number: str
    status: str  # French label
    total_ttc: Decimal
    amount_open: Decimal
    due_date: dt.date | None
    last_payment_date: dt.date | None


@dataclass(frozen=True)
class PaymentView:
    id: int
    invoice_id: int
    invoice_number: str
    amount: Decimal
    date: dt.date
    method: str
    reference: str
    source: str
    external_ref: str
    invoice_status: str
    invoice_amount_open: Decimal
    created: bool = True  # False when an earlier call with the same external_ref already recorded it


@dataclass(frozen=True)
class ImportResult:
    """What `import_einvoice` stored."""

    invoice: OpenInvoiceView
    partner: PartnerView
    direction: str
    syntax: str  # "cii" | "ubl" | "zugferd1"
    profile: str
    doc_type: str
    warnings: tuple[str, ...] = field(default_factory=tuple)
