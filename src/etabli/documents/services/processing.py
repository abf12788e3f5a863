"""Background processing of a stored document: read → understand → extract → check duplicates → propose.

Each document is *claimed* atomically (received → processing, attempts + 1) so that two workers, or a
worker and the recovery pass, never process it twice at once. Reading runs in a child process
(:mod:`etabli.documents.reading`); anything that goes wrong — a refused file, a crash, a timeout — files the
document « à vérifier » with a French reason and the original untouched. If the worker itself dies mid-way,
the document stays « processing » past its lease and :func:`recover_stale` queues it again (at most
``MAX_ATTEMPTS`` times, then « à vérifier »): nothing is lost, nothing is processed twice concurrently.
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from etabli.core.models import Company
from etabli.documents import reading, search, storage
from etabli.documents.fields import from_extraction, typed
from etabli.documents.models import Document, DocumentPage, DocumentStatus
from etabli.documents.services.config import get_settings
from etabli.engines.ocr import DocumentReadError, ReadResult

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
#: A received document not picked up after this long is queued again (queue lost, worker was down).
REQUEUE_AFTER = timedelta(minutes=10)


def lease() -> timedelta:
    """How long a claim holds: the reading timeout plus a margin for the rest of the pipeline."""
    return timedelta(seconds=reading.timeout_seconds() + 180)


def claim(document_id: int) -> Document | None:
    """Take a received document for processing, or None if someone else has it (or it is done)."""
    now = timezone.now()
    with transaction.atomic():
        updated = Document.objects.filter(pk=document_id, status=DocumentStatus.RECEIVED).update(
            status=DocumentStatus.PROCESSING, processing_started_at=now, attempts=F("attempts") + 1,
            progress=5, progress_message="Lecture du document…", status_reason="", status_reason_code="",
        )
    if not updated:
        return None
    return Document.objects.select_related("company").get(pk=document_id)


def _progress(document: Document, percent: int, message: str) -> None:
    document.progress, document.progress_message = percent, message
    Document.objects.filter(pk=document.pk).update(progress=percent, progress_message=message)


def process_document(document_id: int) -> Document | None:
    """Process one document end to end. Never raises for a bad file: it goes « à vérifier »."""
    document = claim(document_id)
    if document is None:
        return None
    started = time.monotonic()
    company = document.company
    config = get_settings(company)
    try:
        with storage.local_path(document.file.name) as path:
            outcome = reading.read_in_child(Path(path), filename=document.original_filename, ocr=config.ocr_enabled)
    except DocumentReadError as error:
        return quarantine(document=document, code=error.code, message=error.message)
    except FileNotFoundError:
        return quarantine(document=document, code="missing_file",
                          message="Le fichier original est introuvable dans le stockage : restaurez la sauvegarde.")
    except Exception as exc:
        logger.exception("Reading document %s failed", document.pk)
        return quarantine(document=document, code="internal_error",
                          message=f"Erreur inattendue pendant la lecture ({exc.__class__.__name__}).")
    _progress(document, 70, "Classement et contrôles…")
    try:
        with transaction.atomic():
            _store_reading(document, outcome.result)
            _store_extraction(document, outcome.extraction)
            from etabli.documents.services import understanding, validation

            understanding.understand(document=document, read_result=outcome.result, extraction=outcome.extraction)
            document.processing_seconds = round(time.monotonic() - started, 2)
            document.processed_at = timezone.now()
            validation.after_processing(document=document)
    except Exception as exc:
        logger.exception("Processing document %s failed after reading", document.pk)
        return quarantine(document=Document.objects.get(pk=document.pk), code="internal_error",
                          message=f"Erreur inattendue pendant l'analyse ({exc.__class__.__name__}).")
    return document


def _store_reading(document: Document, result: ReadResult) -> None:
    document.read_kind = result.kind
    document.einvoice_format = result.einvoice_format or ""
    document.page_count = result.page_count
    document.mime_type = result.mime_type
    document.ocr_confidence = result.ocr_confidence
    document.content = result.text
    normalised = " ".join(result.text.split()).lower()
    document.content_checksum = hashlib.sha256(normalised.encode()).hexdigest() if normalised else ""
    document.warnings = list(result.warnings)
    if result.searchable_pdf:
        name = storage.save_bytes(storage.archive_name(document.company_id, document.checksum), result.searchable_pdf)
        document.archive_file = name
    DocumentPage.objects.filter(document=document).delete()
    DocumentPage.objects.bulk_create(
        DocumentPage(
            company_id=document.company_id, document=document, number=page.number, width=page.width,
            height=page.height, source=page.source, confidence=page.confidence,
            words=[[w.text, round(w.x0, 1), round(w.top, 1), round(w.x1, 1), round(w.bottom, 1)] for w in page.words],
        )
        for page in result.pages
    )


def _store_extraction(document: Document, extraction) -> None:
    document.fields, document.vat_breakdown, document.checks = from_extraction(extraction)
    sync_columns(document)


def sync_columns(document: Document) -> None:
    """Copy the main fields to their columns (filters, sorting, duplicates) from ``document.fields``."""
    values = {name: (entry or {}).get("value") for name, entry in (document.fields or {}).items()}
    document.doc_date = typed("issue_date", values.get("issue_date"))
    document.due_date = typed("due_date", values.get("due_date"))
    document.amount_ht = typed("total_ht", values.get("total_ht"))
    document.amount_tva = typed("total_tva", values.get("total_tva"))
    document.amount_ttc = typed("total_ttc", values.get("total_ttc"))
    document.currency = (values.get("currency") or "")[:3]
    document.reference = (values.get("invoice_number") or "")[:100]
    siren = values.get("siren") or ""
    if not siren and (values.get("siret") or "")[:9].isdigit():
        siren = values["siret"][:9]
    vat = values.get("vat_number") or ""
    if not siren and vat.startswith("FR") and len(vat) == 13:
        siren = vat[-9:]
    document.issuer_siren = siren[:9]


def quarantine(*, document: Document, code: str, message: str) -> Document:
    """File a document « à vérifier » with its reason; the original stays where it is."""
    with transaction.atomic():
        Document.objects.filter(pk=document.pk).update(
            status=DocumentStatus.NEEDS_ATTENTION, status_reason_code=code[:40], status_reason=message,
            progress=100, progress_message="À vérifier", processed_at=timezone.now(),
        )
        document.refresh_from_db()
        index_quietly(document)
    logger.info("Document %s à vérifier (%s) : %s", document.pk, code, message)
    return document


def index_quietly(document: Document) -> None:
    """Index for search; a failure here must never lose the document (it is logged and retried later)."""
    try:
        with transaction.atomic():
            search.index_document(document)
    except Exception:
        logger.exception("Indexing document %s failed", document.pk)


def recover_stale(*, now=None, company: Company | None = None) -> dict:
    """Queue again what a dead worker left behind; give up (« à vérifier ») after MAX_ATTEMPTS."""
    from etabli.documents.services.intake import enqueue_processing

    now = now or timezone.now()
    qs = Document.objects.all() if company is None else Document.objects.for_company(company)
    stale = list(qs.filter(status=DocumentStatus.PROCESSING, processing_started_at__lt=now - lease())
                 .values_list("pk", "attempts"))
    requeued, failed = [], []
    for pk, attempts in stale:
        if attempts >= MAX_ATTEMPTS:
            document = Document.objects.get(pk=pk)
            quarantine(document=document, code="processing_interrupted",
                       message=f"La lecture a été interrompue {attempts} fois (arrêt du serveur ou fichier qui "
                               "bloque la lecture). L'original est conservé : relancez la lecture ou vérifiez-le.")
            failed.append(pk)
            continue
        with transaction.atomic():
            reset = Document.objects.filter(pk=pk, status=DocumentStatus.PROCESSING).update(
                status=DocumentStatus.RECEIVED, progress=0,
                progress_message="Lecture interrompue : reprise automatique", updated_at=now,
            )
        if reset:
            requeued.append(pk)
            transaction.on_commit(lambda pk=pk: enqueue_processing(pk))
    forgotten = list(qs.filter(status=DocumentStatus.RECEIVED, updated_at__lt=now - REQUEUE_AFTER)
                     .values_list("pk", flat=True)[:500])
    for pk in forgotten:
        Document.objects.filter(pk=pk).update(updated_at=now)
        transaction.on_commit(lambda pk=pk: enqueue_processing(pk))
    return {"requeued": requeued + forgotten, "failed": failed}


@transaction.atomic
def reprocess(*, document: Document, user=None) -> Document:
    """Read a document again (after an OCR install, a fixed file, a new engine version)."""
    from etabli.documents.services.intake import enqueue_processing
    from etabli.documents.services.validation import withdraw_filing

    if document.status == DocumentStatus.FILED:
        raise ValueError("Un document classé n'est pas relu : il a été validé par une personne.")
    if document.status == DocumentStatus.PROCESSING:
        raise ValueError("Ce document est déjà en cours de lecture.")
    withdraw_filing(document=document, reason="Document relu")
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus.RECEIVED, attempts=0, progress=0, progress_message="Relecture demandée",
        status_reason="", status_reason_code="",
    )
    transaction.on_commit(lambda: enqueue_processing(document.pk))
    document.refresh_from_db()
    return document


def pending_for(company: Company) -> list[int]:
    return list(Document.objects.for_company(company)
                .filter(Q(status=DocumentStatus.RECEIVED)).order_by("created_at").values_list("pk", flat=True))
