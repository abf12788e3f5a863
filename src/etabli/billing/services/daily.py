"""The daily billing pass (Huey, every morning before the digest): statuses, alerts, risk, dunning.

- invoices past their due date become "En retard" (`invoice.overdue` is emitted once, on that change);
- an alert 5 days (setting) before the due date of each unpaid invoice — the guide's "le système m'alerte
  5 jours avant l'échéance si un client n'a pas payé" — and one per overdue invoice;
- quotes past their validity expire;
- open invoices are re-scored (late-payment risk, expected payment dates);
- the dunning pass proposes today's reminders in the review queue.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from etabli.billing.models import (
    OPEN_STATUSES,
    Direction,
    DocType,
    Invoice,
    InvoiceStatus,
    Quote,
    QuoteStatus,
)
from etabli.billing.services.documents import invoice_event
from etabli.billing.services.payments import alert_codes
from etabli.billing.services.setup import ensure_settings
from etabli.billing.status import compute_status
from etabli.common.formats import format_date, format_eur
from etabli.core.models import Company, Severity
from etabli.core.services import alerts, audit, webhooks

logger = logging.getLogger(__name__)


@dataclass
class DailyReport:
    became_overdue: int = 0
    due_soon_alerts: int = 0
    overdue_alerts: int = 0
    expired_quotes: int = 0
    scored: int = 0
    reminders: int = 0
    errors: list[str] = field(default_factory=list)


def refresh_invoices(*, company: Company, as_of: dt.date | None = None) -> DailyReport:
    as_of = as_of or timezone.localdate()
    settings = ensure_settings(company)
    report = DailyReport()
    rows = list(
        Invoice.objects.for_company(company).filter(status__in=OPEN_STATUSES).select_related("partner")
    )
    for invoice in rows:
        new_status = compute_status(invoice, as_of)
        if new_status != invoice.status:
            was_overdue = invoice.status == InvoiceStatus.OVERDUE
            with transaction.atomic():
                Invoice.objects.filter(pk=invoice.pk).update(status=new_status)
                invoice.status = new_status
                if (
                    new_status == InvoiceStatus.OVERDUE
                    and not was_overdue
                    and invoice.direction == Direction.CUSTOMER
                ):
                    report.became_overdue += 1
                    webhooks.emit(company=company, event="invoice.overdue", data=invoice_event(invoice))
        if invoice.direction != Direction.CUSTOMER or invoice.doc_type == DocType.CREDIT_NOTE:
            continue
        if invoice.amount_open <= 0 or invoice.due_date is None:
            continue
        due_soon_code, overdue_code = alert_codes(invoice)
        link = reverse("billing:invoice_detail", args=[invoice.pk])
        days = (invoice.due_date - as_of).days
        if 0 <= days <= settings.due_soon_days:
            alerts.raise_alert(
                company=company,
                source="facturation",
                code=due_soon_code,
                severity=Severity.INFO,
                message=(
                    f"Facture {invoice.number} ({invoice.partner.name}, {format_eur(invoice.amount_open)}) à "
                    f"échéance le {format_date(invoice.due_date)} : toujours pas réglée"
                ),
                detail=(
                    f"Risque de retard estimé : {round(invoice.late_probability * 100)} %."
                    if invoice.late_probability is not None
                    else ""
                ),
                due_date=invoice.due_date,
                link_url=link,
                link_label="Voir la facture",
            )
            report.due_soon_alerts += 1
        elif days < 0:
            alerts.resolve(company=company, code=due_soon_code)
            late = -days
            alerts.raise_alert(
                company=company,
                source="facturation",
                code=overdue_code,
                severity=Severity.CRITICAL if late > 30 else Severity.WARNING,
                message=(
                    f"Facture {invoice.number} ({invoice.partner.name}) en retard de {late} jour"
                    f"{'s' if late > 1 else ''} : {format_eur(invoice.amount_open)} restant dus"
                ),
                due_date=invoice.due_date,
                link_url=link,
                link_label="Relancer",
            )
            report.overdue_alerts += 1
    expired = Quote.objects.for_company(company).filter(status=QuoteStatus.SENT)
    for quote in expired:
        if quote.issue_date + dt.timedelta(days=quote.validity_days) < as_of:
            Quote.objects.filter(pk=quote.pk).update(status=QuoteStatus.EXPIRED)
            report.expired_quotes += 1
    if report.became_overdue or report.expired_quotes:
        audit.record(
            action="update",
            company=company,
            model="billing.Invoice",
            object_repr=(
                f"Passe quotidienne : {report.became_overdue} facture(s) en retard, "
                f"{report.expired_quotes} devis expiré(s)"
            ),
            changes={"overdue": report.became_overdue, "expired_quotes": report.expired_quotes},
        )
    return report


def daily_pass(*, company: Company, as_of: dt.date | None = None, dunning: bool = True) -> DailyReport:
    from etabli.billing.services.dunning import run_dunning
    from etabli.billing.services.risk import score_company, set_supplier_expectations

    as_of = as_of or timezone.localdate()
    report = refresh_invoices(company=company, as_of=as_of)
    try:
        report.scored = len(score_company(company=company, as_of=as_of, refit=True))
        set_supplier_expectations(company)
    except Exception as exc:  # a failed score must not block alerts and reminders
        logger.exception("Risk scoring failed for company %s", company.pk)
        report.errors.append(f"Score de risque : {exc.__class__.__name__}")
    if dunning:
        result = run_dunning(company=company, as_of=as_of)
        report.reminders = sum(1 for e in result.entries if e.outcome in ("proposed", "sent_automatically"))
        report.errors += [f"{e.number} : {e.message}" for e in result.entries if e.outcome == "error"]
    return report
