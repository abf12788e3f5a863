"""The structured filters a search phrase was parsed into.

Why a dataclass with a summary and the parts not understood: the app applies the filters, shows the
summary under the search box (« Factures · correspondant EDF · montant > 500 € · année 2025 ») so the
owner sees how the phrase was read, and shows what was not understood instead of silently dropping it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

Source = Literal["règles", "llm"]


@dataclass(frozen=True)
class ParsedQuery:
    """Filters for the document search.

    - ``doc_types``: type codes of :mod:`etabli.engines.classify.labels` (any of them);
    - ``correspondents``: known correspondent names as given to the parser (any of them), best first;
    - ``amount_min`` / ``amount_max``: bounds on the document's total (TTC), in euros, with
      ``*_strict`` telling « plus de 500 € » (> 500) from « au moins 500 € » (≥ 500);
    - ``date_from`` / ``date_to``: inclusive bounds on the document's date; ``period_label`` says the
      period in words (« année 2025 », « mars 2026 », « 1er trimestre 2025 »);
    - ``tags``: known tags (all of them);
    - ``text``: the words left for full-text search, as typed;
    - ``not_understood``: fragments that looked like a filter but could not be read (« plus de mille
      balles »), shown to the owner rather than searched;
    - ``sources``: which parser filled each field (« règles » or « llm »).
    """

    raw: str
    doc_types: tuple[str, ...] = ()
    correspondents: tuple[str, ...] = ()
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    amount_min_strict: bool = False
    amount_max_strict: bool = False
    date_from: date | None = None
    date_to: date | None = None
    period_label: str = ""
    tags: tuple[str, ...] = ()
    text: str = ""
    not_understood: tuple[str, ...] = ()
    summary: str = ""
    notes: tuple[str, ...] = ()
    sources: Mapping[str, Source] = field(default_factory=dict)

    @property
    def correspondent(self) -> str | None:
        """The best correspondent, or None (several when the name was ambiguous: see ``correspondents``)."""
        return self.correspondents[0] if self.correspondents else None

    @property
    def is_empty(self) -> bool:
        """True when the phrase asks for nothing in particular (all documents)."""
        return not (
            self.doc_types
            or self.correspondents
            or self.amount_min is not None
            or self.amount_max is not None
            or self.date_from
            or self.date_to
            or self.tags
            or self.text
        )

    def as_filters(self) -> dict[str, object]:
        """JSON-friendly filters (ISO dates, amounts as strings) for the API and the logs."""
        return {
            "doc_types": list(self.doc_types),
            "correspondent": self.correspondent,
            "correspondents": list(self.correspondents),
            "amount_min": None if self.amount_min is None else str(self.amount_min),
            "amount_min_strict": self.amount_min_strict,
            "amount_max": None if self.amount_max is None else str(self.amount_max),
            "amount_max_strict": self.amount_max_strict,
            "date_from": None if self.date_from is None else self.date_from.isoformat(),
            "date_to": None if self.date_to is None else self.date_to.isoformat(),
            "tags": list(self.tags),
            "text": self.text,
        }
