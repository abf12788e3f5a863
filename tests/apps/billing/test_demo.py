"""The "facturation" demo loader stores the DemoDataset's billing part exactly (bulk inserts), the number
sequences continue it, and on the demo company the score is learned from history and the dunning pass
finds the three tones (the issue's acceptance scenario)."""

import datetime as dt
from decimal import Decimal

import pytest

from etabli.billing import selectors, services
from etabli.billing.models import Invoice, InvoiceStatus, Partner, Payment, Product, Quote, QuoteLine
from etabli.billing.services.dunning import run_dunning
from etabli.billing.services.risk import score_company
from etabli.core.demo.dataset import generate
from etabli.core.demo.loader import load_demo
from etabli.core.models import Alert

TODAY = dt.date(2026, 11, 26)


@pytest.mark.django_db
def test_demo_loader_stores_the_dataset_and_scores_it():
    dataset = generate(seed=1, today=TODAY)
    result = load_demo(seed=1, today=TODAY)
    company = result.company
    assert "facturation" in result.loaded
    assert Partner.objects.for_company(company).filter(kind="customer").count() == len(dataset.customers)
    assert Partner.objects.for_company(company).filter(kind="supplier").count() == len(dataset.suppliers)
    assert Product.objects.for_company(company).count() == len(dataset.products)
    assert Quote.objects.for_company(company).count() == len(dataset.quotes)
    assert QuoteLine.objects.for_company(company).count() == sum(len(q.lines) for q in dataset.quotes)
    customer_invoices = Invoice.objects.for_company(company).filter(direction="customer")
    assert customer_invoices.count() == len(dataset.invoices)
    assert customer_invoices.filter(doc_type="credit_note").count() == sum(
        1 for i in dataset.invoices if i.kind == "credit_note"
    )
    assert customer_invoices.filter(doc_type="deposit").count() == sum(
        1 for i in dataset.invoices if i.kind == "deposit"
    )
    assert Invoice.objects.for_company(company).filter(direction="supplier").count() == len(
        dataset.supplier_invoices
    )
    payments = sum(len(i.payments) for i in dataset.invoices) + sum(
        1 for s in dataset.supplier_invoices if s.paid_on
    )
    assert Payment.objects.for_company(company).count() == payments
    # amounts as generated, statuses consistent with payments
    big = next(i for i in dataset.invoices if i.order_reference == "BC-MOUETTES-4")
    stored = customer_invoices.get(number=big.number)
    assert (stored.total_ht, stored.total_ttc, stored.status) == (
        big.total_ht,
        big.total_ttc,
        InvoiceStatus.ISSUED,
    )
    noted = next(i for i in dataset.invoices if i.kind == "credit_note")
    target = customer_invoices.get(number=noted.related_invoice)
    assert target.amount_credited == noted.total_ttc
    assert customer_invoices.get(number=noted.number).related_invoice_id == target.pk
    credits = {}
    for note in (i for i in dataset.invoices if i.kind == "credit_note"):
        credits[note.related_invoice] = credits.get(note.related_invoice, Decimal("0")) + note.total_ttc
    expected_open = sum(
        (
            max(Decimal("0"), i.total_ttc - i.paid - credits.get(i.number, Decimal("0")))
            for i in dataset.invoices
            if i.kind != "credit_note"
        ),
        Decimal("0"),
    )
    receivables = selectors.receivables(company, as_of=TODAY)
    assert receivables.outstanding == expected_open
    assert receivables.open_count == len(selectors.open_invoices(company=company, kind="customer"))
    summary = selectors.receivables_summary(company, as_of=TODAY)  # the home card's one-query version
    assert (summary.outstanding, summary.open_count, summary.overdue, summary.overdue_count) == (
        receivables.outstanding, receivables.open_count, receivables.overdue, receivables.overdue_count)
    assert summary.overdue_count > 0
    assert Alert.objects.filter(company=company, source="facturation").exists()
    # the sequence continues where the dataset stopped
    last = max(
        int(i.number.split("-")[2]) for i in dataset.invoices if i.number.startswith(f"FA-{TODAY.year}-")
    )
    draft = services.create_invoice(
        company=company,
        partner_id=stored.partner_id,
        lines=[
            {
                "description": "Réparation",
                "quantity": 2,
                "unit_price": 48,
                "vat_rate": 20,
                "item_kind": "service",
            }
        ],
    )
    issued = services.issue_invoice(
        company=company, invoice_id=draft.pk, issue_date=TODAY, score=False, render_pdf=False
    )
    assert issued.number == f"FA-{TODAY.year}-{last + 1:05d}"

    # acceptance: every open invoice scored with reasons, from a model learned on the company's history
    results = score_company(company=company, as_of=TODAY)
    open_ids = {v.id for v in selectors.open_invoices(company=company, kind="customer")}
    assert {r.id for r in results} == open_ids
    assert all(r.reasons for r in results)
    assert {r.status for r in results} <= {"model", "overdue"} and "model" in {r.status for r in results}

    report = run_dunning(company=company, as_of=TODAY, dry_run=True)
    assert report.entries and {e.tone for e in report.entries} == {"courteous", "informative", "firm"}
    assert {e.level for e in report.entries} >= {"courtesy", "reminder"}
