"""The natural-language search box: a French phrase parsed into document filters, without an LLM.

Usage::

    from datetime import date
    from etabli.engines.query import QueryParser, parse_query

    parsed = parse_query("factures EDF de plus de 500 € en 2025", today=date(2026, 2, 10),
                         correspondents=["EDF", "Dupont SARL"], tags=["énergie"])
    parsed.doc_types        # ("facture_fournisseur", "facture_client")
    parsed.correspondent    # "EDF"
    parsed.amount_min       # Decimal("500.00"), parsed.amount_min_strict is True
    parsed.date_from, parsed.date_to   # date(2025, 1, 1), date(2025, 12, 31)
    parsed.summary          # "Factures · correspondant EDF · montant > 500 € · année 2025"
    parsed.text, parsed.not_understood

An optional LLM helper (:class:`QueryLLM`) may fill what the rules could not read; never required.
"""

from etabli.engines.query.dates import Period
from etabli.engines.query.errors import QueryError
from etabli.engines.query.models import ParsedQuery
from etabli.engines.query.parser import TYPE_PHRASES, QueryLLM, QueryParser, parse_number, parse_query
from etabli.engines.query.summary import build_summary, format_amount

__all__ = [
    "TYPE_PHRASES",
    "ParsedQuery",
    "Period",
    "QueryError",
    "QueryLLM",
    "QueryParser",
    "build_summary",
    "format_amount",
    "parse_number",
    "parse_query",
]
