"""Supplier invoices (typed, read from a document, or received as e-invoices) and the import of incoming
Factur-X / UBL / CII files as customer or supplier invoices.

Why no recomputation on import: an e-invoice states its amounts; we store them as written (lines, VAT
breakdown, totals, amount due) and only check that they are consistent. Duplicates (same supplier and
number, or same number among our own invoices) are refused: the same invoice must never be paid twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from etabli.billing.dto import ImportResult, OpenInvoiceView
from etabli.billing.einvoice import ParsedInvoice, ParsedParty, parse_einvoice
from etabli.billing.errors import BillingError
from etabli.billing.models import (
    Direction,
    DocType,
    Invoice,
    InvoiceLine,
    InvoiceSource,
    InvoiceStatus,
    ItemKind,
    LegalType,
    Partner,
    PartnerKind,
    VatCategory,
)
from etabli.billing.rules import OPERATION_FROM_CODE, UNIT_FROM_CODE
from etabli.billing.selectors import find_partner, normalise_name, open_invoice_view, partner_view
from etabli.billing.services.partners import upsert_supplier
from etabli.billing.status import compute_status
from etabli.common.formats import format_eur
from etabli.common.money import round_cents, to_decimal
from etabli.core.models import Company
from etabli.core.services import ledger
from etabli.core.validators import clean_identifier

ZERO = Decimal("0.00")


def _money(value: object, label: str) -> Decimal:
    try:
        amount = to_decimal(value)
    except (ValueError, TypeError, InvalidOperation) as exc:
        raise BillingError(f"{label} invalide : « {value} ».") from exc
    if amount != round_cents(amount):
        raise BillingError(f"{label} : au plus deux décimales (« {value} »).")
    return round_cents(amount)


def _breakdown(rows: Iterable[Sequence]) -> list[dict]:
    result = []
    for row in rows:
        if isinstance(row, dict):
            rate, base, vat = row.get("rate"), row.get("base"), row.get("vat")
            category = row.get("category") or ("S" if to_decimal(rate or 0) > 0 else "E")
        else:
            if len(row) != 3:
                raise BillingError("Chaque ligne de TVA doit contenir (taux, base, montant de TVA).")
            rate, base, vat = row
            category = "S" if to_decimal(rate) > 0 else "E"
        result.append(
            {
                "category": category,
                "rate": format(to_decimal(rate).normalize(), "f"),
                "base": str(_money(base, "Base de TVA")),
                "vat": str(_money(vat, "Montant de TVA")),
                "exemption": row.get("exemption", "") if isinstance(row, dict) else "",
            }
        )
    return result


def _check_totals(total_ht: Decimal, total_tva: Decimal, total_ttc: Decimal, breakdown: list[dict]) -> None:
    if total_ht + total_tva != total_ttc:
        raise BillingError(
            f"Les totaux ne concordent pas : HT {format_eur(total_ht)} + TVA {format_eur(total_tva)} ≠ TTC "
            f"{format_eur(total_ttc)}.",
            field_errors={"total_ttc": "Incohérent."},
        )
    if breakdown:
        bases = sum((Decimal(r["base"]) for r in breakdown), ZERO)
        vats = sum((Decimal(r["vat"]) for r in breakdown), ZERO)
        if vats != total_tva:
            raise BillingError(
                f"La TVA par taux ({format_eur(vats)}) ne fait pas le total de TVA "
                f"({format_eur(total_tva)}).",
                field_errors={"vat_breakdown": "Incohérent."},
            )
        if bases != total_ht:
            raise BillingError(
                f"Les bases de TVA ({format_eur(bases)}) ne font pas le total HT ({format_eur(total_ht)}).",
                field_errors={"vat_breakdown": "Incohérent."},
            )


def _store_lines(invoice: Invoice, lines: Iterable[dict]) -> None:
    rows = []
    for position, line in enumerate(lines):
        quantity = to_decimal(line.get("quantity", 1))
        net = round_cents(
            line.get("net_amount")
            if line.get("net_amount") is not None
            else quantity * to_decimal(line.get("unit_price", 0))
        )
        price = line.get("unit_price")
        rows.append(
            InvoiceLine(
                company_id=invoice.company_id,
                invoice=invoice,
                position=position,
                sku=str(line.get("sku") or "")[:40],
                description=str(line.get("description") or f"Ligne {position + 1}")[:300],
                quantity=quantity,
                unit=str(line.get("unit") or "u")[:10],
                unit_price=to_decimal(price) if price is not None else (net / quantity if quantity else net),
                vat_rate=to_decimal(line.get("vat_rate") or 0),
                vat_category=line.get("vat_category") or "S",
                vat_exemption_text=str(line.get("vat_exemption_text") or "")[:200],
                item_kind=line.get("item_kind") or ItemKind.GOODS,
                net_amount=net,
            )
        )
    InvoiceLine.objects.bulk_create(rows)


def create_supplier_invoice(
    *,
    company: Company,
    supplier_id: int,
    number: str,
    issue_date: dt.date,
    due_date: dt.date,
    currency: str = "EUR",
    total_ht,
    total_tva,
    total_ttc,
    vat_breakdown: list,
    order_reference: str = "",
    source_document_id: int | None = None,
    lines: list[dict] | None = None,
) -> OpenInvoiceView:
    """A supplier invoice to pay (from a document read by OCR, typed, or imported). Refuses a second invoice
    with the same supplier and number."""
    number = (number or "").strip()
    if not number:
        raise BillingError(
            "Le numéro de la facture fournisseur est obligatoire.", field_errors={"number": "Obligatoire."}
        )
    if currency != "EUR":
        raise BillingError(
            "Seules les factures en euros sont prises en charge.", field_errors={"currency": "EUR"}
        )
    if not isinstance(issue_date, dt.date) or not isinstance(due_date, dt.date):
        raise BillingError(
            "Dates d'émission et d'échéance obligatoires.", field_errors={"issue_date": "Obligatoire."}
        )
    if due_date < issue_date:
        raise BillingError(
            "L'échéance précède la date de la facture.", field_errors={"due_date": "Avant l'émission."}
        )
    total_ht, total_tva, total_ttc = (
        _money(total_ht, "Total HT"),
        _money(total_tva, "Total TVA"),
        _money(total_ttc, "Total TTC"),
    )
    breakdown = _breakdown(vat_breakdown or [])
    _check_totals(total_ht, total_tva, total_ttc, breakdown)
    with transaction.atomic():
        supplier = Partner.objects.for_company(company).filter(pk=supplier_id).first()
        if supplier is None:
            raise BillingError("Fournisseur introuvable dans cette entreprise.", code="not_found", status=404)
        if supplier.kind != PartnerKind.SUPPLIER:
            raise BillingError("Ce tiers est un client, pas un fournisseur.")
        invoice = _create_purchase(
            company=company,
            supplier=supplier,
            number=number,
            issue_date=issue_date,
            due_date=due_date,
            totals=(total_ht, total_tva, total_ttc),
            breakdown=breakdown,
            order_reference=order_reference,
            source=InvoiceSource.DOCUMENT if source_document_id else InvoiceSource.MANUAL,
            source_document_id=source_document_id,
        )
        if lines:
            _store_lines(invoice, lines)
        return open_invoice_view(invoice)


def _duplicate(company: Company, direction: str, number: str, partner: Partner) -> Invoice | None:
    qs = Invoice.objects.for_company(company).filter(direction=direction, number__iexact=number)
    if direction == Direction.SUPPLIER:
        qs = qs.filter(partner=partner)
    return qs.first()


def _create_purchase(
    *,
    company: Company,
    supplier: Partner,
    number: str,
    issue_date: dt.date,
    due_date: dt.date,
    totals: tuple[Decimal, Decimal, Decimal],
    breakdown: list[dict],
    order_reference: str = "",
    source: str = InvoiceSource.MANUAL,
    source_document_id: int | None = None,
    doc_type: str = DocType.INVOICE,
    prepaid: Decimal = ZERO,
    **extra,
) -> Invoice:
    existing = _duplicate(company, Direction.SUPPLIER, number, supplier)
    if existing is not None:
        raise BillingError(
            f"La facture {number} de {supplier.name} est déjà enregistrée (le {existing.created_at:%d/%m/%Y}) : "
            "elle ne sera pas payée deux fois.",
            code="duplicate",
            status=409,
        )
    invoice = Invoice(
        company=company,
        direction=Direction.SUPPLIER,
        doc_type=doc_type,
        number=number,
        partner=supplier,
        issue_date=issue_date,
        due_date=due_date,
        payment_terms_days=max(0, min((due_date - issue_date).days, 365)),
        total_ht=totals[0],
        total_tva=totals[1],
        total_ttc=totals[2],
        prepaid_amount=prepaid,
        vat_breakdown=breakdown,
        order_reference=(order_reference or "")[:60],
        source=source,
        source_document_id=source_document_id,
        status=InvoiceStatus.ISSUED,
        issued_at=timezone.now(),
        **extra,
    )
    invoice.status = compute_status(invoice, timezone.localdate())
    if invoice.status == InvoiceStatus.PAID:
        invoice.paid_at = issue_date
    try:
        with transaction.atomic():
            invoice.save()
    except IntegrityError as exc:
        raise BillingError(
            f"La facture {number} de {supplier.name} est déjà enregistrée.", code="duplicate", status=409
        ) from exc
    return invoice


# --- E-invoice import -------------------------------------------------------------------------------------


def _is_us(company: Company, party: ParsedParty) -> bool:
    siren = clean_identifier(party.siren or party.siret[:9])
    vat = clean_identifier(party.vat_number)
    if company.siren and siren and siren == company.siren:
        return True
    if company.vat_number and vat and vat == clean_identifier(company.vat_number):
        return True
    return bool(party.name) and normalise_name(party.name) in {
        normalise_name(company.legal_name),
        normalise_name(company.trade_name or ""),
    } - {""}


def _resolve_direction(company: Company, parsed: ParsedInvoice, direction: str) -> str:
    if direction in (Direction.CUSTOMER, Direction.SUPPLIER):
        return direction
    if direction != "auto":
        raise BillingError("Sens d'import inconnu : « customer », « supplier » ou « auto ».")
    seller_is_us, buyer_is_us = _is_us(company, parsed.seller), _is_us(company, parsed.buyer)
    if seller_is_us and not buyer_is_us:
        return Direction.CUSTOMER
    if buyer_is_us and not seller_is_us:
        return Direction.SUPPLIER
    raise BillingError(
        f"Impossible de savoir si cette facture est émise ou reçue : ni le vendeur ({parsed.seller.name}) ni "
        f"l'acheteur ({parsed.buyer.name}) ne correspond sans ambiguïté à votre entreprise. Précisez le sens "
        "(facture client ou fournisseur).",
        code="direction_unknown",
    )


def _customer_for(company: Company, party: ParsedParty) -> tuple[Partner, bool]:
    found = find_partner(
        company=company,
        siren=party.siren,
        siret=party.siret,
        vat_number=party.vat_number,
        name=party.name,
        kind=PartnerKind.CUSTOMER,
    )
    if found is not None:
        return Partner.objects.get(pk=found.id, company=company), False
    from etabli.billing.services.partners import create_partner

    is_company = bool(party.siren or party.vat_number)
    partner = create_partner(
        company=company,
        kind=PartnerKind.CUSTOMER,
        legal_type=LegalType.COMPANY if is_company else LegalType.PERSON,
        name=party.name or "Client sans nom",
        siren=party.siren if len(party.siren) == 9 else "",
        siret=party.siret if len(party.siret) == 14 else "",
        vat_number=party.vat_number,
        address_line1=party.address_line1[:200],
        address_line2=party.address_line2[:200],
        postal_code=party.postcode[:10],
        city=party.city[:100],
        country=(party.country or "FR")[:2],
        email=party.email if "@" in party.email else "",
    )
    return partner, True


def _line_dicts(parsed: ParsedInvoice) -> list[dict]:
    return [
        {
            "sku": line.sku,
            "description": line.description,
            "quantity": line.quantity,
            "unit": UNIT_FROM_CODE.get(line.unit_code, line.unit_code.lower()[:10]),
            "unit_price": line.unit_price,
            "net_amount": line.net_amount,
            "vat_rate": line.vat_rate or 0,
            "vat_category": line.vat_category if line.vat_category in VatCategory.values else "S",
            "item_kind": ItemKind.GOODS,
        }
        for line in parsed.lines
    ]


def _valid_identifiers(party: ParsedParty, role: str, warnings: list[str]) -> ParsedParty:
    """Keep the identifiers python-stdnum accepts; report the others (they stay in the stored XML)."""
    from dataclasses import replace

    from stdnum.fr import siren as stdnum_siren
    from stdnum.fr import siret as stdnum_siret
    from stdnum.fr import tva as stdnum_tva

    siren, siret, vat = party.siren, party.siret, clean_identifier(party.vat_number)
    if siret and not stdnum_siret.is_valid(siret):
        warnings.append(f"{role} : SIRET « {siret} » invalide (clé de contrôle) — non repris sur la fiche.")
        siret = ""
    if siren and not stdnum_siren.is_valid(siren):
        warnings.append(f"{role} : SIREN « {siren} » invalide (clé de contrôle) — non repris sur la fiche.")
        siren = ""
    if vat and (not vat[:2].isalpha() or (vat.startswith("FR") and not stdnum_tva.is_valid(vat))):
        warnings.append(f"{role} : n° de TVA « {party.vat_number} » invalide — non repris sur la fiche.")
        vat = ""
    if vat.startswith("FR") and siren and vat[-9:] != siren:
        warnings.append(f"{role} : le n° de TVA ne correspond pas au SIREN — n° de TVA non repris.")
        vat = ""
    return replace(party, siren=siren, siret=siret, vat_number=vat)


def import_einvoice(*, company: Company, data: bytes, filename: str, direction: str = "auto") -> ImportResult:
    """Store an incoming Factur-X PDF, CII or UBL file as a supplier invoice (to pay) or a customer invoice
    (issued elsewhere, to collect). Every field is taken as written in the XML."""
    parsed = parse_einvoice(data, filename)
    direction = _resolve_direction(company, parsed, direction)
    warnings: list[str] = []
    breakdown = _breakdown(parsed.breakdown)
    if parsed.breakdown:
        vats = sum((Decimal(r["vat"]) for r in breakdown), ZERO)
        if vats != parsed.total_tva:
            raise BillingError(
                f"La TVA par taux ({vats}) ne fait pas le total de TVA ({parsed.total_tva}).",
                code="malformed_einvoice",
            )
    seller = _valid_identifiers(parsed.seller, "Vendeur", warnings)
    buyer = _valid_identifiers(parsed.buyer, "Acheteur", warnings)
    due_date = parsed.due_date
    if due_date is None:
        due_date = parsed.issue_date
        warnings.append(
            "Échéance absente du fichier : fixée à la date de la facture (paiement à réception), à vérifier."
        )
    extra = {
        "einvoice_xml": parsed.xml.decode("utf-8-sig", "replace"),
        "einvoice_data": {
            "syntax": parsed.syntax,
            "profile": parsed.profile,
            "type_code": parsed.type_code,
            "total_prepaid": str(parsed.prepaid),
            "rounding": str(parsed.rounding),
            "amount_due": str(parsed.amount_due),
            "allowances": parsed.allowances,
            "charges": parsed.charges,
            "notes": parsed.notes,
            "payment_terms": parsed.payment_terms,
            "business_process": parsed.business_process,
            "preceding_invoices": parsed.preceding_invoices,
            "seller": vars(parsed.seller),
            "buyer": vars(parsed.buyer),
            "payment_iban": parsed.payment_iban,
        },
        "source_filename": (filename or "")[:255],
        "delivery_date": parsed.delivery_date,
        "operation_category": OPERATION_FROM_CODE.get(parsed.business_process[:1], ""),
    }
    prepaid = parsed.total_ttc - parsed.amount_due
    with transaction.atomic():
        if direction == Direction.SUPPLIER:
            view = upsert_supplier(
                company=company,
                name=seller.name or seller.vat_number or "Fournisseur sans nom",
                siren=seller.siren,
                siret=seller.siret,
                vat_number=seller.vat_number,
                iban=parsed.payment_iban if _valid_iban(parsed.payment_iban) else "",
                address_line1=seller.address_line1[:200],
                postal_code=seller.postcode[:10],
                city=seller.city[:100],
                email=seller.email if "@" in seller.email else "",
            )
            for conflict in view.conflicts:
                warnings.append(
                    f"Fournisseur : {conflict.field} « {conflict.proposed} » dans le fichier, "
                    f"« {conflict.existing} » dans vos données (non modifié)."
                )
            partner = Partner.objects.get(pk=view.id, company=company)
            invoice = _create_purchase(
                company=company,
                supplier=partner,
                number=parsed.number,
                issue_date=parsed.issue_date,
                due_date=due_date,
                totals=(parsed.total_ht, parsed.total_tva, parsed.total_ttc),
                breakdown=breakdown,
                order_reference=parsed.order_reference,
                source=InvoiceSource.EINVOICE,
                doc_type=parsed.doc_type,
                prepaid=prepaid,
                **extra,
            )
            created_partner = view.created
        else:
            partner, created_partner = _customer_for(company, buyer)
            if _duplicate(company, Direction.CUSTOMER, parsed.number, partner) is not None:
                raise BillingError(
                    f"La facture {parsed.number} existe déjà parmi vos factures clients.",
                    code="duplicate",
                    status=409,
                )
            invoice = Invoice(
                company=company,
                direction=Direction.CUSTOMER,
                doc_type=parsed.doc_type,
                number=parsed.number,
                partner=partner,
                issue_date=parsed.issue_date,
                due_date=due_date,
                payment_terms_days=max(0, min((due_date - parsed.issue_date).days, 365)),
                total_ht=parsed.total_ht,
                total_tva=parsed.total_tva,
                total_ttc=parsed.total_ttc,
                prepaid_amount=prepaid,
                vat_breakdown=breakdown,
                order_reference=parsed.order_reference[:60],
                source=InvoiceSource.EINVOICE,
                status=InvoiceStatus.ISSUED,
                issued_at=timezone.now(),
                buyer=vars(parsed.buyer),
                seller=vars(parsed.seller),
                **extra,
            )
            invoice.status = compute_status(invoice, timezone.localdate())
            try:
                with transaction.atomic():
                    invoice.save()
            except IntegrityError as exc:
                raise BillingError(
                    f"La facture {parsed.number} existe déjà.", code="duplicate", status=409
                ) from exc
        _store_lines(invoice, _line_dicts(parsed))
        if parsed.doc_type == DocType.CREDIT_NOTE and parsed.preceding_invoices:
            target = (
                Invoice.objects.for_company(company)
                .filter(
                    direction=direction,
                    partner=invoice.partner,
                    number__in=parsed.preceding_invoices,
                )
                .exclude(doc_type=DocType.CREDIT_NOTE)
                .first()
            )
            if target is not None:
                invoice.related_invoice = target
                invoice.save(update_fields=["related_invoice"])
                from etabli.billing.services.documents import _apply_credit_note

                _apply_credit_note(invoice, timezone.localdate())
            else:
                warnings.append(
                    "Facture corrigée par cet avoir introuvable : " + ", ".join(parsed.preceding_invoices)
                )
        ledger.record_time_saved(
            company=company, action_key="billing.einvoice_imported", object_ref=f"invoice:{invoice.pk}"
        )
    invoice.refresh_from_db()
    return ImportResult(
        invoice=open_invoice_view(invoice),
        partner=partner_view(invoice.partner, created=created_partner),
        direction=direction,
        syntax=parsed.syntax,
        profile=parsed.profile,
        doc_type=parsed.doc_type,
        warnings=tuple(warnings),
    )


def _valid_iban(value: str) -> bool:
    from stdnum import iban

    return bool(value) and iban.is_valid(value)
