"""Documents API (mounted under /api/v1/documents): intake, search, detail, corrections, validation.

Errors are ``{"error": {"code", "message", "details"}}`` (French messages); objects of another company answer
404 exactly like unknown ones.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from etabli.core.permissions import require
from etabli.core.services import reviews
from etabli.documents import selectors, storage
from etabli.documents.models import Document, Source

# Services are imported inside the routes: the API router is loaded at start-up, the classifier (and
# scikit-learn) only when a document is actually read or corrected.

router = Router(tags=["documents"])


def _error(status: int, code: str, message: str, details=None):
    from etabli.api import ApiError

    return ApiError(status, code, message, details)


def scoped_document(request, document_id: int) -> Document:
    return get_object_or_404(Document, pk=document_id, company_id=request.company.pk)


class DocumentOut(Schema):
    id: int
    title: str
    filename: str
    status: str
    status_label: str
    status_reason: str
    progress: int
    doc_type: str | None
    doc_type_label: str | None
    doc_type_confidence: float | None
    doc_type_uncertain: bool
    correspondent: str | None
    partner_id: int | None
    doc_date: dt.date | None
    due_date: dt.date | None
    amount_ttc: Decimal | None
    reference: str | None
    source: str
    checksum: str
    size: int
    created_at: dt.datetime
    tags: list[str]
    duplicate_of: int | None

    @staticmethod
    def from_document(document: Document) -> dict:
        return {
            "id": document.pk, "title": document.title, "filename": document.original_filename,
            "status": document.status, "status_label": document.get_status_display(),
            "status_reason": document.status_reason, "progress": document.progress,
            "doc_type": document.doc_type or None,
            "doc_type_label": document.doc_type_label if document.doc_type else None,
            "doc_type_confidence": document.doc_type_confidence, "doc_type_uncertain": document.doc_type_uncertain,
            "correspondent": document.correspondent_name or None, "partner_id": document.partner_id,
            "doc_date": document.doc_date, "due_date": document.due_date, "amount_ttc": document.amount_ttc,
            "reference": document.reference or None, "source": document.source, "checksum": document.checksum,
            "size": document.size, "created_at": document.created_at,
            "tags": sorted(t.tag.name for t in document.document_tags.all()),
            "duplicate_of": document.duplicate_of_id,
        }


class FieldOut(Schema):
    name: str
    label: str
    value: str | None
    confidence: float
    source: str
    location: dict | None


class CheckOut(Schema):
    name: str
    ok: bool
    message: str


class DocumentDetailOut(DocumentOut):
    fields: list[FieldOut]
    checks: list[CheckOut]
    vat_breakdown: list[dict]
    human_required_reasons: list[str]
    duplicate_reasons: list[str]
    doc_type_reasons: list[str]
    filing_review_id: int | None
    entry_review_id: int | None
    entry_status: str
    accounting_entry: dict
    supplier_invoice_id: int | None
    page_count: int
    read_kind: str
    warnings: list[str]


def _detail(document: Document) -> dict:
    from etabli.documents.fields import FIELD_LABELS, FIELD_ORDER

    data = DocumentOut.from_document(document)
    fields = document.fields or {}
    data.update({
        "fields": [{"name": name, "label": FIELD_LABELS[name], "value": (fields.get(name) or {}).get("value"),
                    "confidence": float((fields.get(name) or {}).get("confidence") or 0.0),
                    "source": (fields.get(name) or {}).get("source", ""),
                    "location": (fields.get(name) or {}).get("location")} for name in FIELD_ORDER],
        "checks": [{"name": c["name"], "ok": c["ok"], "message": c["message"]} for c in document.checks or []],
        "vat_breakdown": document.vat_breakdown or [], "human_required_reasons": document.human_required_reasons or [],
        "duplicate_reasons": document.duplicate_reasons or [], "doc_type_reasons": document.doc_type_reasons or [],
        "filing_review_id": document.filing_review_id, "entry_review_id": document.entry_review_id,
        "entry_status": document.entry_status, "accounting_entry": document.accounting_entry or {},
        "supplier_invoice_id": document.supplier_invoice_id, "page_count": document.page_count,
        "read_kind": document.read_kind, "warnings": document.warnings or [],
    })
    return data


class DocumentListOut(Schema):
    items: list[DocumentOut]
    count: int
    interpreted: dict | None = None


PAGE_SIZE = 50


@router.get("", response=DocumentListOut, summary="Documents (recherche plein texte, filtres, langage naturel)")
def document_list(request, q: str = "", nl: str = "", type: str = "", status: str = "", correspondent: str = "",
                  partner_id: int | None = None, date_from: dt.date | None = None, date_to: dt.date | None = None,
                  amount_min: Decimal | None = None, amount_max: Decimal | None = None, tag: str = "",
                  sort: str = "", page: int = 1):
    """`q` : texte libre (racinisation française, accents ignorés) ; `nl` : phrase comme « factures EDF de
    plus de 500 € en 2025 », transformée en filtres (voir `interpreted`) ; les autres paramètres filtrent
    directement. Pages de 50 : `?page=N`."""
    require(request.membership, "documents.view")
    from etabli.documents.nlsearch import interpret

    filters = selectors.DocumentFilters(
        text=q, doc_types=[t for t in type.split(",") if t], status=status, correspondent=correspondent,
        partner_id=partner_id, date_from=date_from, date_to=date_to, amount_min=amount_min, amount_max=amount_max,
        tags=[t for t in tag.split(",") if t], sort=sort,
    )
    interpreted = None
    if nl.strip():
        result = interpret(company=request.company, text=nl, base=filters)
        filters, interpreted = result.filters, result.as_dict()
    qs = selectors.filter_documents(request.company, filters)
    page = max(1, int(page or 1))
    rows = list(qs.prefetch_related("document_tags__tag")[(page - 1) * PAGE_SIZE: page * PAGE_SIZE])
    return {"items": [DocumentOut.from_document(d) for d in rows], "count": qs.count(), "interpreted": interpreted}


class IngestOut(Schema):
    created: bool
    message: str
    document: DocumentOut


@router.post("", response={201: list[IngestOut]}, summary="Déposer un ou plusieurs fichiers")
def document_upload(request, files: list[UploadedFile] = File(...)):
    require(request.membership, "documents.edit")
    from etabli.documents.services.intake import ingest_upload

    if not files:
        raise _error(422, "no_file", "Aucun fichier reçu (champ « files »).")
    results = []
    for upload in files:
        result = ingest_upload(company=request.company, upload=upload, source=Source.API, user=request.user)
        result.document.refresh_from_db()
        results.append({"created": result.created, "message": result.message,
                        "document": DocumentOut.from_document(result.document)})
    return Status(201, results)


@router.post("/extract", summary="Lire des fichiers sans les enregistrer (contrat de `etabli documents extract`)")
def document_extract(request, files: list[UploadedFile] = File(...)):
    require(request.membership, "documents.view")
    from etabli.documents.extraction import extract_contract

    results = []
    with tempfile.TemporaryDirectory(prefix="etabli-extract-") as folder:
        for upload in files:
            path = Path(folder) / (Path(upload.name or "document").name or "document")
            with open(path, "wb") as out:
                out.writelines(upload.chunks())
            entry = extract_contract(path)
            entry["file"] = upload.name
            results.append(entry)
    return results


@router.get("/{int:document_id}", response=DocumentDetailOut, summary="Un document, ses champs et contrôles")
def document_get(request, document_id: int):
    require(request.membership, "documents.view")
    return _detail(scoped_document(request, document_id))


@router.get("/{int:document_id}/file", summary="Le fichier original")
def document_file(request, document_id: int):
    require(request.membership, "documents.view")
    document = scoped_document(request, document_id)
    if not storage.exists(document.file.name):
        raise _error(404, "file_missing", "Le fichier original est introuvable dans le stockage.")
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_filename)


class CorrectionIn(Schema):
    doc_type: str | None = None
    title: str | None = None
    correspondent_name: str | None = None
    tags: list[str] | None = None


@router.patch("/{int:document_id}", response=DocumentDetailOut, summary="Corriger type, titre, correspondant, étiquettes")
def document_correct(request, document_id: int, payload: CorrectionIn):
    require(request.membership, "documents.edit")
    from etabli.documents.services import validation

    document = scoped_document(request, document_id)
    try:
        document = validation.correct_document(document=document, user=request.user, **payload.dict(exclude_none=True))
    except validation.CorrectionError as exc:
        raise _error(409, "correction_refused", exc.message) from exc
    return _detail(document)


class ValidateIn(Schema):
    edits: dict | None = None


@router.post("/{int:document_id}/validate", response=DocumentDetailOut, summary="Valider (et classer) le document")
def document_validate(request, document_id: int, payload: ValidateIn):
    require(request.membership, "documents.approve")
    document = scoped_document(request, document_id)
    if document.filing_review_id is None or document.filing_review.status != "pending":
        raise _error(409, "not_pending", "Ce document n'a pas de proposition de classement en attente.")
    edits = {k: v for k, v in (payload.edits or {}).items()}
    try:
        reviews.accept(item=document.filing_review, user=request.user, membership=request.membership,
                       edits=edits or None)
    except reviews.ReviewError as exc:
        raise _error(400 if exc.field_errors else 409, "validation_refused", exc.message,
                     exc.field_errors or None) from exc
    document.refresh_from_db()
    return _detail(document)


@router.post("/{int:document_id}/reprocess", response=DocumentDetailOut, summary="Relire le document")
def document_reprocess(request, document_id: int):
    require(request.membership, "documents.edit")
    from etabli.documents.services.processing import reprocess

    document = scoped_document(request, document_id)
    try:
        document = reprocess(document=document, user=request.user)
    except ValueError as exc:
        raise _error(409, "reprocess_refused", str(exc)) from exc
    return _detail(document)
