"""Billing API under /api/v1/billing/…: third parties, catalogue, quotes, invoices (issue, PDF, send,
payments, credit notes, reminders), e-invoice import, receivables, risk scores, dunning pass, credit terms.

Thin: each route checks the permission, calls a service or selector, and turns a `BillingError` into the
platform's `{"error": {"code", "message", "details"}}` answer (4xx, nothing half-written).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal
from functools import wraps

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from etabli.billing import selectors
from etabli.billing.errors import BillingError
from etabli.billing.models import Invoice, Partner, Quote
from etabli.billing.status import effective_status, status_label
from etabli.core.permissions import require

router = Router(tags=["billing"])


def refusals(view):
    """BillingError → ApiError with the French message and per-field details."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        from etabli.api import ApiError

        try:
            return view(request, *args, **kwargs)
        except BillingError as exc:
            raise ApiError(exc.status, exc.code, exc.message, exc.field_errors or None) from exc

    return wrapper


def scoped(model, request, pk: int):
    return get_object_or_404(model, pk=pk, company_id=request.company.pk)


# --- Schemas ----------------------------------------------------------------------------------------------


class PartnerOut(Schema):
    id: int
    kind: str
    legal_type: str
    name: str
    siren: str
    siret: str
    vat_number: str
    iban: str
    email: str
    phone: str
    address_line1: str
    postal_code: str
    city: str
    country: str
    delivery_line1: str
    delivery_postal_code: str
    delivery_city: str
    payment_terms_days: int
    payment_terms_end_of_month: bool
    preferred_channel: str
    tone: str
    sector: str
    customer_since: dt.date | None
    is_active: bool


class PartnerIn(Schema):
    kind: str = "customer"
    legal_type: str = "company"
    name: str
    siren: str = ""
    siret: str = ""
    vat_number: str = ""
    iban: str = ""
    email: str = ""
    phone: str = ""
    address_line1: str = ""
    address_line2: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = "FR"
    delivery_line1: str = ""
    delivery_postal_code: str = ""
    delivery_city: str = ""
    payment_terms_days: int = 30
    payment_terms_end_of_month: bool = False
    preferred_channel: str = "email"
    tone: str = "auto"
    sector: str = ""
    customer_since: dt.date | None = None


class PartnerPatch(Schema):
    name: str | None = None
    siren: str | None = None
    siret: str | None = None
    vat_number: str | None = None
    iban: str | None = None
    email: str | None = None
    phone: str | None = None
    address_line1: str | None = None
    postal_code: str | None = None
    city: str | None = None
    delivery_line1: str | None = None
    delivery_postal_code: str | None = None
    delivery_city: str | None = None
    payment_terms_days: int | None = None
    preferred_channel: str | None = None
    tone: str | None = None
    sector: str | None = None
    is_active: bool | None = None


class ProductOut(Schema):
    id: int
    sku: str
    name: str
    unit: str
    unit_price: Decimal
    vat_rate: Decimal
    vat_category: str
    kind: str
    is_active: bool


class ProductIn(Schema):
    sku: str
    name: str
    unit: str = "u"
    unit_price: Decimal
    vat_rate: Decimal = Decimal("20")
    vat_category: str = "S"
    vat_exemption_text: str = ""
    kind: str = "goods"
    description: str = ""


class LineIn(Schema):
    product_id: int | None = None
    description: str = ""
    quantity: Decimal = Decimal("1")
    unit: str = ""
    unit_price: Decimal | None = None
    discount_percent: Decimal = Decimal("0")
    vat_rate: Decimal | None = None
    vat_category: str = ""
    vat_exemption_text: str = ""
    item_kind: str = ""


class LineOut(Schema):
    position: int
    kind: str = "normal"
    sku: str = ""
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    discount_percent: Decimal
    vat_rate: Decimal
    vat_category: str
    net_amount: Decimal


class QuoteIn(Schema):
    partner_id: int
    lines: list[LineIn]
    title: str = ""
    issue_date: dt.date | None = None
    validity_days: int | None = None
    order_reference: str = ""
    notes: str = ""


class QuoteOut(Schema):
    id: int
    number: str
    partner_id: int
    partner_name: str
    title: str
    issue_date: dt.date
    validity_days: int
    status: str
    total_ht: Decimal
    total_tva: Decimal
    total_ttc: Decimal
    lines: list[LineOut] = []


class QuoteStatusIn(Schema):
    status: str = ""
    on: dt.date | None = None


class QuoteInvoiceIn(Schema):
    issue: bool = True
    issue_date: dt.date | None = None


