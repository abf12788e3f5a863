"""Intake: store the original first (content-addressed, checksum), then hand it to background processing.

The order is what makes « no file is ever lost » true: the bytes are copied and hashed, moved to their
final content-addressed name, and only then is the ``Document`` row created (with its checksum) and the
processing job queued after the commit. A crash at any point leaves either nothing (the sender still has
the file: the upload failed, the watched-folder file was not moved, the e-mail's UID was not recorded) or a
stored file with its row, which the recovery pass processes. Re-ingesting the same bytes finds the row by
checksum and changes nothing but the « reçu N fois » counter.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.db import IntegrityError, transaction
from django.utils import timezone

from etabli.common.formats import format_date
from etabli.core.models import Company
from etabli.core.services import webhooks
from etabli.documents import storage
from etabli.documents.models import Document, DocumentStatus, Source
from etabli.engines.ocr.models import DEFAULT_MAX_BYTES

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestResult:
    document: Document
    created: bool
    message: str


def max_bytes() -> int:
    """Files above this size are kept but not read (« à vérifier »): the engine's own limit."""
    return DEFAULT_MAX_BYTES


def _clean_filename(filename: str) -> str:
    name = PurePath((filename or "").replace("\\", "/")).name.strip()
    return (name or "document")[:255]


def document_payload(document: Document) -> dict:
    """The JSON shape of a document in webhooks and the API summary."""
    return {
        "id": document.pk,
        "title": document.title,
        "filename": document.original_filename,
        "checksum": document.checksum,
        "size": document.size,
        "source": document.source,
        "status": document.status,
        "doc_type": document.doc_type or None,
        "correspondent": document.correspondent_name or None,
        "reference": document.reference or None,
        "amount_ttc": str(document.amount_ttc) if document.amount_ttc is not None else None,
        "doc_date": document.doc_date.isoformat() if document.doc_date else None,
    }


def ingest_chunks(
    *, company: Company, chunks: Iterable[bytes], filename: str, source: str = Source.UPLOAD,
    source_detail: str = "", sender_email: str = "", user=None, process: bool = True,
) -> IngestResult:
    """Store a stream of bytes as a document (or find the one with the same checksum)."""
    if source not in Source.values:
        raise ValueError(f"Provenance inconnue : {source}")
    filename = _clean_filename(filename)
    staged = storage.stage(chunks, filename)
    return _register(company=company, staged=staged, filename=filename, source=source,
                     source_detail=source_detail[:500], sender_email=sender_email[:254], user=user, process=process)


def ingest_path(
    *, company: Company, path: Path, source: str = Source.CLI, source_detail: str = "", user=None,
    process: bool = True,
) -> IngestResult:
    with open(path, "rb") as handle:
        return ingest_chunks(company=company, chunks=storage.iter_file(handle), filename=path.name, source=source,
                             source_detail=source_detail or str(path), user=user, process=process)


def ingest_bytes(*, company: Company, data: bytes, filename: str, **kwargs) -> IngestResult:
    return ingest_chunks(company=company, chunks=[data], filename=filename, **kwargs)


def ingest_upload(*, company: Company, upload, source: str = Source.UPLOAD, user=None, process: bool = True) -> IngestResult:
    """A Django ``UploadedFile`` (browser or API), read in chunks — never whole in memory."""
    return ingest_chunks(company=company, chunks=upload.chunks(), filename=upload.name or "document", source=source,
                         user=user, process=process)


def _register(
    *, company: Company, staged: storage.StagedFile, filename: str, source: str, source_detail: str,
    sender_email: str, user, process: bool,
) -> IngestResult:
    existing = Document.objects.filter(company=company, checksum=staged.checksum).first()
    if existing is not None:
        storage.discard(staged)
        return _received_again(existing)
    name = storage.commit(staged, storage.original_name(company.pk, staged.checksum, staged.suffix))
    status, code, reason = DocumentStatus.RECEIVED, "", ""
    if staged.size == 0:
        status, code, reason = DocumentStatus.NEEDS_ATTENTION, "empty_file", "Le fichier est vide (0 octet)."
    elif staged.size > max_bytes():
        status, code = DocumentStatus.NEEDS_ATTENTION, "too_large"
        reason = (f"Le fichier pèse {_megabytes(staged.size)} ; la limite de lecture est de {_megabytes(max_bytes())}. "
                  "L'original est conservé : demandez une version plus légère (PDF compressé, pages séparées).")
    try:
        with transaction.atomic():
            document = Document.objects.create(
                company=company,
                title=Path(filename).stem[:255] or filename,
                original_filename=filename,
                checksum=staged.checksum,
                size=staged.size,
                file=name,
                source=source,
                source_detail=source_detail,
                sender_email=sender_email,
                received_by=user if getattr(user, "is_authenticated", False) else None,
                last_received_at=timezone.now(),
                status=status,
                status_reason_code=code,
                status_reason=reason,
                progress=100 if status == DocumentStatus.NEEDS_ATTENTION else 0,
                progress_message="Reçu, en attente de lecture" if status == DocumentStatus.RECEIVED else "",
            )
            webhooks.emit(company=company, event="document.received", data=document_payload(document))
            if process and status == DocumentStatus.RECEIVED:
                transaction.on_commit(lambda: enqueue_processing(document.pk))
    except IntegrityError:
        # The same file arrived through another channel a moment ago: that row is the document.
        existing = Document.objects.get(company=company, checksum=staged.checksum)
        return _received_again(existing)
    if status == DocumentStatus.NEEDS_ATTENTION:
        from etabli.documents.services.processing import index_quietly

        index_quietly(document)
        return IngestResult(document, True, f"Reçu mais à vérifier : {reason}")
    return IngestResult(document, True, "Reçu : lecture en cours.")


def _received_again(document: Document) -> IngestResult:
    Document.objects.filter(pk=document.pk).update(
        received_count=document.received_count + 1, last_received_at=timezone.now()
    )
    document.received_count += 1
    when = format_date(timezone.localtime(document.created_at).date())
    return IngestResult(document, False, f"Déjà reçu le {when} (« {document.title} ») : rien n'a été ajouté.")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")


def enqueue_processing(document_id: int) -> None:
    """Queue the reading of a document on the worker (Huey keeps the queue across restarts)."""
    from etabli.documents.tasks import process_document_task

    try:
        process_document_task(document_id)
    except Exception:  # the queue is down: the recovery pass will queue it again, the file is safe
        logger.exception("Could not queue document %s", document_id)
