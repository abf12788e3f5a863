"""Demo documents of the Menuiserie Martin: the dataset's filed history, and a few new ones to validate.

- The dataset's ``documents`` (the last 60 supplier invoices, the lease, the van's lease, the CFE notice) are
  stored as small PDFs generated with reportlab and *filed*, with their fields and, for supplier invoices,
  their booked purchase entry: the owner validated them over the past months. They make search useful at
  once (« factures Scierie de plus de 5 000 € en 2026 »).
- Four new documents arrived this morning and wait for validation: a small hardware invoice, a large timber
  invoice (above the human-validation amount), a re-sent copy of an accountant's invoice (a duplicate), and
  a delivery note. They are *not* read during ``etabli demo`` (that would train the day-one classifier and
  run the readers: too slow for a demo that must start in seconds): they are queued, and the worker reads
  them as soon as ``etabli serve`` starts — within a minute they are ready for one-click validation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
from decimal import Decimal
from typing import TextIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from etabli.common.formats import format_date, format_eur
from etabli.common.money import round_cents
from etabli.core.demo.dataset import make_siret
from etabli.core.models import Company, Membership
from etabli.documents import accounting, adapters, search, storage
from etabli.documents.models import (
    Document,
    DocumentStatus,
    DocumentTag,
    EntryStatus,
    Source,
    Tag,
    TagSource,
)
from etabli.documents.services.intake import ingest_bytes

TAGS = {"601": "matières premières", "602": "quincaillerie", "6061": "énergie", "6122": "véhicule",
        "613": "loyer", "616": "assurance", "626": "télécom", "6226": "comptabilité", "6063": "outillage",
        "624": "transport"}


def _pdf(lines: list[tuple[float, float, int, str]]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    height = A4[1]
    for x, top, size, text in lines:
        pdf.setFont("Helvetica-Bold" if size >= 14 else "Helvetica", size)
        pdf.drawString(x, height - top - size, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _money(value: Decimal) -> str:
    return format_eur(value).replace("\u202f", " ").replace("\xa0", " ")


def invoice_lines(*, company, supplier, number: str, issue: dt.date, due: dt.date, description: str,
                  ht: Decimal, rate: Decimal, tva: Decimal, ttc: Decimal, title: str = "FACTURE",
                  mention: str = "") -> list[tuple[float, float, int, str]]:
    siret = make_siret(supplier.siren, random.Random(supplier.siren)) if supplier.siren else ""
    rate_text = format(rate.normalize(), "f").replace(".", ",")
    lines = [
        (50, 40, 14, supplier.name),
        (50, 62, 10, supplier.address_line1),
        (50, 76, 10, f"{supplier.postal_code} {supplier.city}"),
        (50, 90, 9, f"SIREN {supplier.siren} - SIRET {siret} - TVA {supplier.vat_number}"),
        (330, 116, 9, "Facturé à :"),
        (330, 130, 10, company.legal_name),
        (330, 144, 10, company.address_line1),
        (330, 158, 10, f"{company.postal_code} {company.city}"),
        (50, 200, 16, f"{title} N° {number}"),
        (50, 232, 10, f"Date de facture : {format_date(issue)}"),
        (50, 246, 10, f"Date d'échéance : {format_date(due)}"),
        (50, 290, 10, "Désignation"),
        (420, 290, 10, "Montant HT"),
        (50, 308, 10, description[:70]),
        (420, 308, 10, _money(ht)),
        (300, 360, 10, "Total HT"),
        (420, 360, 10, _money(ht)),
        (300, 376, 10, f"TVA {rate_text} %"),
        (420, 376, 10, _money(tva)),
        (300, 392, 11, "Total TTC"),
        (420, 392, 11, _money(ttc)),
        (50, 440, 9, f"IBAN : {supplier.iban}"),
        (50, 470, 8, "Pénalités de retard : taux BCE + 10 points. Indemnité forfaitaire pour frais de recouvrement : 40 €."),
    ]
    if mention:
        lines.append((50, 170, 12, mention))
    return lines


def _text(lines) -> str:
    return "\n".join(text for _, _, _, text in sorted(lines, key=lambda item: (item[1], item[0])))


def _field(value) -> dict:
    return {"value": str(value), "confidence": 1.0, "source": "text", "location": None,
            "evidence": "validé par une personne"}


def load(company: Company, dataset, stdout: TextIO | None = None) -> None:
    owner = Membership.objects.filter(company=company, role="owner").select_related("user").first()
    suppliers = {s.key: s for s in dataset.suppliers}
    by_number = {s.number: s for s in dataset.supplier_invoices}
    names = {s.name: s for s in dataset.suppliers}
    with transaction.atomic():
        tag_cache: dict[str, Tag] = {}
        for placeholder in dataset.documents:
            if placeholder.kind == "facture_fournisseur" and placeholder.reference in by_number:
                bill = by_number[placeholder.reference]
                _filed_invoice(company, dataset, suppliers[bill.supplier_key], bill, owner, tag_cache)
            else:
                _filed_other(company, dataset, placeholder, names.get(placeholder.correspondent), owner)
        _new_arrivals(company, dataset, suppliers)
    if stdout is not None:
        stdout.write(f"  Documents : {len(dataset.documents)} classés, 4 reçus ce matin (lus par le travailleur)\n")


def _store(company: Company, data: bytes, filename: str) -> tuple[str, str]:
    checksum = hashlib.sha256(data).hexdigest()
    name = storage.save_bytes(storage.original_name(company.pk, checksum, ".pdf"), data)
    return checksum, name


def _filed_invoice(company, dataset, supplier, bill, owner, tag_cache) -> None:
    lines = invoice_lines(company=dataset.company, supplier=supplier, number=bill.number, issue=bill.issue_date,
                          due=bill.due_date, description=bill.description, ht=bill.total_ht, rate=bill.vat_rate,
                          tva=bill.total_tva, ttc=bill.total_ttc)
    data = _pdf(lines)
    checksum, name = _store(company, data, f"{bill.number}.pdf")
    partner = adapters.find_partner(company=company, siren=supplier.siren, name=supplier.name, kind="supplier")
    fields = {
        "issuer_name": _field(supplier.name), "siren": _field(supplier.siren), "vat_number": _field(supplier.vat_number),
        "invoice_number": _field(bill.number), "issue_date": _field(bill.issue_date.isoformat()),
        "due_date": _field(bill.due_date.isoformat()), "currency": _field("EUR"), "total_ht": _field(bill.total_ht),
        "total_tva": _field(bill.total_tva), "total_ttc": _field(bill.total_ttc), "iban": _field(supplier.iban),
    }
    breakdown = [{"rate": str(bill.vat_rate), "base": str(bill.total_ht), "vat": str(bill.total_tva), "location": None}]
    validated = timezone.make_aware(dt.datetime.combine(min(bill.issue_date + dt.timedelta(days=1), dataset.today),
                                                        dt.time(9, 30)))
    label = f"Facture {supplier.name} {bill.number}"
    entry = accounting.build_entry(entry_date=bill.issue_date, label=label, supplier_name=supplier.name,
                                   expense_account=supplier.expense_account, total_ht=bill.total_ht,
                                   total_tva=bill.total_tva, total_ttc=bill.total_ttc, breakdown=breakdown,
                                   reference=bill.number)
    document = Document.objects.create(
        company=company, title=f"Facture fournisseur {supplier.name} {bill.number}",
        original_filename=f"{bill.number}.pdf", checksum=checksum, size=len(data), mime_type="application/pdf",
        file=name, source=Source.EMAIL, source_detail=f"E-mail de {supplier.email}", sender_email=supplier.email,
        received_by=None, last_received_at=validated, status=DocumentStatus.FILED, progress=100,
        progress_message="Classé", read_kind="text_pdf", page_count=1, content=_text(lines),
        doc_type="facture_fournisseur", doc_type_confidence=1.0, doc_type_source="human",
        partner_id=partner.id if partner else None, correspondent_name=supplier.name,
        correspondent_match="siren" if partner else "", correspondent_confidence=1.0 if partner else None,
        fields=fields, vat_breakdown=breakdown, doc_date=bill.issue_date, due_date=bill.due_date,
        amount_ht=bill.total_ht, amount_tva=bill.total_tva, amount_ttc=bill.total_ttc, currency="EUR",
        reference=bill.number, issuer_siren=supplier.siren, accounting_entry=entry, entry_status=EntryStatus.BOOKED,
        validated_by=owner.user if owner else None, validated_at=validated,
    )
    Document.objects.filter(pk=document.pk).update(created_at=validated - dt.timedelta(hours=1))
    tag_name = TAGS.get(supplier.expense_account)
    if tag_name:
        tag = tag_cache.get(tag_name) or Tag.objects.get_or_create(company=company, name=tag_name)[0]
        tag_cache[tag_name] = tag
        DocumentTag.objects.create(company=company, document=document, tag=tag, source=TagSource.HUMAN)
    search.index_document(document, [tag_name] if tag_name else [])


def _filed_other(company, dataset, placeholder, supplier, owner) -> None:
    if placeholder.kind == "contrat":
        lines = [(50, 40, 16, placeholder.title.upper()), (50, 80, 10, f"Référence : {placeholder.reference}"),
                 (50, 100, 10, f"Entre {placeholder.correspondent}, ci-après « le bailleur »,"),
                 (50, 114, 10, (f"et {dataset.company.legal_name}, {dataset.company.address_line1}, "
                                f"{dataset.company.postal_code} {dataset.company.city}, ci-après « le preneur ».")),
                 (50, 140, 10, "Article 1 - Objet du contrat"),
                 (50, 160, 10, "Article 2 - Durée : le présent contrat est conclu pour une durée de trois ans."),
                 (50, 180, 10, "Article 3 - Loyer et modalités de paiement : mensuel, payable d'avance."),
                 (50, 200, 10, "Article 4 - Résiliation"),
                 (50, 240, 10, f"Fait à Nantes le {format_date(placeholder.date)}, en deux exemplaires originaux."),
                 (50, 260, 10, "Signature du bailleur                    Signature du preneur")]
    else:
        lines = [(50, 40, 10, "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES"), (50, 60, 14, "AVIS D'IMPÔT 2026"),
                 (50, 84, 12, "COTISATION FONCIÈRE DES ENTREPRISES"),
                 (50, 110, 10, f"{dataset.company.legal_name} - SIREN {dataset.company.siren}"),
                 (50, 130, 10, f"Date de mise en recouvrement : {format_date(placeholder.date)}"),
                 (50, 150, 10, "Montant à payer : 1 184,00 €"),
                 (50, 170, 10, "Date limite de paiement : 15/12/2026"),
                 (50, 200, 9, "Paiement en ligne sur impots.gouv.fr, espace professionnel.")]
    data = _pdf(lines)
    checksum, name = _store(company, data, f"{placeholder.reference}.pdf")
    partner = None
    if supplier is not None:
        partner = adapters.find_partner(company=company, siren=supplier.siren, name=supplier.name)
    validated = timezone.make_aware(dt.datetime.combine(placeholder.date, dt.time(10, 0)))
    document = Document.objects.create(
        company=company, title=placeholder.title, original_filename=f"{placeholder.reference}.pdf", checksum=checksum,
        size=len(data), mime_type="application/pdf", file=name, source=Source.UPLOAD, last_received_at=validated,
        status=DocumentStatus.FILED, progress=100, progress_message="Classé", read_kind="text_pdf", page_count=1,
        content=_text(lines), doc_type=placeholder.kind, doc_type_confidence=1.0, doc_type_source="human",
        partner_id=partner.id if partner else None, correspondent_name=placeholder.correspondent,
        doc_date=placeholder.date, reference=placeholder.reference, validated_by=owner.user if owner else None,
        validated_at=validated,
        amount_ttc=Decimal("1184.00") if placeholder.kind == "courrier_administratif" else None,
    )
    Document.objects.filter(pk=document.pk).update(created_at=validated - dt.timedelta(hours=1))
    search.index_document(document, [])


def _new_arrivals(company, dataset, suppliers) -> None:
    """Four documents received this morning, queued for the worker."""
    today = dataset.today
    hardware, timber = suppliers["quincaillerie"], suppliers["negoce"]
    items = []
    ht = Decimal("239.00")
    items.append(("QUI-2611-0118.pdf", invoice_lines(
        company=dataset.company, supplier=hardware, number="QUI2611-0118", issue=today - dt.timedelta(days=2),
        due=today + dt.timedelta(days=28), description="Charnières inox, visserie et serrures 3 points", ht=ht,
        rate=Decimal(20), tva=round_cents(ht * Decimal("0.2")), ttc=ht + round_cents(ht * Decimal("0.2")))))
    ht = Decimal("4030.00")
    items.append(("facture_negoce_NEG2611-0031.pdf", invoice_lines(
        company=dataset.company, supplier=timber, number="NEG2611-0031", issue=today - dt.timedelta(days=1),
        due=today + dt.timedelta(days=44), description="Chêne massif 27 mm et panneaux contreplaqué", ht=ht,
        rate=Decimal(20), tva=round_cents(ht * Decimal("0.2")), ttc=ht + round_cents(ht * Decimal("0.2")))))
    last = next((s for s in reversed(dataset.supplier_invoices) if s.supplier_key == "comptable"), None)
    if last is not None:
        accountant = suppliers["comptable"]
        items.append((f"{last.number}-duplicata.pdf", invoice_lines(
            company=dataset.company, supplier=accountant, number=last.number, issue=last.issue_date, due=last.due_date,
            description=last.description, ht=last.total_ht, rate=last.vat_rate, tva=last.total_tva,
            ttc=last.total_ttc, mention="DUPLICATA - relance de paiement")))
    scierie = suppliers["scierie"]
    items.append(("BL-SCI-2611-77.pdf", [
        (50, 40, 14, scierie.name), (50, 62, 10, scierie.address_line1),
        (50, 76, 10, f"{scierie.postal_code} {scierie.city}"), (50, 120, 16, "BON DE LIVRAISON N° BL-2611-77"),
        (50, 150, 10, f"Date de livraison : {format_date(today - dt.timedelta(days=1))}"),
        (50, 166, 10, f"Livré à : {dataset.company.legal_name}, {dataset.company.address_line1}"),
        (50, 200, 10, "Désignation                                   Quantité livrée"),
        (50, 216, 10, "Chêne massif 27 mm                               12 m²"),
        (50, 232, 10, "Hêtre étuvé 40 mm                                 6 m²"),
        (50, 280, 10, "Marchandise reçue en bon état - Signature du client :"),
    ]))
    immediate = bool(getattr(settings, "HUEY", {}).get("immediate"))
    for filename, lines in items:
        ingest_bytes(company=company, data=_pdf(lines), filename=filename, source=Source.EMAIL,
                     source_detail="E-mail reçu ce matin (démonstration)",
                     sender_email="factures@fournisseur.example", process=not immediate)
