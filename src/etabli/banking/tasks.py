"""Huey tasks of banking. Each takes ids and scopes by company."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from etabli.core.context import Actor, acting_as
from etabli.core.models import Company

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="45", hour="6"))
def banking_daily_pass() -> int:
    """Every morning at 6:45 — after billing's pass (6:30: statuses, expected payment dates) and before the 7:00
    digest: reconcile, watch spending, forecast cash and raise the alerts the digest will carry."""
    from etabli.banking.services.daily import daily_pass

    done = 0
    for company in Company.objects.all():
        try:
            with acting_as(Actor(label="Passe quotidienne banque", channel="job")):
                daily_pass(company=company)
            done += 1
        except Exception:  # one company's failure must not stop the others
            logger.exception("Banking daily pass failed for company %s", company.pk)
    return done