class DepositIn(Schema):
    percent: Decimal | None = None
    issue: bool = True


class InvoiceIn(Schema):
    partner_id: int
    lines: list[LineIn]
    order_reference: str = ""
    payment_terms_days: int | None = None
    delivery_date: dt.date | None = None
    notes: str = ""


class InvoicePatch(Schema):
    lines: list[LineIn] | None = None
    order_reference: str | None = None
    payment_terms_days: int | None = None
    delivery_date: dt.date | None = None
    notes: str | None = None


class InvoiceOut(Schema):
    id: int
    direction: str
    doc_type: str
    number: str
    status: str
    status_label: str
    partner_id: int
    partner_name: str
    issue_date: dt.date | None
    due_date: dt.date | None
    total_ht: Decimal
    total_tva: Decimal
    total_ttc: Decimal
    amount_paid: Decimal
    amount_open: Decimal
    order_reference: str
    operation_category: str
    vat_breakdown: list[dict]
    late_probability: float | None
    risk_score: int | None
    risk_reasons: list[str]
    expected_payment_date: dt.date | None
    pdf_sha256: str
    lines: list[LineOut] = []


class IssueIn(Schema):
    issue_date: dt.date | None = None


class SendIn(Schema):
    to: str = ""


class PaymentIn(Schema):
    # Optional in the schema so that an object of another company answers 404 before any validation.
    amount: Decimal | None = None
    date: dt.date | None = None
    method: str = "virement"
    reference: str = ""
    external_ref: str = ""


class PaymentOut(Schema):
    id: int
    invoice_id: int
    invoice_number: str
    amount: Decimal
    date: dt.date
    method: str
    reference: str
    source: str
    external_ref: str
    invoice_status: str
    invoice_amount_open: Decimal
    created: bool


class CreditNoteIn(Schema):
    lines: list[LineIn] | None = None
    reason: str = ""


class ImportIn(Schema):
    filename: str
    content_base64: str
    direction: str = "auto"


class SupplierInvoiceIn(Schema):
    supplier_id: int
    number: str
    issue_date: dt.date
    due_date: dt.date
    total_ht: Decimal
    total_tva: Decimal
    total_ttc: Decimal
    vat_breakdown: list[list[Decimal]] = []
    order_reference: str = ""


class RemindIn(Schema):
    dry_run: bool = False
    as_of: dt.date | None = None


class CreditTermsIn(Schema):
    amount: Decimal
    requested_term_days: int = 60
    partner_id: int | None = None
    sector: str = ""


def _lines(lines) -> list[dict]:
    return [{k: v for k, v in line.dict().items() if v not in ("", None)} for line in lines]


def _invoice_out(invoice: Invoice, with_lines: bool = False) -> dict:
    status = effective_status(invoice, selectors.today())
    data = {
        "id": invoice.pk,
        "direction": invoice.direction,
        "doc_type": invoice.doc_type,
        "number": invoice.number,
        "status": status,
        "status_label": status_label(status),
        "partner_id": invoice.partner_id,
        "partner_name": invoice.partner.name,
        "issue_date": invoice.issue_date,
        "due_date": invoice.due_date,
        "total_ht": invoice.total_ht,
        "total_tva": invoice.total_tva,
        "total_ttc": invoice.total_ttc,
        "amount_paid": invoice.amount_paid,
        "amount_open": invoice.amount_open,
        "order_reference": invoice.order_reference,
        "operation_category": invoice.operation_category,
        "vat_breakdown": invoice.vat_breakdown,
        "late_probability": invoice.late_probability,
        "risk_score": invoice.risk_score,
        "risk_reasons": invoice.risk_reasons or [],
        "expected_payment_date": invoice.expected_payment_date,
        "pdf_sha256": invoice.pdf_sha256,
    }
    if with_lines:
        data["lines"] = list(invoice.lines.all())
    return data


def _quote_out(quote: Quote, with_lines: bool = False) -> dict:
    data = {
        "id": quote.pk,
        "number": quote.number,
        "partner_id": quote.partner_id,
        "partner_name": quote.partner.name,
        "title": quote.title,
        "issue_date": quote.issue_date,
        "validity_days": quote.validity_days,
        "status": quote.status,
        "total_ht": quote.total_ht,
        "total_tva": quote.total_tva,
        "total_ttc": quote.total_ttc,
    }
    if with_lines:
        data["lines"] = list(quote.lines.all())
    return data


# --- Third parties and catalogue --------------------------------------------------------------------------


