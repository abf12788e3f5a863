"""Real browser: the owner turns an accepted quote into an invoice in one click, opens its Factur-X PDF, then
sends the first reminder (the courtesy notice) after reviewing it; a real SMTP server receives it."""

import email
import io

import pytest
from playwright.sync_api import expect
from facturx import get_xml_from_pdf

from etabli.billing import services
from etabli.billing.models import Invoice, Reminder, ReminderStatus
from tests.apps.billing.conftest import smtp_server  # noqa: F401 - the real SMTP server fixture
from tests.apps.billing.factories import make_customer, setup_company
from tests.factories import make_company, make_member, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_invoice_from_quote_then_first_reminder(page, smtp_server):  # noqa: F811
    company = setup_company(make_company("Menuiserie Martin"))
    user = make_user(email="pierre@menuiserie-martin.fr", password="un-mot-de-passe-solide")
    make_member(company, "owner", user=user)
    customer = make_customer(
        company, name="SCI Les Tonneliers", email="compta@tonneliers.fr", payment_terms_days=0
    )
    quote = services.create_quote(
        company=company,
        partner_id=customer.pk,
        title="Fenêtres",
        lines=[
            {
                "description": "Fenêtre bois double vitrage",
                "quantity": 2,
                "unit_price": 890,
                "vat_rate": 20,
                "item_kind": "goods",
            },
            {
                "description": "Pose et ajustage",
                "quantity": 4,
                "unit_price": 52,
                "vat_rate": 20,
                "item_kind": "service",
            },
        ],
    )

    page.goto("/")
    page.get_by_label("Adresse e-mail").fill("pierre@menuiserie-martin.fr")
    page.get_by_label("Mot de passe").fill("un-mot-de-passe-solide")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")

    page.get_by_role("link", name="Devis").first.click()
    page.get_by_role("link", name=quote.number).click()
    page.get_by_role("button", name="Marquer accepté par le client").click()
    page.wait_for_selector("text=Statut du devis mis à jour.")
    page.get_by_role("button", name="Facturer le devis").click()
    page.wait_for_selector("text=émise depuis le devis")
    invoice = Invoice.objects.get(quote=quote)
    expect(page.get_by_role("heading", name=f"Facture {invoice.number}")).to_be_visible()
    assert "2 385,60" in page.locator("main").inner_text().replace("\u202f", " ").replace("\xa0", " ")

    pdf = page.request.get(f"/facturation/factures/{invoice.pk}/pdf/")
    assert pdf.headers["content-type"] == "application/pdf"
    filename, xml = get_xml_from_pdf(io.BytesIO(pdf.body()), check_xsd=True)
    assert filename == "factur-x.xml" and invoice.number.encode() in xml

    page.get_by_role("button", name="Relancer le client").click()
    page.wait_for_selector("text=Rappel de courtoisie avant échéance proposée")
    assert "Pourquoi cette proposition ?" in page.content()
    assert "compta@tonneliers.fr" in page.locator("main").inner_text()
    page.get_by_role("button", name="Accepter avec ces valeurs").click()
    page.wait_for_selector("text=Acceptée")
    reminder = Reminder.objects.get(invoice=invoice)
    assert reminder.status == ReminderStatus.SENT and reminder.level == "courtesy"
    assert len(smtp_server.messages) == 1
    message = email.message_from_bytes(smtp_server.messages[0].content)
    assert smtp_server.messages[0].rcpt_tos == ["compta@tonneliers.fr"]
    assert any(part.get_content_type() == "application/pdf" for part in message.walk())
