"""Background jobs of billing (run by the Huey worker, or in the foreground by the CLI)."""

from __future__ import annotations

from etabli.billing.services.daily import daily_pass


def daily_pass_job(job, progress) -> dict:
    """Statuses, alerts, risk scores and reminders for one company (the "Recalculer" button)."""
    progress(0, 3, "Statuts et alertes")
    report = daily_pass(company=job.company, dunning=bool((job.params or {}).get("dunning", True)))
    progress(3, 3, "Terminé")
    return {
        "scored": report.scored,
        "reminders": report.reminders,
        "overdue_alerts": report.overdue_alerts,
        "due_soon_alerts": report.due_soon_alerts,
        "errors": report.errors,
    }
