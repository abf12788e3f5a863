"""Spending watch: recurring charges (period, amount, next dates) and explained alerts — an amount far from the
supplier's usual one, a probable duplicate payment, a cost line drifting over 12 months — through core alerts.

Why through the core: the owner reads one feed (« Aujourd'hui », the daily digest); each alert carries its
French explanation and a link to the spending page. An alert is raised once per event (its code names the kind,
the counterparty and the date), so the daily pass updates it instead of piling copies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from etabli.banking import selectors
from etabli.banking.constants import SOURCE, SPENDING_ENGINE, USE_CASE_SPENDING
from etabli.banking.models import AnalysisKind, AnalysisRun
from etabli.core.models import Company, Severity
from etabli.core.services import ailog, alerts
from etabli.engines.spending import AlertKind, SpendingError, SpendingReport, analyse_spending

KEEP_RUNS = 10
#: Alerts about events older than this are shown on the page but not raised again in the feed.
ALERT_WINDOW_DAYS = 45


def alert_code(kind: str, subject: str, day: dt.date) -> str:
    stamp = day.strftime("%Y-%m") if kind == AlertKind.DRIFT else day.isoformat()
    digest = hashlib.sha1(f"{subject}|{stamp}".encode()).hexdigest()[:12]
    return f"banking:spending:{kind}:{digest}"


def report_payload(report: SpendingReport) -> dict[str, Any]:
    data = report.to_dict()
    data["recurring"] = [charge for charge in data["recurring"] if charge.get("active") or charge.get("occurrences", 0) >= 3]
    return data


def run_spending(*, company: Company, as_of: dt.date | None = None, raise_alerts: bool = True) -> dict[str, Any] | None:
    """Analyse the company's bank history; store the result; raise the recent alerts. None without lines."""
    as_of = as_of or timezone.localdate()
    history = selectors.forecast_history(company, until=as_of)
    if not history:
        return None
    try:
        report = analyse_spending(history, as_of=as_of)
    except SpendingError:
        return None
    payload = report_payload(report)
    with transaction.atomic():
        AnalysisRun.objects.create(company=company, kind=AnalysisKind.SPENDING, as_of=as_of,
                                   fingerprint=selectors.data_fingerprint(company), result=payload)
        old = list(AnalysisRun.objects.for_company(company).filter(kind=AnalysisKind.SPENDING)
                   .order_by("-created_at", "-id").values_list("id", flat=True)[KEEP_RUNS:])
        if old:
            AnalysisRun.objects.filter(pk__in=old).delete()
        if report.alerts:
            ailog.log_decision(
                company=company, use_case=USE_CASE_SPENDING, engine=SPENDING_ENGINE, engine_version="1",
                input_data={"lines": len(history), "as_of": as_of.isoformat()},
                input_summary=f"{len(history)} opérations jusqu'au {as_of:%d/%m/%Y}",
                output=[alert.to_dict() for alert in report.alerts],
                confidence=max(min(alert.score for alert in report.alerts), 0.0) if all(
                    0 <= alert.score <= 1 for alert in report.alerts) else None,
                explanation=[f"{alert.message} — {alert.explanation}" for alert in report.alerts],
            )
        if raise_alerts:
            link = reverse("banking:spending")
            for alert in report.alerts:
                if alert.date < as_of - dt.timedelta(days=ALERT_WINDOW_DAYS):
                    continue
                alerts.raise_alert(
                    company=company, source=SOURCE, code=alert_code(alert.kind.value, alert.subject, alert.date),
                    message=f"{alert.kind.label} : {alert.message}"[:500], detail=alert.explanation,
                    severity=Severity.WARNING, due_date=None, link_url=link, link_label="Voir les dépenses",
                )
    return payload
