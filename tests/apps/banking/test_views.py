"""The banking pages: upload, CSV columns, imports, lines, accounts, rules, forecast and what-if, spending,
permissions and French error messages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from etabli.banking.models import BankAccount, BankLine, CategoryRule, LineStatus, StatementImport
from tests.apps.banking.conftest import customer_invoice, today
from tests.apps.banking.factories import cfonb_statement, csv_export, make_account, make_iban

pytestmark = pytest.mark.django_db


def text(response) -> str:
    import html

    return html.unescape(response.content.decode()).replace("\u202f", " ").replace("\xa0", " ")


def upload(client, data: bytes, name="releve.txt", account=None):
    payload = {"file": SimpleUploadedFile(name, data)}
    if account is not None:
        payload["account"] = account.pk
    return client.post("/banque/import/", payload, follow=True)


def history_statement(iban: str) -> bytes:
    """Three months of rent, salaries and a customer payment: enough for the spending watch and the forecast."""
    day = today() - dt.timedelta(days=95)
    rows = []
    for month in range(3):
        base = day + dt.timedelta(days=30 * month)
        rows += [{"date": base, "amount": Decimal("-2400.00"), "label": "PRLV SEPA SCI DES ARTISANS LOYER"},
                 {"date": base + dt.timedelta(days=22), "amount": Decimal("-6000.00"), "label": "VIR SALAIRES"},
                 {"date": base + dt.timedelta(days=10), "amount": Decimal("9500.00"), "label": "VIR CLIENT DIVERS"}]
    rows.sort(key=lambda r: r["date"])
    return cfonb_statement(iban, Decimal("20000.00"), rows, start=day, end=rows[-1]["date"])


def test_upload_a_cfonb_statement_in_the_ui(owner_client, bank_company, customers):
    invoice = customer_invoice(bank_company, customers["dupont"], "1000.00")
    iban = make_iban(7001)
    day = today() - dt.timedelta(days=1)
    data = cfonb_statement(iban, Decimal("3000.00"), [
        {"date": day, "amount": Decimal("1200.00"), "label": f"VIR SEPA DUPONT CONSTRUCTION {invoice.number}"},
        {"date": day, "amount": Decimal("-9300.00"), "label": "PRLV SEPA URSSAF PAYS DE LA LOIRE"}], start=day, end=day)
    response = upload(owner_client, data)
    assert response.status_code == 200
    page = text(response)
    assert "Soldes cohérents" in page and "2 opération(s) ajoutée(s)" in page
    assert "1 proposition(s) à valider" in page
    row = StatementImport.objects.get(company=bank_company)
    assert response.redirect_chain[-1][0] == f"/banque/releves/{row.pk}/"
    assert "Cotisations sociales (URSSAF, MSA)" in page and "proposition à valider" in page


def test_a_bad_file_is_refused_with_a_french_message_and_nothing_imported(owner_client, bank_company):
    data = cfonb_statement(make_iban(7002), Decimal(0), [
        {"date": today(), "amount": Decimal("10.00"), "label": "VIR"}], start=today(), end=today())[:-40]
    response = upload(owner_client, data)
    assert response.status_code == 400
    assert "tronqué" in text(response) and "Ligne 3" in text(response)
    assert not BankLine.objects.filter(company=bank_company).exists()


def test_csv_upload_goes_through_the_column_screen(owner_client, bank_company, account):
    data = csv_export([{"date": today(), "amount": Decimal("-80.00"), "label": "CB ESSENCE"},
                       {"date": today(), "amount": Decimal("250.00"), "label": "VIR CLIENT"}])
    response = upload(owner_client, data, name="export.csv", account=account)
    row = StatementImport.objects.get(company=bank_company)
    assert response.redirect_chain[-1][0] == f"/banque/releves/{row.pk}/colonnes/"
    page = text(response)
    assert "CB ESSENCE" in page and "Vérifiez les colonnes devinées" in page
    form = {"delimiter": ";", "decimal": ",", "date_format": "%d/%m/%Y", "encoding": "utf-8", "header_row": "1",
            "col_date": "Date", "col_label": "Libellé", "col_debit": "Débit", "col_credit": "Crédit"}
    # a wrong choice first: the label column as amount → clear message, nothing imported
    bad = owner_client.post(f"/banque/releves/{row.pk}/colonnes/", {**form, "col_debit": "", "col_credit": ""})
    assert "il faut une colonne « montant »" in text(bad)
    assert not BankLine.objects.filter(company=bank_company).exists()
    done = owner_client.post(f"/banque/releves/{row.pk}/colonnes/", form, follow=True)
    assert done.redirect_chain[-1][0] == f"/banque/releves/{row.pk}/"
    assert BankLine.objects.filter(company=bank_company).count() == 2


def test_lines_and_line_detail_category_and_manual_match(owner_client, bank_company, account, customers):
    invoice = customer_invoice(bank_company, customers["lemoine"], "300.00")
    day = today()
    upload(owner_client, cfonb_statement(account.iban, Decimal(0), [
        {"date": day, "amount": Decimal("360.00"), "label": "REMISE CHEQUE N 1234567"},
        {"date": day, "amount": Decimal("-45.00"), "label": "CB BRICO OUEST"}], start=day, end=day))
    assert "REMISE CHEQUE" in text(owner_client.get("/banque/operations/?statut="))
    cheque = BankLine.objects.get(company=bank_company, amount=Decimal("360.00"))
    detail = owner_client.get(f"/banque/operations/{cheque.pk}/")
    assert detail.status_code == 200
    owner_client.post(f"/banque/operations/{cheque.pk}/rapprocher/", {"invoices": invoice.number})
    cheque.refresh_from_db()
    assert cheque.status == LineStatus.MATCHED
    brico = BankLine.objects.get(company=bank_company, amount=Decimal("-45.00"))
    owner_client.post(f"/banque/operations/{brico.pk}/categorie/", {"category": "fournitures", "create_rule": "on",
                                                                    "pattern": "BRICO OUEST"})
    brico.refresh_from_db()
    assert brico.category == "fournitures" and brico.category_confirmed
    assert CategoryRule.objects.filter(company=bank_company, pattern="BRICO OUEST").exists()


def test_accounts_page_refuses_a_wrong_rib_key(owner_client, bank_company):
    from tests.apps.banking.test_imports import iban_with_wrong_rib_key

    response = owner_client.post("/banque/comptes/", {"iban": iban_with_wrong_rib_key(make_iban(7003)), "name": "Pro"})
    assert response.status_code == 400 and "clé RIB" in text(response)
    ok = owner_client.post("/banque/comptes/", {"iban": make_iban(7003), "name": "Pro", "balance": "12 500,00",
                                                "balance_date": "01/11/2026"}, follow=True)
    account = BankAccount.objects.get(company=bank_company)
    assert account.balance == Decimal("12500.00") and "Compte ajouté" in text(ok)
    detail = owner_client.get(f"/banque/comptes/{account.pk}/")
    assert detail.status_code == 200 and account.iban_display in text(detail)
    export = owner_client.get(f"/banque/comptes/{account.pk}/export/?format=cfonb")
    assert export.status_code == 200 and export.content.startswith(b"01")


def test_rules_page_adds_and_deletes_and_reclassifies(owner_client, bank_company, account):
    day = today()
    upload(owner_client, cfonb_statement(account.iban, Decimal(0), [
        {"date": day, "amount": Decimal("-45.00"), "label": "CB BRICO OUEST"}], start=day, end=day))
    response = owner_client.post("/banque/regles/", {"pattern": "brico ouest", "category": "fournitures",
                                                      "direction": "debit"}, follow=True)
    assert "1 opération(s) reclassée(s)" in text(response)
    rule = CategoryRule.objects.get(company=bank_company)
    assert rule.pattern == "BRICO OUEST" and BankLine.objects.get(company=bank_company).category == "fournitures"
    owner_client.post(f"/banque/regles/{rule.pk}/supprimer/")
    assert not CategoryRule.objects.filter(company=bank_company).exists()


def test_forecast_page_what_if_and_threshold(owner_client, bank_company):
    upload(owner_client, history_statement(make_iban(7004)))
    page = owner_client.get("/banque/tresorerie/")
    assert page.status_code == 200
    body = text(page)
    assert 'data-chart="forecast-data"' in body and "Pessimiste" in body and "point bas réaliste" in body
    whatif = owner_client.post("/banque/tresorerie/simulation/", {"mode": "text", "text": "achat véhicule 25 000 € le 15/01"})
    assert whatif.status_code == 200
    assert "Ajout d'une sortie de 25 000,00 €" in text(whatif) and "Point bas réaliste" in text(whatif)
    form = owner_client.post("/banque/tresorerie/simulation/", {"mode": "form", "action": "add", "direction": "-1",
                                                                 "label": "Embauche", "amount": "2 500", "day": "31/12/2026",
                                                                 "monthly": "on"})
    assert form.status_code == 200 and "par mois" in text(form)
    unclear = owner_client.post("/banque/tresorerie/simulation/", {"mode": "text", "text": "acheter un camion"})
    assert unclear.status_code == 400 and "Montant introuvable" in text(unclear)
    owner_client.post("/banque/tresorerie/reglages/", {"cash_threshold": "1 000 000", "holiday_subdivision": ""})
    from etabli.core.models import Alert

    alert = Alert.objects.get(company=bank_company, code="banking:cash:total")
    assert "passera sous 1 000 000 €" in alert.message.replace("\u202f", " ").replace("\xa0", " ")


def test_spending_page_lists_recurring_charges(owner_client, bank_company):
    upload(owner_client, history_statement(make_iban(7005)))
    page = text(owner_client.get("/banque/depenses/"))
    assert "Charges récurrentes détectées" in page and "mensuel" in page and "2 400" in page


def test_overview_imports_and_review_detail_pages(owner_client, bank_company, customers):
    invoice = customer_invoice(bank_company, customers["dupont"], "1000.00")
    account = make_account(bank_company)
    upload(owner_client, cfonb_statement(account.iban, Decimal(0), [
        {"date": today(), "amount": Decimal("1200.00"), "label": f"VIR DUPONT {invoice.number}"}], start=today(), end=today()))
    assert owner_client.get("/banque/").status_code == 200
    assert owner_client.get("/banque/releves/").status_code == 200
    from etabli.core.models import ReviewItem

    item = ReviewItem.objects.get(company=bank_company, kind="banking.match")
    detail = text(owner_client.get(f"/validation/{item.pk}/"))
    assert "Pourquoi cette proposition ?" in detail and invoice.number in detail and "Opération bancaire" in detail
    accepted = owner_client.post(f"/validation/{item.pk}/accepter/", follow=True)
    assert "Proposition acceptée" in text(accepted)
    assert BankLine.objects.get(company=bank_company).status == LineStatus.MATCHED


def test_next_pages_outside_the_site_are_ignored(owner_client, bank_company):
    response = owner_client.post("/banque/operations/confirmer/", {"next": "https://exemple.invalid/piege"})
    assert response.status_code == 302 and response["Location"] == "/banque/operations/"


def test_roles(member_client, bank_company):
    client, _ = member_client("employee")
    assert client.get("/banque/").status_code == 403
    reader, _ = member_client("readonly")
    assert reader.get("/banque/").status_code == 200
    assert reader.post("/banque/import/", {"file": SimpleUploadedFile("r.txt", b"x")}).status_code == 403
    assert reader.post("/banque/tresorerie/reglages/", {"cash_threshold": "5"}).status_code == 403
