"""Demo loader "facturation": stores the DemoDataset's customers, suppliers, catalogue, quotes, invoices
(deposits, balances, credit notes), payments and supplier invoices — with bulk inserts, so that
`etabli demo` stays quick (≈1 000 invoices, 3 000 lines, 1 000 payments).

The dataset already numbers invoices gaplessly per series and year; the number sequences are set to the
last number given, so the next invoice issued in the demo continues the series. PDFs are built on first
download. Payments carry `external_ref = "demo:<number>:<n>"` and `source = "demo"`: the banking demo
loader can link its bank lines to them instead of recording them again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from etabli.billing.mentions import legal_mentions, snapshot_buyer, snapshot_seller
from etabli.billing.models import (
    Direction,
    DocType,
    Invoice,
    InvoiceLine,
    InvoiceSource,
    InvoiceStatus,
    ItemKind,
    LegalType,
    LineKind,
    NumberSequence,
    Partner,
    PartnerKind,
    Payment,
    PaymentMethod,
    PaymentSource,
    Product,
    Quote,
    QuoteLine,
    QuoteStatus,
    VatCategory,
)
from etabli.billing.rules import operation_category
from etabli.billing.services.documents import breakdown_for
from etabli.billing.services.setup import ensure_settings
from etabli.billing.status import compute_status
from etabli.core.models import Company

ZERO = Decimal("0.00")
SUPPLIER_METHODS = {
    "energie": PaymentMethod.DIRECT_DEBIT,
    "telecom": PaymentMethod.DIRECT_DEBIT,
    "leasing": PaymentMethod.DIRECT_DEBIT,
    "assurance": PaymentMethod.DIRECT_DEBIT,
}
QUOTE_STATUS = {
    "accepted": QuoteStatus.ACCEPTED,
    "refused": QuoteStatus.REFUSED,
    "sent": QuoteStatus.SENT,
    "expired": QuoteStatus.EXPIRED,
}


def _split_number(number: str) -> tuple[str, int, int] | None:
    parts = number.split("-")
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        return parts[0], int(parts[1]), int(parts[2])
    return None


def _line_dict(line, kinds: dict[str, str]) -> dict:
    return {
        "net_amount": line.net,
        "vat_rate": line.vat_rate,
        "vat_category": VatCategory.STANDARD,
        "vat_exemption_text": "",
        "item_kind": kinds.get(line.sku, ItemKind.SERVICE),
    }


def _delivery(customer) -> tuple[str, str, str]:
    text = customer.delivery_address
    if not text:
        return "", "", ""
    text = text.split(":", 1)[-1].strip()
    street, _, city = text.rpartition(",")
    return (street or text).strip()[:200], customer.postal_code, (city or customer.city).strip()[:100]


def load(company: Company, dataset, stdout=None) -> None:
    today = dataset.today
    settings = ensure_settings(company)
    settings.payment_iban, settings.payment_bic = dataset.company.iban, dataset.company.bic
    settings.extra_mentions = (
        "Assurance responsabilité civile décennale : Mutuelle des Artisans Assurances, "
        "couverture France métropolitaine."
    )
    settings.save()
    seller = snapshot_seller(company, settings)

    # Third parties and catalogue
    customers = []
    for c in dataset.customers:
        line1, postcode, city = _delivery(c)
        customers.append(
            Partner(
                company=company,
                kind=PartnerKind.CUSTOMER,
                legal_type=LegalType.PERSON if c.kind == "person" else LegalType.COMPANY,
                name=c.name,
                siren=c.siren,
                siret=c.siret,
                vat_number=c.vat_number,
                iban=c.iban.replace(" ", ""),
                email=c.email,
                phone=c.phone,
                address_line1=c.address_line1,
                postal_code=c.postal_code,
                city=c.city,
                delivery_line1=line1,
                delivery_postal_code=postcode if line1 else "",
                delivery_city=city if line1 else "",
                payment_terms_days=c.payment_terms_days,
                sector=c.sector,
                customer_since=c.since,
                external_key=c.key,
            )
        )
    suppliers = [
        Partner(
            company=company,
            kind=PartnerKind.SUPPLIER,
            legal_type=LegalType.COMPANY,
            name=s.name,
            siren=s.siren,
            vat_number=s.vat_number,
            iban=s.iban.replace(" ", ""),
            email=s.email,
            address_line1=s.address_line1,
            postal_code=s.postal_code,
            city=s.city,
            payment_terms_days=s.payment_terms_days,
            sector=s.category,
            expense_account=s.expense_account,
            external_key=s.key,
        )
        for s in dataset.suppliers
    ]
    Partner.objects.bulk_create(customers + suppliers, batch_size=500)
    partners = {p.external_key: p for p in Partner.objects.for_company(company)}
    Product.objects.bulk_create(
        [
            Product(
                company=company,
                sku=p.sku,
                name=p.name,
                unit=p.unit,
                unit_price=p.unit_price,
                vat_rate=p.vat_rate,
                kind=p.kind,
            )
            for p in dataset.products
        ]
    )
    products = {p.sku: p for p in Product.objects.for_company(company)}
    kinds = {p.sku: p.kind for p in dataset.products}

    # Quotes
    quote_rows, quote_lines = [], []
    for q in dataset.quotes:
        lines = [_line_dict(line, kinds) for line in q.lines]
        ht, tva, ttc, _ = breakdown_for(lines)
        status = QUOTE_STATUS.get(q.status, QuoteStatus.SENT)
        if q.invoice_numbers:
            status = QuoteStatus.INVOICED if any(n for n in q.invoice_numbers) else status
        quote_rows.append(
            Quote(
                company=company,
                number=q.number,
                partner=partners[q.customer_key],
                title=q.title,
                issue_date=q.issue_date,
                validity_days=q.validity_days,
                status=status,
                accepted_on=q.accepted_on,
                total_ht=ht,
                total_tva=tva,
                total_ttc=ttc,
                external_key=q.number,
                refused_on=q.issue_date + dt.timedelta(days=14) if q.status == "refused" else None,
            )
        )
    Quote.objects.bulk_create(quote_rows, batch_size=500)
    quotes = {q.number: q for q in Quote.objects.for_company(company)}
    for q in dataset.quotes:
        for position, line in enumerate(q.lines):
            quote_lines.append(
                QuoteLine(
                    company=company,
                    quote=quotes[q.number],
                    position=position,
                    product=products.get(line.sku),
                    description=line.description,
                    quantity=line.quantity,
                    unit=line.unit,
                    unit_price=line.unit_price,
                    discount_percent=line.discount_percent,
                    vat_rate=line.vat_rate,
                    item_kind=kinds.get(line.sku, "service"),
                    net_amount=line.net,
                )
            )
    QuoteLine.objects.bulk_create(quote_lines, batch_size=1000)
    quote_of_invoice = {n: q.number for q in dataset.quotes for n in q.invoice_numbers}

    # Customer invoices, deposits and credit notes
    credits = defaultdict(lambda: ZERO)
    for inv in dataset.invoices:
        if inv.kind == "credit_note":
            credits[inv.related_invoice] += inv.total_ttc
    invoice_rows = []
    issued_at = timezone.now()
    for inv in dataset.invoices:
        partner = partners[inv.customer_key]
        lines = [_line_dict(line, kinds) for line in inv.lines]
        _, _, _, breakdown = breakdown_for(lines)
        doc_type = {"deposit": DocType.DEPOSIT, "credit_note": DocType.CREDIT_NOTE}.get(
            inv.kind, DocType.INVOICE
        )
        split = _split_number(inv.number)
        paid = sum((p.amount for p in inv.payments), ZERO)
        last_payment = max((p.date for p in inv.payments), default=None)
        invoice = Invoice(
            company=company,
            direction=Direction.CUSTOMER,
            doc_type=doc_type,
            number=inv.number,
            series=split[0] if split else "",
            sequence_year=split[1] if split else None,
            sequence_number=split[2] if split else None,
            status=InvoiceStatus.ISSUED,
            partner=partner,
            quote=quotes.get(quote_of_invoice.get(inv.number, "") or inv.quote_number),
            issue_date=inv.issue_date,
            due_date=inv.due_date,
            payment_terms_days=max(0, (inv.due_date - inv.issue_date).days),
            order_reference=inv.order_reference,
            operation_category=operation_category(
                [kinds.get(l.sku, "service") for l in inv.lines if l.sku in kinds] or ["service"]
            ),
            deposit_percent=inv.deposit_percent,
            total_ht=inv.total_ht,
            total_tva=inv.total_tva,
            total_ttc=inv.total_ttc,
            amount_paid=paid,
            vat_breakdown=breakdown,
            seller=seller,
            buyer=snapshot_buyer(partner),
            source=InvoiceSource.DEMO,
            issued_at=issued_at,
            last_payment_date=last_payment,
            external_key=inv.number,
        )
        if doc_type == DocType.CREDIT_NOTE:
            invoice.amount_credited = inv.total_ttc  # imputed on the invoice it corrects (set below)
        else:
            invoice.amount_credited = min(credits.get(inv.number, ZERO), inv.total_ttc)
        invoice.legal_mentions = legal_mentions(
            invoice=invoice, seller=seller, buyer=invoice.buyer, settings=settings, exemptions=[]
        )
        invoice.status = compute_status(invoice, today)
        if invoice.status == InvoiceStatus.PAID:
            invoice.paid_at = last_payment or inv.issue_date
        invoice_rows.append(invoice)
    Invoice.objects.bulk_create(invoice_rows, batch_size=500)
    invoices = {
        i.number: i for i in Invoice.objects.for_company(company).filter(direction=Direction.CUSTOMER)
    }
    related = []
    for inv in dataset.invoices:
        if inv.kind == "credit_note" and inv.related_invoice in invoices:
            row = invoices[inv.number]
            row.related_invoice = invoices[inv.related_invoice]
            related.append(row)
    Invoice.objects.bulk_update(related, ["related_invoice"], batch_size=500)
    line_rows, payment_rows = [], []
    for inv in dataset.invoices:
        invoice = invoices[inv.number]
        for position, line in enumerate(inv.lines):
            deduction = line.sku == "ACOMPTE" and line.quantity < 0
            line_rows.append(
                InvoiceLine(
                    company=company,
                    invoice=invoice,
                    position=position,
                    kind=LineKind.DEPOSIT_DEDUCTION if deduction else LineKind.NORMAL,
                    product=products.get(line.sku),
                    sku=line.sku,
                    description=line.description,
                    quantity=line.quantity,
                    unit=line.unit,
                    unit_price=line.unit_price,
                    discount_percent=line.discount_percent,
                    vat_rate=line.vat_rate,
                    item_kind=kinds.get(line.sku, ItemKind.SERVICE),
                    net_amount=line.net,
                    deducted_invoice=invoices.get(inv.related_invoice) if deduction else None,
                )
            )
        for index, payment in enumerate(inv.payments):
            payment_rows.append(
                Payment(
                    company=company,
                    invoice=invoice,
                    amount=payment.amount,
                    date=payment.date,
                    method=payment.method if payment.method in PaymentMethod.values else PaymentMethod.OTHER,
                    reference=payment.bank_label[:200],
                    source=PaymentSource.DEMO,
                    external_ref=f"demo:{inv.number}:{index + 1}",
                )
            )

    # Supplier invoices
    supplier_rows = []
    for bill in dataset.supplier_invoices:
        supplier = partners[bill.supplier_key]
        category = VatCategory.STANDARD if bill.vat_rate > 0 else VatCategory.EXEMPT
        invoice = Invoice(
            company=company,
            direction=Direction.SUPPLIER,
            doc_type=DocType.INVOICE,
            number=bill.number,
            status=InvoiceStatus.ISSUED,
            partner=supplier,
            issue_date=bill.issue_date,
            due_date=bill.due_date,
            payment_terms_days=max(0, (bill.due_date - bill.issue_date).days),
            total_ht=bill.total_ht,
            total_tva=bill.total_tva,
            total_ttc=bill.total_ttc,
            amount_paid=bill.total_ttc if bill.paid_on else ZERO,
            paid_at=bill.paid_on,
            last_payment_date=bill.paid_on,
            vat_breakdown=[
                {
                    "category": category,
                    "rate": format(bill.vat_rate.normalize(), "f"),
                    "base": str(bill.total_ht),
                    "vat": str(bill.total_tva),
                    "exemption": "" if bill.vat_rate > 0 else "Exonéré (assurance)",
                }
            ],
            source=InvoiceSource.DEMO,
            issued_at=issued_at,
            external_key=f"{bill.supplier_key}:{bill.number}",
            expected_payment_date=None if bill.paid_on else bill.due_date,
            expected_payment_date_optimistic=None if bill.paid_on else bill.due_date,
            expected_payment_date_pessimistic=None if bill.paid_on else bill.due_date,
        )
        invoice.status = compute_status(invoice, today)
        supplier_rows.append(invoice)
    Invoice.objects.bulk_create(supplier_rows, batch_size=500)
    purchases = {
        i.external_key: i for i in Invoice.objects.for_company(company).filter(direction=Direction.SUPPLIER)
    }
    for bill in dataset.supplier_invoices:
        invoice = purchases[f"{bill.supplier_key}:{bill.number}"]
        line_rows.append(
            InvoiceLine(
                company=company,
                invoice=invoice,
                position=0,
                description=bill.description,
                quantity=Decimal(1),
                unit="forfait",
                unit_price=bill.total_ht,
                vat_rate=bill.vat_rate,
                vat_category=VatCategory.STANDARD if bill.vat_rate > 0 else VatCategory.EXEMPT,
                item_kind=ItemKind.GOODS
                if bill.supplier_key in ("scierie", "negoce", "quincaillerie", "vitrage")
                else ItemKind.SERVICE,
                net_amount=bill.total_ht,
            )
        )
        if bill.paid_on:
            payment_rows.append(
                Payment(
                    company=company,
                    invoice=invoice,
                    amount=bill.total_ttc,
                    date=bill.paid_on,
                    method=SUPPLIER_METHODS.get(bill.supplier_key, PaymentMethod.TRANSFER),
                    reference=bill.number,
                    source=PaymentSource.DEMO,
                    external_ref=f"demo:{bill.supplier_key}:{bill.number}",
                )
            )
    InvoiceLine.objects.bulk_create(line_rows, batch_size=1000)
    Payment.objects.bulk_create(payment_rows, batch_size=1000)

    # Number sequences continue where the dataset stopped
    last: dict[tuple[str, int], tuple[int, dt.date]] = {}
    for inv in list(dataset.invoices) + [q for q in dataset.quotes]:
        split = _split_number(inv.number)
        if split is None:
            continue
        key = (split[0], split[1])
        if key not in last or split[2] > last[key][0]:
            last[key] = (split[2], inv.issue_date)
    NumberSequence.objects.bulk_create(
        [
            NumberSequence(company=company, series=series, year=year, last_number=number, last_issue_date=day)
            for (series, year), (number, day) in last.items()
        ]
    )
    # Alerts of the day now (quick); risk scores in the background (a model fit takes a few seconds), so that
    # `etabli demo` stays quick. Today's reminders are left to the daily pass (or `etabli billing remind`).
    from etabli.billing.services.daily import refresh_invoices

    refresh_invoices(company=company, as_of=today)
    _schedule_scoring(company)
    if stdout is not None:
        stdout.write(
            f"  Facturation : {len(customers)} clients, {len(suppliers)} fournisseurs, {len(quote_rows)} devis, "
            f"{len(invoice_rows)} factures et avoirs, {len(supplier_rows)} factures fournisseurs, "
            f"{len(payment_rows)} règlements.\n"
        )



def _schedule_scoring(company: Company) -> None:
    from django.conf import settings as django_settings
    from django.db import transaction

    if django_settings.HUEY.get("immediate"):
        return  # tests and one-off runs: scores come from the daily pass or `etabli billing score`

    def enqueue() -> None:
        from etabli.billing.tasks import score_invoices_task

        score_invoices_task(company.pk)

    transaction.on_commit(enqueue)
