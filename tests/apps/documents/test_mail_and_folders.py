"""E-mail attachments from a real IMAP server (dovecot started by the test) and watched folders."""

from __future__ import annotations

import email.message
import os
import time

import pytest

from etabli.core.models import Alert
from etabli.documents.models import Document, DocumentStatus, MailAccount, Source
from etabli.documents.services import folders, mailbox
from tests.apps.documents.factories import make_invoice_pdf

pytestmark = pytest.mark.django_db


def _message(subject: str, attachments: list[tuple[str, bytes, str]], sender: str = "compta@scierie.fr") -> bytes:
    message = email.message.EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, "factures@test.local", subject
    message.set_content("Bonjour, veuillez trouver ci-joint notre facture.")
    for filename, data, mime in attachments:
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


def _account(company, server, password=None) -> MailAccount:
    return mailbox.save_account(company=company, label="Factures", host=server.host, port=server.port,
                                security="none", username=server.user, password=password or server.password)


def test_attachments_are_taken_in_once_and_the_mailbox_is_left_untouched(company, imap_server):
    invoice = make_invoice_pdf(number="MAIL-1")
    imap_server.append(_message("Facture MAIL-1", [("MAIL-1.pdf", invoice, "application/pdf"),
                                                   ("conditions.docx", b"PK\x03\x04 word", "application/msword")]))
    account = _account(company, imap_server)
    report = mailbox.fetch_account(account=account, process=False)
    assert (report.messages, report.new_documents) == (1, 1)
    assert report.skipped == ["conditions.docx"]
    document = Document.objects.get(company=company)
    assert document.source == Source.EMAIL and document.sender_email == "compta@scierie.fr"
    assert "Facture MAIL-1" in document.source_detail and document.original_filename == "MAIL-1.pdf"
    account.refresh_from_db()
    assert account.last_uid == 1 and account.uid_validity and account.last_error == ""

    # A second message (the same invoice again, and a new one): only the new one is a new document.
    imap_server.append(_message("Relance", [("MAIL-1.pdf", invoice, "application/pdf"),
                                            ("MAIL-2.pdf", make_invoice_pdf(number="MAIL-2"), "application/pdf")]))
    report = mailbox.fetch_account(account=account, process=False)
    assert (report.messages, report.new_documents, report.already_known) == (1, 1, 1)
    assert mailbox.fetch_account(account=account, process=False).messages == 0
    assert Document.objects.filter(company=company).count() == 2
    from imap_tools import MailBoxUnencrypted

    with MailBoxUnencrypted(imap_server.host, imap_server.port).login(imap_server.user, imap_server.password) as box:
        assert len(list(box.fetch(mark_seen=False))) == 2, "messages are never deleted"
        assert all("\\Seen" not in m.flags for m in box.fetch(mark_seen=False))


def test_fetched_documents_are_read(company, imap_server, committed):
    imap_server.append(_message("Facture", [("F.pdf", make_invoice_pdf(), "application/pdf")]))
    committed(mailbox.fetch_account, account=_account(company, imap_server))
    assert Document.objects.get(company=company).status == DocumentStatus.TO_VALIDATE


def test_wrong_password_raises_a_french_error_and_an_alert(company, imap_server):
    account = _account(company, imap_server, password="mauvais")
    with pytest.raises(mailbox.MailboxError, match="refusé"):
        mailbox.fetch_account(account=account)
    account.refresh_from_db()
    assert "refusé" in account.last_error
    assert Alert.objects.filter(company=company, code=f"documents.mailbox.{account.pk}").exists()


def test_password_is_stored_encrypted(company):
    account = mailbox.save_account(company=company, label="x", host="imap.exemple.fr", port=993, security="ssl",
                                   username="u", password="très-secret")
    assert "très-secret" not in account.password_encrypted
    assert mailbox.decrypt_password(account.password_encrypted) == "très-secret"


def test_unreachable_server_is_reported(company):
    account = mailbox.save_account(company=company, label="x", host="127.0.0.1", port=1, security="none",
                                   username="u", password="p")
    with pytest.raises(mailbox.MailboxError, match="injoignable"):
        mailbox.fetch_account(account=account)


def test_watched_folder_takes_complete_files_and_files_them_away(company, tmp_path):
    invoice = make_invoice_pdf()
    (tmp_path / "facture.pdf").write_bytes(invoice)
    (tmp_path / "en-cours.pdf.part").write_bytes(b"%PDF-1.4 partiel")
    (tmp_path / ".DS_Store").write_bytes(b"x")
    fresh = tmp_path / "scan-tout-juste.pdf"
    fresh.write_bytes(make_invoice_pdf(number="NEW"))
    old = time.time() - 60
    os.utime(tmp_path / "facture.pdf", (old, old))
    folder = folders.add_folder(company=company, path=str(tmp_path))
    report = folders.scan_folder(folder=folder, process=False)
    assert (report.new_documents, report.waiting) == (1, 1)
    assert not (tmp_path / "facture.pdf").exists()
    moved = list((tmp_path / folders.PROCESSED_DIR).rglob("facture.pdf"))
    assert len(moved) == 1 and (tmp_path / "en-cours.pdf.part").exists()
    document = Document.objects.get(company=company)
    assert document.source == Source.FOLDER and moved[0].read_bytes() == invoice
    os.utime(fresh, (old, old))
    assert folders.scan_folder(folder=folder, process=False).new_documents == 1
    # A file dropped again is recognised (idempotent) and still filed away.
    (tmp_path / "facture-bis.pdf").write_bytes(invoice)
    os.utime(tmp_path / "facture-bis.pdf", (old, old))
    report = folders.scan_folder(folder=folder, process=False)
    assert (report.new_documents, report.already_known) == (0, 1)
    assert Document.objects.filter(company=company).count() == 2


def test_missing_folder_raises_an_alert(company, tmp_path):
    folder = folders.add_folder(company=company, path=str(tmp_path))
    tmp_path.rmdir()
    with pytest.raises(folders.FolderError):
        folders.scan_folder(folder=folder)
    assert Alert.objects.filter(company=company, code=f"documents.folder.{folder.pk}").exists()


def test_folder_must_exist_and_be_absolute(company):
    with pytest.raises(folders.FolderError, match="chemin absolu"):
        folders.add_folder(company=company, path="scans")
    with pytest.raises(folders.FolderError, match="n'existe pas"):
        folders.add_folder(company=company, path="/nulle/part")


def test_periodic_tick_runs_every_step(company, tmp_path, settings):
    from etabli.documents.tasks import documents_intake_tick

    (tmp_path / "facture.pdf").write_bytes(make_invoice_pdf())
    old = time.time() - 60
    os.utime(tmp_path / "facture.pdf", (old, old))
    folders.add_folder(company=company, path=str(tmp_path))
    result = documents_intake_tick.call_local()
    assert set(result) == {"recovered", "folders", "mailboxes"}
    assert Document.objects.filter(company=company, source=Source.FOLDER).count() == 1
