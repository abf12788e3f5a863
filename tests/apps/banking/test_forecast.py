"""Cash forecast through the app: scenarios, inputs from billing, what-if, alerts via the core, webhooks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from etabli.banking.errors import BankingError
from etabli.banking.models import AnalysisRun
from etabli.banking.services import run_forecast, run_what_if, structured_change, update_settings
from etabli.banking.services.forecast import _expected_dates, forecast_inputs, suggested_threshold
from etabli.core.models import Alert
from tests.apps.banking.conftest import customer_invoice, supplier_invoice, today
from tests.apps.banking.factories import make_account
from tests.apps.banking.history import history_rows, import_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(bank_company, account):
    import_history(bank_company, account, history_rows(14))
    return account


def d(value: str) -> Decimal:
    return Decimal(value)


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_ninety_days_three_ordered_scenarios_per_day(bank_company, history, customers, scierie):
    invoice = customer_invoice(bank_company, customers["dupont"], "10000.00")
    bill = supplier_invoice(bank_company, scierie, "SCI-77", "5000.00", due_in=20)
    payload = run_forecast(company=bank_company, days=90)
    assert len(payload["series"]) == 90
    assert payload["series"][0]["date"] == (today() + dt.timedelta(days=1)).isoformat()
    for day in payload["series"]:
        assert d(day["pessimistic"]) <= d(day["realistic"]) <= d(day["optimistic"])
    flows = {f["reference"]: f for f in payload["flows"]}
    assert flows[invoice.number]["amount"] == "12000.00" and flows[invoice.number]["kind"] == "customer_invoice"
    assert flows[invoice.number]["earliest_date"] <= flows[invoice.number]["date"] <= flows[invoice.number]["latest_date"]
    assert flows[bill.number]["amount"] == "-6000.00" and flows[bill.number]["date"] >= bill.due_date.isoformat()
    assert any(r["name"] for r in payload["recurring"])  # rent, salaries… found in the history
    assert payload["inputs"]["customer_invoices"] == 1 and payload["inputs"]["supplier_invoices"] == 1
    assert AnalysisRun.objects.filter(company=bank_company, kind="forecast").count() == 1


def test_an_invoice_already_on_the_bank_in_a_pending_proposal_is_not_counted_twice(bank_company, history, customers):
    from etabli.banking.services import import_file
    from tests.apps.banking.factories import cfonb_statement

    invoice = customer_invoice(bank_company, customers["dupont"], "10000.00")
    before = forecast_inputs(bank_company)
    assert any(f.reference == invoice.number for f in before.flows)
    import_file(company=bank_company, filename="r.txt", data=cfonb_statement(history.iban, before.balances[history.name], [
        {"date": today(), "amount": Decimal("12000.00"), "label": f"VIR DUPONT {invoice.number}"}], start=today(), end=today()))
    after = forecast_inputs(bank_company)
    assert not any(f.reference == invoice.number for f in after.flows)
    assert after.balances[history.name] == before.balances[history.name] + Decimal("12000.00")


def test_expected_payment_dates_fall_back_on_the_customer_s_own_history():
    due = today() + dt.timedelta(days=10)
    view = SimpleNamespace(expected_payment_date=None, expected_payment_date_optimistic=None,
                           expected_payment_date_pessimistic=None, due_date=due, issue_date=due - dt.timedelta(days=30),
                           partner_id=7)
    late_payer = {7: [18, 20, 22, 25, 30], None: [0, 1, 2, 3, 4, 5, 18, 20, 22, 25, 30]}
    expected, optimistic, pessimistic, source = _expected_dates(view, late_payer, today())
    assert source == "partner" and optimistic <= expected <= pessimistic
    assert 18 <= (expected - due).days <= 25
    # billing's late-payment model wins when it has scored the invoice
    scored = SimpleNamespace(**{**view.__dict__, "expected_payment_date": due + dt.timedelta(days=3),
                                "expected_payment_date_optimistic": due, "expected_payment_date_pessimistic": due + dt.timedelta(days=40)})
    assert _expected_dates(scored, late_payer, today())[3] == "billing"
    # already 20 days late with a history that never was that late: a prudent date from today
    overdue = SimpleNamespace(**{**view.__dict__, "due_date": today() - dt.timedelta(days=40)})
    expected, _, _, source = _expected_dates(overdue, {7: [1, 2, 3]}, today())
    assert expected > today() and source == "default"


def test_cash_alert_with_causes_and_actions_goes_to_the_core_feed_and_webhook(bank_company, history, customers, scierie,
                                                                            webhook_receiver,
                                                                            django_capture_on_commit_callbacks):
    from etabli.core.services import webhooks

    url, received = webhook_receiver
    webhooks.create_endpoint(company=bank_company, url=url, events=["cash.alert"])
    supplier_invoice(bank_company, scierie, "SCI-BIG", "60000.00", due_in=12)
    customer_invoice(bank_company, customers["dupont"], "30000.00")
    update_settings(company=bank_company, cash_threshold=Decimal(10000))
    with django_capture_on_commit_callbacks(execute=True):
        payload = run_forecast(company=bank_company)
    realistic = next(a for a in payload["alerts"] if a["scenario"] == "realistic" and not a["account"])
    assert plain(realistic["message"]).startswith("Votre trésorerie passera sous 10 000 € dans")
    assert "Scierie du Val de Loire" in realistic["message"]
    assert any(c["kind"] == "outflow" and c["reference"] == "SCI-BIG" for c in realistic["causes"])
    assert {a["kind"] for a in realistic["actions"]} >= {"postpone_supplier", "credit_line"}
    alert = Alert.objects.get(company=bank_company, code="banking:cash:total", resolved_at__isnull=True)
    assert alert.severity == "critical" and alert.source == "banque" and alert.link_url == "/banque/tresorerie/"
    assert "Causes :" in alert.detail and "Actions suggérées :" in alert.detail and "Scénario réaliste" in alert.detail
    assert [r["event"] for r in received] == ["cash.alert"]
    assert received[0]["data"]["alerts"][0]["causes"]
    # same forecast again: the alert is updated, not duplicated, and no second webhook
    with django_capture_on_commit_callbacks(execute=True):
        run_forecast(company=bank_company)
    assert Alert.objects.filter(company=bank_company, code="banking:cash:total").count() == 1
    assert len(received) == 1
    # the owner lowers his threshold far below: the alert is resolved
    update_settings(company=bank_company, cash_threshold=Decimal(-1000000))
    run_forecast(company=bank_company)
    alert.refresh_from_db()
    assert alert.resolved_at is not None


def test_the_home_page_shows_the_cash_alert(owner_client, bank_company, history, scierie):
    supplier_invoice(bank_company, scierie, "SCI-BIG", "60000.00", due_in=12)
    update_settings(company=bank_company, cash_threshold=Decimal(10000))
    run_forecast(company=bank_company)
    page = owner_client.get("/").content.decode().replace("\u202f", " ").replace("\xa0", " ")
    assert "Votre trésorerie passera sous 10 000 €" in page


def test_what_if_in_words_and_with_the_form(bank_company, history, customers):
    customer_invoice(bank_company, customers["dupont"], "8000.00")
    day = today() + dt.timedelta(days=30)
    result = run_what_if(company=bank_company, changes=[f"achat véhicule 25 000 € le {day:%d/%m/%Y}"])
    assert result["changes"][0]["amount"] == "-25000.00"
    last_base, last_variant = result["baseline"][-1], result["variant"][-1]
    assert d(last_base["realistic"]) - d(last_variant["realistic"]) == Decimal("25000.00")
    before_day = next(i for i, row in enumerate(result["baseline"]) if row["date"] == (day - dt.timedelta(days=2)).isoformat())
    assert result["baseline"][before_day] == result["variant"][before_day]  # nothing changes before the purchase
    assert "Point bas réaliste" in result["summary"]
    hire = structured_change(action="add", label="Embauche", amount=Decimal(2500), day=day, monthly=True, direction=-1)
    monthly = run_what_if(company=bank_company, changes=[hire])
    assert d(monthly["baseline"][-1]["realistic"]) - d(monthly["variant"][-1]["realistic"]) >= Decimal(5000)
    lost = run_what_if(company=bank_company, changes=["perte du client Dupont"])
    assert d(lost["variant"][-1]["optimistic"]) < d(lost["baseline"][-1]["optimistic"])
    with pytest.raises(BankingError, match="Montant introuvable"):
        run_what_if(company=bank_company, changes=["acheter un camion"])


def test_per_account_series_and_an_overdraft_on_one_account(bank_company, history):
    small = make_account(bank_company, name="Compte travaux", balance=Decimal("500.00"), balance_date=today())
    from etabli.banking.services import import_file
    from tests.apps.banking.factories import cfonb_statement

    # the works account pays a subcontractor every month and receives nothing: it goes overdrawn
    rows = [{"date": today() - dt.timedelta(days=30 * k), "amount": Decimal("-1500.00"), "label": "VIR SOUS TRAITANT TP"}
            for k in range(6, 0, -1)]
    import_file(company=bank_company, filename="t.txt", reconcile=False, data=cfonb_statement(
        small.iban, Decimal("9500.00"), rows, start=rows[0]["date"], end=rows[-1]["date"]))
    payload = run_forecast(company=bank_company)
    assert set(payload["accounts_series"]) == {history.name, small.name}
    account_alerts = [a for a in payload["alerts"] if a["account"] == small.name]
    assert account_alerts and plain(account_alerts[0]["message"]).startswith(f"Le compte « {small.name} » passera sous 0 €")
    assert any(action["kind"] == "transfer" for action in account_alerts[0]["actions"])
    assert Alert.objects.filter(company=bank_company, code=f"banking:cash:account:{small.pk}").exists()


def test_no_account_no_forecast(bank_company):
    with pytest.raises(BankingError, match="Aucun compte bancaire"):
        run_forecast(company=bank_company)


def test_suggested_threshold_is_one_month_of_fixed_charges():
    charges = [{"active": True, "kind": "salary", "period": "monthly", "typical_amount": "-17800.00"},
               {"active": True, "kind": "tax", "period": "quarterly", "typical_amount": "-3000.00"},
               {"active": True, "kind": "other", "period": "monthly", "typical_amount": "-13000.00"},  # purchases
               {"active": False, "kind": "rent", "period": "monthly", "typical_amount": "-2400.00"},   # stopped
               {"active": True, "kind": "income", "period": "monthly", "typical_amount": "4000.00"}]
    assert suggested_threshold(charges) == Decimal(19000)


def test_daily_pass_and_its_periodic_task_stay_within_each_company(bank_company, history, other_company, scierie):
    from etabli.banking.services import daily_pass
    from etabli.banking.tasks import banking_daily_pass

    supplier_invoice(bank_company, scierie, "SCI-BIG", "60000.00", due_in=12)
    other_account = make_account(other_company)
    import_history(other_company, other_account, history_rows(3))
    report = daily_pass(company=bank_company)
    assert report["cash_alerts"] and "reconciliation" in report
    inputs = forecast_inputs(other_company)
    assert list(inputs.balances) == [other_account.name] and not inputs.flows  # nothing of the other company
    assert banking_daily_pass.call_local() >= 2
    assert not Alert.objects.filter(company=other_company, code="banking:cash:total", resolved_at__isnull=True).exists()
