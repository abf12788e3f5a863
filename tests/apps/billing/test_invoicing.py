"""Quotes → invoices (one click, deposit then balance), credit notes as the only correction, gapless and
chronological numbering (also under 50 concurrent issues), mandatory mentions, French refusals with nothing
half-written."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from etabli.billing import services
from etabli.billing.errors import BillingError
from etabli.billing.mentions import missing_mentions
from etabli.billing.models import Invoice, InvoiceLine, InvoiceStatus, NumberSequence, QuoteStatus
from etabli.core.models import TimeSaved, WebhookDelivery
from etabli.core.services import webhooks
from tests.apps.billing.factories import (
    LINES,
    make_customer,
    make_draft,
    make_issued,
    make_person,
    setup_company,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_issue_numbers_freezes_and_computes_totals(billing_company, customer):
    invoice = make_issued(billing_company, customer)
    year = TODAY.year
    assert invoice.number == f"FA-{year}-00001" and invoice.status == InvoiceStatus.ISSUED
    assert (invoice.total_ht, invoice.total_tva, invoice.total_ttc) == (
        Decimal("1962.00"),
        Decimal("392.40"),
        Decimal("2354.40"),
    )
    assert invoice.due_date == TODAY + dt.timedelta(days=30)
    assert invoice.buyer["siren"] == customer.siren and invoice.seller["siren"] == billing_company.siren
    assert invoice.operation_category == "mixed"
    assert missing_mentions(invoice) == []
    # the snapshot is frozen: renaming the customer does not change the issued invoice
    services.update_partner(company=billing_company, partner=customer, name="Nouveau nom SAS")
    invoice.refresh_from_db()
    assert invoice.buyer["name"] != "Nouveau nom SAS"


def test_numbers_are_consecutive_per_series_and_year(billing_company, customer):
    first = make_issued(billing_company, customer)
    second = make_issued(billing_company, customer)
    note = services.create_credit_note(
        company=billing_company, invoice_id=first.pk, reason="Erreur de quantité"
    )
    third = make_issued(billing_company, customer)
    year = TODAY.year
    assert [first.number, second.number, third.number] == [
        f"FA-{year}-00001",
        f"FA-{year}-00002",
        f"FA-{year}-00003",
    ]
    assert note.number == f"AV-{year}-00001"
    assert NumberSequence.objects.get(company=billing_company, series="FA", year=year).last_number == 3


def test_numbering_is_chronological(billing_company, customer):
    make_issued(billing_company, customer, issue_date=TODAY)
    draft = make_draft(billing_company, customer)
    with pytest.raises(BillingError) as exc:
        services.issue_invoice(
            company=billing_company, invoice_id=draft.pk, issue_date=TODAY - dt.timedelta(days=3)
        )
    assert "doit rester chronologique" in exc.value.message
    draft.refresh_from_db()
    assert draft.status == InvoiceStatus.DRAFT and draft.number == ""
    with pytest.raises(BillingError, match="futur"):
        services.issue_invoice(
            company=billing_company, invoice_id=draft.pk, issue_date=TODAY + dt.timedelta(days=1)
        )


def test_a_refused_issue_does_not_consume_a_number(billing_company, customer):
    incomplete = make_customer(billing_company, siren="", vat_number="", name="Client sans SIREN")
    draft = make_draft(billing_company, incomplete)
    with pytest.raises(BillingError) as exc:
        services.issue_invoice(company=billing_company, invoice_id=draft.pk)
    assert "SIREN du client (mention obligatoire 2026)" in exc.value.message
    assert not NumberSequence.objects.filter(company=billing_company, series="FA", last_number__gt=0).exists()
    ok = make_issued(billing_company, customer)
    assert ok.number.endswith("-00001")


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_issues_give_fifty_consecutive_numbers(company):
    """The issue's quality bar (run on PostgreSQL by `make test`, and on SQLite too): no gap, no duplicate."""
    setup_company(company)
    customer = make_customer(company)
    drafts = [make_draft(company, customer).pk for _ in range(50)]
    barrier = threading.Barrier(50)
    errors: list[BaseException] = []

    def issue(pk: int) -> None:
        try:
            barrier.wait(timeout=30)
            services.issue_invoice(company=company, invoice_id=pk, render_pdf=False, score=False)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(pk,)) for pk in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    numbers = sorted(Invoice.objects.filter(pk__in=drafts).values_list("sequence_number", flat=True))
    assert numbers == list(range(1, 51))
    assert len(set(Invoice.objects.filter(pk__in=drafts).values_list("number", flat=True))) == 50
    assert NumberSequence.objects.get(company=company, series="FA", year=TODAY.year).last_number == 50


