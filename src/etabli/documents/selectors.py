"""Reads of the documents app, always scoped by company: lists with filters, full-text search, counts,
and the natural-language search box (parsed into filters by ``etabli.engines.query``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import CharField, Count, DecimalField, Func, Q, QuerySet
from django.db.models.functions import Coalesce

from etabli.core.models import Company
from etabli.documents import search
from etabli.documents.models import (
    Document,
    DocumentPage,
    DocumentStatus,
    DocumentTag,
    EntryStatus,
    Tag,
    fold_key,
)


@dataclass
class DocumentFilters:
    """What a person (or the natural-language box) asked for. Every criterion is optional."""

    text: str = ""
    doc_types: list[str] = field(default_factory=list)
    partner_id: int | None = None
    correspondent: str = ""  # part of the correspondent's name (typed in the filter)
    correspondents: list[str] = field(default_factory=list)  # exact names (any of them), from the search box
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    amount_min_strict: bool = False  # « plus de 500 € » is > 500, « au moins 500 € » is ≥ 500
    amount_max_strict: bool = False
    tags: list[str] = field(default_factory=list)
    status: str = ""
    sort: str = ""  # "" (relevance when text, else newest) | "date" | "-date" | "amount" | "-amount"

    def is_empty(self) -> bool:
        return not any((self.text, self.doc_types, self.partner_id, self.correspondent, self.correspondents,
                        self.date_from,
                        self.date_to, self.amount_min is not None, self.amount_max is not None, self.tags,
                        self.status))


def documents(company: Company) -> QuerySet[Document]:
    return Document.objects.for_company(company)


def get_document(company: Company, pk: int) -> Document | None:
    return Document.objects.for_company(company).select_related("duplicate_of", "filing_review", "entry_review",
                                                                "ai_decision").filter(pk=pk).first()


#: Up to this many matching rows, results are filtered first then sorted (see ``filter_documents``).
SELECTIVE_ROWS = 5000
#: Large columns a list of documents never shows: left out so that sorting thousands of matches stays cheap.
LIST_DEFERRED = ("content", "search_body", "search_vector", "fields", "checks", "vat_breakdown", "accounting_entry",
                 "warnings", "doc_type_reasons", "doc_type_alternatives", "duplicate_reasons",
                 "human_required_reasons")


class Unindexed(Func):
    """``+column``: the same value, which SQLite will not look up through an index (see filter_documents)."""

    template = "+%(expressions)s"


def _criteria(qs: QuerySet, company: Company, filters: DocumentFilters, *, unindexed: bool = False) -> QuerySet:
    """Every criterion but the text. ``unindexed`` keeps type and amount off their indexes (SQLite)."""
    type_field, amount_field = "doc_type", "amount_ttc"
    if unindexed:
        qs = qs.alias(type_unindexed=Unindexed("doc_type", output_field=CharField()),
                      amount_unindexed=Unindexed("amount_ttc", output_field=DecimalField(max_digits=14,
                                                                                          decimal_places=2)))
        type_field, amount_field = "type_unindexed", "amount_unindexed"
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.doc_types:
        qs = qs.filter(**{f"{type_field}__in": filters.doc_types})
    if filters.partner_id:
        qs = qs.filter(partner_id=filters.partner_id)
    if filters.correspondent:
        qs = qs.filter(correspondent_key__contains=fold_key(filters.correspondent))
    if filters.correspondents:
        qs = qs.filter(correspondent_key__in=[fold_key(name) for name in filters.correspondents])
    # ``sort_date`` is the document's date, or the day it was received when no date was read.
    if filters.date_from:
        qs = qs.filter(sort_date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(sort_date__lte=filters.date_to)
    if filters.amount_min is not None:
        lookup = "gt" if filters.amount_min_strict else "gte"
        qs = qs.filter(**{f"{amount_field}__{lookup}": filters.amount_min})
    if filters.amount_max is not None:
        lookup = "lt" if filters.amount_max_strict else "lte"
        qs = qs.filter(**{f"{amount_field}__{lookup}": filters.amount_max})
    for name in filters.tags:
        tag_ids = list(Tag.objects.for_company(company).filter(name__iexact=name).values_list("pk", flat=True))
        qs = qs.filter(pk__in=DocumentTag.objects.filter(company=company, tag_id__in=tag_ids).values("document_id"))
    return qs


def filter_documents(company: Company, filters: DocumentFilters) -> QuerySet[Document]:
    """Documents matching every criterion; ordered by relevance when there is text, else newest first.

    Built to answer in well under 100 ms at 100 000 documents (benchmarks/search.py):
    - the large columns (text, fields) are deferred — a list shows titles and amounts;
    - a frequent word is not ranked (see ``search.RANK_MAX_MATCHES``) and its count comes from the
      full-text index;
    - without text, when the criteria keep many documents (« factures de plus de 500 € »), the newest are
      found by walking the date index (a few ms), the other criteria checked on the way; when they keep
      few (« factures de moins de 100 € »), they are looked up by their own index then sorted.
    """
    base = Document.objects.for_company(company).defer(*LIST_DEFERRED)
    qs = _criteria(base, company, filters)
    ranked = text_applied = False
    if filters.text:
        qs, text_applied, ranked = search.apply_text_search(qs, filters.text)
        if text_applied and replace(filters, text="", sort="").is_empty():
            qs.count_sql = search.fts_count_sql(filters.text, company.pk)
    order = {"date": ("sort_date", "id"), "-date": ("-sort_date", "-id"), "amount": ("amount_ttc", "id"),
             "-amount": ("-amount_ttc", "-id")}.get(filters.sort)
    if order:
        return qs.order_by(*order)
    if ranked:
        return qs.order_by("-score", "-id")
    if replace(filters, status="", sort="").is_empty():
        return qs.order_by("-created_at", "-id")  # the inbox: last received first
    if text_applied:  # a word too frequent to rank: the matches are many, newest first by the date index
        return qs.order_by("-sort_date", "-id")
    if qs.count() <= SELECTIVE_ROWS:
        # Few documents: fetched by their own index, then sorted (the expression keeps the database off the
        # date index, which it would otherwise walk through all 100 000 rows).
        return qs.order_by(Coalesce("sort_date", "doc_date").desc(), "-id")
    if search.vendor() == "sqlite":
        qs = _criteria(base, company, filters, unindexed=True)
    return qs.order_by("-sort_date", "-id")


def status_counts(company: Company) -> dict[str, int]:
    rows = Document.objects.for_company(company).values("status").annotate(n=Count("id")).order_by()
    counts = {status: 0 for status in DocumentStatus.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def type_counts(company: Company) -> dict[str, int]:
    rows = (Document.objects.for_company(company).exclude(doc_type="").values("doc_type")
            .annotate(n=Count("id")).order_by())
    return {row["doc_type"]: row["n"] for row in rows}


def tags(company: Company) -> QuerySet[Tag]:
    return Tag.objects.for_company(company).annotate(n=Count("document_tags")).order_by("name")


def document_tags(document: Document) -> list[DocumentTag]:
    return list(document.document_tags.select_related("tag").order_by("tag__name"))


def pages(document: Document) -> list[DocumentPage]:
    return list(DocumentPage.objects.filter(company_id=document.company_id, document=document).order_by("number"))


def correspondents(company: Company) -> list[tuple[int | None, str]]:
    rows = (Document.objects.for_company(company).exclude(correspondent_name="")
            .values_list("partner_id", "correspondent_name").distinct().order_by("correspondent_name"))
    seen, result = set(), []
    for partner_id, name in rows:
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            result.append((partner_id, name))
    return result


def pending(company: Company) -> QuerySet[Document]:
    return Document.objects.for_company(company).filter(
        Q(status__in=(DocumentStatus.RECEIVED, DocumentStatus.PROCESSING)))


def booked_entries(company: Company, *, date_from: dt.date | None = None, date_to: dt.date | None = None) -> list[dict]:
    """Purchase entries validated from documents (for an FEC export or the accountant)."""
    qs = Document.objects.for_company(company).filter(entry_status=EntryStatus.BOOKED).order_by("doc_date", "id")
    if date_from:
        qs = qs.filter(doc_date__gte=date_from)
    if date_to:
        qs = qs.filter(doc_date__lte=date_to)
    return [{"document_id": d.pk, "title": d.title, **d.accounting_entry} for d in qs]
