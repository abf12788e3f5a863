"""Banking API: import (base64), lines, category and match, rules, forecast and what-if, errors in the platform's
shape, read-only tokens and company isolation of every id."""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal

import pytest

from etabli.banking.models import BankLine, LineStatus
from tests.apps.banking.conftest import customer_invoice, today
from tests.apps.banking.factories import cfonb_statement, make_account, make_iban
from tests.apps.banking.history import history_rows, import_history
from tests.factories import make_company

pytestmark = pytest.mark.django_db


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_import_through_the_api_then_match_and_categorise(api_client, bank_company, customers):
    invoice = customer_invoice(bank_company, customers["dupont"], "1000.00")
    iban = make_iban(9001)
    data = cfonb_statement(iban, Decimal("100.00"), [
        {"date": today(), "amount": Decimal("1200.00"), "label": "REMISE CHEQUE 7712345"},
        {"date": today(), "amount": Decimal("-19.90"), "label": "CB RELAIS ROUTIER A11"}], start=today(), end=today())
    response = api_client.post("/api/v1/banking/statements", {"filename": "r.txt", "content_base64": b64(data)})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["lines_new"] == 2 and body["statements"][0]["balance_status"] == "ok"
    accounts = api_client.get("/api/v1/banking/accounts").json()
    assert accounts[0]["iban"] == iban and Decimal(accounts[0]["current_balance"]) == Decimal("1280.10")
    lines = api_client.get("/api/v1/banking/lines?status=").json()
    assert lines["count"] == 2
    cheque = next(line for line in lines["items"] if line["amount"] == "1200.00")
    matched = api_client.post(f"/api/v1/banking/lines/{cheque['id']}/match", {"invoices": [invoice.number]})
    assert matched.status_code == 200 and matched.json()["status"] == "matched"
    assert matched.json()["matches"][0]["invoice_number"] == invoice.number
    other = next(line for line in lines["items"] if line["amount"] == "-19.90")
    categorised = api_client.post(f"/api/v1/banking/lines/{other['id']}/category", {"category": "receptions"})
    assert categorised.json()["category"] == "receptions" and categorised.json()["pcg_account"] == "6257"
    bad = api_client.post(f"/api/v1/banking/lines/{other['id']}/category", {"category": "n_importe_quoi"})
    assert bad.status_code == 422 and bad.json()["error"]["message"].startswith("Catégorie inconnue")


def test_api_errors_are_french_and_4xx(api_client, bank_company):
    truncated = cfonb_statement(make_iban(9002), Decimal(0), [
        {"date": today(), "amount": Decimal("1.00"), "label": "VIR"}], start=today(), end=today())[:-10]
    response = api_client.post("/api/v1/banking/statements", {"content_base64": b64(truncated)})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_file" and "tronqué" in error["message"] and error["details"]["line_number"] == 3
    assert api_client.post("/api/v1/banking/statements", {"content_base64": "pas du base64 !"}).status_code == 422
    wrong_key = api_client.post("/api/v1/banking/accounts", {"iban": "FR7630004008230000000900110"})
    assert wrong_key.status_code == 422 and "IBAN" in wrong_key.json()["error"]["message"]
    assert not BankLine.objects.filter(company=bank_company).exists()
    assert api_client.get("/api/v1/banking/forecast").json()["error"]["code"] == "no_account"


def test_forecast_what_if_rules_and_settings(api_client, bank_company, account):
    import_history(bank_company, account, history_rows(10))
    forecast = api_client.get("/api/v1/banking/forecast?days=30").json()
    assert len(forecast["series"]) == 30 and set(forecast["series"][0]) == {"date", "pessimistic", "realistic", "optimistic"}
    day = today() + dt.timedelta(days=10)
    whatif = api_client.post("/api/v1/banking/forecast/what-if", {"text": f"achat machine 8 000 € le {day:%d/%m/%Y}"})
    assert whatif.status_code == 200 and whatif.json()["changes"][0]["amount"] == "-8000.00"
    rule = api_client.post("/api/v1/banking/rules", {"pattern": "loyer", "category": "loyer", "direction": "debit"})
    assert rule.status_code == 201 and rule.json()["pattern"] == "LOYER"
    assert api_client.delete(f"/api/v1/banking/rules/{rule.json()['id']}").status_code == 204
    patched = api_client.patch("/api/v1/banking/settings", {"cash_threshold": "15000"})
    assert patched.status_code == 200 and patched.json()["cash_threshold"] == "15000.00"
    spending = api_client.get("/api/v1/banking/spending").json()
    assert spending["recurring"]


def test_read_only_token_and_another_company_s_ids(client, bank_company, owner):
    from etabli.core.services import tokens

    mine = make_account(bank_company)
    theirs_company = make_company("Autre")
    theirs = make_account(theirs_company)
    token = tokens.issue_token(user=owner.user, company=bank_company, name="lecture", read_only=True).plain
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get(f"/api/v1/banking/accounts/{mine.pk}", **auth).status_code == 200
    assert client.get(f"/api/v1/banking/accounts/{theirs.pk}", **auth).status_code == 404
    refused = client.post("/api/v1/banking/reconcile", data="{}", content_type="application/json", **auth)
    assert refused.status_code == 403
    assert BankLine.objects.filter(status=LineStatus.MATCHED).count() == 0
