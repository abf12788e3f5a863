"""Spending alerts, each explained in French: unusual amount, probable duplicate, drifting cost line.

Design choices, and why:
- Unusual amount: compared on a log scale (money amounts vary multiplicatively: a bill twice the usual
  is as surprising at 100 € as at 10 000 €) with a robust z-score (median/MAD of the counterparty's
  previous payments). A floor on the spread keeps a perfectly steady rent from alerting on a 3 %
  indexation, and nothing is said before `min_history` previous payments: a first payment is never
  "unusual".
- Duplicate: same counterparty, same amount to the cent, a few days apart, without two different
  invoice references in the labels — and not when the same pattern was already normal in the past (ten
  employees paid the same salary through one "PAIE" counterparty).
- Drift: the last 6 months against the same 6 months a year earlier (comparing the same months removes
  seasonality such as winter heating), kept only when the rise is consistent month by month, so random
  purchases or one exceptional bill do not make a trend.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

import numpy as np

from etabli.common.formats import format_date, format_eur
from etabli.common.money import round_cents
from etabli.engines.spending.calendar import BankCalendar, month_end
from etabli.engines.spending.normalize import display_name, guess_kind, reference_tokens, series_key
from etabli.engines.spending.recurring import detect_recurring, validate_lines
from etabli.engines.spending.stats import MAD_TO_SIGMA
from etabli.engines.spending.types import (
    AlertKind,
    BankLine,
    ChargeKind,
    RecurringCharge,
    SpendingAlert,
    SpendingError,
    SpendingReport,
)

_MONTHS_SHORT_FR = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
                    "déc.")


@dataclass(frozen=True, slots=True)
class AlertSettings:
    """Thresholds of the spending watch (defaults chosen to stay quiet on ordinary variations)."""

    window_days: int = 31
    min_history: int = 3
    history_size: int = 24
    z_threshold: float = 4.0
    z_threshold_irregular: float = 5.0
    min_log_sigma: float = 0.08
    min_relative_change: float = 0.3
    min_difference: Decimal = Decimal(50)
    duplicate_days: int = 5
    duplicate_min_amount: Decimal = Decimal(20)
    drift_min_increase: float = 0.2
    drift_min_monthly_increase: Decimal = Decimal(50)

    def __post_init__(self) -> None:
        if self.window_days < 1 or self.duplicate_days < 0 or self.min_history < 2:
            raise SpendingError("Réglages d'alerte invalides : fenêtre et historique minimal doivent être positifs.")


def eur(amount: Decimal | float) -> str:
    """Amount for a headline: no cents from 100 € on or for whole euros (« 4 500 € », « 0 € »), cents
    below (« 29,99 € »)."""
    value = Decimal(str(amount)) if not isinstance(amount, Decimal) else amount
    whole = value == value.to_integral_value()
    return format_eur(value, decimals=0) if abs(value) >= 100 or whole else format_eur(value)


def analyse_spending(
    lines: Sequence[BankLine],
    *,
    as_of: dt.date | None = None,
    since: dt.date | None = None,
    settings: AlertSettings | None = None,
    calendar: BankCalendar | None = None,
) -> SpendingReport:
    """Recurring charges and alerts of the period (since, as_of] — by default the last 31 days."""
    lines = validate_lines(lines)
    if not lines:
        raise SpendingError("Aucune ligne bancaire : impossible d'analyser les dépenses.")
    as_of = as_of or max(line.date for line in lines)
    recurring = detect_recurring(lines, as_of=as_of, calendar=calendar)
    alerts = spending_alerts(lines, as_of=as_of, since=since, settings=settings, recurring=recurring)
    return SpendingReport(as_of=as_of, recurring=tuple(recurring), alerts=tuple(alerts))


def spending_alerts(
    lines: Sequence[BankLine],
    *,
    as_of: dt.date | None = None,
    since: dt.date | None = None,
    settings: AlertSettings | None = None,
    recurring: Sequence[RecurringCharge] | None = None,
) -> list[SpendingAlert]:
    """All three kinds of alert for the lines of (since, as_of], most important first within each kind."""
    lines = validate_lines(lines)
    if not lines:
        return []
    settings = settings or AlertSettings()
    as_of = as_of or max(line.date for line in lines)
    since = since or as_of - dt.timedelta(days=settings.window_days)
    if since >= as_of:
        raise SpendingError("La date de début de la période analysée doit précéder sa date de fin.")
    if recurring is None:
        recurring = detect_recurring(lines, as_of=as_of)
    alerts = unusual_amount_alerts(lines, as_of=as_of, since=since, settings=settings)
    alerts += duplicate_alerts(lines, as_of=as_of, since=since, settings=settings)
    alerts += drift_alerts(lines, as_of=as_of, settings=settings, recurring=recurring)
    return alerts


# ---------------------------------------------------------------- unusual amount


def unusual_amount_alerts(
    lines: Sequence[BankLine], *, as_of: dt.date, since: dt.date, settings: AlertSettings | None = None
) -> list[SpendingAlert]:
    """Payments of (since, as_of] far from the same counterparty's usual amount."""
    settings = settings or AlertSettings()
    groups = _debit_occurrences(lines, as_of)
    charges = detect_recurring(lines, as_of=as_of)
    regular = {charge.key.split("#")[0] for charge in charges}
    # a 13th month in December or a yearly regularisation seen every year is expected, not unusual
    month_factors = {charge.key.split("#")[0]: dict(charge.month_factors) for charge in charges
                     if charge.month_factors}
    alerts: list[SpendingAlert] = []
    for key, occurrences in groups.items():
        # irregular purchases (fuel, materials) vary a lot by nature: a stricter bar avoids crying wolf
        threshold = settings.z_threshold if key in regular else settings.z_threshold_irregular
        factors = month_factors.get(key, {})
        adjusted = [abs(float(amount)) / factors.get(day.month, 1.0) for day, amount, _ in occurrences]
        for position, (day, amount, indexes) in enumerate(occurrences):
            if day <= since:
                continue
            history = adjusted[:position][-settings.history_size:]
            alert = _unusual(lines, key, day, abs(amount), history, indexes, as_of, settings, threshold,
                             factors.get(day.month, 1.0))
            if alert is not None:
                alerts.append(alert)
    return sorted(alerts, key=lambda alert: -alert.score)


