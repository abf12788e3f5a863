"""« L'IA propose, vous décidez » for documents: the filing proposal, its acceptance, corrections, entries.

After reading, each document becomes a review item (kind ``documents.file``) with its type, correspondent,
fields, confidence and French reasons. Accepting it — one click on the validation screen, or from the
review queue — files the document and, for a supplier invoice, creates or enriches the supplier and records
the invoice through billing's services, then proposes the purchase entry (kind ``documents.entry``).

Always human (kinds ``*_checked``, never applied by auto-mode): an amount at or above the company's
threshold (guide ch. 10.6 « 1 500 € lu comme 15 000 € »), a failed check, a probable duplicate, an uncertain
type (« je ne sais pas »), missing or poorly read key fields.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from etabli.common.formats import format_eur, format_percent
from etabli.core.models import Override, ReviewItem, ReviewStatus
from etabli.core.services import ailog, reviews, webhooks
from etabli.core.services.reviews import ReviewApplyError
from etabli.documents import accounting, adapters, search
from etabli.documents.fields import (
    AMOUNT_FIELDS,
    FIELD_LABELS,
    KEY_INVOICE_FIELDS,
    display,
    typed,
)
from etabli.documents.models import (
    DOC_TYPE_LABELS,
    DOC_TYPES,
    Document,
    DocumentStatus,
    DocumentTag,
    EntryStatus,
    Tag,
    TagSource,
)
from etabli.documents.reviewspec import FILING_EDIT_FIELDS, FILING_FIELDS
from etabli.documents.services import duplicates, learning, understanding
from etabli.documents.services.config import get_settings
from etabli.documents.services.intake import document_payload
from etabli.documents.services.processing import index_quietly, sync_columns

logger = logging.getLogger(__name__)

FILE_KIND = "documents.file"
FILE_CHECKED_KIND = "documents.file_checked"
ENTRY_KIND = "documents.entry"
ENTRY_CHECKED_KIND = "documents.entry_checked"
FACTURE_FOURNISSEUR, FACTURE_CLIENT, AVOIR = "facture_fournisseur", "facture_client", "avoir"
INVOICE_LIKE = (FACTURE_FOURNISSEUR, FACTURE_CLIENT, AVOIR)
#: Under this confidence a key invoice field is « lu avec incertitude » and a person must look at it.
FIELD_CONFIDENCE_FLOOR = 0.6

def _kind(base: str, human_required: bool) -> str:
    return f"{base}_checked" if human_required else base


def validation_url(document: Document) -> str:
    return reverse("documents:validate", args=[document.pk])


# --- After processing ----------------------------------------------------------------------------------


IDENTIFIER_MATCHES = ("siret", "siren", "vat_number", "iban")


def key_confidence(document: Document, name: str) -> float:
    """A key field's confidence; the issuer counts as sure when a known partner was found by an identifier
    (SIRET, SIREN, VAT number, IBAN) — the name as printed then matters little."""
    confidence = document.field_confidence(name)
    if name == "issuer_name" and document.correspondent_match in IDENTIFIER_MATCHES:
        confidence = max(confidence, float(document.correspondent_confidence or 0.0))
    return confidence


def human_required_reasons(document: Document) -> list[str]:
    """Why a person must look at this document whatever the auto-mode says (French sentences)."""
    config = get_settings(document.company)
    reasons: list[str] = []
    if document.doc_type_uncertain:
        reasons.append("Type incertain : l'IA ne sait pas de quel document il s'agit.")
    amount = document.amount_ttc
    if amount is not None and amount >= config.human_validation_amount:
        reasons.append(f"Montant de {format_eur(amount)} : au-delà de {format_eur(config.human_validation_amount)}, "
                       "une personne valide toujours (une erreur de lecture « 1 500 € lu comme 15 000 € » se voit).")
    for check in document.failed_checks:
        reasons.append(f"Contrôle échoué : {check['message']}")
    if document.duplicate_of_id:
        reasons.append("Doublon probable : " + " ".join(document.duplicate_reasons))
    if document.doc_type in INVOICE_LIKE:
        missing = [FIELD_LABELS[name] for name in KEY_INVOICE_FIELDS if not document.field_value(name)]
        if missing:
            reasons.append(f"Champs non trouvés : {', '.join(missing)}.")
        unsure = [FIELD_LABELS[name] for name in KEY_INVOICE_FIELDS
                  if document.field_value(name) and key_confidence(document, name) < FIELD_CONFIDENCE_FLOOR]
        if unsure:
            reasons.append(f"Lecture incertaine : {', '.join(unsure)}.")
    if document.read_kind != "einvoice_xml" and not (document.content or "").strip():
        reasons.append("Aucun texte n'a pu être lu (image illisible ou reconnaissance de texte désactivée) : "
                       "choisissez le type et saisissez les champs.")
    return reasons


def after_processing(*, document: Document) -> None:
    """Duplicates, human-only reasons, then the filing proposal (called inside the processing transaction)."""
    duplicate, reasons = duplicates.find_duplicates(document)
    document.duplicate_of = duplicate
    document.duplicate_reasons = reasons
    document.human_required_reasons = human_required_reasons(document)
    document.status = DocumentStatus.TO_VALIDATE
    document.progress, document.progress_message = 100, "Prêt à valider"
    document.save()
    search.index_document(document)
    decision = understanding.log_extraction(document) if document.fields else document.ai_decision
    propose_filing(document=document, ai_decision=decision)


def filing_payload(document: Document) -> dict:
    payload = {
        "document_id": document.pk,
        "doc_type": "" if document.doc_type_uncertain else document.doc_type,
        "correspondent_name": document.correspondent_name or None,
        "partner_id": document.partner_id,
        "tags": tags_text(document) or None,
    }
    for name in FILING_FIELDS:
        payload[name] = document.field_value(name) or None
    return payload


def tags_text(document: Document) -> str:
    return ", ".join(sorted(document.document_tags.values_list("tag__name", flat=True), key=str.casefold))


def filing_confidence(document: Document) -> float:
    confidence = float(document.doc_type_confidence or 0.0)
    if document.doc_type in INVOICE_LIKE:
        for name in KEY_INVOICE_FIELDS:
            confidence = min(confidence, key_confidence(document, name))
    return round(max(0.0, min(confidence, 1.0)), 4)


def filing_reasons(document: Document) -> list[str]:
    reasons: list[str] = []
    label = DOC_TYPE_LABELS.get(document.doc_type, document.doc_type)
    if document.doc_type_uncertain:
        reasons.append(f"Je ne sais pas : « {label} » seulement à {format_percent(document.doc_type_confidence or 0)}.")
    else:
        reasons.append(f"Type « {label} » à {format_percent(document.doc_type_confidence or 0)}"
                       + (f" : {'; '.join(document.doc_type_reasons[:2])}" if document.doc_type_reasons else "."))
    if document.correspondent_name:
        match = {"siren": "SIREN", "siret": "SIRET", "vat_number": "n° de TVA", "iban": "IBAN", "name": "nom proche",
                 "text": "nommé dans le texte", "new": "nouveau tiers"}.get(document.correspondent_match, "")
        reasons.append(f"Correspondant : {document.correspondent_name}" + (f" ({match})" if match else ""))
    if document.read_kind == "einvoice_xml":
        reasons.append("Facture électronique : champs lus dans le XML, exacts.")
    for name in KEY_INVOICE_FIELDS:
        value = document.field_value(name)
        if value and document.doc_type in INVOICE_LIKE:
            reasons.append(f"{FIELD_LABELS[name]} : {display(name, value)} ({format_percent(document.field_confidence(name))})")
    checks_ok = [c for c in document.checks or [] if c.get("ok")]
    if checks_ok:
        reasons.append(f"{len(checks_ok)} contrôle(s) réussi(s) : " + "; ".join(c["message"] for c in checks_ok[:3]))
    reasons.extend(document.human_required_reasons or [])
    return reasons


def propose_filing(*, document: Document, ai_decision=None) -> ReviewItem:
    human = bool(document.human_required_reasons)
    amount = f" — {format_eur(document.amount_ttc)}" if document.amount_ttc is not None else ""
    item = reviews.propose(
        company=document.company,
        kind=_kind(FILE_KIND, human),
        title=f"Classer « {document.title} »{amount}",
        payload=filing_payload(document),
        confidence=filing_confidence(document),
        reasons=filing_reasons(document),
        link_url=validation_url(document),
        dedupe_key=f"documents.file:{document.pk}",
        ai_decision=ai_decision,
    )
    Document.objects.filter(pk=document.pk).update(filing_review=item)
    document.filing_review = item
    return item


def withdraw_filing(*, document: Document, reason: str) -> None:
    """Expire the pending filing proposal (the document is read again or was corrected)."""
    if document.filing_review_id:
        ReviewItem.objects.filter(pk=document.filing_review_id, company_id=document.company_id,
                                  status=ReviewStatus.PENDING).update(status=ReviewStatus.EXPIRED,
                                                                      last_error=reason[:500])


# --- Acceptance ----------------------------------------------------------------------------------------


def _locked_document(item: ReviewItem, payload: dict) -> Document:
    document = (Document.objects.select_for_update().select_related("company")
                .filter(company_id=item.company_id, pk=payload.get("document_id")).first())
    if document is None:
        raise ReviewApplyError("Document introuvable dans cette entreprise.")
    return document


def apply_filing(item: ReviewItem, payload: dict, user) -> dict:
    """File the document with the (possibly edited) values; record a supplier invoice in billing."""
    document = _locked_document(item, payload)
    if document.status == DocumentStatus.FILED:
        raise ReviewApplyError("Ce document est déjà classé.")
    if document.status != DocumentStatus.TO_VALIDATE:
        raise ReviewApplyError("Ce document n'est pas prêt à être validé (lecture en cours ou à vérifier).")
    doc_type = (payload.get("doc_type") or "").strip()
    if not doc_type:
        raise ReviewApplyError("Choisissez le type du document : l'IA ne sait pas de quoi il s'agit.",
                               field_errors={"doc_type": "Obligatoire."})
    if doc_type not in DOC_TYPES:
        raise ReviewApplyError(f"Type de document inconnu : {doc_type}.")
    type_corrected = doc_type != document.doc_type or document.doc_type_uncertain
    _apply_field_edits(document, payload)
    if type_corrected:
        document.doc_type_source = "human"
        document.doc_type_confidence = 1.0
    document.doc_type = doc_type
    document.doc_type_uncertain = False
    new_name = (payload.get("correspondent_name") or "").strip()
    if new_name != (document.correspondent_name or ""):
        document.correspondent_name = new_name[:200]
        document.partner_id = None
        document.correspondent_match = "human"
    result: dict = {"document_id": document.pk}
    if doc_type == FACTURE_FOURNISSEUR:
        result.update(_record_purchase(document))
    elif doc_type == FACTURE_CLIENT and not document.partner_id and document.correspondent_name:
        found = adapters.find_partner(company=document.company, name=document.correspondent_name, kind="customer")
        if found is not None:
            document.partner_id, document.correspondent_name = found.id, found.name
    elif doc_type == AVOIR and not document.partner_id:
        _link_partner(document)
    document.status = DocumentStatus.FILED
    document.validated_by = user if getattr(user, "is_authenticated", False) else None
    document.validated_at = timezone.now()
    document.progress_message = "Classé"
    document.human_required_reasons = []
    document.title = understanding.make_title(doc_type, document.correspondent_name, document.reference,
                                              document.title)
    document.save()
    _set_human_tags(document, payload.get("tags"))
    search.index_document(document)
    if document.ai_decision_id:
        ailog.record_override(decision=document.ai_decision,
                              override=Override.EDITED if type_corrected else Override.ACCEPTED, user=user,
                              note=f"Type choisi : {DOC_TYPE_LABELS[doc_type]}" if type_corrected else "")
    if type_corrected:
        learning.request_retrain(document.company)
    webhooks.emit(company=document.company, event="document.filed", data=document_payload(document))
    if doc_type in (FACTURE_FOURNISSEUR, AVOIR) and document.amount_ttc is not None and document.partner_id:
        entry_item = propose_entry(document=document)
        if entry_item is not None:
            result["entry_review_id"] = entry_item.pk
    return result


def _apply_field_edits(document: Document, payload: dict) -> None:
    fields = dict(document.fields or {})
    for name in FILING_FIELDS:
        if name not in payload:
            continue
        new = payload.get(name)
        new = "" if new is None else str(new).strip()
        old = document.field_value(name) or ""
        if name in AMOUNT_FIELDS and new:
            new = str(typed(name, new))
        if new == old:
            continue
        if not new:
            fields.pop(name, None)
            continue
        previous = fields.get(name) or {}
        fields[name] = {"value": new, "confidence": 1.0, "source": "human", "location": previous.get("location"),
                        "evidence": "saisi par une personne", "edited": True, "read_value": old}
    document.fields = fields
    sync_columns(document)


def _link_partner(document: Document) -> None:
    found = adapters.find_partner(
        company=document.company, siren=document.field_value("siren") or "",
        siret=document.field_value("siret") or "", vat_number=document.field_value("vat_number") or "",
        iban=document.field_value("iban") or "", name=document.correspondent_name or document.field_value("issuer_name") or "",
    )
    if found is not None:
        document.partner_id, document.correspondent_name = found.id, found.name


def _record_purchase(document: Document) -> dict:
    """Supplier created or enriched, supplier invoice recorded — through billing's services."""
    values = {name: document.field_value(name) or "" for name in FILING_FIELDS}
    name = document.correspondent_name or values["issuer_name"]
    if not name:
        raise ReviewApplyError("Indiquez le fournisseur (correspondant) : il n'a pas été lu sur le document.",
                               field_errors={"correspondent_name": "Obligatoire pour une facture fournisseur."})
    try:
        supplier = adapters.upsert_supplier(
            company=document.company, name=name, siren=values["siren"], siret=values["siret"],
            vat_number=values["vat_number"], iban=values["iban"],
        )
    except adapters.PartnerServiceError as exc:
        raise ReviewApplyError(f"Fournisseur refusé par la facturation : {exc.message}",
                               field_errors=_billing_field_errors(exc)) from exc
    document.partner_id = supplier.id
    document.correspondent_name = supplier.name
    if getattr(supplier, "created", False):
        document.correspondent_match = "new"
    result = {"supplier_id": supplier.id, "supplier_created": bool(getattr(supplier, "created", False))}
    conflicts = [f"{c.field} : « {c.existing} » connu, « {c.proposed} » lu" for c in getattr(supplier, "conflicts", ())]
    if conflicts:
        result["supplier_conflicts"] = conflicts
    try:
        invoice = _create_invoice(document, supplier, values)
    except adapters.PartnerServiceError as exc:
        if exc.code != "duplicate":
            raise ReviewApplyError(f"Facture refusée par la facturation : {exc.message}",
                                   field_errors=_billing_field_errors(exc)) from exc
        # Already recorded (typed by hand, imported as an e-invoice): the document is its proof, not a new debt.
        invoice = adapters.open_supplier_invoice(company=document.company, supplier_id=supplier.id,
                                                 number=values.get("invoice_number") or document.reference)
        result["supplier_invoice_existing"] = exc.message
        document.warnings = [*(document.warnings or []), f"Facture déjà enregistrée en facturation : {exc.message}"]
    if invoice is not None:
        document.supplier_invoice_id = invoice.id
        result["supplier_invoice_id"] = invoice.id
    return result


