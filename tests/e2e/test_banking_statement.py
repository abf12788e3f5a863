"""Real browser: the owner imports a CFONB 120 statement, sees the balance check, opens the match the AI proposes
(confidence and reasons) and validates it; the invoice is then paid in billing. Then the forecast page draws its
three-scenario band."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from django.utils import timezone

from etabli.banking.models import BankLine, LineStatus
from etabli.billing.selectors import open_invoices
from tests.apps.banking.conftest import customer_invoice
from tests.apps.banking.factories import cfonb_statement, make_account
from tests.apps.billing.factories import make_customer, setup_company
from tests.factories import make_company, make_member, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_import_a_statement_and_validate_the_suggested_match(page):
    company = setup_company(make_company("Menuiserie Martin"))
    user = make_user(email="pierre@menuiserie-martin.fr", password="un-mot-de-passe-solide")
    make_member(company, "owner", user=user)
    customer = make_customer(company, name="Atlantique Habitat", payment_terms_days=45)
    invoice = customer_invoice(company, customer, "2450.00")  # 2 940 € TTC
    account = make_account(company, name="Compte courant")
    day = timezone.localdate() - dt.timedelta(days=1)
    statement = cfonb_statement(account.iban, Decimal("18250.00"), [
        {"date": day, "amount": Decimal("2940.00"), "label": f"VIR SEPA ATLANTIQUE HABITAT FACT {invoice.number.split('-')[-1]}"},
        {"date": day, "amount": Decimal("-2400.00"), "label": "PRLV SEPA SCI DES ARTISANS LOYER"}], start=day, end=day)

    page.goto("/")
    page.get_by_label("Adresse e-mail").fill("pierre@menuiserie-martin.fr")
    page.get_by_label("Mot de passe").fill("un-mot-de-passe-solide")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")

    page.get_by_role("link", name="Banque et rapprochement").click()
    page.get_by_role("link", name="Importer un relevé").first.click()
    page.get_by_label("Relevé bancaire").set_input_files(
        files=[{"name": "releve.txt", "mimeType": "text/plain", "buffer": statement}])
    page.get_by_role("button", name="Importer le relevé").click()
    page.wait_for_selector("text=Soldes cohérents")
    main = page.locator("main").inner_text().replace("\u202f", " ").replace("\xa0", " ")
    assert "2 opération(s) ajoutée(s)" in main and "1 proposition(s) à valider" in main
    assert "Loyer et charges locatives (613)" in main

    page.get_by_role("link", name="proposition à valider").click()
    expect(page.get_by_role("heading", name="Pourquoi cette proposition ?")).to_be_visible()
    detail = page.locator("main").inner_text()
    assert invoice.number in detail and "Atlantique Habitat" in detail and "confiance" in detail
    page.get_by_role("button", name="Accepter avec ces valeurs").click()
    page.wait_for_selector("text=Proposition acceptée")

    line = BankLine.objects.get(company=company, amount=Decimal("2940.00"))
    assert line.status == LineStatus.MATCHED and line.matched_partner_name == "Atlantique Habitat"
    assert invoice.id not in {v.id for v in open_invoices(company=company)}

    page.get_by_role("link", name="Trésorerie prévue").first.click()
    page.wait_for_selector("canvas#forecast-chart")
    page.wait_for_function("document.querySelector('canvas#forecast-chart').dataset.ready === '1'")
    expect(page.get_by_text("trésorerie aujourd'hui")).to_be_visible()