def _unusual(
    lines: Sequence[BankLine],
    key: str,
    day: dt.date,
    amount: Decimal,
    history: list[float],
    indexes: tuple[int, ...],
    as_of: dt.date,
    settings: AlertSettings,
    threshold: float,
    month_factor: float = 1.0,
) -> SpendingAlert | None:
    """Only amounts above the usual one: paying less is not a spending risk (a partial payment is the
    reconciliation's business)."""
    if len(history) < settings.min_history or amount <= 0:
        return None
    history = [value * month_factor for value in history]
    logs = np.log(np.asarray(history))
    center = float(np.median(logs))
    sigma = max(MAD_TO_SIGMA * float(np.median(np.abs(logs - center))), settings.min_log_sigma)
    z = (math.log(float(amount)) - center) / sigma
    typical = round_cents(Decimal(str(float(np.median(history)))))
    difference = amount - typical
    if (
        z < threshold
        or difference < settings.min_difference
        or float(difference) < settings.min_relative_change * float(typical)
    ):
        return None
    name = display_name(lines[indexes[0]])
    when = "ce mois-ci" if (day.year, day.month) == (as_of.year, as_of.month) else f"le {format_date(day)}"
    low, high = np.percentile(history, [10, 90]) if len(history) >= 5 else (min(history), max(history))
    ratio = float(amount) / float(typical)
    comparison = f"représente {ratio:.1f} fois le montant habituel".replace(".", ",")
    usual_range = (
        f"toujours autour de {eur(Decimal(str(low)))}"
        if abs(high - low) < 0.01 * max(float(typical), 1.0)
        else f"d'ordinaire entre {eur(Decimal(str(low)))} et {eur(Decimal(str(high)))}"
    )
    explanation = (
        f"Le paiement du {format_date(day)} à {name} ({format_eur(amount)}) {comparison} : médiane "
        f"{format_eur(round_cents(typical))} sur les {len(history)} paiements précédents, {usual_range}. "
        "Vérifiez la facture (erreur de saisie, régularisation, hausse de tarif)."
    )
    return SpendingAlert(
        kind=AlertKind.UNUSUAL_AMOUNT,
        date=day,
        subject=name,
        amount=round_cents(-amount),
        reference_amount=round_cents(-typical),
        message=f"{name} : {eur(amount)} {when} contre {eur(round_cents(typical))} en moyenne",
        explanation=explanation,
        score=round(abs(z), 2),
        line_indexes=indexes,
    )


