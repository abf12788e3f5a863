"""Background and periodic jobs (Huey). Each task takes ids, never model instances, and scopes by company."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from etabli.core.models import Company, DeliveryStatus, WebhookDelivery

logger = logging.getLogger(__name__)


@db_task(retries=4, retry_delay=30)
def deliver_webhook(delivery_id: int) -> bool:
    from etabli.core.services import webhooks

    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    if delivery.status != DeliveryStatus.PENDING:
        return True
    if not webhooks.deliver(delivery) and delivery.status == DeliveryStatus.PENDING:
        raise RuntimeError(f"Webhook delivery {delivery_id} failed: {delivery.last_error}")  # Huey retries
    return delivery.status == DeliveryStatus.SUCCEEDED


@db_task()
def run_job_task(job_id: int) -> None:
    from etabli.core.services.jobs import run_job

    run_job(job_id)


@db_periodic_task(crontab(minute="0", hour="7"))
def send_daily_digests() -> int:
    """Every morning at 7:00 (server time), one digest per company to its opted-in managers."""
    from etabli.core.services.digest import send_digest

    total = 0
    for company in Company.objects.all():
        try:
            total += send_digest(company=company, now=timezone.now())
        except Exception:  # one company's SMTP problem must not stop the others
            logger.exception("Digest failed for company %s", company.pk)
    return total
