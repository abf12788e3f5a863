"""The French one-line summary of parsed filters, shown under the search box.

« Factures · correspondant EDF · montant > 500 € · année 2025 »: the owner checks at a glance how the
phrase was read, and rephrases when it was misread.
"""

from __future__ import annotations

from decimal import Decimal

from etabli.common.formats import format_eur
from etabli.engines.classify.labels import DOC_TYPE_PLURALS, INVOICE_TYPES
from etabli.engines.query.models import ParsedQuery

SEPARATOR = " · "


def format_amount(value: Decimal) -> str:
    """500 → « 500 € », 1500.5 → « 1 500,50 € » (no cents when there are none)."""
    return format_eur(value, decimals=0) if value == value.to_integral() else format_eur(value)


def _types(doc_types: tuple[str, ...]) -> str:
    names: list[str] = []
    rest = list(doc_types)
    if all(t in rest for t in INVOICE_TYPES):
        names.append("Factures")
        rest = [t for t in rest if t not in INVOICE_TYPES]
    names.extend(DOC_TYPE_PLURALS.get(t, t) for t in rest)
    text = " ou ".join(names)
    return text[:1].upper() + text[1:]


def _amount(parsed: ParsedQuery) -> str:
    low, high = parsed.amount_min, parsed.amount_max
    if low is not None and high is not None:
        if low == high:
            return f"montant = {format_amount(low)}"
        return f"montant entre {format_amount(low)} et {format_amount(high)}"
    if low is not None:
        return f"montant {'>' if parsed.amount_min_strict else '≥'} {format_amount(low)}"
    if high is not None:
        return f"montant {'<' if parsed.amount_max_strict else '≤'} {format_amount(high)}"
    return ""


def build_summary(parsed: ParsedQuery) -> str:
    """The filters in French, most important first; « Tous les documents » when there is none."""
    parts: list[str] = []
    if parsed.doc_types:
        parts.append(_types(parsed.doc_types))
    if parsed.correspondents:
        parts.append("correspondant " + " ou ".join(parsed.correspondents))
    amount = _amount(parsed)
    if amount:
        parts.append(amount)
    if parsed.period_label:
        parts.append(parsed.period_label)
    if parsed.tags:
        parts.append(("étiquettes " if len(parsed.tags) > 1 else "étiquette ") + ", ".join(parsed.tags))
    if parsed.text:
        parts.append(f"texte « {parsed.text} »")
    if not parts:
        parts.append("Tous les documents")
    summary = SEPARATOR.join(parts)
    return summary[:1].upper() + summary[1:]
