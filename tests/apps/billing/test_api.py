"""Billing API: the whole flow (customer → quote → invoice → PDF → payment → credit note → reminders) and
French 4xx errors `{"error": {...}}` with nothing half-written; company isolation of every id route."""

import base64
import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from etabli.billing.models import Invoice, Partner, Payment
from tests.apps.billing.factories import SIREN, VAT, make_customer, make_issued
from tests.factories import make_company

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DATA = Path(__file__).resolve().parents[4] / "shared" / "datasets" / "invoices" / "facturx"
needs_dataset = pytest.mark.skipif(not DATA.is_dir(), reason="jeu de données facturx absent (../shared/datasets)")


def test_full_flow_through_the_api(api_client, billing_company):
    created = api_client.post(
        "/api/v1/billing/partners",
        {
            "name": "SCI Les Tonneliers",
            "siren": SIREN,
            "vat_number": VAT,
            "email": "compta@tonneliers.fr",
            "address_line1": "4 rue Kervégan",
            "postal_code": "44000",
            "city": "Nantes",
        },
    )
    assert created.status_code == 201, created.content
    partner_id = created.json()["id"]
    product = api_client.post(
        "/api/v1/billing/products",
        {"sku": "esc-hetre", "name": "Escalier hêtre", "unit_price": "4800", "vat_rate": "20"},
    )
    assert product.status_code == 201 and product.json()["sku"] == "ESC-HETRE"
    duplicate = api_client.post(
        "/api/v1/billing/products", {"sku": "ESC-HETRE", "name": "x", "unit_price": "1"}
    )
    assert duplicate.status_code == 422 and "existe déjà" in duplicate.json()["error"]["message"]
    quote = api_client.post(
        "/api/v1/billing/quotes",
        {
            "partner_id": partner_id,
            "title": "Escalier",
            "lines": [
                {
                    "description": "Escalier sur mesure hêtre",
                    "quantity": "1",
                    "unit_price": "4800",
                    "vat_rate": "20",
                }
            ],
        },
    )
    assert quote.status_code == 201 and quote.json()["total_ttc"] == "5760.00"
    quote_id = quote.json()["id"]
    refused = api_client.post(f"/api/v1/billing/quotes/{quote_id}/invoice", {})
    assert refused.status_code == 409 and "doit d'abord être accepté" in refused.json()["error"]["message"]
    assert (
        api_client.post(f"/api/v1/billing/quotes/{quote_id}/status", {"status": "accepted"}).status_code
        == 200
    )
    deposit = api_client.post(f"/api/v1/billing/quotes/{quote_id}/deposit", {"percent": "30"})
    assert deposit.status_code == 201 and deposit.json()["total_ttc"] == "1728.00"
    invoice = api_client.post(f"/api/v1/billing/quotes/{quote_id}/invoice", {})
    assert invoice.status_code == 201
    body = invoice.json()
    assert body["total_ttc"] == "4032.00" and body["status"] == "issued" and len(body["lines"]) == 2
    invoice_id = body["id"]
    pdf = api_client.get(f"/api/v1/billing/invoices/{invoice_id}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    paid = api_client.post(
        f"/api/v1/billing/invoices/{invoice_id}/payments",
        {"amount": "1000", "date": TODAY.isoformat(), "method": "virement", "external_ref": "api-1"},
    )
    assert paid.status_code == 201 and paid.json()["invoice_amount_open"] == "3032.00"
    replay = api_client.post(
        f"/api/v1/billing/invoices/{invoice_id}/payments",
        {"amount": "1000", "date": TODAY.isoformat(), "method": "virement", "external_ref": "api-1"},
    )
    assert replay.status_code == 200 and replay.json()["created"] is False and Payment.objects.count() == 1
    note = api_client.post(
        f"/api/v1/billing/invoices/{invoice_id}/credit-note",
        {
            "reason": "Geste",
            "lines": [
                {"description": "Geste commercial", "quantity": "1", "unit_price": "100", "vat_rate": "20"}
            ],
        },
    )
    assert note.status_code == 201 and note.json()["doc_type"] == "credit_note"
    receivables = api_client.get("/api/v1/billing/receivables").json()
    assert receivables["outstanding"] == "4640.00"  # deposit 1 728 + balance 3 032 − credit note 120
    open_ = api_client.get("/api/v1/billing/open-invoices?kind=customer").json()
    assert {row["id"] for row in open_} == {invoice_id, deposit.json()["id"]}
    dry = api_client.post("/api/v1/billing/remind", {"dry_run": True})
    assert dry.status_code == 200 and dry.json()["dry_run"] is True


