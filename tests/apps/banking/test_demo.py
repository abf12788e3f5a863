"""The demo company's bank (acceptance): 24 months of lines linked to their invoices, the forecast and its alert
from the CLI, and a CFONB 120 statement of the demo account imported in the UI whose customer payments are
matched to their invoices."""

from __future__ import annotations

import json
import random
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from etabli.banking.models import AnalysisRun, BankAccount, BankLine, LineStatus
from etabli.core.models import ReviewItem, ReviewStatus
from tests.apps.banking.factories import cfonb_statement


def load_bank_demo():
    """The demo company with only the parts banking needs (billing then banking loaders), as `etabli demo` does."""
    from etabli.core.demo.dataset import generate
    from etabli.core.registry import registry
    from etabli.core.services import companies

    dataset = generate(seed=1, today=timezone.localdate())
    c = dataset.company
    company = companies.create_company(
        legal_name=c.legal_name, slug=c.slug, trade_name=c.trade_name, legal_form=c.legal_form,
        share_capital=c.share_capital, siren=c.siren, siret=c.siret, vat_number=c.vat_number, rcs_city=c.rcs_city,
        naf_code=c.naf_code, address_line1=c.address_line1, postal_code=c.postal_code, city=c.city, email=c.email,
        is_demo=True)
    for _order, name, loader in registry.demo_loaders:
        if name in ("facturation", "banque"):
            loader(company=company, dataset=dataset, stdout=None)
    return company, dataset


def demo_label(rng: random.Random, view) -> str:
    """The ways the demo's customers' banks write a transfer (see the demo dataset): with the number, its digits,
    the order reference, or nothing but the name."""
    name = view.partner_name.upper()
    style = rng.random()
    if style < 0.4:
        return f"VIR SEPA {name} {view.number}"
    if style < 0.7:
        return f"VIR {name[:18]} FACT {view.number.split('-')[-1].lstrip('0')}"
    if style < 0.85 and view.references:
        return f"VIREMENT DE {name} REF {view.references[0]}"
    return f"VIR INST {name[:24]}"


@pytest.mark.django_db(transaction=True)
def test_demo_history_forecast_cli_and_its_alert(run_cli):
    company, dataset = load_bank_demo()
    account = BankAccount.objects.get(company=company)
    assert account.iban == dataset.company.iban.replace(" ", "")
    lines = BankLine.objects.filter(company=company)
    assert lines.count() == len(dataset.bank_lines)
    paid = sum(1 for b in dataset.bank_lines if b.kind in ("customer_payment", "supplier_payment"))
    assert lines.filter(status=LineStatus.MATCHED).count() == paid
    assert lines.filter(status=LineStatus.CATEGORISED, category="salaires").exists()
    assert lines.filter(category="virement_interne").count() == sum(1 for b in dataset.bank_lines if b.kind == "savings")
    assert AnalysisRun.objects.filter(company=company, kind="forecast").exists()

    result = run_cli("banking", "forecast", "--company", company.slug, "--days", "90", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert len(payload["series"]) == 90
    assert all({"pessimistic", "realistic", "optimistic"} <= set(day) for day in payload["series"])
    total = [alert for alert in payload["alerts"] if not alert["account"]]
    assert total, "the demo's tight month must raise a cash alert at the demo owner's threshold"
    alert = total[0]
    assert alert["causes"] and alert["actions"]
    assert any(cause["kind"] == "outflow" for cause in alert["causes"])
    assert any(cause["kind"] == "late_inflow" for cause in alert["causes"])


@pytest.mark.django_db
def test_a_cfonb_statement_of_the_demo_account_is_matched_in_the_ui(client):
    from etabli.billing.selectors import open_invoices
    from tests.factories import make_member

    company, _dataset = load_bank_demo()
    account = BankAccount.objects.get(company=company)
    owner = make_member(company, "owner")
    client.force_login(owner.user)
    rng = random.Random(7)
    views = [v for v in open_invoices(company=company, kind="customer")][:8]
    day = timezone.localdate() + timezone.timedelta(days=1)  # tomorrow's statement: today's demo lines are known
    rows = [{"date": day, "amount": v.amount_open, "label": demo_label(rng, v)} for v in views]
    rows.append({"date": day, "amount": Decimal("-38.90"), "label": "FRAIS TENUE DE COMPTE ET CB"})
    from etabli.banking.selectors import balance_on

    opening, _ = balance_on(account, day - timezone.timedelta(days=1))
    data = cfonb_statement(account.iban, opening, rows, start=day, end=day)
    response = client.post("/banque/import/", {"file": SimpleUploadedFile("releve-du-jour.txt", data)}, follow=True)
    assert response.status_code == 200
    assert "Soldes cohérents" in response.content.decode()

    proposals = {int(item.payload["line_id"]): item for item in ReviewItem.objects.filter(
        company=company, kind__startswith="banking.match", status=ReviewStatus.PENDING)}
    new_lines = BankLine.objects.filter(company=company, statement__statement_import__filename="releve-du-jour.txt",
                                        amount__gt=0)
    expected = {line.pk: view.number for line, view in zip(new_lines.order_by("id"), views, strict=True)}
    right = sum(1 for line_id, number in expected.items()
                if line_id in proposals and [a["number"] for a in proposals[line_id].payload["allocations"]] == [number])
    assert right == len(views), f"{right}/{len(views)} customer payments proposed with their invoice"
    fee = BankLine.objects.get(company=company, statement__statement_import__filename="releve-du-jour.txt",
                               amount=Decimal("-38.90"))
    assert fee.category == "frais_bancaires"

    ids = [item.pk for item in proposals.values()]
    client.post("/validation/lot/", {"items": ids})
    open_numbers = {v.number for v in open_invoices(company=company, kind="customer")}
    assert not open_numbers & {v.number for v in views}
    assert new_lines.filter(status=LineStatus.MATCHED).count() == len(views)

    # « tomorrow's statement » the CLI writes for trying the import by hand is a valid CFONB 120 of the account
    from etabli.banking.services.demo import demo_statement
    from etabli.engines.statements import check_balance, parse_cfonb120

    [parsed] = parse_cfonb120(demo_statement(company=company, account=account, count=3))
    assert parsed.account_iban == account.iban and len(parsed.lines) == 3 and check_balance(parsed).ok
