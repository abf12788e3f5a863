"""Reads of billing, always scoped by company. The first four functions are the public interface other
apps code against (banking, documents, assistant, cash forecast); the rest feed billing's own pages.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils import timezone
from rapidfuzz import fuzz, process

from etabli.billing.dto import InvoiceStatusView, OpenInvoiceView, PartnerView, PaymentView
from etabli.billing.models import (
    OPEN_STATUSES,
    BillingSettings,
    Direction,
    DocType,
    DunningStep,
    Invoice,
    InvoiceStatus,
    Partner,
    Payment,
    Product,
    Quote,
    Reminder,
    SentEmail,
)
from etabli.billing.rules import AGING_BUCKETS, aging_bucket, dso, weighted_average_delay
from etabli.billing.status import effective_status, status_label
from etabli.core.models import Company
from etabli.core.validators import clean_identifier

__all__ = [
    "InvoiceStatusView",
    "OpenInvoiceView",
    "PartnerView",
    "PaymentView",
    "find_partner",
    "invoice_status_lookup",
    "open_invoices",
    "partners",
]

ZERO = Decimal("0.00")
#: Fuzzy name matches below this rapidfuzz score (0–100) are not trusted.
NAME_MATCH_THRESHOLD = 86.0
LEGAL_FORMS = re.compile(
    r"\b(sarl|sas|sasu|sa|eurl|sci|snc|scop|sca|selarl|ei|eirl|earl|gaec|sem|spl|scp|gie|association|"
    r"societe|ste|cie|et fils|fils)\b"
)


def today() -> dt.date:
    return timezone.localdate()


# --- Conversions ------------------------------------------------------------------------------------------


def partner_view(partner: Partner, **extra) -> PartnerView:
    return PartnerView(
        id=partner.pk,
        kind=partner.kind,
        name=partner.name,
        siren=partner.siren,
        siret=partner.siret,
        vat_number=partner.vat_number,
        iban=partner.iban,
        email=partner.email,
        postcode=partner.postal_code,
        city=partner.city,
        legal_type=partner.legal_type,
        address_line1=partner.address_line1,
        sector=partner.sector,
        payment_terms_days=partner.payment_terms_days,
        **extra,
    )


def invoice_references(invoice: Invoice) -> tuple[str, ...]:
    refs = [invoice.order_reference]
    if invoice.quote_id and invoice.quote is not None:
        refs.append(invoice.quote.number)
    if invoice.related_invoice_id and invoice.related_invoice is not None:
        refs.append(invoice.related_invoice.number)
    return tuple(ref for ref in refs if ref)


def open_invoice_view(invoice: Invoice, on: dt.date | None = None) -> OpenInvoiceView:
    status = effective_status(invoice, on or today())
    partner = invoice.partner
    return OpenInvoiceView(
        id=invoice.pk,
        kind=invoice.direction,
        number=invoice.number,
        partner_id=partner.pk,
        partner_name=partner.name,
        partner_iban=partner.iban,
        partner_siren=partner.siren,
        amount_open=invoice.amount_open,
        total_ttc=invoice.total_ttc,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        expected_payment_date=invoice.expected_payment_date,
        expected_payment_date_optimistic=invoice.expected_payment_date_optimistic,
        expected_payment_date_pessimistic=invoice.expected_payment_date_pessimistic,
        late_probability=invoice.late_probability,
        status=status,
        references=invoice_references(invoice),
        doc_type=invoice.doc_type,
        currency=invoice.currency,
        total_ht=invoice.total_ht,
        total_tva=invoice.total_tva,
        status_label=status_label(status),
        risk_score=invoice.risk_score,
        risk_reasons=tuple(invoice.risk_reasons or ()),
        partner_vat_number=partner.vat_number,
    )


def payment_view(payment: Payment, *, created: bool = True) -> PaymentView:
    invoice = payment.invoice
    return PaymentView(
        id=payment.pk,
        invoice_id=invoice.pk,
        invoice_number=invoice.number,
        amount=payment.amount,
        date=payment.date,
        method=payment.method,
        reference=payment.reference,
        source=payment.source,
        external_ref=payment.external_ref,
        invoice_status=effective_status(invoice, today()),
        invoice_amount_open=invoice.amount_open,
        created=created,
    )


# --- Public interface -------------------------------------------------------------------------------------


def open_invoices(*, company: Company, kind: str | None = None) -> list[OpenInvoiceView]:
    """Issued invoices (and deposit invoices) with money still expected, oldest due date first.

    `kind`: "customer" (money to receive), "supplier" (money to pay) or None for both. Credit notes are not
    listed (they reduce the invoice they correct)."""
    if kind not in (None, Direction.CUSTOMER, Direction.SUPPLIER):
        raise ValueError("kind doit valoir « customer », « supplier » ou None.")
    qs = (
        Invoice.objects.for_company(company)
        .filter(status__in=OPEN_STATUSES)
        .exclude(doc_type=DocType.CREDIT_NOTE)
        .select_related("partner", "quote", "related_invoice")
        .order_by("due_date", "id")
    )
    if kind:
        qs = qs.filter(direction=kind)
    on = today()
    return [open_invoice_view(invoice, on) for invoice in qs if invoice.amount_open > 0]


def _digits(value: str | None) -> str:
    return re.sub(r"\D", "", value or "")


def invoice_status_lookup(
    *, company: Company, number: str, postcode: str | None = None, email: str | None = None
) -> InvoiceStatusView | None:
    """Status of one of our invoices for the customer chat assistant, but only when the second factor
    matches the customer (postcode of the billing address, or its e-mail): the number alone is not
    proof of identity. Returns None alike for "unknown" and "factor does not match" (no enumeration)."""
    wanted = re.sub(r"\s+", "", number or "").upper()
    if not wanted or not (postcode or email):
        return None
    invoice = (
        Invoice.objects.for_company(company)
        .filter(direction=Direction.CUSTOMER, number__iexact=wanted)
        .exclude(status=InvoiceStatus.DRAFT)
        .select_related("partner")
        .first()
    )
    if invoice is None:
        return None
    partner = invoice.partner
    postcodes = {_digits(partner.postal_code), _digits((invoice.buyer or {}).get("postcode"))} - {""}
    emails = {
        (partner.email or "").strip().lower(),
        str((invoice.buyer or {}).get("email") or "").lower(),
    } - {""}
    postcode_ok = bool(postcode) and _digits(postcode) in postcodes
    email_ok = bool(email) and email.strip().lower() in emails
    if not (postcode_ok or email_ok):
        return None
    status = effective_status(invoice, today())
    return InvoiceStatusView(
        number=invoice.number,
        status=status_label(status),
        total_ttc=invoice.total_ttc,
        amount_open=invoice.amount_open,
        due_date=invoice.due_date,
        last_payment_date=invoice.last_payment_date,
    )


def normalise_name(name: str) -> str:
    """Lower case, no accents, no legal form, no punctuation: "SARL Négoce Bois & Fils" → "negoce bois"."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " ")
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    text = LEGAL_FORMS.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def normalise_iban(value: str | None) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def find_partner(
    *,
    company: Company,
    siren: str | None = None,
    siret: str | None = None,
    vat_number: str | None = None,
    iban: str | None = None,
    name: str | None = None,
    kind: str | None = None,
) -> PartnerView | None:
    """A known third party: exact identifiers first (SIRET, SIREN — also the one inside a French VAT
    number —, VAT number, IBAN), then the closest name (rapidfuzz, accents and legal forms ignored)."""
    qs = Partner.objects.for_company(company)
    if kind:
        qs = qs.filter(kind=kind)
    siret = clean_identifier(siret or "")
    siren = clean_identifier(siren or "") or (siret[:9] if len(siret) == 14 else "")
    vat = clean_identifier(vat_number or "")
    if not siren and vat.startswith("FR") and len(vat) == 13:
        siren = vat[-9:]
    iban_value = normalise_iban(iban)
    checks: list[tuple[str, Q]] = []
    if siret:
        checks.append(("siret", Q(siret=siret)))
    if siren:
        checks.append(("siren", Q(siren=siren) | Q(siret__startswith=siren)))
    if vat:
        checks.append(("vat_number", Q(vat_number__iexact=vat)))
    if iban_value:
        checks.append(("iban", Q(iban__iexact=iban_value)))
    for label, condition in checks:
        found = qs.filter(condition).order_by("-is_active", "id").first()
        if found is not None:
            return partner_view(found, match=label, match_score=100.0)
    if name and name.strip():
        target = normalise_name(name)
        if not target:
            return None
        candidates = {p.pk: normalise_name(p.name) for p in qs.only("id", "name")}
        if not candidates:
            return None
        best = process.extractOne(target, candidates, scorer=fuzz.WRatio, score_cutoff=NAME_MATCH_THRESHOLD)
        if best is not None:
            _, score, pk = best
            # WRatio favours partial matches; a short name inside a long one must also share most tokens.
            if fuzz.token_set_ratio(target, candidates[pk]) >= NAME_MATCH_THRESHOLD:
                return partner_view(qs.get(pk=pk), match="name", match_score=float(score))
    return None


