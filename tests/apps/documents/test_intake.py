"""Intake that never loses a file: stored first (content-addressed, checksum), idempotent, queued for the
worker after the commit, announced by webhook; the drop zone, the CLI and bad inputs in quarantine."""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import zlib

import pytest
from django.urls import reverse

from etabli.core.models import WebhookDelivery
from etabli.core.services import webhooks
from etabli.documents import storage
from etabli.documents.models import Document, DocumentStatus
from etabli.documents.services.intake import ingest_bytes, ingest_path
from etabli.documents.services.processing import process_document
from tests.apps.documents.conftest import read
from tests.apps.documents.factories import make_invoice_pdf

pytestmark = pytest.mark.django_db


def test_the_original_is_stored_content_addressed_before_any_processing(company):
    data = make_invoice_pdf()
    result = ingest_bytes(company=company, data=data, filename="facture.pdf", process=False)
    document = result.document
    assert result.created and document.status == DocumentStatus.RECEIVED
    checksum = hashlib.sha256(data).hexdigest()
    assert document.checksum == checksum and document.size == len(data)
    assert checksum in document.file.name and document.file.name.startswith(f"documents/{company.pk}/")
    assert storage.read_bytes(document.file.name) == data


def test_reingesting_the_same_file_is_idempotent(company, other_company):
    data = make_invoice_pdf()
    first = ingest_bytes(company=company, data=data, filename="facture.pdf", process=False)
    again = ingest_bytes(company=company, data=data, filename="copie-du-mail.pdf", process=False)
    assert not again.created and again.document.pk == first.document.pk
    assert "Déjà reçu" in again.message
    assert Document.objects.filter(company=company).count() == 1
    assert Document.objects.get(pk=first.document.pk).received_count == 2
    # Another company receiving the same bytes gets its own document (tenants never share rows).
    theirs = ingest_bytes(company=other_company, data=data, filename="facture.pdf", process=False)
    assert theirs.created and theirs.document.pk != first.document.pk


def test_processing_is_queued_after_the_commit_and_received_webhook_is_sent(company, committed):
    webhooks.create_endpoint(company=company, url="http://127.0.0.1:9/hook", events=["document.received"])
    result = committed(ingest_bytes, company=company, data=make_invoice_pdf(), filename="facture.pdf")
    document = Document.objects.get(pk=result.document.pk)
    assert document.status == DocumentStatus.TO_VALIDATE  # jobs run inline in tests, after the commit
    delivery = WebhookDelivery.objects.get(company=company, event="document.received")
    assert delivery.payload["data"]["checksum"] == document.checksum


def test_drop_zone_accepts_several_files_and_answers_json_for_the_progress_bars(owner_client, company):
    files = [io.BytesIO(make_invoice_pdf(number=f"A-{i}")) for i in range(2)]
    for i, handle in enumerate(files):
        handle.name = f"facture-{i}.pdf"
    response = owner_client.post(reverse("documents:upload"), {"files": files}, HTTP_ACCEPT="application/json")
    assert response.status_code == 201
    body = response.json()["documents"]
    assert [d["created"] for d in body] == [True, True]
    assert all(d["status_url"].endswith("/etat/") for d in body)
    status = owner_client.get(body[0]["status_url"], HTTP_ACCEPT="application/json").json()
    assert status["status"] in ("received", "processing", "to_validate")
    assert Document.objects.filter(company=company).count() == 2


def test_drop_zone_without_javascript(owner_client, company):
    handle = io.BytesIO(make_invoice_pdf())
    handle.name = "facture.pdf"
    response = owner_client.post(reverse("documents:upload"), {"files": [handle]}, follow=True)
    assert response.status_code == 200
    assert "facture.pdf" in response.content.decode()
    assert Document.objects.filter(company=company, original_filename="facture.pdf").exists()


def test_upload_over_the_request_limit_is_refused_with_a_french_message(owner_client, settings):
    settings.ETABLI_MAX_REQUEST_BYTES = 10_000
    handle = io.BytesIO(b"%PDF-1.4\n" + b"0" * 20_000)
    handle.name = "gros.pdf"
    response = owner_client.post(reverse("documents:upload"), {"files": [handle]})
    assert response.status_code == 413
    assert "trop volumineuse" in response.content.decode()


