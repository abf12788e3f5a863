"""Raise, dismiss, snooze and resolve alerts. One open alert per (company, code): raising again updates it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from etabli.core.models import Alert, Company, Severity
from etabli.core.services import webhooks


@transaction.atomic
def raise_alert(
    *,
    company: Company,
    source: str,
    code: str,
    message: str,
    severity: str = Severity.WARNING,
    detail: str = "",
    due_date: dt.date | None = None,
    link_url: str = "",
    link_label: str = "",
) -> Alert:
    if severity not in Severity.values:
        raise ValueError(f"Gravité inconnue : {severity}")
    existing = (
        Alert.objects.select_for_update()
        .filter(company=company, code=code, dismissed_at__isnull=True, resolved_at__isnull=True)
        .first()
    )
    fields = dict(
        source=source, severity=severity, message=message[:500], detail=detail, due_date=due_date,
        link_url=link_url, link_label=link_label,
    )
    if existing is not None:
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.save()
        return existing
    alert = Alert.objects.create(company=company, code=code, **fields)
    webhooks.emit(company=company, event="alert.raised", data=alert_payload(alert))
    return alert


def alert_payload(alert: Alert) -> dict:
    return {
        "id": alert.pk,
        "source": alert.source,
        "code": alert.code,
        "severity": alert.severity,
        "message": alert.message,
        "due_date": alert.due_date.isoformat() if alert.due_date else None,
    }


def dismiss(*, alert: Alert, user) -> Alert:
    alert.dismissed_at = timezone.now()
    alert.dismissed_by = user if getattr(user, "is_authenticated", False) else None
    alert.save(update_fields=["dismissed_at", "dismissed_by", "updated_at"])
    return alert


def snooze(*, alert: Alert, until: dt.datetime) -> Alert:
    if until <= timezone.now():
        raise ValueError("La date de report doit être dans le futur.")
    alert.snoozed_until = until
    alert.save(update_fields=["snoozed_until", "updated_at"])
    return alert


def resolve(*, company: Company, code: str) -> int:
    """The condition is gone (the invoice was paid): close the open alert with that code, if any."""
    alerts = Alert.objects.filter(company=company, code=code, dismissed_at__isnull=True, resolved_at__isnull=True)
    count = 0
    for alert in alerts:
        alert.resolved_at = timezone.now()
        alert.save(update_fields=["resolved_at", "updated_at"])
        count += 1
    return count
