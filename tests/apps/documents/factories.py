"""Builders for every documents model (the core isolation test needs one per model) and PDF builders for
realistic test documents (reportlab), so tests go through the real readers and classifier."""

from __future__ import annotations

import hashlib
import io
import itertools
import os
from decimal import Decimal

from tests.factories import builder

_n = itertools.count(1)


def make_pdf(lines: list[str], *, size: int = 11, top: int = 60) -> bytes:
    """A one-page A4 PDF with these lines of text (Helvetica), like an office program would print it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    height = A4[1]
    y = top
    for line in lines:
        pdf.setFont("Helvetica-Bold" if line.isupper() and len(line) > 3 else "Helvetica", size)
        pdf.drawString(50, height - y - size, line)
        y += size + 7
        if y > height - 60:
            pdf.showPage()
            y = top
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def supplier_invoice_lines(*, number: str = "FA-2026-0042", issuer: str = "Scierie du Val de Loire SARL",
                           siren: str = "455869719", vat: str = "FR58455869719", date: str = "15/03/2026",
                           due: str = "14/04/2026", ht: str = "350,00", tva: str = "70,00", ttc: str = "420,00",
                           iban: str = "FR7614445732238089479035264", extra: tuple[str, ...] = ()) -> list[str]:
    return [
        issuer,
        "105 chemin des Vignes",
        "44470 Carquefou",
        f"SIREN {siren} - TVA intracommunautaire {vat}",
        "",
        "Client : Menuiserie Martin SARL, 12 rue des Artisans, 44300 Nantes",
        "",
        f"FACTURE N° {number}",
        f"Date de facture : {date}",
        f"Date d'échéance : {due}",
        "",
        "Désignation : Bois massif et panneaux de chêne",
        *extra,
        f"Total HT {ht} €",
        f"TVA 20 % {tva} €",
        f"Total TTC {ttc} €",
        "",
        f"IBAN : {iban}",
        "Pénalités de retard : taux BCE + 10 points. Indemnité forfaitaire de recouvrement : 40 €.",
    ]


def make_invoice_pdf(**kwargs) -> bytes:
    return make_pdf(supplier_invoice_lines(**kwargs))


@builder("documents.Document")
def _document(company):
    from etabli.documents.models import Document, DocumentStatus

    n = next(_n)
    checksum = hashlib.sha256(f"document-{company.pk}-{n}".encode()).hexdigest()
    return Document.objects.create(
        company=company, title=f"Facture test {n}", original_filename=f"facture-{n}.pdf", checksum=checksum,
        size=10, file=f"documents/{company.pk}/originaux/{checksum[:2]}/{checksum}.pdf",
        status=DocumentStatus.TO_VALIDATE, doc_type="facture_fournisseur", correspondent_name="Fournisseur test",
        amount_ttc=Decimal("120.00"), reference=f"F-{n}",
    )


@builder("documents.DocumentPage")
def _page(company):
    from etabli.documents.models import DocumentPage

    return DocumentPage.objects.create(company=company, document=_document(company), number=1, width=595,
                                       height=842, source="text", words=[["Facture", 50, 60, 100, 70]])


@builder("documents.Tag")
def _tag(company):
    from etabli.documents.models import Tag

    return Tag.objects.create(company=company, name=f"étiquette {next(_n)}")


@builder("documents.DocumentTag")
def _document_tag(company):
    from etabli.documents.models import DocumentTag

    return DocumentTag.objects.create(company=company, document=_document(company), tag=_tag(company))


@builder("documents.DocumentSettings")
def _settings(company):
    from etabli.documents.services.config import get_settings

    return get_settings(company)


@builder("documents.MailAccount")
def _mail_account(company):
    from etabli.documents.services.mailbox import save_account

    return save_account(company=company, label="Factures", host="127.0.0.1", port=1143, security="none",
                        username=f"factures{next(_n)}", password="secret")


@builder("documents.WatchedFolder")
def _folder(company):
    from etabli.documents.models import WatchedFolder

    return WatchedFolder.objects.create(company=company, path=f"/tmp/etabli-scans-{os.getpid()}-{company.pk}-{next(_n)}")


@builder("documents.ClassifierState")
def _classifier_state(company):
    from etabli.documents.models import ClassifierState

    return ClassifierState.objects.create(company=company, fingerprint="x", samples=0)
