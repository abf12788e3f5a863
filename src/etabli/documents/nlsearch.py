"""The natural-language search box: « factures EDF de plus de 500 € en 2025 » → filters + remaining text.

Parsing is done by :func:`etabli.engines.query.parse_query` (rules, no LLM needed) with the company's own
vocabulary — the correspondents of its documents and billing partners, its tags — so that « contrats
Dupont » finds « Dupont SARL ». This module adapts the result to the app's
:class:`~etabli.documents.selectors.DocumentFilters` and keeps the engine's French summary (« Factures ·
correspondant EDF · montant > 500 € · année 2025 ») to show how the sentence was understood, with what was
not understood rather than silently dropped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from django.utils import timezone

from etabli.core.models import Company
from etabli.documents import adapters
from etabli.documents.models import Tag
from etabli.documents.selectors import DocumentFilters, correspondents


@dataclass
class Interpretation:
    filters: DocumentFilters
    explanation: list[str] = field(default_factory=list)
    engine: str = ""

    def as_dict(self) -> dict:
        f = self.filters
        return {
            "text": f.text or None,
            "doc_types": f.doc_types,
            "correspondents": f.correspondents,
            "date_from": f.date_from.isoformat() if f.date_from else None,
            "date_to": f.date_to.isoformat() if f.date_to else None,
            "amount_min": str(f.amount_min) if f.amount_min is not None else None,
            "amount_min_strict": f.amount_min_strict,
            "amount_max": str(f.amount_max) if f.amount_max is not None else None,
            "amount_max_strict": f.amount_max_strict,
            "tags": f.tags,
            "explanation": self.explanation,
        }


def vocabulary(company: Company) -> tuple[list[str], list[str]]:
    names = [name for _, name in correspondents(company)]
    known = {name.casefold() for name in names}
    for partner in adapters.partners(company=company):
        if partner.name.casefold() not in known:
            names.append(partner.name)
            known.add(partner.name.casefold())
    tags = list(Tag.objects.for_company(company).values_list("name", flat=True))
    return names, tags


def interpret(*, company: Company, text: str, base: DocumentFilters | None = None,
              today: dt.date | None = None) -> Interpretation:
    """Filters for a sentence typed in the search box (criteria already chosen in ``base`` are kept)."""
    from etabli.engines.query import QueryError, parse_query

    base = base or DocumentFilters()
    today = today or timezone.localdate()
    names, tags = vocabulary(company)
    try:
        parsed = parse_query(text, today=today, correspondents=names, tags=tags)
    except QueryError as exc:
        return Interpretation(replace(base, text=text.strip()), [str(exc)], engine="texte")
    filters = filters_from_parsed(parsed, base)
    explanation = [parsed.summary] if parsed.summary else []
    if len(parsed.correspondents) > 1:
        explanation.append("Plusieurs correspondants possibles : " + ", ".join(parsed.correspondents)
                           + " (tous recherchés)")
    explanation.extend(parsed.notes)
    if parsed.not_understood:
        explanation.append("Non compris : " + ", ".join(f"« {part} »" for part in parsed.not_understood))
    return Interpretation(filters, explanation, engine="règles")


def filters_from_parsed(parsed, base: DocumentFilters | None = None) -> DocumentFilters:
    """The app's filters for a :class:`etabli.engines.query.ParsedQuery` (criteria of ``base`` kept)."""
    base = base or DocumentFilters()
    return replace(
        base,
        text=" ".join(part for part in (base.text, parsed.text) if part).strip(),
        doc_types=list(parsed.doc_types) or base.doc_types,
        correspondents=list(parsed.correspondents) or base.correspondents,
        amount_min=parsed.amount_min if parsed.amount_min is not None else base.amount_min,
        amount_min_strict=parsed.amount_min_strict if parsed.amount_min is not None else base.amount_min_strict,
        amount_max=parsed.amount_max if parsed.amount_max is not None else base.amount_max,
        amount_max_strict=parsed.amount_max_strict if parsed.amount_max is not None else base.amount_max_strict,
        date_from=parsed.date_from or base.date_from,
        date_to=parsed.date_to or base.date_to,
        tags=[*base.tags, *(t for t in parsed.tags if t not in base.tags)],
    )