def _debit_occurrences(
    lines: Sequence[BankLine], as_of: dt.date
) -> dict[str, list[tuple[dt.date, Decimal, tuple[int, ...]]]]:
    """Debits per series, lines of the same day summed, in date order."""
    by_key_day: dict[str, dict[dt.date, list[int]]] = defaultdict(lambda: defaultdict(list))
    for index, line in enumerate(lines):
        if line.amount < 0 and line.date <= as_of:
            by_key_day[series_key(line)][line.date].append(index)
    result: dict[str, list[tuple[dt.date, Decimal, tuple[int, ...]]]] = {}
    for key, days in by_key_day.items():
        result[key] = [
            (day, sum((lines[i].amount for i in indexes), Decimal(0)), tuple(indexes))
            for day, indexes in sorted(days.items())
        ]
    return result


# ---------------------------------------------------------------- duplicates


def duplicate_alerts(
    lines: Sequence[BankLine], *, as_of: dt.date, since: dt.date, settings: AlertSettings | None = None
) -> list[SpendingAlert]:
    """Probable double payments (same counterparty and amount a few days apart) dated in (since, as_of]."""
    settings = settings or AlertSettings()
    window = settings.duplicate_days
    groups: dict[tuple[str, Decimal], list[int]] = defaultdict(list)
    for index, line in enumerate(lines):
        if line.amount < 0 and line.date <= as_of and -line.amount >= settings.duplicate_min_amount:
            groups[(series_key(line), line.amount)].append(index)
    alerts: list[SpendingAlert] = []
    for (_, amount), indexes in groups.items():
        if len(indexes) < 2:
            continue
        ordered = sorted(indexes, key=lambda i: lines[i].date)
        pairs = [
            (first, second)
            for first, second in pairwise(ordered)
            if (lines[second].date - lines[first].date).days <= window and not _different_references(
                lines[first], lines[second])
        ]
        habitual_before = [pair for pair in pairs if lines[pair[1]].date <= since]
        if len(habitual_before) >= 2:
            continue  # the same amount twice in a few days is this counterparty's normal pattern
        for first, second in pairs:
            if lines[second].date > since:
                alerts.append(_duplicate_alert(lines, first, second, -amount))
    return sorted(alerts, key=lambda alert: alert.date)


def _different_references(first: BankLine, second: BankLine) -> bool:
    refs_first, refs_second = reference_tokens(first.label), reference_tokens(second.label)
    if first.document_date and second.document_date and first.document_date != second.document_date:
        return True
    return bool(refs_first and refs_second and refs_first != refs_second)


