"""Cash alerts: the first day under the owner's threshold in each scenario, why, and what to do.

Why these causes and actions: the owner cannot act on "the balance goes negative"; he can act on the
large payments before that day (ask a supplier for a delay), on the receipts that may come too late
(remind the customer), and on financing (an overdraft or a credit line sized by the forecast's low point).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from decimal import Decimal

import numpy as np

from etabli.common.formats import format_date
from etabli.engines.forecast.types import (
    ActionKind,
    AlertCause,
    BalanceSeries,
    CashAlert,
    CashForecast,
    CauseKind,
    DailyBalance,
    FlowKind,
    ForecastFlow,
    Scenario,
    SuggestedAction,
)
from etabli.engines.spending.alerts import eur

_MAX_CAUSES = 3


def build_alerts(forecast: CashForecast, *, remainder_daily: np.ndarray) -> list[CashAlert]:
    """Alerts for the total and, when there are several accounts, for each account."""
    series_list: list[BalanceSeries] = [forecast.total]
    if len(forecast.accounts) > 1:
        series_list += list(forecast.accounts)
    alerts = []
    for series in series_list:
        # the owner's threshold is for the whole cash; one account only matters when it goes overdrawn
        threshold = forecast.threshold if not series.account else min(forecast.threshold, Decimal(0))
        for scenario in (Scenario.PESSIMISTIC, Scenario.REALISTIC, Scenario.OPTIMISTIC):
            values = series.values(scenario)
            first = next((i for i, value in enumerate(values) if value < threshold), None)
            if first is not None:
                alerts.append(_alert(forecast, series, scenario, first, remainder_daily, threshold))
    return alerts


def _internal_transfers(flows: list[ForecastFlow]) -> set[int]:
    """Flows that are one leg of a transfer between the company's own accounts (they cancel in total)."""
    legs: dict[tuple[dt.date, Decimal], list[int]] = defaultdict(list)
    for index, flow in enumerate(flows):
        legs[(flow.date, abs(flow.amount))].append(index)
    internal = set()
    for members in legs.values():
        signs = {flows[i].amount > 0 for i in members}
        accounts = {flows[i].account for i in members}
        if len(signs) == 2 and len(accounts) >= 2:
            internal.update(members)
    return internal


def _alert(forecast: CashForecast, series: BalanceSeries, scenario: Scenario, first: int,
           remainder_daily: np.ndarray, threshold: Decimal) -> CashAlert:
    day = series.days[first]
    lowest = series.lowest(scenario)
    shortfall = threshold - lowest.get(scenario)
    if series.account:
        flows = [flow for flow in forecast.flows if flow.account == series.account]
    else:
        internal = _internal_transfers(list(forecast.flows))
        flows = [flow for index, flow in enumerate(forecast.flows) if index not in internal]
    outflows = _largest_outflows(flows, day.date)
    risky = _late_risk_inflows(flows, day.date)
    causes = [cause for cause, _, _ in outflows] + [cause for cause, _ in risky]
    remainder = Decimal(f"{float(np.sum(remainder_daily[: first + 1])):.2f}") if not series.account else Decimal(0)
    total_out = sum((-cause.amount for cause, _, _ in outflows), Decimal(0))
    if remainder < 0 and -remainder >= Decimal("0.05") * max(total_out, Decimal(1)):
        causes.append(AlertCause(
            kind=CauseKind.REMAINDER,
            amount=remainder,
            description=(
                f"Dépenses courantes non planifiées estimées d'après l'historique : {eur(remainder)} d'ici le "
                f"{format_date(day.date)}"
            ),
        ))
    actions = _actions(forecast, series, scenario, first, outflows, risky, shortfall, lowest, threshold)
    return CashAlert(
        scenario=scenario,
        account=series.account,
        threshold=threshold,
        date=day.date,
        days_ahead=(day.date - forecast.as_of).days,
        balance=day.get(scenario),
        lowest_balance=lowest.get(scenario),
        lowest_date=lowest.date,
        shortfall=shortfall,
        message=_headline(forecast, series, scenario, day.date, outflows, risky, threshold),
        causes=tuple(causes),
        actions=tuple(actions),
    )


def _largest_outflows(flows: list[ForecastFlow], until: dt.date
                      ) -> list[tuple[AlertCause, list[ForecastFlow], str]]:
    """Payments before the alert day, recurring ones grouped per nature and date (all salaries of a day)."""
    groups: dict[tuple[str, dt.date], list[ForecastFlow]] = defaultdict(list)
    for flow in flows:
        if flow.amount < 0 and flow.date <= until:
            key = (flow.label if flow.kind is FlowKind.RECURRING else f"{flow.kind}|{flow.display_name}|"
                   f"{flow.reference}", flow.date)
            groups[key].append(flow)
    ranked = sorted(groups.values(), key=lambda members: sum(f.amount for f in members))[:_MAX_CAUSES]
    result = []
    for members in ranked:
        amount = sum((f.amount for f in members), Decimal(0))
        head = members[0]
        if head.kind is FlowKind.RECURRING:
            name = head.label if len(members) > 1 or not head.counterparty else f"{head.label} ({head.counterparty})"
            short = f"{head.label} du {head.date:%d/%m}"
        else:
            reference = f", {head.reference}" if head.reference else ""
            name = f"{head.kind.label} {head.display_name}{reference}"
            short = head.display_name
        result.append((
            AlertCause(
                kind=CauseKind.OUTFLOW,
                amount=amount,
                description=f"{name[0].upper()}{name[1:]} le {format_date(head.date)} : {eur(amount)}",
                date=head.date,
                counterparty=head.counterparty,
                reference=head.reference if len(members) == 1 else "",
            ),
            members,
            short,
        ))
    return result