def _billing_field_errors(exc: adapters.PartnerServiceError) -> dict[str, str]:
    mapping = {"number": "invoice_number", "name": "correspondent_name", "issue_date": "issue_date",
               "due_date": "due_date", "total_ttc": "total_ttc", "vat_breakdown": "total_tva"}
    return {mapping.get(key, key): value for key, value in (exc.field_errors or {}).items()
            if mapping.get(key, key) in {f.name for f in FILING_EDIT_FIELDS}}


def _create_invoice(document: Document, supplier, values: dict):
    if document.read_kind == "einvoice_xml" and not any((document.fields or {}).get(n, {}).get("edited")
                                                        for n in FILING_FIELDS):
        from etabli.documents import storage

        result = adapters.import_einvoice(company=document.company, data=storage.read_bytes(document.file.name),
                                          filename=document.original_filename, direction="supplier")
        return result.invoice
    missing = [FIELD_LABELS[n] for n in ("invoice_number", "issue_date", "total_ht", "total_tva", "total_ttc")
               if typed(n, values.get(n)) in (None, "")]
    if missing:
        raise ReviewApplyError(f"Pour enregistrer la facture fournisseur, complétez : {', '.join(missing)}.",
                               field_errors={n: "Obligatoire." for n in ("invoice_number", "issue_date", "total_ht",
                                                                        "total_tva", "total_ttc")
                                             if typed(n, values.get(n)) in (None, "")})
    issue = typed("issue_date", values["issue_date"])
    due = typed("due_date", values.get("due_date")) or issue + dt.timedelta(days=int(getattr(supplier, "payment_terms_days", 30) or 0))
    breakdown = [{"rate": row["rate"], "base": row["base"], "vat": row["vat"]}
                 for row in document.vat_breakdown or [] if row.get("base") is not None and row.get("vat") is not None]
    total_ht, total_tva = typed("total_ht", values["total_ht"]), typed("total_tva", values["total_tva"])
    if breakdown and (sum((Decimal(r["base"]) for r in breakdown), Decimal(0)) != total_ht
                      or sum((Decimal(r["vat"]) for r in breakdown), Decimal(0)) != total_tva):
        breakdown = []  # a person corrected the totals: the per-rate rows read earlier no longer apply
    return adapters.create_supplier_invoice(
        company=document.company, supplier_id=supplier.id, number=values["invoice_number"], issue_date=issue,
        due_date=due, currency=(values.get("currency") or "EUR") or "EUR", total_ht=total_ht, total_tva=total_tva,
        total_ttc=typed("total_ttc", values["total_ttc"]), vat_breakdown=breakdown,
        order_reference=values.get("order_reference") or "", source_document_id=document.pk,
    )


