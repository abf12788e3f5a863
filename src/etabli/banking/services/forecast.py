"""Cash forecast of a company: today's balances, open invoices at their expected dates, recurring charges and
the unexplained remainder, day by day in three scenarios (`etabli.engines.forecast`); what-ifs; alerts.

Inputs, and why:
- today's balance of each account (anchored on the last balance the bank gave);
- open customer invoices at the payment date billing's late-payment model expects, with its optimistic and
  pessimistic dates; an invoice billing has not scored yet gets dates from the customer's own payment history
  (delays between due date and bank payment of its past invoices), else from the company's, else a prudent
  default — the forecast says so in its notes;
- open supplier invoices at their due date (or the date billing expects them paid);
- invoices a pending match proposal already allocates are left out: that money is already on the bank;
- the bank history (internal transfers left out: moving cash to a term account is not spending) from which the
  engine learns recurring charges and the remainder, with French public holidays of the owner's area.

Alerts: the first day under the owner's threshold in each scenario becomes one core alert per series (total, and
each account when there are several), with the flows causing it and the suggested actions; the home page
« Aujourd'hui » shows it, the digest sends it, and `cash.alert` is emitted when it appears or moves.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from etabli.banking import selectors
from etabli.banking.constants import (
    EVENT_CASH_ALERT,
    FORECAST_ENGINE,
    SOURCE,
    USE_CASE_FORECAST,
)
from etabli.banking.errors import BankingError
from etabli.banking.models import AnalysisKind, AnalysisRun, BankAccount
from etabli.banking.services.reconcile import billing_available
from etabli.common.formats import format_date, format_eur
from etabli.common.money import ZERO, round_cents
from etabli.core.models import Company, Severity
from etabli.core.services import ailog, alerts, webhooks
from etabli.engines.forecast import (
    CashAlert,
    CashForecast,
    CashForecaster,
    ChangeAction,
    FlowChange,
    FlowKind,
    ForecastError,
    Scenario,
    ScheduledFlow,
    WhatIfError,
    what_if,
)
from etabli.engines.spending import Period
from etabli.engines.spending.normalize import simplify
from etabli.engines.spending.serialize import to_jsonable

#: Delays (days after the due date) used when neither billing nor the payment history says anything:
#: 10 % of customers pay a few days early, half within a week, the slowest tenth six weeks late.
DEFAULT_DELAYS = (-3, 7, 45)
#: An invoice already overdue with no history of payments that late: from today, soon at best, two months at worst.
OVERDUE_DELAYS = (3, 14, 60)
MIN_PARTNER_PAYMENTS = 3
MIN_COMPANY_PAYMENTS = 8
KEEP_RUNS = 30
SCENARIO_ORDER = (Scenario.PESSIMISTIC, Scenario.REALISTIC, Scenario.OPTIMISTIC)

_CACHE: dict[int, tuple[tuple, CashForecaster]] = {}
_LOCK = threading.Lock()


@dataclass
class ForecastInputs:
    as_of: dt.date
    accounts: list[BankAccount]
    balances: dict[str, Decimal]
    balance_known: dict[str, bool]
    flows: list[ScheduledFlow]
    history: list
    threshold: Decimal
    subdivision: str
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _expected_dates(view, delays: dict, today: dt.date) -> tuple[dt.date, dt.date, dt.date, str]:
    """(expected, optimistic, pessimistic, source) of a customer invoice's payment."""
    if view.expected_payment_date is not None:
        expected = view.expected_payment_date
        optimistic = min(view.expected_payment_date_optimistic or expected, expected)
        pessimistic = max(view.expected_payment_date_pessimistic or expected, expected)
        return expected, optimistic, pessimistic, "billing"
    base = view.due_date or ((view.issue_date or today) + dt.timedelta(days=30))
    own = delays.get(view.partner_id) or []
    pooled = delays.get(None) or []
    if len(own) >= MIN_PARTNER_PAYMENTS:
        samples, source = own, "partner"
    elif len(pooled) >= MIN_COMPANY_PAYMENTS:
        samples, source = pooled, "company"
    else:
        samples, source = None, "default"
    elapsed = (today - base).days
    if samples is not None:
        # Not paid by today: only the past payments that came later than today's delay say when it will come
        # (for an invoice already late, the ones that were even later).
        samples = [delay for delay in samples if delay > elapsed] or None
        if samples is not None and len(samples) < MIN_PARTNER_PAYMENTS:
            samples = None
    if samples is not None:
        q10, q50, q90 = (int(np.rint(v)) for v in np.quantile(np.array(samples, dtype=float), [0.1, 0.5, 0.9]))
    elif elapsed > 0:
        q10, q50, q90 = elapsed + OVERDUE_DELAYS[0], elapsed + OVERDUE_DELAYS[1], elapsed + OVERDUE_DELAYS[2]
        source = "default"
    else:
        q10, q50, q90 = DEFAULT_DELAYS
    expected = base + dt.timedelta(days=q50)
    return (expected, base + dt.timedelta(days=min(q10, q50)), base + dt.timedelta(days=max(q90, q50)), source)


