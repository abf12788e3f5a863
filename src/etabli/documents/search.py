"""Full-text search over documents, with French stemming and accent folding, on SQLite and PostgreSQL.

- SQLite (the default): an FTS5 virtual table ``documents_fts`` (created by migration 0002, SQLite only)
  holds each document's text already analysed by :class:`etabli.engines.search.FrenchAnalyzer` — elisions
  removed, stop words dropped, Snowball French stems, accents folded — so « factures d'électricité »
  finds « Facture électricité » and « electricite ». Queries go through the same analyser. The table's
  rowid is the document id; company scoping and the other filters come from the join with the documents
  table.
- PostgreSQL: a ``tsvector`` column with a GIN index, built with the ``etabli_french`` text-search
  configuration (French Snowball stemming + ``unaccent``) when the ``unaccent`` extension could be created,
  else with ``french``. Queries use ``websearch_to_tsquery`` and are ranked with ``ts_rank``.

Why not one engine for both: each database has an index made for this; keeping the analysed text in the
database means a search at 100 000 documents is an index lookup, not a scan (see benchmarks/search.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, QuerySet, Value

FTS_TABLE = "documents_fts"
MAX_BODY_CHARS = 200_000
#: Fields worth finding a document by, besides its text (identifiers are also indexed without spaces).
SEARCHED_FIELDS = ("issuer_name", "invoice_number", "order_reference", "siren", "siret", "vat_number", "iban")

_FTS_SAFE = re.compile(r'["*^:()]')


def vendor() -> str:
    return connection.vendor


@lru_cache(maxsize=4)
def _pg_config_for(alias_key: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'etabli_french'")
        return "etabli_french" if cursor.fetchone() else "french"


def pg_config() -> str:
    """The text-search configuration the migration could create (with unaccent), else plain French."""
    settings = connection.settings_dict
    return _pg_config_for(f"{settings.get('HOST')}:{settings.get('PORT')}/{settings.get('NAME')}")


def build_body(document, tag_names: list[str] | tuple[str, ...] = ()) -> str:
    """Everything a person may type to find this document, as plain text."""
    from etabli.documents.models import DOC_TYPE_LABELS

    parts = [
        document.title,
        document.original_filename,
        document.correspondent_name,
        DOC_TYPE_LABELS.get(document.doc_type, "") if document.doc_type else "",
        document.reference,
        " ".join(tag_names),
    ]
    for name in SEARCHED_FIELDS:
        value = document.field_value(name)
        if value:
            parts.append(str(value))
            compact = re.sub(r"[\s.\-]", "", str(value))
            if compact != str(value):
                parts.append(compact)
    parts.append(document.content or "")
    body = "\n".join(part for part in parts if part)
    return body[:MAX_BODY_CHARS]


@lru_cache(maxsize=1)
def _analyzer():
    """The French analyser of the search engine (imported on first use: its package loads scikit-learn)."""
    from etabli.engines.search.analyzer import FrenchAnalyzer

    return FrenchAnalyzer()


def _variants(token: str) -> list[str]:
    """Index terms of one surface token: the Snowball stem of the word as written and of the word without
    accents — they differ for some words (« électricité » → electr, « electricite » → electricit), and a
    person types either."""
    from etabli.engines.search.analyzer import fold_accents, stem_word

    analyzer = _analyzer()
    terms = analyzer.analyze(token)
    if not terms:
        return []
    folded = fold_accents(token)
    if folded.isdigit() or folded == token:
        return terms
    extra = stem_word(folded)
    return terms if extra in terms else [*terms, extra]


def analyse(text: str) -> str:
    return " ".join(term for token in _analyzer().tokens(text) for term in _variants(token))


def index_document(document, tag_names: list[str] | tuple[str, ...] | None = None) -> None:
    """(Re)index one document; called after reading, correcting and validating it."""
    from etabli.documents.models import Document

    if tag_names is None:
        tag_names = list(document.document_tags.values_list("tag__name", flat=True))
    body = build_body(document, tag_names)
    document.search_body = body
    Document.objects.filter(pk=document.pk).update(search_body=body)
    if vendor() == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [document.pk])
            cursor.execute(f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (%s, %s)", [document.pk, analyse(body)])
    elif vendor() == "postgresql":
        config = pg_config()
        Document.objects.filter(pk=document.pk).update(
            search_vector=SearchVector(Value(document.title or ""), config=config, weight="A")
            + SearchVector("correspondent_name", "reference", config=config, weight="A")
            + SearchVector("search_body", config=config, weight="B")
        )


def remove_document(document_id: int) -> None:
    if vendor() == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [document_id])


def fts_match_expression(text: str) -> str | None:
    """The FTS5 MATCH expression for a query typed by a person (every term required), or None if empty.

    Terms are quoted (no FTS syntax can be injected); each word matches either of its stems (accented or
    not); the last one is a prefix when the person is still typing it (« factu » finds « facture »).
    """
    groups = []
    for token in _analyzer().tokens(text):
        terms = [term for term in (_FTS_SAFE.sub("", t) for t in _variants(token)) if term]
        if terms:
            groups.append(terms)
    if not groups:
        return None
    typing = bool(text) and not text[-1].isspace()
    parts = []
    for index, terms in enumerate(groups):
        last = index == len(groups) - 1
        quoted = [f'"{term}"' + ("*" if last and typing and _prefixable(term) else "") for term in terms]
        parts.append(quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")")
    return " AND ".join(parts)


#: Above this many matches, results come newest first instead of by relevance: ranking every match of a
#: word found in a third of 100 000 documents costs ~100 ms, and for such a word relevance says little.
RANK_MAX_MATCHES = 3000


def _prefixable(term: str) -> bool:
    """A word being typed is searched as a prefix from 3 letters (« fac » → facture); numbers are searched
    whole: « 20* » would expand to every number and date starting with 20."""
    return len(term) >= 3 and not term.isdigit()


def apply_text_search(queryset: QuerySet, text: str) -> tuple[QuerySet, bool, bool]:
    """Restrict ``queryset`` to documents matching ``text``.

    Returns (queryset, text_applied, ranked). When ``ranked``, the queryset is annotated with ``score``
    (higher is better); otherwise (too many matches to rank cheaply) the caller orders by date.
    ``text_applied`` is False when the text holds only stop words (« les », « de »): nothing is filtered.
    """
    text = (text or "").strip()
    if not text:
        return queryset, False, False
    table = queryset.model._meta.db_table
    if vendor() == "postgresql":
        query = SearchQuery(text, config=pg_config(), search_type="websearch")
        matched = queryset.filter(search_vector=query)
        # Counting stops at the threshold: deciding whether to rank must not cost a full count.
        if matched.order_by().values("pk")[: RANK_MAX_MATCHES + 1].count() > RANK_MAX_MATCHES:
            return matched, True, False
        return matched.annotate(score=SearchRank(F("search_vector"), query)), True, True
    match = fts_match_expression(text)
    if match is None:
        return queryset, False, False
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
        matches = cursor.fetchone()[0]
    if matches > RANK_MAX_MATCHES:
        # « +id » keeps SQLite on the (company, date) index, probing the set of matching ids: a few ms.
        return (
            queryset.extra(where=[f"+{table}.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"],
                           params=[match]),
            True,
            False,
        )
    # (the caller may set ``count_sql`` with :func:`fts_count_sql` when the text is its only criterion)
    return (
        queryset.extra(
            tables=[FTS_TABLE],
            where=[f"{FTS_TABLE}.rowid = {table}.id", f"{FTS_TABLE} MATCH %s"],
            params=[match],
            select={"score": f"-bm25({FTS_TABLE})"},
        ),
        True,
        True,
    )


def fts_count_sql(text: str, company_id: int) -> tuple[str, list] | None:
    """SQLite: the count of a company's documents matching ``text``, driven by the full-text index."""
    if vendor() != "sqlite":
        return None
    match = fts_match_expression(text)
    if match is None:
        return None
    sql = (f"SELECT count(*) FROM {FTS_TABLE} JOIN documents_document d ON d.id = {FTS_TABLE}.rowid "
           f"WHERE {FTS_TABLE} MATCH %s AND d.company_id = %s")
    return sql, [match, company_id]


def rebuild(company=None) -> int:
    """Reindex every document (of one company): after a restore, or to repair the index."""
    from etabli.documents.models import Document

    qs = Document.objects.all() if company is None else Document.objects.for_company(company)
    count = 0
    for document in qs.iterator(chunk_size=200):
        index_document(document)
        count += 1
    return count
