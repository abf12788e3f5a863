"""The JSON contract of ``etabli documents extract FILE… --json`` (issue 4, §7).

Amounts are JSON **numbers** with at most two decimals (29.99), written from ``Decimal`` through
``float``: every amount below 10^13 round-trips exactly through the shortest float repr, so a consumer
that wants Decimals reads them back with ``json.loads(text, parse_float=Decimal)``. Dates are ISO
strings, missing fields are ``null`` with confidence 0.0.
"""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from typing import Any

from etabli.engines.extract.api import extract_invoice
from etabli.engines.extract.models import InvoiceExtraction
from etabli.engines.ocr.models import ReadOptions
from etabli.engines.ocr.reader import read_document

#: The fields of the contract, in order (a subset of ``models.FIELD_NAMES``).
CONTRACT_FIELDS: tuple[str, ...] = (
    "issuer_name",
    "siren",
    "vat_number",
    "invoice_number",
    "issue_date",
    "due_date",
    "currency",
    "total_ht",
    "total_tva",
    "total_ttc",
    "iban",
)


def json_value(value: object) -> Any:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_contract(extraction: InvoiceExtraction, file: str) -> dict[str, Any]:
    """One file's entry of the CLI JSON: file, doc_type, fields, confidence, checks."""
    return {
        "file": file,
        "doc_type": extraction.doc_type,
        "fields": {name: json_value(extraction.value(name)) for name in CONTRACT_FIELDS},
        "confidence": {name: round(extraction.confidence(name), 3) for name in CONTRACT_FIELDS},
        "checks": [check.as_dict() for check in extraction.checks],
    }


def extract_file_contract(
    path: str | os.PathLike[str], *, options: ReadOptions | None = None
) -> dict[str, Any]:
    """Read, extract and shape one file for the CLI (``DocumentReadError`` propagates to the caller)."""
    return to_contract(extract_invoice(read_document(path, options=options)), os.fspath(path))