def forecast_inputs(company: Company, *, as_of: dt.date | None = None) -> ForecastInputs:
    as_of = as_of or timezone.localdate()
    settings_row = selectors.settings_of(company)
    accounts = list(selectors.accounts(company, active_only=True))
    if not accounts:
        raise BankingError("Aucun compte bancaire : ajoutez un compte ou importez un relevé pour prévoir la trésorerie.",
                           code="no_account", status=409)
    balances, known = {}, {}
    for account in accounts:
        balances[account.name], known[account.name] = selectors.balance_on(account, as_of)
    inputs = ForecastInputs(as_of=as_of, accounts=accounts, balances=balances, balance_known=known, flows=[],
                            history=selectors.forecast_history(company, until=as_of),
                            threshold=settings_row.cash_threshold, subdivision=settings_row.holiday_subdivision)
    unknown = [name for name, ok in known.items() if not ok]
    if unknown:
        inputs.notes.append(f"Solde de départ inconnu pour {', '.join(unknown)} : il est calculé depuis la première "
                            "opération importée (0 € avant). Indiquez le solde affiché par la banque sur la fiche du compte.")
    if not billing_available():
        inputs.notes.append("Module de facturation absent : seules les charges récurrentes et l'historique sont prévus.")
        return inputs
    from etabli.billing.selectors import open_invoices

    pending = selectors.proposed_allocations(company)
    delays = selectors.payment_delays(company)
    sources: dict[str, int] = {"billing": 0, "partner": 0, "company": 0, "default": 0}
    customers = suppliers = 0
    for view in open_invoices(company=company):
        amount = round_cents(view.amount_open - pending.get(view.id, ZERO))
        if amount <= 0:
            continue
        if view.kind == "customer":
            expected, optimistic, pessimistic, source = _expected_dates(view, delays, as_of)
            sources[source] += 1
            customers += 1
            inputs.flows.append(ScheduledFlow(
                date=expected, amount=amount, label=f"Facture {view.number}", counterparty=view.partner_name,
                kind=FlowKind.CUSTOMER_INVOICE, reference=view.number, optimistic_date=optimistic,
                pessimistic_date=pessimistic, issue_date=view.issue_date,
            ))
        else:
            suppliers += 1
            due = view.expected_payment_date or view.due_date or as_of + dt.timedelta(days=30)
            inputs.flows.append(ScheduledFlow(
                date=due, amount=-amount, label=f"Facture {view.number}", counterparty=view.partner_name,
                kind=FlowKind.SUPPLIER_INVOICE, reference=view.number, issue_date=view.issue_date,
            ))
    inputs.counts = {"customer_invoices": customers, "supplier_invoices": suppliers, **{f"dates_{k}": v for k, v in sources.items()}}
    estimated = sources["partner"] + sources["company"] + sources["default"]
    if estimated:
        inputs.notes.append(
            f"{estimated} facture(s) client sans score de retard de la facturation : date de paiement estimée d'après "
            f"l'historique de règlement du client ({sources['partner']}), de l'entreprise ({sources['company']}) ou, "
            f"faute d'historique comparable, d'une hypothèse prudente ({sources['default']}).")
    if pending:
        inputs.notes.append(f"{len(pending)} facture(s) déjà couvertes par une proposition de rapprochement en attente : "
                            "l'argent est sur le compte, elles ne sont pas comptées une seconde fois.")
    return inputs


def fitted_forecaster(company: Company, inputs: ForecastInputs, days: int) -> CashForecaster:
    """Fit once per company and state of its data (a what-if reuses the fit)."""
    key = (selectors.data_fingerprint(company), inputs.as_of, days, inputs.subdivision)
    with _LOCK:
        cached = _CACHE.get(company.pk)
        if cached is not None and cached[0] == key:
            return cached[1]
    try:
        forecaster = CashForecaster(horizon_days=days, subdiv=inputs.subdivision or None, seed=company.pk % 1000)
        forecaster.fit(inputs.history, as_of=inputs.as_of)
    except ForecastError as exc:
        raise BankingError(str(exc), code="forecast_error") from exc
    with _LOCK:
        _CACHE[company.pk] = (key, forecaster)
    return forecaster


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()