def test_quote_to_invoice_in_one_click(billing_company, customer):
    quote = services.create_quote(
        company=billing_company,
        partner_id=customer.pk,
        lines=LINES,
        title="Fenêtres",
        order_reference="BC-1234",
    )
    assert quote.number == f"DE-{TODAY.year}-00001" and quote.total_ttc == Decimal("2354.40")
    with pytest.raises(BillingError, match="doit d'abord être accepté"):
        services.invoice_from_quote(company=billing_company, quote_id=quote.pk)
    services.set_quote_status(company=billing_company, quote_id=quote.pk, status=QuoteStatus.ACCEPTED)
    invoice = services.invoice_from_quote(company=billing_company, quote_id=quote.pk)
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.INVOICED
    assert invoice.status == InvoiceStatus.ISSUED and invoice.quote_id == quote.pk
    assert invoice.total_ttc == quote.total_ttc and invoice.order_reference == "BC-1234"
    assert [l.description for l in invoice.lines.all()] == [l.description for l in quote.lines.all()]
    assert TimeSaved.objects.filter(company=billing_company, action="billing.invoice_from_quote").count() == 1
    with pytest.raises(BillingError, match="déjà facturé"):
        services.invoice_from_quote(company=billing_company, quote_id=quote.pk)


def test_deposit_then_balance(billing_company, customer):
    lines = [
        *LINES,
        {
            "description": "Rénovation énergétique",
            "quantity": 1,
            "unit_price": Decimal("760"),
            "vat_rate": Decimal("5.5"),
            "item_kind": "goods",
        },
    ]
    quote = services.create_quote(
        company=billing_company, partner_id=customer.pk, lines=lines, title="Rénovation"
    )
    services.set_quote_status(company=billing_company, quote_id=quote.pk, status="accepted")
    deposit = services.deposit_from_quote(company=billing_company, quote_id=quote.pk, percent=Decimal("30"))
    assert deposit.doc_type == "deposit" and deposit.number.startswith("FA-")
    # one line per VAT rate: 30 % of 1 962,00 (20 %) and of 760,00 (5,5 %)
    assert [(l.unit_price, l.vat_rate) for l in deposit.lines.all()] == [
        (Decimal("588.6000"), Decimal("20.00")),
        (Decimal("228.0000"), Decimal("5.50")),
    ]
    assert deposit.lines.first().description.startswith(f"Acompte de 30 % sur devis {quote.number}")
    balance = services.invoice_from_quote(company=billing_company, quote_id=quote.pk)
    deductions = [l for l in balance.lines.all() if l.kind == "deposit_deduction"]
    assert len(deductions) == 2 and all(
        l.quantity == -1 and l.deducted_invoice_id == deposit.pk for l in deductions
    )
    assert deposit.total_ttc + balance.total_ttc == quote.total_ttc
    assert balance.total_ht == quote.total_ht - deposit.total_ht


def test_deposit_percent_must_be_between_0_and_100(billing_company, customer):
    quote = services.create_quote(company=billing_company, partner_id=customer.pk, lines=LINES)
    services.set_quote_status(company=billing_company, quote_id=quote.pk, status="accepted")
    for bad in (Decimal("0"), Decimal("100"), Decimal("-5")):
        with pytest.raises(BillingError, match="entre 0 et 100"):
            services.deposit_from_quote(company=billing_company, quote_id=quote.pk, percent=bad)
    assert not Invoice.objects.filter(quote=quote).exists()