def _duplicate_alert(lines: Sequence[BankLine], first: int, second: int, amount: Decimal) -> SpendingAlert:
    a, b = lines[first], lines[second]
    name = display_name(b)
    gap = (b.date - a.date).days
    gap_text = "le même jour" if gap == 0 else f"à {gap} jour{'s' if gap > 1 else ''} d'écart"
    dates = (
        f"le {format_date(a.date)}" if gap == 0 else f"les {format_date(a.date)} et {format_date(b.date)}"
    )
    return SpendingAlert(
        kind=AlertKind.DUPLICATE,
        date=b.date,
        subject=name,
        amount=round_cents(-amount),
        reference_amount=round_cents(-amount),
        message=f"Doublon probable : 2 paiements de {eur(amount)} à {name} {dates}",
        explanation=(
            f"Même bénéficiaire, même montant au centime, {gap_text}, sans référence de facture différente "
            "dans les libellés. Vérifiez qu'il ne s'agit pas de la même facture payée deux fois ; si c'est le "
            "cas, demandez un remboursement ou un avoir."
        ),
        score=round(1.0 / (1 + gap), 3),
        line_indexes=(first, second),
    )


# ---------------------------------------------------------------- drift


def cost_line_of(line: BankLine, recurring_kind: ChargeKind | None) -> str:
    """Which cost line a debit belongs to: the owner's category, else the nature guessed, else the name."""
    if line.category.strip():
        return line.category.strip()
    if recurring_kind is not None and recurring_kind not in {ChargeKind.OTHER, ChargeKind.INCOME}:
        return recurring_kind.label
    kind = guess_kind("", line.counterparty, line.label, is_income=False)
    if kind is not ChargeKind.OTHER:
        return kind.label
    return display_name(line)


def drift_alerts(
    lines: Sequence[BankLine],
    *,
    as_of: dt.date,
    settings: AlertSettings | None = None,
    recurring: Sequence[RecurringCharge] | None = None,
) -> list[SpendingAlert]:
    """Cost lines whose last 6 months cost clearly more than the same months a year earlier."""
    settings = settings or AlertSettings()
    debits = [(i, line) for i, line in enumerate(lines) if line.amount < 0 and line.date <= as_of]
    if not debits:
        return []
    kind_of_line: dict[int, ChargeKind] = {}
    for charge in recurring or ():
        for index in charge.line_indexes:
            kind_of_line[index] = charge.kind
    last_month = _last_complete_month(as_of)
    first_day = min(line.date for line in lines)
    first_month = first_day.year * 12 + first_day.month - 1 + (0 if first_day.day == 1 else 1)
    n_months = last_month - first_month + 1
    if n_months < 18:
        return []
    totals: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(n_months))
    squares: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(n_months))
    regular: dict[str, float] = defaultdict(float)
    members: dict[str, list[int]] = defaultdict(list)
    for index, line in debits:
        month = line.date.year * 12 + line.date.month - 1
        if first_month <= month <= last_month:
            key = cost_line_of(line, kind_of_line.get(index))
            totals[key][month - first_month] += float(-line.amount)
            squares[key][month - first_month] += float(line.amount) ** 2
            if index in kind_of_line:
                regular[key] += float(-line.amount)
            members[key].append(index)
    alerts = []
    for key, monthly in totals.items():
        is_regular = regular[key] >= 0.7 * float(monthly.sum())
        alert = _drift(key, monthly, squares[key], is_regular, last_month, settings, tuple(members[key]))
        if alert is not None:
            alerts.append(alert)
    return sorted(alerts, key=lambda alert: -alert.score)


def _last_complete_month(as_of: dt.date) -> int:
    index = as_of.year * 12 + as_of.month - 1
    return index if as_of == month_end(as_of.year, as_of.month) else index - 1