@needs_dataset
def test_errors_are_french_4xx_json_and_nothing_is_written(api_client, billing_company):
    bad = api_client.post("/api/v1/billing/partners", {"name": "X", "siren": "123456789"})
    assert bad.status_code == 422
    error = bad.json()["error"]
    assert error["code"] == "invalid" and "pas valide" in error["details"]["siren"]
    assert not Partner.objects.exists()
    customer = make_customer(billing_company)
    negative = api_client.post(
        "/api/v1/billing/invoices",
        {
            "partner_id": customer.pk,
            "lines": [{"description": "Porte", "quantity": "-1", "unit_price": "340", "vat_rate": "20"}],
        },
    )
    assert negative.status_code == 422 and "avoir" in negative.json()["error"]["message"]
    invoice = make_issued(billing_company, customer)
    edit = api_client.patch(f"/api/v1/billing/invoices/{invoice.pk}", {"notes": "x"})
    assert edit.status_code == 409 and edit.json()["error"]["code"] == "issued_invoice_locked"
    assert edit.json()["error"]["message"] == (
        "Une facture émise ne peut plus être modifiée : pour la corriger, établissez un avoir."
    )
    over = api_client.post(
        f"/api/v1/billing/invoices/{invoice.pk}/payments", {"amount": "99999", "date": TODAY.isoformat()}
    )
    assert over.status_code == 409 and over.json()["error"]["code"] == "overpayment"
    missing = api_client.post(f"/api/v1/billing/invoices/{invoice.pk}/payments", {})
    assert missing.status_code == 422 and "obligatoires" in missing.json()["error"]["message"]
    malformed = api_client.post("/api/v1/billing/import", {"filename": "x.xml", "content_base64": "%%%"})
    assert malformed.status_code == 422 and malformed.json()["error"]["code"] == "invalid_base64"
    order = api_client.post(
        "/api/v1/billing/import",
        {
            "filename": "order.xml",
            "direction": "supplier",
            "content_base64": base64.b64encode(
                (DATA / "akretion_fixtures/order-x-basic.xml").read_bytes()
            ).decode(),
        },
    )
    assert order.status_code == 422 and "Order-X" in order.json()["error"]["message"]
    assert Invoice.objects.count() == 1 and not Payment.objects.exists()


@needs_dataset
def test_import_and_scores_through_the_api(api_client, billing_company):
    response = api_client.post(
        "/api/v1/billing/import",
        {
            "filename": "ubl.xml",
            "direction": "supplier",
            "content_base64": base64.b64encode(
                (DATA / "akretion_fixtures/ubl-21-en16931.xml").read_bytes()
            ).decode(),
        },
    )
    assert response.status_code == 200 and response.json()["invoice"]["amount_open"] == "208.03"
    customer = make_customer(billing_company)
    make_issued(billing_company, customer, issue_date=TODAY - dt.timedelta(days=40))
    scores = api_client.get("/api/v1/billing/scores").json()
    assert len(scores) == 1 and scores[0]["score"] == 100 and scores[0]["reasons"]
    terms = api_client.post("/api/v1/billing/credit-terms", {"amount": "15000", "partner_id": customer.pk})
    assert terms.status_code == 200 and "acompte" in terms.json()["explanation"]


def test_other_companies_rows_are_404(api_client, billing_company):
    theirs = make_company("Autre")
    from tests.apps.billing.factories import setup_company

    setup_company(theirs)
    foreign = make_issued(theirs, make_customer(theirs))
    for method, url in (
        ("get", f"/api/v1/billing/invoices/{foreign.pk}"),
        ("get", f"/api/v1/billing/invoices/{foreign.pk}/pdf"),
        ("post", f"/api/v1/billing/invoices/{foreign.pk}/payments"),
        ("post", f"/api/v1/billing/invoices/{foreign.pk}/credit-note"),
        ("get", f"/api/v1/billing/partners/{foreign.partner_id}"),
    ):
        response = getattr(api_client, method)(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"
    assert not Payment.objects.exists()
