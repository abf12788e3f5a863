"""Duplicate detection: the same invoice must never be filed (and paid) twice.

Three signals, each with its French reason:
- same issuer and same number (issuer by SIREN, billing partner or name);
- same content: the exact same bytes are one document by construction (content-addressed intake, counted
  in « reçu N fois »); a copy re-saved or re-printed to PDF has other bytes but the same text;
- same amount, same date, same issuer (a photo of an invoice already received as a PDF).
"""

from __future__ import annotations

from django.db.models import Q

from etabli.common.formats import format_date, format_eur
from etabli.documents.models import Document


def _issuer_q(document: Document) -> Q | None:
    conditions = Q()
    has = False
    if document.issuer_siren:
        conditions |= Q(issuer_siren=document.issuer_siren)
        has = True
    if document.partner_id:
        conditions |= Q(partner_id=document.partner_id)
        has = True
    if document.correspondent_name:
        conditions |= Q(correspondent_name__iexact=document.correspondent_name)
        has = True
    return conditions if has else None


def find_duplicates(document: Document) -> tuple[Document | None, list[str]]:
    """The earliest document this one probably duplicates, and why (empty when none)."""
    others = Document.objects.for_company(document.company_id).exclude(pk=document.pk).exclude(duplicate_of=document)
    reasons: list[str] = []
    found: list[Document] = []
    issuer = _issuer_q(document)
    if document.reference and issuer is not None:
        same_number = others.filter(issuer, reference__iexact=document.reference).order_by("created_at").first()
        if same_number is not None:
            found.append(same_number)
            reasons.append(f"Même émetteur et même numéro ({document.reference}) que « {same_number.title} », "
                           f"reçu le {_received(same_number)}.")
    if document.content_checksum:
        same_text = others.filter(content_checksum=document.content_checksum).order_by("created_at").first()
        if same_text is not None:
            found.append(same_text)
            reasons.append(f"Même contenu que « {same_text.title} », reçu le {_received(same_text)} "
                           "(fichier différent, texte identique).")
    if document.amount_ttc is not None and document.doc_date and issuer is not None:
        same_amount = (others.filter(issuer, amount_ttc=document.amount_ttc, doc_date=document.doc_date)
                       .order_by("created_at").first())
        if same_amount is not None:
            found.append(same_amount)
            reasons.append(f"Même émetteur, même montant ({format_eur(document.amount_ttc)}) et même date "
                           f"({format_date(document.doc_date)}) que « {same_amount.title} ».")
    if not found:
        return None, []
    earliest = min(found, key=lambda d: (d.created_at, d.pk))
    return earliest, reasons


def _received(document: Document) -> str:
    from django.utils import timezone

    return format_date(timezone.localtime(document.created_at).date())
