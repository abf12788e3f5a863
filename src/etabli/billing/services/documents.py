"""Quotes, invoices, deposits, balances and credit notes: drafting, issuing, correcting.

Rules enforced here (each refusal is a French `BillingError`, raised before anything is written or inside
a transaction that is rolled back):
- an issued invoice is never edited; a credit note (avoir) is the only correction;
- quantities and prices are never negative, except the deposit deductions this module writes itself;
- issuing takes the next gapless number (see numbering.py), freezes both parties, the legal mentions and
  the VAT breakdown, and refuses when a mandatory mention is missing;
- VAT follows the EN 16931 rule of etabli.common.money: each line rounded to the cent, VAT computed once
  per rate (and VAT category) on the sum of that rate's lines, totals are sums of rounded figures.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from etabli.billing.errors import BillingError
from etabli.billing.mentions import legal_mentions, missing_mentions, snapshot_buyer, snapshot_seller
from etabli.billing.models import (
    Direction,
    DocType,
    Invoice,
    InvoiceLine,
    InvoiceSource,
    InvoiceStatus,
    ItemKind,
    LineKind,
    Partner,
    PartnerKind,
    Product,
    Quote,
    QuoteLine,
    QuoteStatus,
    Unit,
    VatCategory,
)
from etabli.billing.rules import DEFAULT_EXEMPTION_TEXTS, check_terms, due_date_for, operation_category
from etabli.billing.services.numbering import next_number
from etabli.billing.services.setup import ensure_settings
from etabli.billing.status import compute_status
from etabli.common.formats import format_date, format_eur
from etabli.common.money import (
    FRENCH_VAT_RATES,
    ZERO,
    VatLine,
    compute_totals,
    line_net,
    round_cents,
    to_decimal,
)
from etabli.core.models import Company, VatRegime
from etabli.core.services import ledger, webhooks

logger = logging.getLogger(__name__)

EDIT_ISSUED = "Une facture émise ne peut plus être modifiée : pour la corriger, établissez un avoir."
MAX_LINES = 500


def today() -> dt.date:
    return timezone.localdate()


# --- Lines and totals -------------------------------------------------------------------------------------


def _decimal(value, label: str, line_no: int, errors: dict) -> Decimal | None:
    if value in (None, ""):
        errors[f"lines.{line_no}"] = f"Ligne {line_no + 1} : {label} manquant(e)."
        return None
    try:
        return to_decimal(value)
    except (ValueError, TypeError, InvalidOperation):
        errors[f"lines.{line_no}"] = f"Ligne {line_no + 1} : {label} invalide (« {value} »)."
        return None


def clean_lines(
    company: Company, lines: list[dict], *, allow_negative: bool = False, franchise: bool = False
) -> list[dict]:
    """Check and complete lines given as dicts (from a form, the API or a quote). Products fill in the
    defaults. Raises one BillingError listing every problem."""
    if not lines:
        raise BillingError(
            "Ajoutez au moins une ligne (désignation, quantité, prix unitaire HT).",
            field_errors={"lines": "Aucune ligne."},
        )
    if len(lines) > MAX_LINES:
        raise BillingError(f"Un document ne peut pas dépasser {MAX_LINES} lignes.")
    products = {
        p.pk: p
        for p in Product.objects.for_company(company).filter(
            pk__in=[line.get("product_id") for line in lines if line.get("product_id")]
        )
    }
    errors: dict[str, str] = {}
    cleaned: list[dict] = []
    for index, raw in enumerate(lines):
        product = products.get(raw.get("product_id")) if raw.get("product_id") else None
        if raw.get("product_id") and product is None:
            errors[f"lines.{index}"] = f"Ligne {index + 1} : article introuvable dans le catalogue."
            continue
        description = str(raw.get("description") or (product.name if product else "")).strip()
        if not description:
            errors[f"lines.{index}"] = f"Ligne {index + 1} : la désignation est obligatoire."
            continue
        quantity = _decimal(raw.get("quantity", 1), "quantité", index, errors)
        price_raw = raw.get("unit_price")
        if price_raw in (None, "") and product is not None:
            price_raw = product.unit_price
        unit_price = _decimal(price_raw, "prix unitaire HT", index, errors)
        rate_raw = raw.get("vat_rate")
        if rate_raw in (None, "") and product is not None:
            rate_raw = product.vat_rate
        vat_rate = _decimal(rate_raw, "taux de TVA", index, errors)
        discount = _decimal(raw.get("discount_percent") or 0, "remise", index, errors)
        if None in (quantity, unit_price, vat_rate, discount):
            continue
        kind = raw.get("kind", LineKind.NORMAL)
        if not allow_negative and kind != LineKind.DEPOSIT_DEDUCTION and quantity < 0:
            errors[f"lines.{index}"] = (
                f"Ligne {index + 1} : quantité négative. Pour corriger une facture émise, "
                "établissez un avoir."
            )
            continue
        if quantity == 0:
            errors[f"lines.{index}"] = f"Ligne {index + 1} : la quantité ne peut pas être nulle."
            continue
        if unit_price < 0:
            errors[f"lines.{index}"] = (
                f"Ligne {index + 1} : prix unitaire négatif. Une réduction s'indique par une "
                "remise ; une correction par un avoir."
            )
            continue
        if not Decimal(0) <= discount <= Decimal(100):
            errors[f"lines.{index}"] = f"Ligne {index + 1} : la remise doit être comprise entre 0 et 100 %."
            continue
        category = raw.get("vat_category") or (product.vat_category if product else VatCategory.STANDARD)
        if category not in VatCategory.values:
            errors[f"lines.{index}"] = f"Ligne {index + 1} : régime de TVA inconnu ({category})."
            continue
        if franchise:
            category, vat_rate = VatCategory.EXEMPT, Decimal("0")
        if category == VatCategory.STANDARD and vat_rate not in FRENCH_VAT_RATES[:-1]:
            errors[f"lines.{index}"] = (
                f"Ligne {index + 1} : taux de TVA {vat_rate} % inconnu en France "
                "métropolitaine (20, 10, 5,5 ou 2,1 %)."
            )
            continue
        if category != VatCategory.STANDARD and vat_rate != 0:
            errors[f"lines.{index}"] = (
                f"Ligne {index + 1} : une opération exonérée ou autoliquidée a un taux de 0 %."
            )
            continue
        exemption = str(
            raw.get("vat_exemption_text") or (product.vat_exemption_text if product else "")
        ).strip()
        if category != VatCategory.STANDARD and not exemption:
            exemption = DEFAULT_EXEMPTION_TEXTS.get(category, "")
        unit = str(raw.get("unit") or (product.unit if product else Unit.UNIT))[:10]
        item_kind = raw.get("item_kind") or (product.kind if product else ItemKind.GOODS)
        if item_kind not in ItemKind.values:
            item_kind = ItemKind.GOODS
        if abs(quantity) > Decimal("99999999") or unit_price > Decimal("9999999999"):
            errors[f"lines.{index}"] = f"Ligne {index + 1} : montant hors limites."
            continue
        cleaned.append(
            {
                "product": product,
                "sku": str(raw.get("sku") or (product.sku if product else ""))[:40],
                "description": description[:300],
                "quantity": quantity,
                "unit": unit,
                "unit_price": unit_price,
                "discount_percent": discount,
                "vat_rate": vat_rate,
                "vat_category": category,
                "vat_exemption_text": exemption[:200],
                "item_kind": item_kind,
                "kind": kind,
                "deducted_invoice": raw.get("deducted_invoice"),
                "net_amount": line_net(quantity, unit_price, discount),
            }
        )
    if errors:
        raise BillingError(" ".join(errors.values()), field_errors=errors)
    return cleaned


def breakdown_for(lines: list[dict]) -> tuple[Decimal, Decimal, Decimal, list[dict]]:
    """(HT, TVA, TTC, breakdown rows) by the EN 16931 rule, per VAT category and rate."""
    by_category: dict[str, list[VatLine]] = defaultdict(list)
    exemptions: dict[str, str] = {}
    for line in lines:
        by_category[line["vat_category"]].append(VatLine(line["net_amount"], line["vat_rate"]))
        if line.get("vat_exemption_text"):
            exemptions.setdefault(line["vat_category"], line["vat_exemption_text"])
    rows, net, vat = [], ZERO, ZERO
    for category in sorted(by_category):
        totals = compute_totals(by_category[category])
        for row in totals.breakdown:
            rows.append(
                {
                    "category": category,
                    "rate": format(row.rate.normalize(), "f"),
                    "base": str(row.base),
                    "vat": str(row.vat),
                    "exemption": exemptions.get(category, "") if category != VatCategory.STANDARD else "",
                }
            )
        net += totals.net
        vat += totals.vat
    rows.sort(key=lambda r: (r["category"] != "S", -Decimal(r["rate"])))
    return net, vat, net + vat, rows


def _is_franchise(company: Company) -> bool:
    return company.vat_regime == VatRegime.FRANCHISE


def _partner(company: Company, partner_id: int, kind: str = PartnerKind.CUSTOMER) -> Partner:
    partner = Partner.objects.for_company(company).filter(pk=partner_id).first()
    if partner is None:
        raise BillingError(
            "Client introuvable dans cette entreprise.",
            code="not_found",
            status=404,
            field_errors={"partner": "Introuvable."},
        )
    if partner.kind != kind:
        raise BillingError(
            "Ce tiers est un fournisseur, pas un client."
            if kind == PartnerKind.CUSTOMER
            else "Ce tiers est un client, pas un fournisseur.",
            field_errors={"partner": "Mauvais type."},
        )
    return partner


# --- Quotes -----------------------------------------------------------------------------------------------


def _write_quote_lines(quote: Quote, lines: list[dict]) -> None:
    quote.lines.all().delete()
    QuoteLine.objects.bulk_create(
        [
            QuoteLine(
                company_id=quote.company_id,
                quote=quote,
                position=i,
                product=line["product"],
                description=line["description"],
                quantity=line["quantity"],
                unit=line["unit"],
                unit_price=line["unit_price"],
                discount_percent=line["discount_percent"],
                vat_rate=line["vat_rate"],
                vat_category=line["vat_category"],
                vat_exemption_text=line["vat_exemption_text"],
                item_kind=line["item_kind"],
                net_amount=line["net_amount"],
            )
            for i, line in enumerate(lines)
        ]
    )
    quote.total_ht, quote.total_tva, quote.total_ttc, _ = breakdown_for(lines)


@transaction.atomic
def create_quote(
    *,
    company: Company,
    partner_id: int,
    lines: list[dict],
    issue_date: dt.date | None = None,
    title: str = "",
    validity_days: int | None = None,
    order_reference: str = "",
    notes: str = "",
    user=None,
) -> Quote:
    settings = ensure_settings(company)
    partner = _partner(company, partner_id)
    cleaned = clean_lines(company, lines, franchise=_is_franchise(company))
    issue_date = issue_date or today()
    number, _, _ = next_number(company=company, series=settings.quote_prefix, issue_date=issue_date)
    quote = Quote.objects.create(
        company=company,
        number=number,
        partner=partner,
        title=title.strip()[:200],
        issue_date=issue_date,
        validity_days=validity_days if validity_days is not None else settings.quote_validity_days,
        order_reference=order_reference.strip()[:60],
        notes=notes,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    _write_quote_lines(quote, cleaned)
    quote.save(update_fields=["total_ht", "total_tva", "total_ttc"])
    return quote


def _locked_quote(company: Company, quote_id: int) -> Quote:
    quote = Quote.objects.select_for_update().filter(pk=quote_id, company=company).first()
    if quote is None:
        raise BillingError("Devis introuvable dans cette entreprise.", code="not_found", status=404)
    return quote


@transaction.atomic
def update_quote(*, company: Company, quote_id: int, lines: list[dict] | None = None, **fields) -> Quote:
    quote = _locked_quote(company, quote_id)
    if quote.status not in (QuoteStatus.DRAFT, QuoteStatus.SENT):
        raise BillingError(
            f"Le devis {quote.number} est {quote.get_status_display().lower()} : il ne peut plus "
            "être modifié. Faites un nouveau devis.",
            code="locked",
            status=409,
        )
    allowed = {"title", "validity_days", "order_reference", "notes", "issue_date", "partner_id"}
    unknown = set(fields) - allowed
    if unknown:
        raise BillingError(f"Champs inconnus : {', '.join(sorted(unknown))}.")
    if "partner_id" in fields:
        quote.partner = _partner(company, fields.pop("partner_id"))
    for name, value in fields.items():
        setattr(quote, name, value)
    if lines is not None:
        _write_quote_lines(quote, clean_lines(company, lines, franchise=_is_franchise(company)))
    quote.save()
    return quote


@transaction.atomic
def set_quote_status(*, company: Company, quote_id: int, status: str, on: dt.date | None = None) -> Quote:
    """Sent / accepted / refused, as the customer answers."""
    quote = _locked_quote(company, quote_id)
    on = on or today()
    allowed = {
        QuoteStatus.SENT: (QuoteStatus.DRAFT,),
        QuoteStatus.ACCEPTED: (QuoteStatus.DRAFT, QuoteStatus.SENT, QuoteStatus.EXPIRED),
        QuoteStatus.REFUSED: (QuoteStatus.DRAFT, QuoteStatus.SENT, QuoteStatus.EXPIRED),
    }
    if status not in allowed:
        raise BillingError("Statut de devis inconnu.")
    if quote.status not in allowed[status]:
        raise BillingError(
            f"Le devis {quote.number} est {quote.get_status_display().lower()} : "
            f"impossible de le passer à « {QuoteStatus(status).label.lower()} ».",
            code="conflict",
            status=409,
        )
    quote.status = status
    if status == QuoteStatus.ACCEPTED:
        quote.accepted_on = on
    elif status == QuoteStatus.REFUSED:
        quote.refused_on = on
    elif status == QuoteStatus.SENT:
        quote.sent_at = timezone.now()
    quote.save()
    return quote


def _quote_line_dicts(quote: Quote) -> list[dict]:
    return [
        {
            "product_id": line.product_id,
            "description": line.description,
            "quantity": line.quantity,
            "unit": line.unit,
            "unit_price": line.unit_price,
            "discount_percent": line.discount_percent,
            "vat_rate": line.vat_rate,
            "vat_category": line.vat_category,
            "vat_exemption_text": line.vat_exemption_text,
            "item_kind": line.item_kind,
        }
        for line in quote.lines.all()
    ]


def _bases_by_rate(lines: list[dict]) -> dict[tuple[str, Decimal], tuple[Decimal, str, str]]:
    """Net base per (VAT category, rate), with the exemption wording and the dominant item kind."""
    bases: dict[tuple[str, Decimal], list] = {}
    for line in lines:
        key = (line["vat_category"], line["vat_rate"])
        entry = bases.setdefault(key, [ZERO, line["vat_exemption_text"], defaultdict(lambda: ZERO)])
        entry[0] += line["net_amount"]
        entry[2][line["item_kind"]] += abs(line["net_amount"])
    return {key: (value[0], value[1], max(value[2], key=value[2].get)) for key, value in bases.items()}


def _require_invoiceable(quote: Quote) -> None:
    if quote.status == QuoteStatus.INVOICED:
        raise BillingError(f"Le devis {quote.number} est déjà facturé.", code="already_invoiced", status=409)
    if quote.status != QuoteStatus.ACCEPTED:
        raise BillingError(
            f"Le devis {quote.number} doit d'abord être accepté par le client "
            f"(statut actuel : {quote.get_status_display().lower()}).",
            code="not_accepted",
            status=409,
        )


@transaction.atomic
def deposit_from_quote(
    *,
    company: Company,
    quote_id: int,
    percent: object,
    user=None,
    issue: bool = True,
    issue_date: dt.date | None = None,
) -> Invoice:
    """A deposit invoice ("facture d'acompte") for a share of an accepted quote, one line per VAT rate."""
    quote = _locked_quote(company, quote_id)
    _require_invoiceable(quote)
    try:
        percent = to_decimal(percent)
    except (ValueError, TypeError) as exc:
        raise BillingError("Pourcentage d'acompte invalide.") from exc
    if not Decimal("0") < percent < Decimal("100"):
        raise BillingError(
            "L'acompte doit être compris entre 0 et 100 % du devis (exclus).",
            field_errors={"percent": "Entre 0 et 100 %."},
        )
    source = clean_lines(company, _quote_line_dicts(quote), franchise=_is_franchise(company))
    already = sum(
        (
            i.total_ht
            for i in quote.invoices.filter(doc_type=DocType.DEPOSIT).exclude(
                status__in=[InvoiceStatus.DRAFT, InvoiceStatus.CANCELLED]
            )
        ),
        ZERO,
    )
    if already + round_cents(quote.total_ht * percent / 100) > quote.total_ht:
        raise BillingError("Les acomptes dépasseraient le montant du devis.")
    label = f"Acompte de {format(percent.normalize(), 'f').replace('.', ',')} % sur devis {quote.number}"
    if quote.title:
        label += f" — {quote.title}"
    lines = [
        {
            "description": label,
            "quantity": Decimal(1),
            "unit": Unit.LUMP_SUM,
            "unit_price": round_cents(base * percent / 100),
            "vat_rate": rate,
            "vat_category": category,
            "vat_exemption_text": exemption,
            "item_kind": kind,
            "sku": "ACOMPTE",
        }
        for (category, rate), (base, exemption, kind) in sorted(
            _bases_by_rate(source).items(), key=lambda kv: -kv[0][1]
        )
        if base > 0
    ]
    invoice = _create_draft(
        company=company,
        partner=quote.partner,
        lines=lines,
        doc_type=DocType.DEPOSIT,
        quote=quote,
        order_reference=quote.order_reference,
        source=InvoiceSource.QUOTE,
        user=user,
        deposit_percent=percent,
    )
    if issue:
        invoice = issue_invoice(company=company, invoice_id=invoice.pk, user=user, issue_date=issue_date)
        ledger.record_time_saved(
            company=company, action_key="billing.invoice_from_quote", object_ref=f"invoice:{invoice.pk}"
        )
    return invoice


@transaction.atomic
def invoice_from_quote(
    *, company: Company, quote_id: int, user=None, issue: bool = True, issue_date: dt.date | None = None
) -> Invoice:
    """One click: the accepted quote becomes an invoice (its balance, deposits deducted, when deposits were
    invoiced). The quote is then "facturé"."""
    quote = _locked_quote(company, quote_id)
    _require_invoiceable(quote)
    lines = _quote_line_dicts(quote)
    deposits = list(
        quote.invoices.filter(doc_type=DocType.DEPOSIT)
        .exclude(status__in=[InvoiceStatus.DRAFT, InvoiceStatus.CANCELLED])
        .order_by("issue_date", "id")
    )
    for deposit in deposits:
        for line in deposit.lines.all():
            lines.append(
                {
                    "description": f"Déduction acompte {deposit.number} du {format_date(deposit.issue_date)}",
                    "quantity": Decimal(-1),
                    "unit": Unit.LUMP_SUM,
                    "unit_price": line.net_amount,
                    "vat_rate": line.vat_rate,
                    "vat_category": line.vat_category,
                    "vat_exemption_text": line.vat_exemption_text,
                    "item_kind": line.item_kind,
                    "kind": LineKind.DEPOSIT_DEDUCTION,
                    "deducted_invoice": deposit,
                    "sku": "ACOMPTE",
                }
            )
    invoice = _create_draft(
        company=company,
        partner=quote.partner,
        lines=lines,
        doc_type=DocType.INVOICE,
        quote=quote,
        order_reference=quote.order_reference,
        source=InvoiceSource.QUOTE,
        user=user,
    )
    quote.status = QuoteStatus.INVOICED
    quote.save(update_fields=["status"])
    if issue:
        invoice = issue_invoice(company=company, invoice_id=invoice.pk, user=user, issue_date=issue_date)
        ledger.record_time_saved(
            company=company, action_key="billing.invoice_from_quote", object_ref=f"invoice:{invoice.pk}"
        )
    return invoice


# --- Invoices ---------------------------------------------------------------------------------------------


def _write_invoice_lines(invoice: Invoice, lines: list[dict]) -> None:
    InvoiceLine.objects.filter(invoice=invoice).delete()
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                company_id=invoice.company_id,
                invoice=invoice,
                position=i,
                kind=line["kind"],
                product=line["product"],
                sku=line["sku"],
                description=line["description"],
                quantity=line["quantity"],
                unit=line["unit"],
                unit_price=line["unit_price"],
                discount_percent=line["discount_percent"],
                vat_rate=line["vat_rate"],
                vat_category=line["vat_category"],
                vat_exemption_text=line["vat_exemption_text"],
                item_kind=line["item_kind"],
                net_amount=line["net_amount"],
                deducted_invoice=line.get("deducted_invoice"),
            )
            for i, line in enumerate(lines)
        ]
    )
    invoice.total_ht, invoice.total_tva, invoice.total_ttc, invoice.vat_breakdown = breakdown_for(lines)
    invoice.operation_category = operation_category(
        [line["item_kind"] for line in lines if line["kind"] == LineKind.NORMAL]
        or [line["item_kind"] for line in lines]
    )


def _create_draft(
    *,
    company: Company,
    partner: Partner,
    lines: list[dict],
    doc_type: str = DocType.INVOICE,
    quote: Quote | None = None,
    order_reference: str = "",
    source: str = InvoiceSource.MANUAL,
    user=None,
    payment_terms_days: int | None = None,
    delivery_date: dt.date | None = None,
    notes: str = "",
    related: Invoice | None = None,
    deposit_percent=None,
    allow_negative: bool = False,
    due_date: dt.date | None = None,
) -> Invoice:
    cleaned = clean_lines(company, lines, franchise=_is_franchise(company), allow_negative=allow_negative)
    terms = payment_terms_days if payment_terms_days is not None else partner.payment_terms_days
    problem = check_terms(terms)
    if problem:
        raise BillingError(problem, field_errors={"payment_terms_days": problem})
    invoice = Invoice.objects.create(
        company=company,
        direction=Direction.CUSTOMER,
        doc_type=doc_type,
        partner=partner,
        quote=quote,
        related_invoice=related,
        payment_terms_days=terms,
        order_reference=(order_reference or "").strip()[:60],
        delivery_date=delivery_date,
        notes=notes,
        source=source,
        deposit_percent=deposit_percent,
        due_date=due_date,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    _write_invoice_lines(invoice, cleaned)
    invoice.save()
    return invoice


@transaction.atomic
def create_invoice(
    *,
    company: Company,
    partner_id: int,
    lines: list[dict],
    order_reference: str = "",
    payment_terms_days: int | None = None,
    delivery_date: dt.date | None = None,
    notes: str = "",
    due_date: dt.date | None = None,
    user=None,
) -> Invoice:
    """A draft invoice typed by hand (issue it with `issue_invoice`)."""
    partner = _partner(company, partner_id)
    return _create_draft(
        company=company,
        partner=partner,
        lines=lines,
        order_reference=order_reference,
        payment_terms_days=payment_terms_days,
        delivery_date=delivery_date,
        notes=notes,
        user=user,
        due_date=due_date,
    )


def _locked_invoice(company: Company, invoice_id: int) -> Invoice:
    invoice = Invoice.objects.select_for_update().filter(pk=invoice_id, company=company).first()
    if invoice is None:
        raise BillingError("Facture introuvable dans cette entreprise.", code="not_found", status=404)
    return invoice


@transaction.atomic
def update_draft_invoice(
    *, company: Company, invoice_id: int, lines: list[dict] | None = None, **fields
) -> Invoice:
    invoice = _locked_invoice(company, invoice_id)
    if invoice.status != InvoiceStatus.DRAFT or invoice.direction != Direction.CUSTOMER:
        raise BillingError(EDIT_ISSUED, code="issued_invoice_locked", status=409)
    allowed = {"order_reference", "payment_terms_days", "delivery_date", "notes", "partner_id", "due_date"}
    unknown = set(fields) - allowed
    if unknown:
        raise BillingError(f"Champs inconnus : {', '.join(sorted(unknown))}.")
    if "partner_id" in fields:
        invoice.partner = _partner(company, fields.pop("partner_id"))
    if "payment_terms_days" in fields and fields["payment_terms_days"] is not None:
        problem = check_terms(int(fields["payment_terms_days"]))
        if problem:
            raise BillingError(problem, field_errors={"payment_terms_days": problem})
    for name, value in fields.items():
        setattr(invoice, name, value)
    if lines is not None:
        _write_invoice_lines(invoice, clean_lines(company, lines, franchise=_is_franchise(company)))
    invoice.save()
    return invoice


@transaction.atomic
def delete_draft_invoice(*, company: Company, invoice_id: int) -> None:
    invoice = _locked_invoice(company, invoice_id)
    if invoice.status != InvoiceStatus.DRAFT:
        raise BillingError(
            "Une facture émise ne se supprime pas : établissez un avoir.",
            code="issued_invoice_locked",
            status=409,
        )
    invoice.delete()


def issue_invoice(
    *,
    company: Company,
    invoice_id: int,
    user=None,
    issue_date: dt.date | None = None,
    render_pdf: bool = True,
    score: bool = True,
) -> Invoice:
    """Number, freeze and issue a draft; then build its Factur-X PDF and score its late-payment risk.

    The number is taken in a short transaction (the sequence row stays locked only that long); the PDF is
    rendered right after from the frozen data. Should rendering fail, the invoice stays issued and its
    PDF is rebuilt, identical, on first download (`ensure_pdf`)."""
    now_day = today()
    with transaction.atomic():
        invoice = _locked_invoice(company, invoice_id)
        if invoice.status != InvoiceStatus.DRAFT:
            raise BillingError(
                f"La facture {invoice.number} est déjà émise.", code="already_issued", status=409
            )
        if invoice.direction != Direction.CUSTOMER:
            raise BillingError("Seules nos factures de vente sont émises et numérotées ici.")
        issue_date = issue_date or now_day
        if issue_date > now_day:
            raise BillingError(
                "La date d'émission ne peut pas être dans le futur.",
                field_errors={"issue_date": "Date future."},
            )
        if invoice.total_ttc <= 0:
            raise BillingError(
                "Le total de la facture doit être positif : pour rembourser ou annuler, établissez un avoir."
            )
        settings = ensure_settings(company)
        partner = invoice.partner
        invoice.seller = snapshot_seller(company, settings)
        invoice.buyer = snapshot_buyer(partner)
        invoice.vat_on_debits = bool(company.vat_on_debits and invoice.operation_category != "goods")
        if invoice.doc_type == DocType.CREDIT_NOTE:
            invoice.due_date = issue_date
        elif invoice.due_date is None or invoice.due_date < issue_date:
            invoice.due_date = due_date_for(
                issue_date, invoice.payment_terms_days, partner.payment_terms_end_of_month
            )
        series = (
            settings.credit_note_prefix
            if invoice.doc_type == DocType.CREDIT_NOTE
            else settings.invoice_prefix
        )
        number, year, sequence = next_number(company=company, series=series, issue_date=issue_date)
        invoice.number, invoice.series, invoice.sequence_year, invoice.sequence_number = (
            number,
            series,
            year,
            sequence,
        )
        invoice.issue_date = issue_date
        invoice.status = InvoiceStatus.ISSUED
        invoice.issued_at = timezone.now()
        invoice.issued_by = user if getattr(user, "is_authenticated", False) else None
        invoice.legal_mentions = legal_mentions(
            invoice=invoice, seller=invoice.seller, buyer=invoice.buyer, settings=settings
        )
        missing = missing_mentions(invoice)
        if missing:
            raise BillingError(
                "Facture non émise : mentions obligatoires manquantes — " + ", ".join(missing) + ".",
                code="missing_mentions",
            )
        invoice.status = compute_status(invoice, now_day)
        invoice.save()
        if invoice.doc_type == DocType.CREDIT_NOTE:
            _apply_credit_note(invoice, now_day)
        webhooks.emit(company=company, event="invoice.issued", data=invoice_event(invoice))
    if render_pdf:
        try:
            from etabli.billing.services.output import ensure_pdf

            ensure_pdf(invoice)
        except Exception:  # the invoice is issued; its PDF will be rebuilt on first download
            logger.exception("PDF rendering failed for invoice %s", invoice.pk)
    if score and invoice.doc_type != DocType.CREDIT_NOTE:
        try:
            from etabli.billing.services.risk import score_at_issue

            score_at_issue(company=company, invoice_id=invoice.pk)
        except Exception:  # a score is a help, never a reason to fail issuing
            logger.exception("Risk scoring at issue failed for invoice %s", invoice.pk)
        invoice.refresh_from_db()
    return invoice


def invoice_event(invoice: Invoice) -> dict:
    return {
        "id": invoice.pk,
        "number": invoice.number,
        "doc_type": invoice.doc_type,
        "direction": invoice.direction,
        "partner_id": invoice.partner_id,
        "partner_name": invoice.partner.name,
        "issue_date": invoice.issue_date.isoformat() if invoice.issue_date else None,
        "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
        "total_ttc": str(invoice.total_ttc),
        "amount_open": str(invoice.amount_open),
        "status": invoice.status,
    }


# --- Credit notes -----------------------------------------------------------------------------------------


def _apply_credit_note(note: Invoice, on: dt.date) -> None:
    """Impute the credit note on the invoice it corrects; what exceeds the open amount is to be refunded."""
    target = Invoice.objects.select_for_update().get(pk=note.related_invoice_id, company_id=note.company_id)
    available = target.total_ttc - target.prepaid_amount - target.amount_paid - target.amount_credited
    imputed = min(note.total_ttc, max(available, ZERO))
    target.amount_credited += imputed
    target.status = compute_status(target, on)
    target.save(update_fields=["amount_credited", "status", "updated_at"])
    note.amount_credited = imputed
    note.status = compute_status(note, on)
    note.save(update_fields=["amount_credited", "status", "updated_at"])
    if target.status in (InvoiceStatus.PAID, InvoiceStatus.CANCELLED):
        from etabli.billing.services.payments import on_settled

        on_settled(target)


@transaction.atomic
def create_credit_note(
    *,
    company: Company,
    invoice_id: int,
    lines: list[dict] | None = None,
    reason: str = "",
    user=None,
    issue: bool = True,
    issue_date: dt.date | None = None,
) -> Invoice:
    """The only way to correct an issued invoice: a credit note (avoir) for all of it (no lines given) or
    for the lines given (positive quantities and prices: it is a credit by nature)."""
    target = _locked_invoice(company, invoice_id)
    if target.direction != Direction.CUSTOMER or target.status == InvoiceStatus.DRAFT:
        raise BillingError(
            "Un avoir corrige une facture de vente émise ; un brouillon se modifie directement."
        )
    if target.doc_type == DocType.CREDIT_NOTE:
        raise BillingError("On ne fait pas d'avoir sur un avoir : émettez une nouvelle facture.")
    already = sum((n.total_ttc for n in target.credit_notes.exclude(status=InvoiceStatus.DRAFT)), ZERO)
    full = lines is None
    if full:
        lines = [
            {
                "product_id": line.product_id,
                "sku": line.sku,
                "description": line.description,
                "quantity": line.quantity,
                "unit": line.unit,
                "unit_price": line.unit_price,
                "discount_percent": line.discount_percent,
                "vat_rate": line.vat_rate,
                "vat_category": line.vat_category,
                "vat_exemption_text": line.vat_exemption_text,
                "item_kind": line.item_kind,
                "kind": line.kind,
            }
            for line in target.lines.all()
        ]
        if already:
            raise BillingError("Un avoir partiel existe déjà : indiquez les lignes de ce nouvel avoir.")
    note_lines = clean_lines(company, lines, franchise=_is_franchise(company), allow_negative=full)
    _, _, total, _ = breakdown_for(note_lines)
    if total <= 0:
        raise BillingError("Le montant de l'avoir doit être positif.")
    if already + total > target.total_ttc:
        raise BillingError(
            f"L'avoir ({format_eur(total)}) dépasserait le montant de la facture {target.number} "
            f"({format_eur(target.total_ttc)}, dont {format_eur(already)} déjà crédités)."
        )
    note = _create_draft(
        company=company,
        partner=target.partner,
        lines=note_lines_to_dicts(note_lines),
        doc_type=DocType.CREDIT_NOTE,
        related=target,
        order_reference=target.order_reference,
        notes=reason,
        user=user,
        payment_terms_days=0,
        allow_negative=full,
    )
    if issue:
        note = issue_invoice(company=company, invoice_id=note.pk, user=user, issue_date=issue_date)
    return note


def note_lines_to_dicts(lines: list[dict]) -> list[dict]:
    """Cleaned lines back to input dicts (products by id), to pass through clean_lines again."""
    result = []
    for line in lines:
        item = dict(line)
        product = item.pop("product", None)
        item["product_id"] = product.pk if product else None
        item.pop("net_amount", None)
        result.append(item)
    return result
