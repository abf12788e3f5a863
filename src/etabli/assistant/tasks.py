"""Periodic jobs of the assistant (Huey): nightly purge of conversations past their retention (RGPD)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="30", hour="3"))
def purge_conversations() -> int:
    from etabli.assistant.models import AssistantProfile
    from etabli.assistant.services import purge_old_conversations

    total = 0
    for profile in AssistantProfile.objects.select_related("company"):
        try:
            total += purge_old_conversations(company=profile.company)
        except Exception:  # one company's problem must not stop the others
            logger.exception("Conversation purge failed for company %s", profile.company_id)
    return total
