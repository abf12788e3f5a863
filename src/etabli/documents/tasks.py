"""Background and periodic tasks of the documents app (Huey). Tasks take ids, never model instances.

- ``process_document_task``: read → understand → propose, for one stored document (queued after intake);
- ``retrain_classifier_task``: retrain one company's classifier after a correction (skipped when nothing
  changed);
- ``documents_intake_tick`` (every minute): recover documents a dead worker left « en cours », take in the
  watched folders, fetch the mailboxes due (every 5 minutes each);
- ``documents_nightly_retrain`` (02:30): retrain every company whose corrections changed.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from etabli.core.context import Actor, acting_as

logger = logging.getLogger(__name__)
JOB_ACTOR = Actor(label="Tâche documents", channel="job")


@db_task()
def process_document_task(document_id: int) -> None:
    from etabli.documents.services.processing import process_document

    with acting_as(JOB_ACTOR):
        process_document(document_id)


@db_task()
def retrain_classifier_task(company_id: int) -> dict:
    from etabli.core.models import Company
    from etabli.documents.services.learning import retrain

    company = Company.objects.filter(pk=company_id).first()
    if company is None:
        return {"retrained": False}
    with acting_as(JOB_ACTOR):
        return retrain(company)


@db_periodic_task(crontab(minute="*"))
def documents_intake_tick() -> dict:
    from etabli.documents.services import folders, mailbox, processing

    result = {}
    with acting_as(JOB_ACTOR):
        for name, step in (("recovered", processing.recover_stale), ("folders", folders.scan_all),
                           ("mailboxes", mailbox.fetch_due_accounts)):
            try:
                result[name] = step()
            except Exception:
                logger.exception("documents intake step %s failed", name)
    return result


@db_periodic_task(crontab(minute="30", hour="2"))
def documents_nightly_retrain() -> int:
    from etabli.core.models import Company
    from etabli.documents.models import Document, DocumentStatus
    from etabli.documents.services.learning import retrain

    count = 0
    companies = (Document.objects.filter(status=DocumentStatus.FILED).order_by()
                 .values_list("company_id", flat=True).distinct())
    with acting_as(JOB_ACTOR):
        for company_id in companies:
            try:
                count += int(retrain(Company.objects.get(pk=company_id))["retrained"])
            except Exception:
                logger.exception("Nightly retraining of company %s failed", company_id)
    return count