def test_full_credit_note_cancels_the_invoice(billing_company, customer):
    invoice = make_issued(billing_company, customer)
    note = services.create_credit_note(
        company=billing_company, invoice_id=invoice.pk, reason="Commande annulée"
    )
    invoice.refresh_from_db()
    assert note.doc_type == "credit_note" and note.related_invoice_id == invoice.pk
    assert note.total_ttc == invoice.total_ttc and note.amount_open == 0
    assert invoice.status == InvoiceStatus.CANCELLED and invoice.amount_open == 0
    assert missing_mentions(note) == []


def test_partial_credit_note_reduces_what_is_due(billing_company, customer):
    invoice = make_issued(billing_company, customer)
    note = services.create_credit_note(
        company=billing_company,
        invoice_id=invoice.pk,
        reason="Geste commercial",
        lines=[
            {
                "description": "Geste commercial",
                "quantity": 1,
                "unit_price": Decimal("100"),
                "vat_rate": Decimal("20"),
            }
        ],
    )
    invoice.refresh_from_db()
    assert note.total_ttc == Decimal("120.00")
    assert invoice.amount_open == Decimal("2234.40") and invoice.status == InvoiceStatus.PARTIALLY_PAID
    with pytest.raises(BillingError, match="dépasserait le montant de la facture"):
        services.create_credit_note(
            company=billing_company,
            invoice_id=invoice.pk,
            reason="Trop",
            lines=[
                {
                    "description": "Trop",
                    "quantity": 1,
                    "unit_price": Decimal("5000"),
                    "vat_rate": Decimal("20"),
                }
            ],
        )
    with pytest.raises(BillingError, match="quantité négative"):
        services.create_credit_note(
            company=billing_company,
            invoice_id=invoice.pk,
            reason="Négatif",
            lines=[{"description": "x", "quantity": -1, "unit_price": 10, "vat_rate": 20}],
        )
    assert Invoice.objects.filter(doc_type="credit_note").count() == 1


def test_credit_note_on_a_paid_invoice_is_to_refund(billing_company, customer):
    invoice = make_issued(billing_company, customer)
    services.record_payment(
        company=billing_company,
        invoice_id=invoice.pk,
        amount=invoice.total_ttc,
        date=TODAY,
        method="virement",
    )
    note = services.create_credit_note(
        company=billing_company,
        invoice_id=invoice.pk,
        reason="Remise",
        lines=[{"description": "Remise", "quantity": 1, "unit_price": 50, "vat_rate": 20}],
    )
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert note.amount_open == Decimal("60.00") and note.status == InvoiceStatus.ISSUED
    services.record_payment(
        company=billing_company,
        invoice_id=note.pk,
        amount=Decimal("60"),
        date=TODAY,
        method="virement",
        reference="Remboursement",
    )
    note.refresh_from_db()
    assert note.status == InvoiceStatus.PAID


def test_an_issued_invoice_cannot_be_edited_or_deleted(billing_company, customer):
    invoice = make_issued(billing_company, customer)
    before = list(InvoiceLine.objects.filter(invoice=invoice).values_list("description", "net_amount"))
    with pytest.raises(BillingError) as exc:
        services.update_draft_invoice(
            company=billing_company,
            invoice_id=invoice.pk,
            notes="x",
            lines=[{"description": "autre", "quantity": 1, "unit_price": 1, "vat_rate": 20}],
        )
    assert (
        exc.value.message
        == "Une facture émise ne peut plus être modifiée : pour la corriger, établissez un avoir."
    )
    with pytest.raises(BillingError, match="ne se supprime pas"):
        services.delete_draft_invoice(company=billing_company, invoice_id=invoice.pk)
    with pytest.raises(BillingError, match="déjà émise"):
        services.issue_invoice(company=billing_company, invoice_id=invoice.pk)
    assert (
        list(InvoiceLine.objects.filter(invoice=invoice).values_list("description", "net_amount")) == before
    )