def _set_human_tags(document: Document, text) -> None:
    """The tags a person confirmed (the suggestions they removed are dropped)."""
    if text is None:
        return
    names = []
    for raw in str(text).split(","):
        name = " ".join(raw.split())[:60]
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    set_tags(document=document, names=names)


def set_tags(*, document: Document, names: list[str]) -> None:
    keep = []
    for name in names:
        tag = Tag.objects.filter(company_id=document.company_id, name__iexact=name).first()
        if tag is None:
            tag = Tag.objects.create(company_id=document.company_id, name=name)
        keep.append(tag.pk)
        DocumentTag.objects.update_or_create(
            document=document, tag=tag,
            defaults={"company_id": document.company_id, "source": TagSource.HUMAN, "confidence": None},
        )
    DocumentTag.objects.filter(document=document).exclude(tag_id__in=keep).delete()


def reject_filing(item: ReviewItem, user) -> None:
    """The proposal was refused: the document waits « à vérifier » for a correction or a new reading."""
    document = Document.objects.filter(company_id=item.company_id, pk=item.payload.get("document_id")).first()
    if document is None or document.status != DocumentStatus.TO_VALIDATE:
        return
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus.NEEDS_ATTENTION, status_reason_code="filing_rejected",
        status_reason="Proposition de classement refusée : corrigez le document et relancez la lecture, "
                      "ou supprimez-le s'il n'a pas lieu d'être.",
        progress_message="À vérifier",
    )


