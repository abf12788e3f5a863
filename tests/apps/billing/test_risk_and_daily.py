"""Late-payment risk through the scoring engine (cold start, overdue, reasons, expected payment dates),
credit terms for a large request (guide ch. 10.3), the daily pass (alerts 5 days before the due date and
when overdue, `invoice.overdue`, expired quotes) and `etabli billing score`."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from etabli.billing import selectors, services
from etabli.billing.errors import BillingError
from etabli.billing.models import Invoice, InvoiceStatus, Quote
from etabli.billing.services.daily import daily_pass, refresh_invoices
from etabli.billing.services.risk import score_company, suggest_terms
from etabli.core.models import AIDecision, Alert, WebhookDelivery
from etabli.core.services import webhooks
from tests.apps.billing.factories import make_customer, make_issued

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def issued(company, customer, days_ago, terms=30):
    return make_issued(
        company, customer, issue_date=TODAY - dt.timedelta(days=days_ago), payment_terms_days=terms
    )


def test_cold_start_scores_with_priors_and_says_so(billing_company):
    customer = make_customer(billing_company, sector="hôtellerie")
    first = issued(billing_company, customer, 10)
    second = issued(billing_company, customer, 2)
    results = {r.id: r for r in score_company(company=billing_company)}
    assert set(results) == {first.pk, second.pk}
    for result in results.values():
        assert 0 < result.probability < 1 and 0 <= result.score <= 100
        assert result.status == "insufficient_history"
        assert (
            "pas assez d'historique : estimation à partir du secteur, du montant et du délai"
            in result.reasons
        )
        assert (
            result.expected_payment_date_optimistic
            <= result.expected_payment_date
            <= result.expected_payment_date_pessimistic
        )
    stored = Invoice.objects.get(pk=first.pk)
    assert stored.risk_score == results[first.pk].score and stored.risk_reasons == list(
        results[first.pk].reasons
    )
    view = next(v for v in selectors.open_invoices(company=billing_company) if v.id == first.pk)
    assert view.late_probability == pytest.approx(results[first.pk].probability)
    assert view.expected_payment_date == results[first.pk].expected_payment_date
    assert AIDecision.objects.filter(company=billing_company, use_case="billing.risk").exists()


def test_invoice_is_scored_at_issue_time(billing_company, customer):
    invoice = make_issued(billing_company, customer)
    assert invoice.late_probability is not None and invoice.expected_payment_date is not None
    decision = AIDecision.objects.filter(company=billing_company, use_case="billing.risk").latest(
        "created_at"
    )
    assert decision.output["number"] == invoice.number and decision.explanation


def test_overdue_invoice_is_certain_to_be_late(billing_company, customer):
    late = issued(billing_company, customer, 50)
    result = next(r for r in score_company(company=billing_company) if r.id == late.pk)
    assert (result.probability, result.score, result.status) == (1.0, 100, "overdue")
    assert result.reasons[0] == "échéance dépassée de 20 jours"
    assert result.expected_payment_date > TODAY


def test_credit_terms_for_a_new_customer_asking_a_large_credit(billing_company, customer):
    issued(billing_company, customer, 5)
    newcomer = make_customer(billing_company, sector="commerce", customer_since=TODAY)
    advice = suggest_terms(
        company=billing_company, partner_id=newcomer.pk, amount=Decimal("15000"), requested_term_days=60
    )
    assert advice.deposit_percent > 0 and advice.term_days <= 60
    assert "d'acompte" in advice.explanation and advice.explanation.endswith(".")
    assert advice.history_status.startswith("pas assez d'historique")
    decision = AIDecision.objects.filter(company=billing_company, use_case="billing.risk").latest(
        "created_at"
    )
    assert decision.explanation == [advice.explanation]
    with pytest.raises(BillingError, match="positif"):
        suggest_terms(company=billing_company, partner_id=newcomer.pk, amount=Decimal("-1"))


def test_daily_pass_raises_due_soon_and_overdue_alerts_once(
    billing_company, customer, django_capture_on_commit_callbacks
):
    soon = issued(billing_company, customer, 25)  # due in 5 days
    late = issued(billing_company, customer, 0, terms=0)
    Invoice.objects.filter(pk=late.pk).update(
        due_date=TODAY - dt.timedelta(days=3), status=InvoiceStatus.ISSUED
    )
    webhooks.create_endpoint(
        company=billing_company, url="http://127.0.0.1:9/hook", events=["invoice.overdue"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = daily_pass(company=billing_company, dunning=False)
        again = refresh_invoices(company=billing_company)
    assert report.became_overdue == 1 and again.became_overdue == 0
    assert Invoice.objects.get(pk=late.pk).status == InvoiceStatus.OVERDUE
    due_soon = Alert.objects.get(company=billing_company, code=f"billing:due-soon:{soon.pk}")
    assert due_soon.severity == "info" and "toujours pas réglée" in due_soon.message
    assert due_soon.due_date == soon.due_date and due_soon.link_url == f"/facturation/factures/{soon.pk}/"
    overdue = Alert.objects.get(company=billing_company, code=f"billing:overdue:{late.pk}")
    assert "en retard de 3 jours" in overdue.message and overdue.severity == "warning"
    assert Alert.objects.filter(company=billing_company, resolved_at__isnull=True).count() == 2
    assert WebhookDelivery.objects.filter(company=billing_company, event="invoice.overdue").count() == 1
    assert report.scored == 2


def test_sent_quotes_expire_after_their_validity(billing_company, customer):
    quote = services.create_quote(
        company=billing_company,
        partner_id=customer.pk,
        issue_date=TODAY - dt.timedelta(days=40),
        validity_days=30,
        lines=[{"description": "Porte", "quantity": 1, "unit_price": 340, "vat_rate": 20}],
    )
    services.set_quote_status(company=billing_company, quote_id=quote.pk, status="sent")
    refresh_invoices(company=billing_company)
    assert Quote.objects.get(pk=quote.pk).status == "expired"


def test_cli_score_lists_every_open_invoice(billing_company, customer, run_cli):
    first = issued(billing_company, customer, 40)
    second = issued(billing_company, customer, 3)
    result = run_cli("billing", "score", "--company", billing_company.slug, "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["count"] == 2
    rows = {row["id"]: row for row in payload["invoices"]}
    assert set(rows) == {first.pk, second.pk}
    for row in rows.values():
        assert {"id", "number", "probability", "score", "expected_payment_date", "reasons"} <= set(row)
        assert row["reasons"] and 0 <= row["probability"] <= 1
    assert rows[first.pk]["score"] == 100 and rows[first.pk]["reasons"][0] == "échéance dépassée de 10 jours"
