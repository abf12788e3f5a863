"""Results of invoice field extraction: each field with its value, confidence and where it was read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

FieldSource = Literal["xml", "text", "derived"]
DocType = Literal["facture", "avoir", "devis", "autre"]

#: Every field the engine extracts, in display order.
FIELD_NAMES: tuple[str, ...] = (
    "issuer_name",
    "siren",
    "siret",
    "vat_number",
    "invoice_number",
    "issue_date",
    "due_date",
    "currency",
    "total_ht",
    "total_tva",
    "total_ttc",
    "iban",
    "order_reference",
)

AMOUNT_FIELDS = ("total_ht", "total_tva", "total_ttc")
DATE_FIELDS = ("issue_date", "due_date")


@dataclass(frozen=True)
class Location:
    """Where a value was read: 1-based page and box in points (top-left origin, as displayed)."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float

    def as_dict(self) -> dict[str, float | int]:
        return {"page": self.page, "x0": self.x0, "top": self.top, "x1": self.x1, "bottom": self.bottom}


@dataclass(frozen=True)
class FieldValue:
    """One extracted field. ``value`` is a str, a ``date`` or a ``Decimal`` (amounts, to the cent)."""

    value: str | date | Decimal
    confidence: float
    source: FieldSource
    location: Location | None = None
    evidence: str = ""


@dataclass(frozen=True)
class VatRateLine:
    """One row of the VAT breakdown: rate in percent, taxable base and VAT amount (either may be unknown)."""

    rate: Decimal
    base: Decimal | None
    vat: Decimal | None
    location: Location | None = None


@dataclass(frozen=True)
class Check:
    """A cross-check on the extracted fields; ``message`` is French and shown to the owner."""

    name: str
    ok: bool
    message: str
    fields: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "ok": self.ok, "message": self.message}


@dataclass(frozen=True)
class InvoiceExtraction:
    """The fields of one document, its VAT breakdown, the checks run on them and its rough type."""

    fields: dict[str, FieldValue]
    vat_breakdown: tuple[VatRateLine, ...]
    checks: tuple[Check, ...]
    doc_type: DocType
    source_kind: str
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def value(self, name: str) -> str | date | Decimal | None:
        found = self.fields.get(name)
        return None if found is None else found.value

    def confidence(self, name: str) -> float:
        found = self.fields.get(name)
        return 0.0 if found is None else found.confidence