def _late_risk_inflows(flows: list[ForecastFlow], until: dt.date) -> list[tuple[AlertCause, ForecastFlow]]:
    """Receipts that could arrive before the alert day but may well come after it (or never)."""
    risky = [
        flow for flow in flows
        if flow.amount > 0 and flow.earliest_date is not None and flow.earliest_date <= until
        and ((flow.latest_date is not None and flow.latest_date > until) or flow.probability_in_horizon < 0.9)
    ]
    risky.sort(key=lambda flow: -flow.amount)
    result = []
    for flow in risky[:_MAX_CAUSES]:
        reference = f" ({flow.reference})" if flow.reference else ""
        result.append((
            AlertCause(
                kind=CauseKind.LATE_INFLOW,
                amount=flow.amount,
                description=(
                    f"Encaissement de {flow.display_name}{reference}, {eur(flow.amount)}, attendu le "
                    f"{format_date(flow.date)} : à risque, il peut arriver après le {format_date(until)}"
                ),
                date=flow.date,
                counterparty=flow.counterparty,
                reference=flow.reference,
            ),
            flow,
        ))
    return result


def _headline(forecast: CashForecast, series: BalanceSeries, scenario: Scenario, day: dt.date,
              outflows: list, risky: list, threshold: Decimal) -> str:
    days = (day - forecast.as_of).days
    subject = "Votre trésorerie" if not series.account else f"Le compte « {series.account} »"
    when = "demain" if days == 1 else f"dans {days} jours"
    text = (
        f"{subject} passera sous {eur(threshold)} {when} (le {format_date(day)}, scénario "
        f"{scenario.label})"
    )
    reasons = [short for _, _, short in outflows[:2] if short]
    if reasons:
        text += " — cause : " + " et ".join(reasons)
    if risky:
        names = ", ".join(flow.display_name for _, flow in risky[:2])
        text += f" ; encaissement attendu de {names} à risque"
    return text


def _actions(forecast: CashForecast, series: BalanceSeries, scenario: Scenario, first: int, outflows: list,
             risky: list, shortfall: Decimal, lowest: DailyBalance, threshold: Decimal) -> list[SuggestedAction]:
    actions: list[SuggestedAction] = []
    alert_day = series.days[first].date
    reminded = set()
    candidates = [flow for _, flow in risky] + sorted(
        (flow for flow in forecast.flows if flow.amount > 0 and flow.kind is FlowKind.CUSTOMER_INVOICE
         and alert_day < flow.date <= alert_day + dt.timedelta(days=30)
         and (not series.account or flow.account == series.account)),
        key=lambda flow: -flow.amount,
    )
    for flow in candidates:
        if flow.kind is not FlowKind.CUSTOMER_INVOICE or (flow.counterparty, flow.reference) in reminded:
            continue
        reminded.add((flow.counterparty, flow.reference))
        reference = f"la facture {flow.reference}" if flow.reference else "sa facture"
        actions.append(SuggestedAction(
            kind=ActionKind.REMIND_CUSTOMER,
            message=(
                f"Relancer {flow.display_name} pour {reference} ({eur(flow.amount)}), attendue le "
                f"{format_date(flow.date)}, afin d'être payé avant le {format_date(alert_day)}"
            ),
            amount=flow.amount,
            counterparty=flow.counterparty,
            reference=flow.reference,
        ))
        if len(actions) >= 3:
            break
    recovery = next((d.date for d in series.days[first:] if d.get(scenario) >= threshold), None)
    after = f"après le {format_date(recovery)}" if recovery else "de quelques semaines"
    postponable = [flow for _, members, _ in outflows for flow in members if flow.kind is FlowKind.SUPPLIER_INVOICE]
    for flow in sorted(postponable, key=lambda item: item.amount)[:2]:
        reference = f"la facture {flow.reference}" if flow.reference else "sa facture"
        actions.append(SuggestedAction(
            kind=ActionKind.POSTPONE_SUPPLIER,
            message=(
                f"Demander à {flow.display_name} de décaler le paiement de {reference} ({eur(-flow.amount)}, "
                f"échéance du {format_date(flow.date)}) {after}"
            ),
            amount=flow.amount,
            counterparty=flow.counterparty,
            reference=flow.reference,
        ))
    if series.account:
        actions += _transfer_actions(forecast, series, scenario, first, shortfall, threshold)
    need = Decimal(math.ceil(float(shortfall) / 1000) * 1000) if shortfall > 0 else Decimal(1000)
    actions.append(SuggestedAction(
        kind=ActionKind.CREDIT_LINE,
        message=(
            f"Négocier avec la banque un découvert autorisé ou une ligne de crédit d'au moins {eur(need)} "
            f"(point bas {eur(lowest.get(scenario))} le {format_date(lowest.date)}, scénario {scenario.label})"
        ),
        amount=need,
    ))
    return actions


def _transfer_actions(forecast: CashForecast, series: BalanceSeries, scenario: Scenario, first: int,
                      shortfall: Decimal, threshold: Decimal) -> list[SuggestedAction]:
    """A per-account shortfall that another account can cover: suggest an internal transfer."""
    actions = []
    for other in forecast.accounts:
        if other.account == series.account:
            continue
        spare = min(day.get(scenario) for day in other.days) - threshold
        if spare >= shortfall > 0:
            amount = Decimal(math.ceil(float(shortfall) / 100) * 100)
            actions.append(SuggestedAction(
                kind=ActionKind.TRANSFER,
                message=(
                    f"Virer {eur(amount)} du compte « {other.account} » vers le compte « {series.account} » avant le "
                    f"{format_date(series.days[first].date)}"
                ),
                amount=amount,
            ))
            break
    return actions