@pytest.mark.parametrize(
    "line, message",
    [
        ({"description": "Porte", "quantity": -2, "unit_price": 340, "vat_rate": 20}, "quantité négative"),
        (
            {"description": "Porte", "quantity": 1, "unit_price": -340, "vat_rate": 20},
            "prix unitaire négatif",
        ),
        (
            {"description": "Porte", "quantity": 1, "unit_price": 340, "vat_rate": 19},
            "taux de TVA 19 % inconnu",
        ),
        (
            {"description": "", "quantity": 1, "unit_price": 340, "vat_rate": 20},
            "désignation est obligatoire",
        ),
        ({"description": "Porte", "quantity": "abc", "unit_price": 340, "vat_rate": 20}, "quantité invalide"),
        (
            {
                "description": "Porte",
                "quantity": 1,
                "unit_price": 340,
                "vat_rate": 20,
                "discount_percent": 120,
            },
            "remise doit être comprise entre 0 et 100",
        ),
    ],
)
def test_bad_lines_are_refused_in_french_and_nothing_is_written(billing_company, customer, line, message):
    with pytest.raises(BillingError) as exc:
        services.create_invoice(company=billing_company, partner_id=customer.pk, lines=[LINES[0], line])
    assert message in exc.value.message
    assert Invoice.objects.count() == 0 and InvoiceLine.objects.count() == 0


def test_partner_of_another_company_is_refused(billing_company, other_company):
    stranger = make_customer(other_company)
    with pytest.raises(BillingError) as exc:
        services.create_invoice(company=billing_company, partner_id=stranger.pk, lines=LINES)
    assert exc.value.status == 404 and Invoice.objects.count() == 0


def test_private_customer_invoice_has_no_b2b_indemnity_and_no_siren(billing_company):
    person = make_person(billing_company)
    invoice = make_issued(
        billing_company,
        person,
        lines=[
            {
                "description": "Pose en rénovation",
                "quantity": 4,
                "unit_price": 52,
                "vat_rate": 10,
                "item_kind": "service",
            }
        ],
    )
    assert "indemnity" not in invoice.legal_mentions
    assert "taux légal" in invoice.legal_mentions["penalties"]
    assert invoice.operation_category == "services" and missing_mentions(invoice) == []
    assert invoice.due_date == invoice.issue_date  # paiement à réception


def test_vat_on_debits_and_delivery_address_mentions(billing_company):
    from etabli.core.services.companies import update_company

    update_company(company=billing_company, vat_on_debits=True)
    customer = make_customer(
        billing_company,
        delivery_line1="Chantier résidence Les Mouettes",
        delivery_postal_code="44600",
        delivery_city="Saint-Nazaire",
    )
    invoice = make_issued(
        billing_company,
        customer,
        lines=[
            {"description": "Étude", "quantity": 1, "unit_price": 150, "vat_rate": 20, "item_kind": "service"}
        ],
    )
    assert invoice.vat_on_debits
    assert invoice.legal_mentions["vat_on_debits"] == "Option pour le paiement de la taxe d'après les débits."
    assert invoice.buyer["delivery_line1"] == "Chantier résidence Les Mouettes"
    goods = make_issued(billing_company, customer, lines=[LINES[0]])
    assert goods.vat_on_debits is False  # the option concerns services only


def test_franchise_company_invoices_without_vat_with_the_293b_mention(company):
    setup_company(company, vat_number="", vat_regime="franchise")
    customer = make_customer(company)
    invoice = make_issued(company, customer)
    assert invoice.total_tva == 0 and invoice.total_ttc == invoice.total_ht
    assert invoice.vat_breakdown[0]["category"] == "E"
    assert "293 B" in invoice.legal_mentions["vat_exemption"]
    assert missing_mentions(invoice) == []


def test_issue_emits_invoice_issued_webhook(billing_company, customer, django_capture_on_commit_callbacks):
    webhooks.create_endpoint(
        company=billing_company, url="http://127.0.0.1:9/hook", events=["invoice.issued"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        invoice = make_issued(billing_company, customer)
    delivery = WebhookDelivery.objects.get(company=billing_company, event="invoice.issued")
    assert delivery.payload["data"]["number"] == invoice.number
    assert delivery.payload["data"]["total_ttc"] == "2354.40"