def compute_forecast(company: Company, *, days: int | None = None, threshold: Decimal | None = None,
                     as_of: dt.date | None = None) -> tuple[CashForecast, ForecastInputs]:
    settings_row = selectors.settings_of(company)
    days = int(days or settings_row.forecast_days or 90)
    if not 1 <= days <= 366:
        raise BankingError("L'horizon doit être compris entre 1 et 366 jours.", code="invalid_days")
    inputs = forecast_inputs(company, as_of=as_of)
    if threshold is not None:
        inputs.threshold = round_cents(threshold)
    forecaster = fitted_forecaster(company, inputs, days)
    try:
        forecast = forecaster.predict(inputs.balances, inputs.flows, threshold=inputs.threshold)
    except ForecastError as exc:
        raise BankingError(str(exc), code="forecast_error") from exc
    return forecast, inputs


def _series(series) -> list[dict[str, Any]]:
    return [{"date": day.date.isoformat(), "pessimistic": str(day.pessimistic), "realistic": str(day.realistic),
             "optimistic": str(day.optimistic)} for day in series.days]


def alert_payload(alert: CashAlert) -> dict[str, Any]:
    data = to_jsonable(alert)
    data["scenario_label"] = alert.scenario.label
    return data


def forecast_payload(company: Company, forecast: CashForecast, inputs: ForecastInputs) -> dict[str, Any]:
    """The JSON the CLI prints, the API returns and the page draws: the daily series of the three scenarios (in
    total and per account), the alerts with their causes and actions, the flows and the notes."""
    charges = [charge.to_dict() for charge in forecast.recurring]
    lowest = {}
    for scenario in SCENARIO_ORDER:
        day = forecast.total.lowest(scenario)
        lowest[scenario.value] = {"date": day.date.isoformat(), "balance": str(day.get(scenario))}
    return {
        "company": company.slug,
        "as_of": forecast.as_of.isoformat(),
        "days": forecast.horizon_days,
        "threshold": str(forecast.threshold),
        "band": forecast.band,
        "opening_balance": str(forecast.total.opening_balance),
        "accounts": [{"name": account.name, "iban": account.iban, "balance": str(inputs.balances[account.name]),
                      "balance_known": inputs.balance_known[account.name]} for account in inputs.accounts],
        "series": _series(forecast.total),
        "accounts_series": {series.account: _series(series) for series in forecast.accounts}
        if len(forecast.accounts) > 1 else {},
        "lowest": lowest,
        "alerts": [alert_payload(alert) for alert in forecast.alerts],
        "flows": to_jsonable(list(forecast.flows)),
        "recurring": [{"name": c.name, "kind": c.kind.label, "period": c.period.label, "amount": str(c.typical_amount),
                       "next_dates": [d.isoformat() for d in c.next_dates], "explanation": c.explanation}
                      for c in forecast.recurring if c.active and not c.invoice_linked],
        "fixed_charges": str(fixed_charges_per_month(charges)),
        "suggested_threshold": str(suggested_threshold(charges)),
        "notes": list(inputs.notes) + list(forecast.notes),
        "inputs": {**inputs.counts, "history_lines": len(inputs.history)},
        "model": to_jsonable(forecast.model),
        "generated_at": timezone.now().isoformat(),
    }


def run_forecast(*, company: Company, days: int | None = None, threshold: Decimal | None = None,
                 store: bool = True) -> dict[str, Any]:
    """Compute, store (latest runs kept), log the decision, and raise or resolve the cash alerts."""
    forecast, inputs = compute_forecast(company, days=days, threshold=threshold)
    payload = forecast_payload(company, forecast, inputs)
    if not store:
        return payload
    settings_row = selectors.settings_of(company)
    official = forecast.horizon_days == (settings_row.forecast_days or 90) and threshold is None
    with transaction.atomic():
        previous = selectors.latest_forecast(company)
        run = AnalysisRun.objects.create(company=company, kind=AnalysisKind.FORECAST, as_of=forecast.as_of,
                                         horizon_days=forecast.horizon_days, threshold=forecast.threshold,
                                         fingerprint=selectors.data_fingerprint(company), result=payload)
        old = list(AnalysisRun.objects.for_company(company).filter(kind=AnalysisKind.FORECAST)
                   .order_by("-created_at", "-id").values_list("id", flat=True)[KEEP_RUNS:])
        if old:
            AnalysisRun.objects.filter(pk__in=old).delete()
        ailog.log_decision(
            company=company, use_case=USE_CASE_FORECAST, engine=FORECAST_ENGINE, engine_version="1",
            input_data={"balances": {k: str(v) for k, v in inputs.balances.items()}, "flows": len(inputs.flows),
                        "history": len(inputs.history), "as_of": forecast.as_of.isoformat()},
            input_summary=(f"Solde {format_eur(forecast.total.opening_balance)}, {len(inputs.flows)} factures ouvertes, "
                           f"{len(inputs.history)} opérations d'historique"),
            output={"lowest": payload["lowest"], "alerts": [a["message"] for a in payload["alerts"]]},
            explanation=[a.message for a in forecast.alerts] or ["Aucun passage sous le seuil sur l'horizon."],
        )
        if official:
            sync_cash_alerts(company=company, forecast=forecast, previous=previous.result if previous else None)
    payload["run_id"] = run.pk
    return payload


