"""The daily pass of the module (Huey, every morning before the digest; `etabli banking daily`): reconcile the
recent lines against the invoices opened since, watch spending, forecast cash and raise the alerts."""

from __future__ import annotations

import logging
from typing import Any

from etabli.banking import selectors
from etabli.banking.errors import BankingError
from etabli.core.models import Company

logger = logging.getLogger(__name__)


def daily_pass(*, company: Company) -> dict[str, Any]:
    from etabli.banking.services.forecast import run_forecast
    from etabli.banking.services.reconcile import reconcile_lines
    from etabli.banking.services.spending import run_spending

    if not selectors.accounts(company, active_only=True).exists():
        return {"skipped": "Aucun compte bancaire."}
    outcome = reconcile_lines(company=company)
    spending = run_spending(company=company)
    report: dict[str, Any] = {"reconciliation": outcome.as_dict(),
                              "spending_alerts": len(spending["alerts"]) if spending else 0,
                              "recurring_charges": len(spending["recurring"]) if spending else 0}
    try:
        forecast = run_forecast(company=company)
        report["cash_alerts"] = [alert["message"] for alert in forecast["alerts"]]
        report["lowest"] = forecast["lowest"]
    except BankingError as exc:
        report["forecast_error"] = exc.message
    return report
