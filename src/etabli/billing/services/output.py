"""Documents leaving the company: the Factur-X PDF of each issued invoice, and e-mails with it attached.

The PDF is built once from the invoice's frozen data, stored, and its SHA-256 kept: what was sent can be
proven later. Every e-mail (sent or failed) is written to the sent log (`SentEmail`).
"""

from __future__ import annotations

import hashlib
import logging
from email.utils import formataddr, make_msgid, parseaddr

from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from etabli.billing.errors import BillingError
from etabli.billing.facturx_xml import build_xml
from etabli.billing.mentions import snapshot_buyer, snapshot_seller
from etabli.billing.models import (
    Direction,
    DocType,
    Invoice,
    InvoiceStatus,
    Quote,
    QuoteStatus,
    SentEmail,
    SentKind,
)
from etabli.billing.pdf import render_invoice_pdf, render_quote_pdf
from etabli.billing.services.setup import ensure_settings
from etabli.common.formats import format_date, format_eur
from etabli.core.models import Company
from etabli.core.services import ledger

logger = logging.getLogger(__name__)


def pdf_filename(invoice: Invoice) -> str:
    label = {DocType.CREDIT_NOTE: "avoir", DocType.DEPOSIT: "facture-acompte"}.get(
        invoice.doc_type, "facture"
    )
    return f"{label}-{invoice.number}.pdf"


def build_pdf(invoice: Invoice) -> bytes:
    """Factur-X PDF/A-3 bytes of an issued customer invoice (not stored)."""
    if invoice.direction != Direction.CUSTOMER or invoice.status == InvoiceStatus.DRAFT or not invoice.number:
        raise BillingError("Seule une facture de vente émise a un PDF Factur-X.")
    return render_invoice_pdf(invoice, build_xml(invoice))


def ensure_pdf(invoice: Invoice) -> Invoice:
    """Store the invoice's PDF if it is not stored yet; an existing PDF is never rebuilt (it is what was sent)."""
    if invoice.pdf and invoice.pdf_sha256:
        try:
            if invoice.pdf.storage.exists(invoice.pdf.name):
                return invoice
        except OSError:
            pass
    data = build_pdf(invoice)
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk, company_id=invoice.company_id)
        if locked.pdf and locked.pdf_sha256 and locked.pdf.storage.exists(locked.pdf.name):
            return locked
        locked.pdf.save(f"{invoice.company_id}-{pdf_filename(invoice)}", ContentFile(data), save=False)
        locked.pdf_sha256 = digest
        locked.save(update_fields=["pdf", "pdf_sha256", "updated_at"])
    invoice.pdf, invoice.pdf_sha256 = locked.pdf, digest
    return invoice


def pdf_bytes(invoice: Invoice) -> bytes:
    if invoice.direction == Direction.SUPPLIER:
        raise BillingError("Les factures fournisseurs n'ont pas de PDF généré ici (voyez le document reçu).")
    invoice = ensure_pdf(invoice)
    with invoice.pdf.open("rb") as handle:
        return handle.read()


def quote_pdf_bytes(quote: Quote) -> bytes:
    from etabli.billing.services.documents import breakdown_for

    company = quote.company
    settings_row = ensure_settings(company)
    lines = [
        {
            "net_amount": l.net_amount,
            "vat_rate": l.vat_rate,
            "vat_category": l.vat_category,
            "vat_exemption_text": l.vat_exemption_text,
        }
        for l in quote.lines.all()
    ]
    _, _, _, rows = breakdown_for(lines) if lines else (None, None, None, [])
    return render_quote_pdf(
        quote, snapshot_seller(company, settings_row), snapshot_buyer(quote.partner), rows
    )


# --- E-mail -----------------------------------------------------------------------------------------------


def sender_for(company: Company) -> tuple[str, list[str]]:
    """From: "<Company> <platform address>", Reply-To: the company's own address (answers reach it)."""
    _, address = parseaddr(django_settings.DEFAULT_FROM_EMAIL)
    return formataddr((str(company), address or "etabli@localhost")), [company.email] if company.email else []


