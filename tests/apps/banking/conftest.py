"""Fixtures of the banking tests: a company able to invoice, its bank account, open customer and supplier invoices
created through billing's services (never by hand), and a webhook receiver."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.apps.banking.factories import make_account
from tests.apps.billing.factories import make_customer, make_supplier, setup_company


@pytest.fixture(autouse=True)
def _fresh_forecast_cache():
    from etabli.banking.services.forecast import clear_cache

    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def bank_company(company):
    return setup_company(company)


@pytest.fixture
def account(bank_company):
    return make_account(bank_company, name="Compte courant")


def today() -> dt.date:
    return timezone.localdate()


def customer_invoice(company, customer, ht: str | Decimal, *, order_reference: str = ""):
    """An issued customer invoice of `ht` € HT (20 % VAT), due 30 days after today; returns billing's view."""
    from etabli.billing.selectors import open_invoices
    from etabli.billing.services import create_invoice, issue_invoice

    draft = create_invoice(company=company, partner_id=customer.pk, order_reference=order_reference, lines=[
        {"description": "Menuiserie sur mesure", "quantity": Decimal(1), "unit": "u", "unit_price": Decimal(str(ht)),
         "vat_rate": Decimal(20), "item_kind": "service"}])
    invoice = issue_invoice(company=company, invoice_id=draft.pk, render_pdf=False, score=False)
    return next(v for v in open_invoices(company=company) if v.id == invoice.pk)


def supplier_invoice(company, supplier, number: str, ht: str | Decimal, *, due_in: int = 20):
    from etabli.billing.services import create_supplier_invoice

    ht = Decimal(str(ht))
    tva = (ht * Decimal("0.2")).quantize(Decimal("0.01"))
    return create_supplier_invoice(company=company, supplier_id=supplier.pk, number=number,
                                   issue_date=today() - dt.timedelta(days=10), due_date=today() + dt.timedelta(days=due_in),
                                   total_ht=ht, total_tva=tva, total_ttc=ht + tva, vat_breakdown=[(20, ht, tva)])


@pytest.fixture
def customers(bank_company):
    return {
        "dupont": make_customer(bank_company, name="Dupont Construction SARL", payment_terms_days=30),
        "lemoine": make_customer(bank_company, name="Cabinet d'architecture Lemoine", payment_terms_days=30),
        "tilleuls": make_customer(bank_company, name="SCI Les Tilleuls", payment_terms_days=30),
    }


@pytest.fixture
def scierie(bank_company):
    return make_supplier(bank_company, name="Scierie du Val de Loire")


@pytest.fixture
def webhook_receiver():
    """A real HTTP server collecting webhook POSTs (delivered by the Huey task, immediate in tests)."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(json.loads(body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            return

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    server.shutdown()
