"""Payments: full and partial, idempotent per external reference (bank line), refusal of overpayments in
French, statuses, alerts resolved, pending reminders cancelled, `invoice.paid` emitted; supplier invoices."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from etabli.billing import selectors, services
from etabli.billing.errors import BillingError
from etabli.billing.models import Invoice, InvoiceStatus, Payment
from etabli.billing.services.daily import refresh_invoices
from etabli.core.models import Alert, WebhookDelivery
from etabli.core.services import webhooks
from tests.apps.billing.factories import make_issued, make_supplier

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_partial_then_full_payment(billing_company, customer):
    invoice = make_issued(billing_company, customer)
    first = services.record_payment(
        company=billing_company,
        invoice_id=invoice.pk,
        amount=Decimal("1000"),
        date=TODAY,
        method="chèque",
        reference="Chèque n°1234567",
    )
    assert first.created and first.method == "cheque" and first.invoice_status == InvoiceStatus.PARTIALLY_PAID
    assert first.invoice_amount_open == Decimal("1354.40")
    second = services.record_payment(
        company=billing_company,
        invoice_id=invoice.pk,
        amount="1 354,40",
        date=TODAY,
        method="virement",
        source="bank",
        external_ref="bank-line-42",
    )
    invoice.refresh_from_db()
    assert second.invoice_status == InvoiceStatus.PAID and invoice.paid_at == TODAY
    assert invoice.amount_paid == invoice.total_ttc and invoice.amount_open == 0
    assert selectors.open_invoices(company=billing_company) == []


def test_payment_is_idempotent_per_external_ref(billing_company, customer):
    invoice = make_issued(billing_company, customer)
    once = services.record_payment(
        company=billing_company,
        invoice_id=invoice.pk,
        amount=Decimal("500"),
        date=TODAY,
        method="virement",
        source="bank",
        external_ref="BL-2026-0001",
    )
    again = services.record_payment(
        company=billing_company,
        invoice_id=invoice.pk,
        amount=Decimal("500"),
        date=TODAY,
        method="virement",
        source="bank",
        external_ref="BL-2026-0001",
    )
    assert once.created and not again.created and once.id == again.id
    assert Payment.objects.count() == 1
    other = make_issued(billing_company, customer)
    with pytest.raises(BillingError) as exc:
        services.record_payment(
            company=billing_company,
            invoice_id=other.pk,
            amount=Decimal("10"),
            date=TODAY,
            method="virement",
            external_ref="BL-2026-0001",
        )
    assert exc.value.status == 409 and invoice.number in exc.value.message


def test_overpayment_is_refused_beyond_a_small_tolerance(billing_company, customer):
    invoice = make_issued(billing_company, customer)
    with pytest.raises(BillingError) as exc:
        services.record_payment(
            company=billing_company,
            invoice_id=invoice.pk,
            amount=Decimal("2400"),
            date=TODAY,
            method="virement",
        )
    assert exc.value.message == (
        f"Ce règlement de 2\u202f400,00\xa0€ dépasse le reste dû de 2\u202f354,40\xa0€ sur la "
        f"facture {invoice.number} : vérifiez le montant ou l'imputation."
    )
    assert Payment.objects.count() == 0
    within = services.record_payment(
        company=billing_company,
        invoice_id=invoice.pk,
        amount=Decimal("2354.43"),
        date=TODAY,
        method="virement",
    )
    assert within.invoice_status == InvoiceStatus.PAID


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"amount": Decimal("0")}, "doit être positif"),
        ({"amount": Decimal("-10")}, "doit être positif"),
        ({"amount": "abc"}, "Montant invalide"),
        ({"method": "bitcoin"}, "Moyen de paiement inconnu"),
        ({"date": TODAY + dt.timedelta(days=10)}, "futur"),
        ({"source": "magie"}, "Origine de paiement inconnue"),
    ],
)
def test_bad_payments_are_refused_in_french(billing_company, customer, kwargs, message):
    invoice = make_issued(billing_company, customer)
    values = {"amount": Decimal("10"), "date": TODAY, "method": "virement", **kwargs}
    with pytest.raises(BillingError, match=message):
        services.record_payment(company=billing_company, invoice_id=invoice.pk, **values)
    assert Payment.objects.count() == 0


def test_drafts_and_other_companies_invoices_cannot_be_paid(billing_company, customer, other_company):
    from tests.apps.billing.factories import make_draft

    draft = make_draft(billing_company, customer)
    with pytest.raises(BillingError, match="brouillon"):
        services.record_payment(
            company=billing_company, invoice_id=draft.pk, amount=Decimal("1"), date=TODAY, method="virement"
        )
    invoice = make_issued(billing_company, customer)
    with pytest.raises(BillingError) as exc:
        services.record_payment(
            company=other_company, invoice_id=invoice.pk, amount=Decimal("1"), date=TODAY, method="virement"
        )
    assert exc.value.status == 404 and Payment.objects.count() == 0


def test_paying_resolves_alerts_and_emits_invoice_paid(
    billing_company, customer, django_capture_on_commit_callbacks
):
    invoice = make_issued(billing_company, customer, issue_date=TODAY - dt.timedelta(days=40))
    refresh_invoices(company=billing_company)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OVERDUE
    alert = Alert.objects.get(company=billing_company, code=f"billing:overdue:{invoice.pk}")
    assert "en retard de 10 jours" in alert.message and alert.resolved_at is None
    webhooks.create_endpoint(company=billing_company, url="http://127.0.0.1:9/hook", events=["invoice.paid"])
    with django_capture_on_commit_callbacks(execute=True):
        services.record_payment(
            company=billing_company,
            invoice_id=invoice.pk,
            amount=invoice.total_ttc,
            date=TODAY,
            method="virement",
            source="bank",
            external_ref="line-7",
        )
    alert.refresh_from_db()
    assert alert.resolved_at is not None
    delivery = WebhookDelivery.objects.get(company=billing_company, event="invoice.paid")
    assert delivery.payload["data"]["number"] == invoice.number


def test_open_invoices_view_for_banking(billing_company, customer):
    invoice = make_issued(billing_company, customer, order_reference="BC-77")
    supplier = make_supplier(billing_company, iban="FR7630004000031234567890143")
    bill = services.create_supplier_invoice(
        company=billing_company,
        supplier_id=supplier.pk,
        number="SCI2611-0001",
        issue_date=TODAY,
        due_date=TODAY + dt.timedelta(days=30),
        total_ht=Decimal("1000"),
        total_tva=Decimal("200"),
        total_ttc=Decimal("1200"),
        vat_breakdown=[(Decimal("20"), Decimal("1000"), Decimal("200"))],
        order_reference="CMD-9",
        source_document_id=55,
        lines=[{"description": "Bois massif", "quantity": 1, "unit_price": 1000, "vat_rate": 20}],
    )
    customers = selectors.open_invoices(company=billing_company, kind="customer")
    suppliers = selectors.open_invoices(company=billing_company, kind="supplier")
    assert [v.id for v in customers] == [invoice.pk] and [v.id for v in suppliers] == [bill.id]
    view = customers[0]
    assert (view.kind, view.number, view.partner_siren, view.amount_open) == (
        "customer",
        invoice.number,
        customer.siren,
        Decimal("2354.40"),
    )
    assert view.references == ("BC-77",) and view.status == "issued"
    assert (suppliers[0].partner_iban, suppliers[0].amount_open) == (
        "FR7630004000031234567890143",
        Decimal("1200.00"),
    )
    assert Invoice.objects.get(pk=bill.id).source_document_id == 55
    assert len(selectors.open_invoices(company=billing_company)) == 2
    with pytest.raises(ValueError):
        selectors.open_invoices(company=billing_company, kind="autre")


def test_supplier_invoice_checks(billing_company):
    supplier = make_supplier(billing_company)
    base = dict(
        company=billing_company,
        supplier_id=supplier.pk,
        number="F-1",
        issue_date=TODAY,
        due_date=TODAY + dt.timedelta(days=30),
        total_ht=Decimal("100"),
        total_tva=Decimal("20"),
        total_ttc=Decimal("120"),
        vat_breakdown=[(20, 100, 20)],
    )
    services.create_supplier_invoice(**base)
    with pytest.raises(BillingError) as exc:
        services.create_supplier_invoice(**base)
    assert exc.value.status == 409 and "ne sera pas payée deux fois" in exc.value.message
    for changes, message in (
        ({"number": "F-2", "total_ttc": Decimal("121")}, "ne concordent pas"),
        ({"number": "F-3", "vat_breakdown": [(20, 90, 20)]}, "ne font pas le total HT"),
        ({"number": "F-4", "due_date": TODAY - dt.timedelta(days=1)}, "précède"),
        (
            {
                "number": "",
            },
            "obligatoire",
        ),
        ({"number": "F-5", "total_ht": "12.345"}, "deux décimales"),
    ):
        with pytest.raises(BillingError, match=message):
            services.create_supplier_invoice(**{**base, **changes})
    assert Invoice.objects.filter(direction="supplier").count() == 1
    paid = services.record_payment(
        company=billing_company,
        invoice_id=Invoice.objects.get(number="F-1").pk,
        amount=Decimal("120"),
        date=TODAY,
        method="prelevement",
        source="bank",
        external_ref="debit-1",
    )
    assert paid.invoice_status == InvoiceStatus.PAID


def test_invoice_status_lookup_needs_the_second_factor(billing_company, customer, other_company):
    invoice = make_issued(billing_company, customer)
    services.record_payment(
        company=billing_company,
        invoice_id=invoice.pk,
        amount=Decimal("354.40"),
        date=TODAY,
        method="virement",
    )
    assert selectors.invoice_status_lookup(company=billing_company, number=invoice.number) is None
    assert (
        selectors.invoice_status_lookup(company=billing_company, number=invoice.number, postcode="75001")
        is None
    )
    assert (
        selectors.invoice_status_lookup(
            company=billing_company, number=invoice.number, email="pirate@exemple.fr"
        )
        is None
    )
    assert (
        selectors.invoice_status_lookup(
            company=other_company, number=invoice.number, postcode=customer.postal_code
        )
        is None
    )
    view = selectors.invoice_status_lookup(
        company=billing_company, number=invoice.number.lower(), postcode=customer.postal_code
    )
    assert view.status == "Partiellement payée" and view.amount_open == Decimal("2000.00")
    assert view.last_payment_date == TODAY and view.due_date == invoice.due_date
    by_mail = selectors.invoice_status_lookup(
        company=billing_company, number=invoice.number, email=customer.email.upper()
    )
    assert by_mail == view
