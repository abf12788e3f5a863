"""Invoice fields as the app stores and shows them: French labels, JSON form, typed values.

Why strings in JSON: amounts must stay exact Decimals (« 1500.00 », never a float) and dates ISO; the
typed value is rebuilt with :func:`typed` where arithmetic or billing needs it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from etabli.common.money import round_cents, to_decimal

if TYPE_CHECKING:
    from etabli.engines.extract import InvoiceExtraction

FIELD_LABELS: dict[str, str] = {
    "issuer_name": "Émetteur",
    "siren": "SIREN",
    "siret": "SIRET",
    "vat_number": "N° de TVA",
    "invoice_number": "N° de facture",
    "issue_date": "Date",
    "due_date": "Échéance",
    "currency": "Devise",
    "total_ht": "Total HT",
    "total_tva": "Total TVA",
    "total_ttc": "Total TTC",
    "iban": "IBAN",
    "order_reference": "Réf. de commande",
}
FIELD_ORDER = tuple(FIELD_LABELS)
AMOUNT_FIELDS = ("total_ht", "total_tva", "total_ttc")
DATE_FIELDS = ("issue_date", "due_date")
#: Fields whose confidence decides whether filing may be automatic (for invoices and credit notes).
KEY_INVOICE_FIELDS = ("issuer_name", "invoice_number", "issue_date", "total_ttc")
SOURCE_LABELS = {"xml": "facture électronique", "text": "texte du document", "derived": "calculé",
                 "human": "saisi par une personne"}


def as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(round_cents(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def from_extraction(extraction: InvoiceExtraction) -> tuple[dict, list[dict], list[dict]]:
    """(fields, vat breakdown, checks) of an extraction in their stored JSON form."""
    fields = {}
    for name, found in extraction.fields.items():
        fields[name] = {
            "value": as_text(found.value),
            "confidence": round(float(found.confidence), 3),
            "source": found.source,
            "location": found.location.as_dict() if found.location else None,
            "evidence": found.evidence[:200],
        }
    breakdown = [
        {"rate": str(row.rate), "base": as_text(row.base) if row.base is not None else None,
         "vat": as_text(row.vat) if row.vat is not None else None,
         "location": row.location.as_dict() if row.location else None}
        for row in extraction.vat_breakdown
    ]
    checks = [{"name": c.name, "ok": c.ok, "message": c.message, "fields": list(c.fields)} for c in extraction.checks]
    return fields, breakdown, checks


def typed(name: str, value: object):
    """The Python value of a stored field (Decimal, date or str), None when empty or invalid."""
    if value in (None, ""):
        return None
    if name in AMOUNT_FIELDS:
        try:
            return round_cents(to_decimal(value))
        except (ValueError, TypeError, InvalidOperation):
            return None
    if name in DATE_FIELDS:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            return None
    return str(value)


def parse_input(name: str, raw: str) -> tuple[str, str | None]:
    """A value typed by a person → (stored text, French error or None)."""
    text = (raw or "").strip()
    if not text:
        return "", None
    if name in AMOUNT_FIELDS:
        try:
            return as_text(round_cents(to_decimal(text))), None
        except (ValueError, TypeError, InvalidOperation):
            return text, f"« {FIELD_LABELS[name]} » doit être un montant (ex. 1 234,56)."
    if name in DATE_FIELDS:
        for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d.%m.%Y"):
            try:
                return dt.datetime.strptime(text, fmt).date().isoformat(), None
            except ValueError:
                continue
        return text, f"« {FIELD_LABELS[name]} » doit être une date (JJ/MM/AAAA)."
    if name in ("siren", "siret", "vat_number", "iban"):
        return text.replace(" ", "").replace(".", "").upper(), None
    if name == "currency":
        return text.upper()[:3], None
    return text[:200], None


def display(name: str, value: object) -> str:
    """French display of a stored value (1 234,56 €, 26/11/2026)."""
    from etabli.common.formats import format_date, format_eur

    typed_value = typed(name, value)
    if typed_value is None:
        return ""
    if name in AMOUNT_FIELDS:
        return format_eur(typed_value)
    if name in DATE_FIELDS:
        return format_date(typed_value)
    return str(typed_value)