def send_email(
    *,
    company: Company,
    kind: str,
    to: str,
    subject: str,
    body: str,
    attachments: list[tuple[str, bytes, str]],
    invoice: Invoice | None = None,
    quote: Quote | None = None,
    reminder=None,
    user=None,
) -> SentEmail:
    """Send through Django's mail backend (SMTP in production) and log the outcome either way."""
    if not to or "@" not in to:
        raise BillingError(
            "Adresse e-mail du destinataire manquante ou invalide : complétez la fiche client.",
            field_errors={"to": "Adresse invalide."},
            code="no_recipient",
        )
    from_email, reply_to = sender_for(company)
    message_id = make_msgid(domain="etabli.local")
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=from_email,
        to=[to],
        reply_to=reply_to,
        headers={"Message-ID": message_id},
    )
    for name, content, mime in attachments:
        message.attach(name, content, mime)
    log = SentEmail(
        company=company,
        kind=kind,
        invoice=invoice,
        quote=quote,
        reminder=reminder,
        to=to,
        subject=subject[:255],
        body=body,
        attachments=[name for name, _, _ in attachments],
        message_id=message_id,
        sent_by=user if getattr(user, "is_authenticated", False) else None,
    )
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # SMTP down, refused recipient…: logged, then reported in French
        log.ok, log.error = False, f"{exc.__class__.__name__}: {exc}"[:2000]
        log.save()
        raise BillingError(
            f"L'e-mail n'a pas pu être envoyé ({exc.__class__.__name__}). Vérifiez le serveur "
            "d'envoi (SMTP) dans les réglages, puis réessayez.",
            code="smtp_error",
            status=502,
        ) from exc
    log.save()
    return log


def invoice_email_text(invoice: Invoice) -> tuple[str, str]:
    company = invoice.company
    label = {DocType.CREDIT_NOTE: "Avoir", DocType.DEPOSIT: "Facture d'acompte"}.get(
        invoice.doc_type, "Facture"
    )
    subject = f"{label} {invoice.number} — {company}"
    lines = [
        "Bonjour,",
        "",
        f"Veuillez trouver ci-joint notre {label.lower()} n° {invoice.number} du "
        f"{format_date(invoice.issue_date)}, d'un montant de {format_eur(invoice.total_ttc)} TTC.",
    ]
    if invoice.doc_type != DocType.CREDIT_NOTE:
        lines.append(f"Échéance : {format_date(invoice.due_date)}.")
        iban = (invoice.seller or {}).get("iban")
        if iban:
            lines.append(f"Règlement par virement : IBAN {iban}, référence {invoice.number}.")
    lines += [
        "",
        "Le PDF joint est une facture électronique Factur-X : votre logiciel peut en lire les données "
        "directement.",
        "",
        "Cordialement,",
        str(company),
    ]
    return subject, "\n".join(lines)


def send_invoice(*, company: Company, invoice_id: int, to: str = "", user=None) -> SentEmail:
    invoice = Invoice.objects.for_company(company).select_related("partner").filter(pk=invoice_id).first()
    if invoice is None:
        raise BillingError("Facture introuvable dans cette entreprise.", code="not_found", status=404)
    if invoice.direction != Direction.CUSTOMER or invoice.status == InvoiceStatus.DRAFT:
        raise BillingError(
            "Seule une facture de vente émise peut être envoyée : émettez-la d'abord.", code="draft"
        )
    subject, body = invoice_email_text(invoice)
    data = pdf_bytes(invoice)
    log = send_email(
        company=company,
        kind=SentKind.INVOICE,
        to=to or invoice.partner.email,
        subject=subject,
        body=body,
        attachments=[(pdf_filename(invoice), data, "application/pdf")],
        invoice=invoice,
        user=user,
    )
    Invoice.objects.filter(pk=invoice.pk).update(sent_at=timezone.now())
    ledger.record_time_saved(
        company=company, action_key="billing.invoice_sent", object_ref=f"invoice:{invoice.pk}"
    )
    return log


def send_quote(*, company: Company, quote_id: int, to: str = "", user=None) -> SentEmail:
    quote = Quote.objects.for_company(company).select_related("partner").filter(pk=quote_id).first()
    if quote is None:
        raise BillingError("Devis introuvable dans cette entreprise.", code="not_found", status=404)
    subject = f"Devis {quote.number} — {company}"
    body = (
        f"Bonjour,\n\nVeuillez trouver ci-joint notre devis n° {quote.number} ({quote.title or 'travaux'}), "
        f"d'un montant de {format_eur(quote.total_ttc)} TTC, valable {quote.validity_days} jours.\n\n"
        f"Pour l'accepter, renvoyez-le signé avec la mention « bon pour accord ».\n\nCordialement,\n{company}"
    )
    log = send_email(
        company=company,
        kind=SentKind.QUOTE,
        to=to or quote.partner.email,
        subject=subject,
        body=body,
        attachments=[(f"devis-{quote.number}.pdf", quote_pdf_bytes(quote), "application/pdf")],
        quote=quote,
        user=user,
    )
    if quote.status == QuoteStatus.DRAFT:
        Quote.objects.filter(pk=quote.pk).update(status=QuoteStatus.SENT, sent_at=timezone.now())
    return log