# --- Purchase entry ------------------------------------------------------------------------------------


def entry_for(document: Document, expense_account: str, entry_date: dt.date | None = None, label: str = "") -> dict:
    company = document.company
    number = document.reference or document.field_value("invoice_number") or ""
    label = label or f"Facture {document.correspondent_name} {number}".strip()
    return accounting.build_entry(
        entry_date=entry_date or document.doc_date or timezone.localdate(), label=label,
        supplier_name=document.correspondent_name or "Fournisseur", expense_account=expense_account,
        total_ht=document.amount_ht if document.amount_ht is not None else document.amount_ttc,
        total_tva=document.amount_tva if document.amount_tva is not None else Decimal("0.00"),
        total_ttc=document.amount_ttc, breakdown=document.vat_breakdown or [],
        credit_note=document.doc_type == AVOIR, vat_deductible=company.vat_regime != "franchise", reference=number,
    )


def propose_entry(*, document: Document) -> ReviewItem | None:
    """Propose the purchase entry of a filed supplier invoice (debit 6xx + 44566, credit 401)."""
    config = get_settings(document.company)
    known = (config.supplier_accounts or {}).get(str(document.partner_id), "")
    choice = accounting.suggest_expense_account(
        supplier_name=document.correspondent_name, text=document.content, known_account=known,
        default_account=config.default_expense_account,
    )
    entry = entry_for(document, choice.account)
    if not entry["balanced"]:
        logger.warning("Entry of document %s not balanced: not proposed", document.pk)
        return None
    human = document.amount_ttc is not None and document.amount_ttc >= config.human_validation_amount
    reasons = [f"Compte {choice.account} ({choice.label}) : {choice.reason}.",
               "TVA déductible au compte 44566 par taux, fournisseur au compte 401."]
    if human:
        reasons.append(f"Montant de {format_eur(document.amount_ttc)} : validation humaine obligatoire.")
    decision = ailog.log_decision(
        company=document.company, use_case=understanding.USE_CASE, engine="etabli.documents.accounting",
        engine_version="1", input_data={"document": document.pk, "amount": str(document.amount_ttc)},
        input_summary=f"Écriture d'achat de « {document.title} »", output=entry, confidence=choice.confidence,
        explanation=reasons,
    )
    Document.objects.filter(pk=document.pk).update(accounting_entry=entry, entry_status=EntryStatus.PROPOSED)
    item = reviews.propose(
        company=document.company, kind=_kind(ENTRY_KIND, human),
        title=f"Écriture d'achat : {entry['label']} — {format_eur(document.amount_ttc)}",
        payload={"document_id": document.pk, "expense_account": choice.account,
                 "entry_date": entry["date"], "label": entry["label"]},
        confidence=choice.confidence, reasons=reasons, link_url=reverse("documents:detail", args=[document.pk]),
        dedupe_key=f"documents.entry:{document.pk}", ai_decision=decision,
    )
    Document.objects.filter(pk=document.pk).update(entry_review=item)
    return item