@router.get("/partners", response=list[PartnerOut], summary="Clients et fournisseurs")
@paginate(PageNumberPagination, page_size=50)
def partner_list(request, kind: str = "", search: str = ""):
    require(request.membership, "billing.view")
    return selectors.partner_queryset(request.company, kind or None, search)


@router.post("/partners", response={201: PartnerOut}, summary="Créer un client ou un fournisseur")
@refusals
def partner_create(request, payload: PartnerIn):
    require(request.membership, "billing.edit")
    from etabli.billing.services import create_partner

    return Status(201, create_partner(company=request.company, **payload.dict()))


@router.get("/partners/{partner_id}", response=PartnerOut, summary="Fiche d'un tiers")
def partner_detail(request, partner_id: int):
    require(request.membership, "billing.view")
    return scoped(Partner, request, partner_id)


@router.patch("/partners/{partner_id}", response=PartnerOut, summary="Modifier un tiers")
@refusals
def partner_update(request, partner_id: int, payload: PartnerPatch):
    require(request.membership, "billing.edit")
    from etabli.billing.services import update_partner

    partner = scoped(Partner, request, partner_id)
    return update_partner(company=request.company, partner=partner, **payload.dict(exclude_none=True))


@router.get("/products", response=list[ProductOut], summary="Catalogue")
@paginate(PageNumberPagination, page_size=100)
def product_list(request):
    require(request.membership, "billing.view")
    return selectors.products(request.company)


@router.post("/products", response={201: ProductOut}, summary="Ajouter un article au catalogue")
@refusals
def product_create(request, payload: ProductIn):
    require(request.membership, "billing.edit")
    from etabli.billing.services.catalogue import save_product

    return Status(201, save_product(company=request.company, product=None, **payload.dict()))


# --- Quotes -----------------------------------------------------------------------------------------------


@router.get("/quotes", response=list[QuoteOut], summary="Devis")
@paginate(PageNumberPagination, page_size=50)
def quote_list(request, status: str = "", search: str = ""):
    require(request.membership, "billing.view")
    return [_quote_out(q) for q in selectors.quotes(request.company, status, search)]


@router.post("/quotes", response={201: QuoteOut}, summary="Créer un devis")
@refusals
def quote_create(request, payload: QuoteIn):
    require(request.membership, "billing.edit")
    from etabli.billing.services import create_quote

    data = payload.dict()
    data["lines"] = _lines(payload.lines)
    quote = create_quote(company=request.company, user=request.user, **data)
    return Status(201, _quote_out(quote, with_lines=True))


@router.get("/quotes/{quote_id}", response=QuoteOut, summary="Détail d'un devis")
def quote_detail(request, quote_id: int):
    require(request.membership, "billing.view")
    return _quote_out(scoped(Quote, request, quote_id), with_lines=True)


@router.post("/quotes/{quote_id}/status", response=QuoteOut, summary="Devis envoyé, accepté ou refusé")
@refusals
def quote_status(request, quote_id: int, payload: QuoteStatusIn):
    require(request.membership, "billing.edit")
    from etabli.billing.services import set_quote_status

    scoped(Quote, request, quote_id)
    return _quote_out(
        set_quote_status(company=request.company, quote_id=quote_id, status=payload.status, on=payload.on)
    )


@router.post("/quotes/{quote_id}/invoice", response={201: InvoiceOut}, summary="Facturer le devis (un clic)")
@refusals
def quote_invoice(request, quote_id: int, payload: QuoteInvoiceIn):
    require(request.membership, "billing.edit")
    from etabli.billing.services import invoice_from_quote

    scoped(Quote, request, quote_id)
    invoice = invoice_from_quote(
        company=request.company,
        quote_id=quote_id,
        user=request.user,
        issue=payload.issue,
        issue_date=payload.issue_date,
    )
    return Status(201, _invoice_out(invoice, with_lines=True))


@router.post("/quotes/{quote_id}/deposit", response={201: InvoiceOut}, summary="Facture d'acompte sur devis")
@refusals
def quote_deposit(request, quote_id: int, payload: DepositIn):
    require(request.membership, "billing.edit")
    from etabli.billing.services import deposit_from_quote

    scoped(Quote, request, quote_id)
    if payload.percent is None:
        raise BillingError("Indiquez le pourcentage d'acompte.", field_errors={"percent": "Obligatoire."})
    invoice = deposit_from_quote(
        company=request.company,
        quote_id=quote_id,
        percent=payload.percent,
        user=request.user,
        issue=payload.issue,
    )
    return Status(201, _invoice_out(invoice, with_lines=True))


