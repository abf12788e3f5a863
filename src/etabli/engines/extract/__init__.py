"""Generic invoice field extraction (no per-issuer template) with confidences and cross-checks.

Usage::

    from etabli.engines.ocr import read_document
    from etabli.engines.extract import extract_invoice, to_contract

    extraction = extract_invoice(read_document("facture.pdf"))
    extraction.value("total_ttc")          # Decimal("29.99")
    extraction.fields["total_ttc"].location  # Location(page=1, x0=…, top=…, x1=…, bottom=…)
    [c.message for c in extraction.checks if not c.ok]  # French explanations
    to_contract(extraction, "facture.pdf")  # the `etabli documents extract --json` entry

E-invoices (Factur-X PDF, CII/UBL/ZUGFeRD XML) are read from their XML with confidence 1.0.
"""

from etabli.engines.extract.api import extract_from_text, extract_invoice, extract_path
from etabli.engines.extract.checks import apply_checks, run_checks
from etabli.engines.extract.contract import CONTRACT_FIELDS, extract_file_contract, json_value, to_contract
from etabli.engines.extract.einvoice import EInvoiceError, read_einvoice_fields
from etabli.engines.extract.models import (
    FIELD_NAMES,
    Check,
    FieldValue,
    InvoiceExtraction,
    Location,
    VatRateLine,
)

__all__ = [
    "CONTRACT_FIELDS",
    "FIELD_NAMES",
    "Check",
    "EInvoiceError",
    "FieldValue",
    "InvoiceExtraction",
    "Location",
    "VatRateLine",
    "apply_checks",
    "extract_file_contract",
    "extract_from_text",
    "extract_invoice",
    "extract_path",
    "json_value",
    "read_einvoice_fields",
    "run_checks",
    "to_contract",
]