def apply_entry(item: ReviewItem, payload: dict, user) -> dict:
    document = _locked_document(item, payload)
    if document.entry_status == EntryStatus.BOOKED:
        raise ReviewApplyError("Cette écriture est déjà comptabilisée.")
    account = str(payload.get("expense_account") or "").strip()
    if not (account.isdigit() and account.startswith("6") and 2 <= len(account) <= 8):
        raise ReviewApplyError("Le compte de charge doit commencer par 6 (ex. 601, 606, 6226).",
                               field_errors={"expense_account": "Compte de classe 6 attendu."})
    entry_date = typed("issue_date", payload.get("entry_date")) or document.doc_date
    entry = entry_for(document, account, entry_date, str(payload.get("label") or ""))
    if not entry["balanced"]:
        raise ReviewApplyError("L'écriture n'est pas équilibrée : vérifiez les totaux du document.")
    Document.objects.filter(pk=document.pk).update(accounting_entry=entry, entry_status=EntryStatus.BOOKED)
    if document.partner_id:
        from etabli.documents.models import DocumentSettings

        config = DocumentSettings.objects.select_for_update().get(pk=get_settings(document.company).pk)
        config.supplier_accounts = {**(config.supplier_accounts or {}), str(document.partner_id): account}
        config.save(update_fields=["supplier_accounts", "updated_at"])
    return {"document_id": document.pk, "expense_account": account, "lines": len(entry["lines"])}


