"""Billing pages: every page renders for the owner, forms refuse bad input in French without writing,
issuing and correcting go through the services, roles are enforced, the PDF is served, e-mails are sent
through a real SMTP server and logged."""

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from etabli.billing import services
from etabli.billing.models import Invoice, InvoiceStatus, Partner, Product, Quote, SentEmail
from tests.apps.billing.factories import LINES, make_draft, make_issued, make_supplier

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DATA = Path(__file__).resolve().parents[4] / "shared" / "datasets" / "invoices" / "facturx"
needs_dataset = pytest.mark.skipif(not DATA.is_dir(), reason="jeu de données facturx absent (../shared/datasets)")


def lines_post(lines, prefix="lignes"):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(lines)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, line in enumerate(lines):
        for key, value in line.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


@pytest.fixture
def owner_billing(owner_client, billing_company):
    return owner_client


def test_every_page_renders(owner_billing, billing_company, customer):
    invoice = make_issued(billing_company, customer, render_pdf=True)
    draft = make_draft(billing_company, customer)
    quote = services.create_quote(
        company=billing_company, partner_id=customer.pk, lines=LINES, title="Fenêtres"
    )
    supplier = make_supplier(billing_company)
    product = Product.objects.create(
        company=billing_company, sku="PORTE", name="Porte", unit_price=Decimal("340")
    )
    pages = {
        "/facturation/": "Encours et risques",
        "/facturation/tiers/": customer.name,
        "/facturation/tiers/nouveau/": "Nouveau client ou fournisseur",
        f"/facturation/tiers/{customer.pk}/": "Demande de crédit",
        f"/facturation/tiers/{supplier.pk}/": supplier.name,
        "/facturation/catalogue/": "PORTE",
        f"/facturation/catalogue/{product.pk}/": "Porte",
        "/facturation/devis/": quote.number,
        "/facturation/devis/nouveau/": "Nouveau devis",
        f"/facturation/devis/{quote.pk}/": "Marquer accepté",
        f"/facturation/devis/{quote.pk}/modifier/": "Lignes",
        "/facturation/factures/": invoice.number,
        "/facturation/factures/?sens=supplier": "Achats",
        "/facturation/factures/nouvelle/": "Nouvelle facture",
        f"/facturation/factures/{invoice.pk}/": "Ouvrir le PDF",
        f"/facturation/factures/{draft.pk}/": "Émettre la facture",
        f"/facturation/factures/{draft.pk}/modifier/": "Modifier le brouillon",
        f"/facturation/factures/{invoice.pk}/avoir/": "Établir un avoir",
        "/facturation/factures/import/": "Importer une facture électronique",
        "/facturation/reglements/": "Règlements",
        "/facturation/relances/": "Séquence",
    }
    for url, text in pages.items():
        response = owner_billing.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), f"{text!r} absent de {url}"
    pdf = owner_billing.get(f"/facturation/factures/{invoice.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert owner_billing.get(f"/facturation/devis/{quote.pk}/pdf/").content.startswith(b"%PDF")


def test_create_customer_with_invalid_siren_shows_the_french_error(owner_billing):
    response = owner_billing.post(
        "/facturation/tiers/nouveau/",
        {
            "kind": "customer",
            "legal_type": "company",
            "name": "SCI Test",
            "siren": "123456789",
            "country": "FR",
            "payment_terms_days": "30",
            "preferred_channel": "email",
            "tone": "auto",
        },
    )
    assert response.status_code == 200
    assert (
        "Le SIREN « 123456789 » n&#x27;est pas valide (clé de contrôle incorrecte)."
        in response.content.decode()
    )
    assert not Partner.objects.exists()


def test_quote_to_invoice_through_the_pages(owner_billing, billing_company, customer):
    response = owner_billing.post(
        "/facturation/devis/nouveau/",
        {
            "partner": customer.pk,
            "title": "Fenêtres",
            "issue_date": TODAY.isoformat(),
            "validity_days": "30",
            **lines_post(
                [
                    {
                        "description": "Fenêtre bois",
                        "quantity": "2",
                        "unit_price": "890,00",
                        "vat_rate": "20",
                        "unit": "u",
                    },
                    {"description": "", "quantity": "", "unit_price": ""},
                ]
            ),
        },
    )
    quote = Quote.objects.get()
    assert response.status_code == 302 and response.url == f"/facturation/devis/{quote.pk}/"
    assert quote.total_ttc == Decimal("2136.00") and quote.lines.count() == 1
    owner_billing.post(f"/facturation/devis/{quote.pk}/statut/", {"status": "accepted"})
    response = owner_billing.post(f"/facturation/devis/{quote.pk}/facturer/")
    invoice = Invoice.objects.get(quote=quote)
    assert response.url == f"/facturation/factures/{invoice.pk}/" and invoice.status == InvoiceStatus.ISSUED
    page = owner_billing.get(response.url).content.decode()
    assert f"Facture {invoice.number} émise depuis le devis {quote.number}" in page


def test_bad_lines_are_refused_in_the_form(owner_billing, customer):
    response = owner_billing.post(
        "/facturation/factures/nouvelle/",
        {
            "partner": customer.pk,
            **lines_post([{"description": "Porte", "quantity": "-1", "unit_price": "340", "vat_rate": "20"}]),
        },
    )
    assert response.status_code == 200
    assert (
        "quantité négative. Pour corriger une facture émise, établissez un avoir."
        in response.content.decode()
    )
    assert not Invoice.objects.exists()


def test_issue_draft_then_editing_is_refused(owner_billing, billing_company, customer):
    draft = make_draft(billing_company, customer)
    response = owner_billing.post(
        f"/facturation/factures/{draft.pk}/emettre/", {"issue_date": TODAY.isoformat()}
    )
    draft.refresh_from_db()
    assert response.status_code == 302 and draft.status == InvoiceStatus.ISSUED and draft.pdf_sha256
    response = owner_billing.get(f"/facturation/factures/{draft.pk}/modifier/", follow=True)
    assert (
        "Une facture émise ne peut plus être modifiée : pour la corriger, établissez un avoir."
        in response.content.decode()
    )
    response = owner_billing.post(
        f"/facturation/factures/{draft.pk}/modifier/",
        {
            "partner": customer.pk,
            **lines_post([{"description": "Autre", "quantity": "1", "unit_price": "1", "vat_rate": "20"}]),
        },
        follow=True,
    )
    assert draft.lines.count() == 2


def test_payment_and_overpayment_through_the_page(owner_billing, billing_company, customer):
    invoice = make_issued(billing_company, customer)
    response = owner_billing.post(
        f"/facturation/factures/{invoice.pk}/reglement/",
        {"amount": "3 000,00", "date": TODAY.isoformat(), "method": "virement"},
        follow=True,
    )
    assert "dépasse le reste dû" in response.content.decode() and not invoice.payments.exists()
    owner_billing.post(
        f"/facturation/factures/{invoice.pk}/reglement/",
        {"amount": "354,40", "date": TODAY.isoformat(), "method": "cheque", "reference": "Chèque 42"},
    )
    invoice.refresh_from_db()
    assert invoice.amount_open == Decimal("2000.00") and invoice.status == InvoiceStatus.PARTIALLY_PAID


def test_full_credit_note_through_the_page(owner_billing, billing_company, customer):
    invoice = make_issued(billing_company, customer)
    response = owner_billing.post(
        f"/facturation/factures/{invoice.pk}/avoir/",
        {"mode": "full", "reason": "Commande annulée", **lines_post([])},
    )
    note = Invoice.objects.get(doc_type="credit_note")
    assert response.url == f"/facturation/factures/{note.pk}/"
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CANCELLED


def test_send_invoice_by_email_through_real_smtp(owner_billing, billing_company, customer, smtp_server):
    invoice = make_issued(billing_company, customer)
    owner_billing.post(f"/facturation/factures/{invoice.pk}/envoyer/", {"to": "comptabilite@client.fr"})
    assert len(smtp_server.messages) == 1 and smtp_server.messages[0].rcpt_tos == ["comptabilite@client.fr"]
    assert f"facture-{invoice.number}.pdf".encode() in smtp_server.messages[0].content
    log = SentEmail.objects.get(invoice=invoice)
    assert log.ok and log.subject.startswith(f"Facture {invoice.number}")
    invoice.refresh_from_db()
    assert invoice.sent_at is not None
    page = owner_billing.get(f"/facturation/factures/{invoice.pk}/").content.decode()
    assert "comptabilite@client.fr" in page


def test_smtp_failure_is_logged_and_reported(owner_billing, billing_company, customer, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    invoice = make_issued(billing_company, customer)
    response = owner_billing.post(
        f"/facturation/factures/{invoice.pk}/envoyer/", {"to": "a@b.fr"}, follow=True
    )
    assert "L&#x27;e-mail n&#x27;a pas pu être envoyé" in response.content.decode()
    log = SentEmail.objects.get(invoice=invoice)
    assert not log.ok and log.error


@needs_dataset
def test_import_page(owner_billing, billing_company):
    data = (DATA / "fnfe/Facture_FR_BASICWL.pdf").read_bytes()
    upload = io.BytesIO(data)
    upload.name = "Facture_FR_BASICWL.pdf"
    response = owner_billing.post("/facturation/factures/import/", {"file": upload, "direction": "supplier"})
    invoice = Invoice.objects.get(number="FA-2017-0010")
    assert response.url == f"/facturation/factures/{invoice.pk}/"
    bad = io.BytesIO(b"<x/>")
    bad.name = "x.xml"
    response = owner_billing.post("/facturation/factures/import/", {"file": bad, "direction": "supplier"})
    assert "Format XML non reconnu" in response.content.decode()


def test_dunning_settings_and_credit_terms_pages(owner_billing, billing_company, customer):
    response = owner_billing.post(
        "/facturation/relances/",
        {
            "action": "settings",
            "invoice_prefix": "FA",
            "credit_note_prefix": "AV",
            "quote_prefix": "DE",
            "default_payment_terms_days": "30",
            "quote_validity_days": "30",
            "default_deposit_percent": "30",
            "ecb_rate": "2,40",
            "penalty_margin_points": "10",
            "recovery_indemnity": "30",
            "early_payment_discount_text": "Pas d'escompte.",
            "due_soon_days": "5",
            "min_reminder_amount": "1",
        },
    )
    assert "ne peut pas être inférieure à 40" in response.content.decode()
    make_issued(billing_company, customer, issue_date=TODAY - dt.timedelta(days=3))
    response = owner_billing.post(
        f"/facturation/tiers/{customer.pk}/credit/", {"amount": "15000", "requested_term_days": "60"}
    )
    assert response.status_code == 200 and "Score de risque" in response.content.decode()


def test_readonly_member_cannot_write(member_client, billing_company, customer):
    client, _ = member_client("readonly")
    invoice = make_issued(billing_company, customer)
    assert client.get("/facturation/factures/").status_code == 200
    assert client.get("/facturation/factures/nouvelle/").status_code == 403
    assert (
        client.post(
            f"/facturation/factures/{invoice.pk}/reglement/",
            {"amount": "1", "date": TODAY.isoformat(), "method": "virement"},
        ).status_code
        == 403
    )
    assert not invoice.payments.exists()
    employee, _ = member_client("employee")
    assert employee.get("/facturation/").status_code == 403