def _drift(
    key: str, monthly: np.ndarray, squares: np.ndarray, is_regular: bool, last_month: int,
    settings: AlertSettings, indexes: tuple[int, ...]
) -> SpendingAlert | None:
    """Last 6 months against the same 6 months a year earlier, if the rise is more than chance.

    Regular bills (mostly recurring charges): a t-test on the log ratios of the paired months — a bill
    rising 45 % gives six ratios near 1.45. Irregular purchases (fuel, supplies): their 6-month totals are
    sums of a random number of random amounts, whose standard deviation is about √(Σ amount²); the rise
    must exceed three of them. Lines billed quarterly are compared quarter by quarter.
    """
    n = len(monthly)
    if n < 18:
        return None
    now_total, before_total = float(monthly[n - 6:].sum()), float(monthly[n - 18:n - 12].sum())
    if before_total <= 0:
        return None
    increase = now_total / before_total - 1
    if increase < settings.drift_min_increase or (now_total - before_total) / 6 < float(
            settings.drift_min_monthly_increase):
        return None
    pairs = [(monthly[n - 1 - k], monthly[n - 13 - k]) for k in range(6)]
    paired = [(now, before) for now, before in pairs if now > 0 and before > 0]
    if not is_regular:
        noise = math.sqrt(float(squares[n - 6:].sum() + squares[n - 18:n - 12].sum()))
        if now_total - before_total < 3 * noise:
            return None
        evidence = "la hausse dépasse nettement les variations habituelles de ces achats"
    elif len(paired) >= 4:
        logs = np.log([now / before for now, before in paired])
        spread = max(float(np.std(logs, ddof=1)), 0.05)
        if float(np.mean(logs)) / spread * math.sqrt(len(logs)) < 3.0:
            return None
        evidence = f"la hausse se vérifie mois par mois ({len(paired)} mois comparés)"
    else:
        if n < 24:
            return None
        quarters = [(monthly[n - 3 * (j + 1):n - 3 * j].sum(), monthly[n - 12 - 3 * (j + 1):n - 12 - 3 * j].sum())
                    for j in range(4)]
        if not all(before > 0 and now / before > 1.05 for now, before in quarters):
            return None
        evidence = "la hausse se vérifie sur chacun des 4 derniers trimestres"
    now_amount = round_cents(Decimal(str(now_total)))
    before_amount = round_cents(Decimal(str(before_total)))
    year, month = divmod(last_month, 12)
    return SpendingAlert(
        kind=AlertKind.DRIFT,
        date=month_end(year, month + 1),
        subject=key,
        amount=-now_amount,
        reference_amount=-before_amount,
        message=f"+{increase * 100:.0f} % sur {_with_article(key)} en 12 mois",
        explanation=(
            f"6 derniers mois ({_months_text(last_month - 5, last_month)}) : {eur(now_amount)} contre "
            f"{eur(before_amount)} sur les mêmes mois un an plus tôt ; {evidence}. "
            "Comparez les offres ou renégociez le contrat."
        ),
        score=round(increase, 4),
        line_indexes=indexes,
    )


def _months_text(first: int, last: int) -> str:
    a_year, a_month = divmod(first, 12)
    b_year, b_month = divmod(last, 12)
    if a_year == b_year:
        return f"de {_MONTHS_SHORT_FR[a_month]} à {_MONTHS_SHORT_FR[b_month]} {b_year}"
    return f"de {_MONTHS_SHORT_FR[a_month]} {a_year} à {_MONTHS_SHORT_FR[b_month]} {b_year}"


def _with_article(key: str) -> str:
    """« l'énergie », « les salaires », « le loyer » for the known cost lines, the name itself otherwise."""
    articles = {
        ChargeKind.ENERGY.label: "l'énergie",
        ChargeKind.RENT.label: "le loyer",
        ChargeKind.SALARY.label: "les salaires",
        ChargeKind.LOAN.label: "l'emprunt",
        ChargeKind.SUBSCRIPTION.label: "les abonnements",
        ChargeKind.TAX.label: "les impôts et cotisations",
        ChargeKind.INSURANCE.label: "les assurances",
        ChargeKind.BANK_FEES.label: "les frais bancaires",
    }
    return articles.get(key.lower(), f"« {key} »")
