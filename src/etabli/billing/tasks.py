"""Huey tasks of billing. Each takes ids and scopes by company."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from etabli.core.context import Actor, acting_as
from etabli.core.models import Company

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="30", hour="6"))
def billing_daily_pass() -> int:
    """Every morning at 6:30, before the 7:00 digest: statuses, alerts, risk scores, today's reminders."""
    from etabli.billing.services.daily import daily_pass

    done = 0
    for company in Company.objects.all():
        try:
            with acting_as(Actor(label="Passe quotidienne facturation", channel="job")):
                daily_pass(company=company)
            done += 1
        except Exception:  # one company's failure must not stop the others
            logger.exception("Billing daily pass failed for company %s", company.pk)
    return done


@db_task()
def score_invoices_task(company_id: int, invoice_ids: list[int] | None = None) -> int:
    from etabli.billing.services.risk import score_company

    company = Company.objects.get(pk=company_id)
    with acting_as(Actor(label="Score de risque", channel="job")):
        return len(score_company(company=company, invoice_ids=invoice_ids))
