"""Builders for every billing model (the core isolation test needs one per model), and helpers to make
realistic billing data in tests through the services (never by hand when a service exists)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from tests.factories import builder

_n = itertools.count(1)

# Valid identifiers (python-stdnum checked): SIREN 732829320 / VAT FR44732829320 (La Poste test number).
SIREN = "732829320"
SIRET = "73282932000074"
VAT = "FR44732829320"


def valid_siren(seed: int) -> str:
    from stdnum.fr import siren

    body = f"{(seed * 7919) % 100000000:08d}"
    for digit in "0123456789":
        if siren.is_valid(body + digit):
            return body + digit
    raise AssertionError


def setup_company(company, **fields):
    """Give a test company the identity an invoice needs (SIREN, address, capital, RCS, VAT)."""
    from etabli.core.services.companies import update_company

    values = dict(
        legal_form="SARL",
        share_capital=Decimal("20000"),
        siren=SIREN,
        siret=SIRET,
        vat_number=VAT,
        rcs_city="Nantes",
        address_line1="12 rue des Artisans",
        postal_code="44300",
        city="Nantes",
        email="contact@menuiserie-test.fr",
        phone="02 40 00 00 00",
    )
    values.update(fields)
    return update_company(company=company, **values)


def make_customer(company, **fields):
    from etabli.billing.services import create_partner

    n = next(_n)
    siren = valid_siren(1000 + n)
    values = dict(
        kind="customer",
        legal_type="company",
        name=f"Client Test {n}",
        siren=siren,
        vat_number="FR" + __import__("stdnum.fr.siren", fromlist=["to_tva"]).to_tva(siren),
        email=f"compta{n}@client-test.fr",
        address_line1=f"{n} rue du Commerce",
        postal_code="44000",
        city="Nantes",
        payment_terms_days=30,
        sector="bâtiment",
    )
    values.update(fields)
    return create_partner(company=company, **values)


def make_person(company, **fields):
    from etabli.billing.services import create_partner

    n = next(_n)
    values = dict(
        kind="customer",
        legal_type="person",
        name=f"Jeanne Dupont {n}",
        email=f"jeanne{n}@exemple.fr",
        address_line1="3 allée des Tilleuls",
        postal_code="44400",
        city="Rezé",
        payment_terms_days=0,
    )
    values.update(fields)
    return create_partner(company=company, **values)


def make_supplier(company, **fields):
    from etabli.billing.services import create_partner

    n = next(_n)
    values = dict(
        kind="supplier",
        legal_type="company",
        name=f"Fournisseur Test {n}",
        siren=valid_siren(5000 + n),
        address_line1="1 zone artisanale",
        postal_code="44800",
        city="Saint-Herblain",
    )
    values.update(fields)
    return create_partner(company=company, **values)


LINES = [
    {
        "description": "Fenêtre bois double vitrage",
        "quantity": Decimal("2"),
        "unit": "u",
        "unit_price": Decimal("890.00"),
        "vat_rate": Decimal("20"),
        "item_kind": "goods",
    },
    {
        "description": "Pose et ajustage",
        "quantity": Decimal("3.5"),
        "unit": "h",
        "unit_price": Decimal("52.00"),
        "vat_rate": Decimal("20"),
        "item_kind": "service",
    },
]


def make_draft(company, customer=None, lines=None, **fields):
    from etabli.billing.services import create_invoice

    customer = customer or make_customer(company)
    return create_invoice(company=company, partner_id=customer.pk, lines=lines or LINES, **fields)


def make_issued(company, customer=None, lines=None, issue_date=None, render_pdf=False, **fields):
    from etabli.billing.services import issue_invoice

    setup_company(company) if not company.siren else None
    draft = make_draft(company, customer, lines, **fields)
    return issue_invoice(company=company, invoice_id=draft.pk, issue_date=issue_date, render_pdf=render_pdf)


# --- Builders for the isolation tests --------------------------------------------------------------------


@builder("billing.Partner")
def _partner(company):
    return make_customer(company)


@builder("billing.Product")
def _product(company):
    from etabli.billing.models import Product

    return Product.objects.create(
        company=company,
        sku=f"ART-{next(_n)}",
        name="Porte",
        unit_price=Decimal("340"),
        vat_rate=Decimal("20"),
    )


@builder("billing.BillingSettings")
def _settings(company):
    from etabli.billing.services.setup import ensure_settings

    return ensure_settings(company)


@builder("billing.NumberSequence")
def _sequence(company):
    from etabli.billing.models import NumberSequence

    return NumberSequence.objects.create(company=company, series=f"T{next(_n)}", year=2026, last_number=3)


@builder("billing.Quote")
def _quote(company):
    from etabli.billing.services import create_quote

    return create_quote(company=company, partner_id=make_customer(company).pk, lines=LINES, title="Fenêtres")


@builder("billing.QuoteLine")
def _quote_line(company):
    return _quote(company).lines.first()


@builder("billing.Invoice")
def _invoice(company):
    return make_draft(company)


@builder("billing.InvoiceLine")
def _invoice_line(company):
    return make_draft(company).lines.first()


@builder("billing.Payment")
def _payment(company):
    from etabli.billing.models import Payment

    invoice = make_draft(company)
    return Payment.objects.create(
        company=company, invoice=invoice, amount=Decimal("10"), date=dt.date(2026, 1, 5), method="virement"
    )


@builder("billing.DunningStep")
def _step(company):
    from etabli.billing.models import DunningStep

    return DunningStep.objects.create(company=company, offset_days=45, level="firm", label="Relance spéciale")


@builder("billing.Reminder")
def _reminder(company):
    from etabli.billing.models import Reminder

    return Reminder.objects.create(
        company=company,
        invoice=make_draft(company),
        level="reminder",
        tone="courteous",
        subject="Relance",
        body="Bonjour",
        scheduled_for=timezone.localdate(),
    )


@builder("billing.SentEmail")
def _sent(company):
    from etabli.billing.models import SentEmail

    return SentEmail.objects.create(company=company, kind="invoice", to="a@b.fr", subject="Facture", body="…")