def _alert_code(account_name: str, accounts: dict[str, BankAccount]) -> str:
    if not account_name:
        return "banking:cash:total"
    account = accounts.get(account_name)
    return f"banking:cash:account:{account.pk if account else account_name}"


def _detail(series_alerts: list[CashAlert]) -> str:
    lines = []
    for alert in sorted(series_alerts, key=lambda a: SCENARIO_ORDER.index(a.scenario)):
        lines.append(f"Scénario {alert.scenario.label} : sous {format_eur(alert.threshold, 0)} le "
                     f"{format_date(alert.date)} (dans {alert.days_ahead} jours), point bas "
                     f"{format_eur(alert.lowest_balance, 0)} le {format_date(alert.lowest_date)}.")
    primary = _primary(series_alerts)
    if primary.causes:
        lines.append("Causes :")
        lines += [f"– {cause.description}" for cause in primary.causes]
    if primary.actions:
        lines.append("Actions suggérées :")
        lines += [f"– {action.message}" for action in primary.actions]
    return "\n".join(lines)


def _primary(series_alerts: list[CashAlert]) -> CashAlert:
    """The realistic scenario's alert when there is one (it is the forecast), else the earliest scenario's."""
    by_scenario = {alert.scenario: alert for alert in series_alerts}
    return by_scenario.get(Scenario.REALISTIC) or min(series_alerts, key=lambda a: a.date)


def sync_cash_alerts(*, company: Company, forecast: CashForecast, previous: dict | None) -> list[str]:
    """One core alert per series under the threshold (critical when even the realistic or optimistic scenario
    goes under, warning when only the pessimistic one does); alerts whose condition is gone are resolved."""
    accounts = {account.name: account for account in selectors.accounts(company)}
    grouped: dict[str, list[CashAlert]] = {}
    for alert in forecast.alerts:
        grouped.setdefault(alert.account, []).append(alert)
    known_codes = {"banking:cash:total"} | {f"banking:cash:account:{a.pk}" for a in accounts.values()}
    before = {(a.get("account", ""), a.get("scenario"), a.get("date")) for a in (previous or {}).get("alerts", [])}
    raised = []
    for account_name, series_alerts in grouped.items():
        code = _alert_code(account_name, accounts)
        primary = _primary(series_alerts)
        severe = any(a.scenario in (Scenario.REALISTIC, Scenario.OPTIMISTIC) for a in series_alerts)
        alerts.raise_alert(
            company=company, source=SOURCE, code=code, message=primary.message,
            severity=Severity.CRITICAL if severe else Severity.WARNING, detail=_detail(series_alerts),
            due_date=primary.date, link_url=reverse("banking:forecast"), link_label="Voir la prévision",
        )
        raised.append(code)
        fresh = [a for a in series_alerts if (a.account, a.scenario.value, a.date.isoformat()) not in before]
        if fresh:
            webhooks.emit(company=company, event=EVENT_CASH_ALERT, data={
                "as_of": forecast.as_of.isoformat(), "account": account_name or None, "threshold": str(forecast.threshold),
                "alerts": [alert_payload(a) for a in series_alerts],
            })
    for code in known_codes - set(raised):
        alerts.resolve(company=company, code=code)
    return raised


# --- Suggested threshold ------------------------------------------------------------------------------------------

#: Natures of recurring charges that make the monthly « charges fixes » (purchases of goods are left out: they
#: follow the activity).
FIXED_KINDS = {"salary", "rent", "loan", "insurance", "subscription", "energy", "bank_fees", "tax"}
PER_MONTH = {"weekly": Decimal(52) / 12, "monthly": Decimal(1), "quarterly": Decimal(1) / 3, "yearly": Decimal(1) / 12}