# --- Invoices ---------------------------------------------------------------------------------------------


@router.get("/invoices", response=list[InvoiceOut], summary="Factures (ventes et achats)")
@paginate(PageNumberPagination, page_size=50)
def invoice_list(request, direction: str = "", status: str = "", doc_type: str = "", search: str = ""):
    require(request.membership, "billing.view")
    return [
        _invoice_out(i)
        for i in selectors.invoices(
            request.company, direction=direction, status=status, doc_type=doc_type, search=search
        )
    ]


@router.post("/invoices", response={201: InvoiceOut}, summary="Créer une facture (brouillon)")
@refusals
def invoice_create(request, payload: InvoiceIn):
    require(request.membership, "billing.edit")
    from etabli.billing.services import create_invoice

    data = payload.dict()
    data["lines"] = _lines(payload.lines)
    invoice = create_invoice(company=request.company, user=request.user, **data)
    return Status(201, _invoice_out(invoice, with_lines=True))


@router.get("/invoices/{invoice_id}", response=InvoiceOut, summary="Détail d'une facture")
def invoice_detail(request, invoice_id: int):
    require(request.membership, "billing.view")
    return _invoice_out(scoped(Invoice, request, invoice_id), with_lines=True)


@router.patch("/invoices/{invoice_id}", response=InvoiceOut, summary="Modifier un brouillon")
@refusals
def invoice_update(request, invoice_id: int, payload: InvoicePatch):
    require(request.membership, "billing.edit")
    from etabli.billing.services import update_draft_invoice

    scoped(Invoice, request, invoice_id)
    data = payload.dict(exclude_none=True)
    if payload.lines is not None:
        data["lines"] = _lines(payload.lines)
    return _invoice_out(
        update_draft_invoice(company=request.company, invoice_id=invoice_id, **data), with_lines=True
    )


@router.post("/invoices/{invoice_id}/issue", response=InvoiceOut, summary="Émettre (numéro, PDF Factur-X)")
@refusals
def invoice_issue(request, invoice_id: int, payload: IssueIn):
    require(request.membership, "billing.edit")
    from etabli.billing.services import issue_invoice

    scoped(Invoice, request, invoice_id)
    invoice = issue_invoice(
        company=request.company, invoice_id=invoice_id, user=request.user, issue_date=payload.issue_date
    )
    return _invoice_out(invoice, with_lines=True)