def test_employee_may_drop_but_readonly_may_not(member_client):
    client, _ = member_client("readonly")
    assert client.get(reverse("documents:upload")).status_code == 403
    client, _ = member_client("employee")
    assert client.get(reverse("documents:upload")).status_code == 200


# --- Bad inputs: a clear French reason, the original kept, the worker alive -----------------------------


def _encrypted_pdf() -> bytes:
    import pikepdf

    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(make_invoice_pdf())) as pdf:
        pdf.save(buffer, encryption=pikepdf.Encryption(owner="proprio", user="secret", R=6))
    return buffer.getvalue()


def _bomb_png() -> bytes:
    """A tiny PNG that announces 60 000 × 60 000 pixels (the header alone, a few hundred bytes)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 60000, 60000, 8, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * 60000
    data = zlib.compress(row * 50, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


BAD_INPUTS = {
    "encrypted": (_encrypted_pdf, "protégé.pdf", "encrypted_pdf", "mot de passe"),
    "corrupt": (lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer garbage", "abime.pdf", "corrupt_pdf",
                "endommagé"),
    "bomb": (_bomb_png, "photo.png", "decompression_bomb", "bombe de décompression"),
    "executable": (lambda: b"MZ\x90\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode", "facture.pdf",
                   "type_mismatch", "refusé par précaution"),
    "empty": (lambda: b"", "vide.pdf", "empty_file", "vide"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_goes_to_quarantine_with_its_reason_and_is_kept(company, case):
    build, filename, code, words = BAD_INPUTS[case]
    data = build()
    document = read(company, data, filename)
    assert document.status == DocumentStatus.NEEDS_ATTENTION
    assert document.status_reason_code == code
    assert words in document.status_reason
    assert storage.read_bytes(document.file.name) == data, "the original is kept in quarantine"
    assert document.checksum == hashlib.sha256(data).hexdigest()
    # The worker is still alive: the next document is read normally.
    good = read(company, make_invoice_pdf(number=f"OK-{case}"), f"bonne-{case}.pdf")
    assert good.status == DocumentStatus.TO_VALIDATE


def test_a_200_mb_file_is_kept_but_not_read(company, tmp_path):
    path = tmp_path / "enorme.pdf"
    with open(path, "wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.seek(200 * 1024 * 1024 - 1)
        handle.write(b"\n")
    result = ingest_path(company=company, path=path, process=False)
    document = result.document
    assert document.status == DocumentStatus.NEEDS_ATTENTION and document.status_reason_code == "too_large"
    assert "200,0 Mo" in document.status_reason
    assert document.size == 200 * 1024 * 1024
    assert os.path.getsize(storage.default_storage.path(document.file.name)) == document.size
    assert process_document(document.pk) is None, "a quarantined document is not read"


def test_quarantined_document_page_explains_the_reason(owner_client, company):
    document = read(company, b"", "vide.pdf")
    page = owner_client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert "À vérifier" in page and "Le fichier est vide" in page
    listing = owner_client.get(reverse("documents:list") + "?statut=needs_attention").content.decode()
    assert "vide.pdf" in listing


def test_cli_ingest_stores_and_reads_a_folder(run_cli, company, tmp_path):
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(make_invoice_pdf(number="CLI-1"))
    (folder / "b.pdf").write_bytes(b"")
    (folder / ".cache").write_text("ignoré")
    result = run_cli("documents", "ingest", str(folder), "--company", company.slug, "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    statuses = {os.path.basename(e["file"]): e["status"] for e in payload["documents"]}
    assert statuses == {"a.pdf": "to_validate", "b.pdf": "needs_attention"}
    again = run_cli("documents", "ingest", str(folder / "a.pdf"), "--company", company.slug, "--json")
    assert json.loads(again.stdout)["documents"][0]["created"] is False
    assert Document.objects.filter(company=company).count() == 2