def fixed_charges_per_month(recurring: list[dict]) -> Decimal:
    """One month of fixed charges (salaries, contributions and taxes, rent, loans, insurance, energy,
    subscriptions, bank fees) from the recurring charges the spending watch found."""
    total = ZERO
    for charge in recurring:
        if not charge.get("active") or charge.get("kind") not in FIXED_KINDS:
            continue
        amount = Decimal(str(charge.get("typical_amount", "0")))
        if amount < 0:
            total += -amount * PER_MONTH.get(charge.get("period", "monthly"), Decimal(1))
    return round_cents(total)


def suggested_threshold(recurring: list[dict]) -> Decimal:
    """A safety cushion of one month of fixed charges, rounded up to the thousand euros: a common treasury rule
    (with less than that in the bank, one late customer is enough to miss a payroll)."""
    monthly = fixed_charges_per_month(recurring)
    return (monthly / 1000).to_integral_value(rounding="ROUND_CEILING") * 1000 if monthly > 0 else ZERO


# --- What-if ------------------------------------------------------------------------------------------------------


def structured_change(*, action: str, label: str = "", amount=None, day: dt.date | None = None, target: str = "",
                      monthly: bool = False, until: dt.date | None = None, direction: int = -1) -> FlowChange:
    """A what-if from the small form: add (a purchase, a hire, a sale), remove (a lost contract), move (a payment)."""
    try:
        if action == ChangeAction.ADD:
            value = round_cents(Decimal(str(amount))) if amount not in (None, "") else None
            if value is None or value <= 0:
                raise BankingError("Indiquez un montant positif.", field_errors={"amount": "Montant positif attendu."})
            signed = value if direction > 0 else -value
            period = Period.MONTHLY if monthly else None
            what = "une entrée" if direction > 0 else "une sortie"
            when = (f"par mois à partir du {format_date(day)}" + (f" jusqu'au {format_date(until)}" if until else "")
                    if monthly else f"le {format_date(day)}") if day else ""
            return FlowChange(action=ChangeAction.ADD, label=label or ("encaissement" if direction > 0 else "dépense"),
                              amount=signed, date=day, recurrence=period, until=until, sign=1 if direction > 0 else -1,
                              explanation=f"Ajout d'{what} de {format_eur(value)} {when} ({label or 'simulation'}).")
        if action == ChangeAction.REMOVE:
            value = round_cents(Decimal(str(amount))) if amount not in (None, "") else None
            return FlowChange(action=ChangeAction.REMOVE, label=label or target, amount=value, date=day,
                              target=simplify(target), sign=1 if direction > 0 else -1,
                              explanation=f"Suppression des flux liés à « {target} ».")
        if action == ChangeAction.MOVE:
            return FlowChange(action=ChangeAction.MOVE, label=label or target, date=day, target=simplify(target),
                              sign=1 if direction > 0 else -1,
                              explanation=f"Report des flux liés à « {target} » au {format_date(day) if day else '?'}.")
    except WhatIfError as exc:
        raise BankingError(str(exc), code="whatif_error") from exc
    raise BankingError("Action inconnue : ajouter, retirer ou décaler.", field_errors={"action": "Inconnue."})


def run_what_if(*, company: Company, changes: list, days: int | None = None) -> dict[str, Any]:
    """Baseline and variant with the same random draws; the comparison in plain French."""
    settings_row = selectors.settings_of(company)
    days = int(days or settings_row.forecast_days or 90)
    inputs = forecast_inputs(company)
    forecaster = fitted_forecaster(company, inputs, days)
    texts = [c.strip() for c in changes if isinstance(c, str) and c.strip()]
    structured = [c for c in changes if isinstance(c, FlowChange)]
    if not texts and not structured:
        raise BankingError("Décrivez un changement, par exemple « achat véhicule 25 000 € le 15/01 ».",
                           field_errors={"text": "Obligatoire."}, code="whatif_error")
    try:
        result = what_if(forecaster, inputs.balances, inputs.flows, [*texts, *structured], threshold=inputs.threshold)
    except ForecastError as exc:
        raise BankingError(str(exc), code="whatif_error", field_errors={"text": str(exc)}) from exc
    comparison = result.comparison
    return {
        "changes": [{"action": c.action.value, "label": c.label, "amount": str(c.amount) if c.amount is not None else None,
                     "date": c.date.isoformat() if c.date else None, "explanation": c.explanation,
                     "source_text": c.source_text} for c in result.changes],
        "summary": comparison.summary,
        "scenarios": to_jsonable(list(comparison.scenarios)),
        "baseline": _series(result.baseline.total),
        "variant": _series(result.variant.total),
        "variant_alerts": [alert_payload(a) for a in result.variant.alerts if not a.account],
        "notes": list(result.variant.notes),
        "threshold": str(inputs.threshold),
        "days": days,
    }
