"""Ingest many files in one job with progress (``etabli documents ingest PATH…``).

Files are all stored first (so an interrupted run has lost nothing), then read one by one in this
process when ``process`` is set — the progress bar shows where it stands — or left to the worker.
"""

from __future__ import annotations

import os
from pathlib import Path

from etabli.core.models import Job
from etabli.core.services.jobs import JobError
from etabli.documents.models import Document, Source
from etabli.documents.services.folders import IGNORED_PREFIXES, IGNORED_SUFFIXES
from etabli.documents.services.intake import ingest_path
from etabli.documents.services.processing import process_document


def expand_paths(paths: list[str]) -> list[Path]:
    """Files named, and the files inside the folders named (recursively, hidden files skipped)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            for current, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                files.extend(Path(current) / name for name in sorted(names)
                             if not name.startswith(IGNORED_PREFIXES) and not name.lower().endswith(IGNORED_SUFFIXES))
        elif path.is_file():
            files.append(path)
        else:
            raise JobError(f"Chemin introuvable : {raw}")
    return files


def run_ingest_job(job: Job, progress) -> dict:
    files = expand_paths(job.params.get("paths", []))
    process = bool(job.params.get("process", True))
    total = len(files) * (2 if process else 1)
    progress(0, total, "Enregistrement des fichiers")
    entries, done = [], 0
    for path in files:
        try:
            result = ingest_path(company=job.company, path=path, source=Source.CLI, process=False)
        except OSError as exc:
            entries.append({"file": str(path), "error": f"illisible : {exc.strerror or exc.__class__.__name__}"})
        else:
            entries.append({"file": str(path), "document_id": result.document.pk, "created": result.created,
                            "message": result.message})
        done += 1
        progress(done, total, path.name)
    if process:
        for entry in entries:
            if entry.get("document_id"):
                progress(done, total, f"Lecture de {Path(entry['file']).name}")
                process_document(entry["document_id"])
            done += 1
            progress(done, total, "")
    else:
        from django.db import transaction

        from etabli.documents.services.intake import enqueue_processing

        for entry in entries:
            if entry.get("created"):
                transaction.on_commit(lambda pk=entry["document_id"]: enqueue_processing(pk))
    documents = {d.pk: d for d in Document.objects.for_company(job.company)
                 .filter(pk__in=[e["document_id"] for e in entries if e.get("document_id")])}
    for entry in entries:
        document = documents.get(entry.get("document_id"))
        if document is not None:
            entry.update({"status": document.status, "status_label": document.get_status_display(),
                          "doc_type": document.doc_type or None, "title": document.title,
                          "reason": document.status_reason or None})
    counts: dict[str, int] = {}
    for entry in entries:
        key = entry.get("status", "error")
        counts[key] = counts.get(key, 0) + 1
    return {"documents": entries, "counts": counts, "files": len(files)}