def partners(*, company: Company, kind: str | None = None) -> list[PartnerView]:
    qs = Partner.objects.for_company(company).filter(is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    return [partner_view(p) for p in qs.order_by("name")]


# --- Billing's own reads ----------------------------------------------------------------------------------


def billing_settings(company: Company) -> BillingSettings:
    """The company's billing settings (created with the default dunning sequence on first use)."""
    from etabli.billing.services.setup import ensure_settings

    return ensure_settings(company)


def partner_queryset(company: Company, kind: str | None = None, search: str = "") -> QuerySet[Partner]:
    qs = Partner.objects.for_company(company)
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(
            Q(name__icontains=search)
            | Q(siren__startswith=clean_identifier(search) or search)
            | Q(email__icontains=search)
            | Q(city__icontains=search)
        )
    return qs.order_by("name")


def products(company: Company, active_only: bool = False) -> QuerySet[Product]:
    qs = Product.objects.for_company(company)
    return qs.filter(is_active=True) if active_only else qs


def quotes(company: Company, status: str = "", search: str = "") -> QuerySet[Quote]:
    qs = Quote.objects.for_company(company).select_related("partner")
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(
            Q(number__icontains=search) | Q(partner__name__icontains=search) | Q(title__icontains=search)
        )
    return qs


def invoices(
    company: Company,
    *,
    direction: str = "",
    status: str = "",
    doc_type: str = "",
    search: str = "",
    partner_id: int | None = None,
) -> QuerySet[Invoice]:
    qs = Invoice.objects.for_company(company).select_related("partner")
    if direction:
        qs = qs.filter(direction=direction)
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if partner_id:
        qs = qs.filter(partner_id=partner_id)
    if status == InvoiceStatus.OVERDUE:
        qs = qs.filter(status__in=OPEN_STATUSES, due_date__lt=today())
    elif status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(
            Q(number__icontains=search)
            | Q(partner__name__icontains=search)
            | Q(order_reference__icontains=search)
        )
    return qs.order_by("-issue_date", "-id")


def payments(company: Company) -> QuerySet[Payment]:
    return Payment.objects.for_company(company).select_related("invoice", "invoice__partner")


def reminders(company: Company, status: str = "") -> QuerySet[Reminder]:
    qs = Reminder.objects.for_company(company).select_related("invoice", "invoice__partner")
    return qs.filter(status=status) if status else qs


def dunning_steps(company: Company) -> QuerySet[DunningStep]:
    return DunningStep.objects.for_company(company).order_by("offset_days", "position")


def sent_emails(company: Company, invoice: Invoice | None = None) -> QuerySet[SentEmail]:
    qs = SentEmail.objects.for_company(company)
    return qs.filter(invoice=invoice) if invoice is not None else qs


# --- Receivables dashboard ---------------------------------------------------------------------------------


@dataclass
class Receivables:
    as_of: dt.date
    outstanding: Decimal = ZERO
    overdue: Decimal = ZERO
    open_count: int = 0
    overdue_count: int = 0
    due_soon: list[Invoice] = field(default_factory=list)
    buckets: list[tuple[str, Decimal, int]] = field(default_factory=list)
    weeks: list[tuple[dt.date, Decimal]] = field(default_factory=list)
    riskiest: list[Invoice] = field(default_factory=list)
    dso_days: Decimal | None = None
    average_delay_days: Decimal | None = None
    on_time_rate: Decimal | None = None
    sales_90d: Decimal = ZERO
    payables: Decimal = ZERO


@dataclass
class ReceivablesSummary:
    outstanding: Decimal = ZERO
    open_count: int = 0
    overdue: Decimal = ZERO
    overdue_count: int = 0


def receivables_summary(company: Company, as_of: dt.date | None = None) -> ReceivablesSummary:
    """Outstanding and overdue totals computed by the database (one query), for the home page.

    Why not `receivables()`: that one loads every open invoice to build buckets, weeks and the riskiest list;
    the home page, shown on every visit, only needs four numbers. Same definition of "open amount" as
    `Invoice.amount_open` (TTC − prepaid − paid − credited, counted only when positive)."""
    as_of = as_of or today()
    open_amount = ExpressionWrapper(
        F("total_ttc") - F("prepaid_amount") - F("amount_paid") - F("amount_credited"),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )
    totals = (
        Invoice.objects.for_company(company)
        .filter(direction=Direction.CUSTOMER, status__in=OPEN_STATUSES)
        .exclude(doc_type=DocType.CREDIT_NOTE)
        .annotate(open_amount=open_amount)
        .filter(open_amount__gte=Decimal("0.005"))  # not `> 0`: SQLite computes in floating point
        .aggregate(
            outstanding=Sum("open_amount"),
            open_count=Count("id"),
            overdue=Sum("open_amount", filter=Q(due_date__lt=as_of)),
            overdue_count=Count("id", filter=Q(due_date__lt=as_of)),
        )
    )
    return ReceivablesSummary(
        outstanding=Decimal(totals["outstanding"] or 0).quantize(Decimal("0.01")),
        open_count=totals["open_count"] or 0,
        overdue=Decimal(totals["overdue"] or 0).quantize(Decimal("0.01")),
        overdue_count=totals["overdue_count"] or 0,
    )


def receivables(company: Company, as_of: dt.date | None = None, weeks: int = 10) -> Receivables:
    """Outstanding, overdue by bucket, expected cash-in per week, riskiest invoices, DSO and payment
    delay — what the guide's "tableau de bord des encours" shows."""
    as_of = as_of or today()
    result = Receivables(as_of=as_of)
    open_qs = (
        Invoice.objects.for_company(company)
        .filter(direction=Direction.CUSTOMER, status__in=OPEN_STATUSES)
        .exclude(doc_type=DocType.CREDIT_NOTE)
        .select_related("partner")
    )
    settings_row = billing_settings(company)
    bucket_totals: dict[str, list] = {label: [ZERO, 0] for label, _, _ in AGING_BUCKETS}
    week_start = as_of - dt.timedelta(days=as_of.weekday())
    week_totals: dict[dt.date, Decimal] = defaultdict(lambda: ZERO)
    open_list = []
    for invoice in open_qs:
        amount = invoice.amount_open
        if amount <= 0:
            continue
        open_list.append(invoice)
        result.outstanding += amount
        result.open_count += 1
        bucket = aging_bucket(invoice.due_date, as_of)
        bucket_totals[bucket][0] += amount
        bucket_totals[bucket][1] += 1
        if invoice.due_date and invoice.due_date < as_of:
            result.overdue += amount
            result.overdue_count += 1
        elif invoice.due_date and (invoice.due_date - as_of).days <= settings_row.due_soon_days:
            result.due_soon.append(invoice)
        expected = invoice.expected_payment_date or invoice.due_date or as_of
        expected = max(expected, as_of)
        monday = expected - dt.timedelta(days=expected.weekday())
        if monday < week_start + dt.timedelta(weeks=weeks):
            week_totals[monday] += amount
    result.buckets = [
        (label, bucket_totals[label][0], bucket_totals[label][1]) for label, _, _ in AGING_BUCKETS
    ]
    result.weeks = [
        (week_start + dt.timedelta(weeks=i), week_totals[week_start + dt.timedelta(weeks=i)])
        for i in range(weeks)
    ]
    result.riskiest = sorted(
        (i for i in open_list if i.late_probability is not None),
        key=lambda i: (-(i.late_probability or 0), -i.amount_open),
    )[:10]
    result.due_soon.sort(key=lambda i: i.due_date)
    sales = (
        Invoice.objects.for_company(company)
        .filter(
            direction=Direction.CUSTOMER, issue_date__gt=as_of - dt.timedelta(days=90), issue_date__lte=as_of
        )
        .exclude(status=InvoiceStatus.DRAFT)
        .aggregate(total=Sum("total_ttc"), credits=Sum("total_ttc", filter=Q(doc_type=DocType.CREDIT_NOTE)))
    )
    result.sales_90d = (sales["total"] or ZERO) - 2 * (sales["credits"] or ZERO)
    result.dso_days = dso(result.outstanding, result.sales_90d, 90)
    settled = (
        Invoice.objects.for_company(company)
        .filter(
            direction=Direction.CUSTOMER,
            status=InvoiceStatus.PAID,
            paid_at__gt=as_of - dt.timedelta(days=365),
            paid_at__lte=as_of,
        )
        .exclude(doc_type=DocType.CREDIT_NOTE)
        .values_list("total_ttc", "issue_date", "due_date", "paid_at")
    )
    pairs, on_time, count = [], 0, 0
    for total, issued, due, paid in settled:
        if issued and paid:
            pairs.append((total, (paid - issued).days))
            count += 1
            on_time += 1 if due is None or paid <= due else 0
    result.average_delay_days = weighted_average_delay(pairs)
    result.on_time_rate = (Decimal(on_time) / Decimal(count)).quantize(Decimal("0.001")) if count else None
    payables = [
        i.amount_open
        for i in Invoice.objects.for_company(company).filter(
            direction=Direction.SUPPLIER, status__in=OPEN_STATUSES
        )
    ]
    result.payables = sum(payables, ZERO)
    return result