@router.get("/invoices/{invoice_id}/pdf", summary="PDF Factur-X de la facture")
@refusals
def invoice_pdf(request, invoice_id: int):
    require(request.membership, "billing.view")
    from etabli.billing.services.output import pdf_bytes, pdf_filename

    invoice = scoped(Invoice, request, invoice_id)
    response = HttpResponse(pdf_bytes(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(invoice)}"'
    return response


@router.post("/invoices/{invoice_id}/send", summary="Envoyer la facture par e-mail")
@refusals
def invoice_send(request, invoice_id: int, payload: SendIn):
    require(request.membership, "billing.edit")
    from etabli.billing.services.output import send_invoice

    scoped(Invoice, request, invoice_id)
    log = send_invoice(company=request.company, invoice_id=invoice_id, to=payload.to, user=request.user)
    return {"sent_to": log.to, "subject": log.subject, "attachments": log.attachments}


@router.post(
    "/invoices/{invoice_id}/payments",
    response={201: PaymentOut, 200: PaymentOut},
    summary="Enregistrer un règlement (idempotent par external_ref)",
)
@refusals
def invoice_payment(request, invoice_id: int, payload: PaymentIn):
    require(request.membership, "billing.edit")
    from etabli.billing.services import record_payment

    scoped(Invoice, request, invoice_id)
    if payload.amount is None or payload.date is None:
        raise BillingError(
            "Montant et date du règlement obligatoires.",
            field_errors={"amount": "Obligatoire.", "date": "Obligatoire."},
        )
    view = record_payment(
        company=request.company,
        invoice_id=invoice_id,
        amount=payload.amount,
        date=payload.date,
        method=payload.method,
        reference=payload.reference,
        external_ref=payload.external_ref,
        source="manual",
        user=request.user,
    )
    return Status(201 if view.created else 200, view.__dict__)


@router.post("/invoices/{invoice_id}/credit-note", response={201: InvoiceOut}, summary="Établir un avoir")
@refusals
def invoice_credit_note(request, invoice_id: int, payload: CreditNoteIn):
    require(request.membership, "billing.edit")
    from etabli.billing.services import create_credit_note

    scoped(Invoice, request, invoice_id)
    note = create_credit_note(
        company=request.company,
        invoice_id=invoice_id,
        user=request.user,
        lines=_lines(payload.lines) if payload.lines is not None else None,
        reason=payload.reason,
    )
    return Status(201, _invoice_out(note, with_lines=True))


@router.post("/invoices/{invoice_id}/remind", summary="Proposer la relance due aujourd'hui")
@refusals
def invoice_remind(request, invoice_id: int):
    require(request.membership, "billing.edit")
    from etabli.billing.services.dunning import propose_now

    scoped(Invoice, request, invoice_id)
    return propose_now(company=request.company, invoice_id=invoice_id).as_json()


@router.post("/import", summary="Importer une facture électronique (Factur-X, UBL, CII)")
@refusals
def einvoice_import(request, payload: ImportIn):
    require(request.membership, "billing.edit")
    from etabli.billing.services import import_einvoice

    try:
        data = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BillingError("Contenu base64 invalide.", code="invalid_base64") from exc
    result = import_einvoice(
        company=request.company, data=data, filename=payload.filename, direction=payload.direction
    )
    return {
        "invoice": result.invoice.__dict__,
        "partner_id": result.partner.id,
        "direction": result.direction,
        "syntax": result.syntax,
        "profile": result.profile,
        "doc_type": result.doc_type,
        "warnings": list(result.warnings),
    }


@router.post("/supplier-invoices", summary="Enregistrer une facture fournisseur")
@refusals
def supplier_invoice_create(request, payload: SupplierInvoiceIn):
    require(request.membership, "billing.edit")
    from etabli.billing.services import create_supplier_invoice

    data = payload.dict()
    data["vat_breakdown"] = [tuple(row) for row in payload.vat_breakdown]
    return create_supplier_invoice(company=request.company, **data).__dict__


# --- Receivables, risk, dunning ----------------------------------------------------------------------------


@router.get("/open-invoices", summary="Factures ouvertes (à encaisser / à payer)")
def open_invoice_list(request, kind: str = ""):
    require(request.membership, "billing.view")
    if kind not in ("", "customer", "supplier"):
        raise BillingError("kind : « customer » ou « supplier ».")
    return [view.__dict__ for view in selectors.open_invoices(company=request.company, kind=kind or None)]


@router.get("/receivables", summary="Encours clients, retards par tranche, encaissements attendus, DSO")
def receivables(request):
    require(request.membership, "billing.view")
    data = selectors.receivables(request.company)
    return {
        "as_of": data.as_of,
        "outstanding": data.outstanding,
        "overdue": data.overdue,
        "open_count": data.open_count,
        "overdue_count": data.overdue_count,
        "dso_days": data.dso_days,
        "average_delay_days": data.average_delay_days,
        "on_time_rate": data.on_time_rate,
        "payables": data.payables,
        "buckets": [
            {"label": label, "amount": amount, "count": count} for label, amount, count in data.buckets
        ],
        "weeks": [{"week": week, "expected": amount} for week, amount in data.weeks],
        "riskiest": [
            {
                "id": i.pk,
                "number": i.number,
                "customer": i.partner.name,
                "amount_open": i.amount_open,
                "probability": i.late_probability,
                "score": i.risk_score,
            }
            for i in data.riskiest
        ],
    }


@router.get("/scores", summary="Risque de retard des factures ouvertes (recalculé)")
@refusals
def scores(request):
    require(request.membership, "billing.view")
    from etabli.billing.services.risk import score_company

    return [s.as_json() for s in score_company(company=request.company, log=False)]


@router.post("/remind", summary="Passe de relance (dry_run : ce qui serait proposé)")
@refusals
def remind(request, payload: RemindIn):
    require(request.membership, "billing.view" if payload.dry_run else "billing.edit")
    from etabli.billing.services.dunning import run_dunning

    return run_dunning(company=request.company, dry_run=payload.dry_run, as_of=payload.as_of).as_json()


@router.post("/credit-terms", summary="Conditions conseillées pour une demande de crédit (ch. 10.3)")
@refusals
def credit_terms(request, payload: CreditTermsIn):
    require(request.membership, "billing.view")
    from etabli.billing.services.risk import suggest_terms

    advice = suggest_terms(
        company=request.company,
        amount=payload.amount,
        requested_term_days=payload.requested_term_days,
        partner_id=payload.partner_id,
        sector=payload.sector,
    )
    return advice.__dict__