def reject_entry(item: ReviewItem, user) -> None:
    Document.objects.filter(company_id=item.company_id, pk=item.payload.get("document_id"),
                            entry_status=EntryStatus.PROPOSED).update(entry_status=EntryStatus.REJECTED)


# --- Corrections outside the proposal ------------------------------------------------------------------


class CorrectionError(ValueError):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@transaction.atomic
def correct_document(*, document: Document, user=None, doc_type: str | None = None, title: str | None = None,
                     correspondent_name: str | None = None, tags: list[str] | None = None) -> Document:
    """A person corrects type, title, correspondent or tags (any time but during reading)."""
    document = Document.objects.select_for_update().select_related("company").get(pk=document.pk,
                                                                                 company_id=document.company_id)
    if document.status in (DocumentStatus.RECEIVED, DocumentStatus.PROCESSING):
        raise CorrectionError("Le document est en cours de lecture : attendez la fin pour le corriger.")
    type_corrected = False
    if doc_type is not None and doc_type != document.doc_type:
        if doc_type not in DOC_TYPES:
            raise CorrectionError(f"Type de document inconnu : {doc_type}.")
        document.doc_type = doc_type
        document.doc_type_source = "human"
        document.doc_type_confidence = 1.0
        document.doc_type_uncertain = False
        type_corrected = True
    if title is not None and title.strip():
        document.title = title.strip()[:255]
    if correspondent_name is not None and correspondent_name.strip() != document.correspondent_name:
        document.correspondent_name = correspondent_name.strip()[:200]
        document.partner_id = None
        document.correspondent_match = "human"
        if document.correspondent_name:
            _link_partner(document)
    document.save()
    if tags is not None:
        set_tags(document=document, names=[t for t in (" ".join(n.split())[:60] for n in tags) if t])
    if document.status == DocumentStatus.TO_VALIDATE:
        # The pending proposal shows the corrected values (a new one replaces it).
        withdraw_filing(document=document, reason="Document corrigé")
        document.human_required_reasons = human_required_reasons(document)
        document.save(update_fields=["human_required_reasons", "updated_at"])
        propose_filing(document=document, ai_decision=document.ai_decision)
    search.index_document(document)
    if type_corrected:
        if document.ai_decision_id:
            ailog.record_override(decision=document.ai_decision, override=Override.EDITED, user=user,
                                  note=f"Type corrigé : {DOC_TYPE_LABELS[document.doc_type]}")
        learning.request_retrain(document.company)
    return document


@transaction.atomic
def mark_duplicate(*, document: Document, user, membership) -> Document:
    """The owner confirms the duplicate: the proposal is refused and the document filed as such."""
    if document.filing_review_id and document.filing_review.status == ReviewStatus.PENDING:
        reviews.reject(item=document.filing_review, user=user, membership=membership,
                       reason="Doublon d'un document déjà reçu")
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus.FILED, status_reason_code="duplicate",
        status_reason="Doublon confirmé : rien n'a été enregistré en facturation.",
        validated_by=user if getattr(user, "is_authenticated", False) else None, validated_at=timezone.now(),
        progress_message="Classé (doublon)",
    )
    document.refresh_from_db()
    set_tags(document=document, names=[*document.document_tags.values_list("tag__name", flat=True), "doublon"])
    index_quietly(document)
    return document

