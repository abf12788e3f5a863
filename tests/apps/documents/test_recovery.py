"""A worker that dies mid-processing loses nothing: the document stays stored, the recovery pass queues it
again, and after repeated interruptions it waits « à vérifier »."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from django.utils import timezone

from etabli.documents import storage
from etabli.documents.models import Document, DocumentStatus
from etabli.documents.services.intake import ingest_bytes
from etabli.documents.services.processing import lease, recover_stale
from tests.apps.documents.factories import make_invoice_pdf


def _scan() -> bytes:
    from tests.engines.ocr.builders import render, to_png

    return to_png(render(make_invoice_pdf(), dpi=200, noise=6.0, seed=5)[0])


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_processing_then_the_job_restarts_and_nothing_is_lost(company, committed):
    from tests.conftest import ROOT, database_url

    data = _scan()
    document = ingest_bytes(company=company, data=data, filename="scan.png", process=False).document
    env = {**os.environ, "DATABASE_URL": database_url(), "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path]),
           "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "tests.settings")}
    worker = subprocess.Popen([sys.executable, "-m", "etabli.cli", "documents", "process", "--company", company.slug,
                               "--id", str(document.pk)], env=env, cwd=ROOT, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline:
        document.refresh_from_db()
        if document.status == DocumentStatus.PROCESSING:
            break
        assert worker.poll() is None, worker.stderr.read().decode()
        time.sleep(0.05)
    assert document.status == DocumentStatus.PROCESSING
    os.killpg(worker.pid, signal.SIGKILL)  # the worker dies while the scan is being read
    worker.wait(10)
    document.refresh_from_db()
    assert document.status == DocumentStatus.PROCESSING and document.attempts == 1
    assert storage.read_bytes(document.file.name) == data

    result = committed(recover_stale, now=timezone.now() + lease() + dt.timedelta(seconds=1))
    assert document.pk in result["requeued"]
    document.refresh_from_db()
    assert document.status == DocumentStatus.TO_VALIDATE, document.status_reason
    assert document.attempts == 2 and document.read_kind == "ocr"
    assert Document.objects.filter(company=company).count() == 1


@pytest.mark.django_db
def test_after_repeated_interruptions_the_document_waits_to_be_checked(company):
    document = ingest_bytes(company=company, data=make_invoice_pdf(), filename="f.pdf", process=False).document
    started = timezone.now() - lease() - dt.timedelta(minutes=1)
    Document.objects.filter(pk=document.pk).update(status=DocumentStatus.PROCESSING, attempts=3,
                                                   processing_started_at=started)
    result = recover_stale()
    assert result["failed"] == [document.pk]
    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_ATTENTION
    assert "interrompue 3 fois" in document.status_reason
    assert storage.exists(document.file.name)


@pytest.mark.django_db
def test_a_document_left_received_is_queued_again(company, committed):
    document = ingest_bytes(company=company, data=make_invoice_pdf(), filename="f.pdf", process=False).document
    result = committed(recover_stale, now=timezone.now() + dt.timedelta(hours=1))
    assert document.pk in result["requeued"]
    document.refresh_from_db()
    assert document.status == DocumentStatus.TO_VALIDATE


@pytest.mark.django_db
def test_two_workers_never_read_the_same_document_at_once(company):
    from etabli.documents.services.processing import claim

    document = ingest_bytes(company=company, data=make_invoice_pdf(), filename="f.pdf", process=False).document
    assert claim(document.pk) is not None
    assert claim(document.pk) is None
