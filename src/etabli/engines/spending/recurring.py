"""Detect recurring flows (rent, salaries, loans, subscriptions, energy, taxes) in a bank history.

How, and why this way:
1. Lines are grouped by series (counterparty, else cleaned label; sign; account) — see `normalize`.
   Lines of one series on the same day are one occurrence (two licences billed together).
2. The gaps between occurrences are tested against each period, shortest first: most gaps must be one
   period long (within a tolerance that absorbs weekends and holidays), and the others a small multiple
   (a month skipped is still a monthly charge). A series that fails as a whole is split into amount
   clusters (URSSAF monthly and quarterly, a subscription and occasional purchases from the same vendor)
   and each cluster is tested again.
3. Typical amount = median of the last few occurrences (the rent was indexed, the salary raised), spread =
   1.4826 × MAD of a few more, typical day = the most frequent day (bank shifts only move a few occurrences), with a
   "last business day of the month" rule detected for salaries.
4. Next dates are projected on the French bank calendar; an occurrence due a few days before `as_of` that
   has not shown up yet is still expected (it is late, not gone); a series silent for 1.5 periods is
   inactive.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

import numpy as np

from etabli.common.formats import format_date, format_eur
from etabli.common.money import round_cents
from etabli.engines.spending.calendar import BankCalendar, add_months, month_end
from etabli.engines.spending.normalize import display_name, guess_kind, label_key, series_key, simplify
from etabli.engines.spending.stats import median, mode_or_median, robust_sigma
from etabli.engines.spending.types import BankLine, DayRule, Period, RecurringCharge, SpendingError

#: Allowed distance (days) between a gap and a whole number of periods.
_TOLERANCE = {Period.WEEKLY: 2.0, Period.MONTHLY: 6.0, Period.QUARTERLY: 14.0, Period.YEARLY: 21.0}
#: Fewest occurrences before a series is called recurring (two yearly payments can be enough).
_MIN_OCCURRENCES = {Period.WEEKLY: 4, Period.MONTHLY: 3, Period.QUARTERLY: 3, Period.YEARLY: 2}
#: How many recent occurrences give the typical amount: few, because charges move by steps (a hiring
#: raises the URSSAF, the rent is indexed) and a short median follows a step within two periods.
_RECENT = {Period.WEEKLY: 4, Period.MONTHLY: 3, Period.QUARTERLY: 3, Period.YEARLY: 2}
#: How many recent occurrences measure the spread of the amount.
_SPREAD = {Period.WEEKLY: 8, Period.MONTHLY: 6, Period.QUARTERLY: 4, Period.YEARLY: 3}
#: Days an occurrence may be late before it is considered skipped.
_GRACE = {Period.WEEKLY: 2, Period.MONTHLY: 6, Period.QUARTERLY: 12, Period.YEARLY: 20}
_PERIODS = (Period.WEEKLY, Period.MONTHLY, Period.QUARTERLY, Period.YEARLY)
_CLUSTER_RATIO = 1.35  # consecutive sorted amounts further apart than this start a new amount cluster


@dataclass(frozen=True, slots=True)
class _Occurrence:
    date: dt.date
    amount: Decimal
    indexes: tuple[int, ...]


def validate_lines(lines: Iterable[BankLine]) -> list[BankLine]:
    """A list of `BankLine`, or a French error naming the first bad item."""
    if isinstance(lines, (str, bytes)):
        raise SpendingError("L'historique doit être une liste de lignes bancaires (BankLine).")
    result = list(lines)
    for position, line in enumerate(result):
        if not isinstance(line, BankLine):
            raise SpendingError(
                f"L'élément n° {position + 1} de l'historique n'est pas une ligne bancaire (BankLine) : "
                f"{type(line).__name__}."
            )
    return result


def detect_recurring(
    lines: Sequence[BankLine],
    *,
    as_of: dt.date | None = None,
    calendar: BankCalendar | None = None,
) -> list[RecurringCharge]:
    """All recurring series found in `lines` (up to `as_of`, default the last line's date), largest first.

    Income series (a monthly maintenance contract, a subsidy) are returned too, with a positive amount:
    the cash forecast needs them; the spending watch looks at the charges.
    """
    lines = validate_lines(lines)
    if not lines:
        return []
    as_of = as_of or max(line.date for line in lines)
    calendar = calendar or BankCalendar()
    groups: dict[str, list[int]] = defaultdict(list)
    for index, line in enumerate(lines):
        if line.date <= as_of and line.amount != 0:
            groups[series_key(line)].append(index)
    charges: list[RecurringCharge] = []
    for key, indexes in groups.items():
        charges.extend(_detect_group(key, indexes, lines, as_of, calendar))
    charges.sort(key=lambda charge: (not charge.active, -abs(charge.typical_amount) / Decimal(
        str(charge.period.nominal_days))))
    return charges


def _detect_group(
    key: str, indexes: list[int], lines: Sequence[BankLine], as_of: dt.date, calendar: BankCalendar
) -> list[RecurringCharge]:
    """One series, or — when it is not periodic as a whole — its sub-series.

    The tax office takes VAT monthly, corporate tax quarterly and the CFE yearly from one counterparty:
    the labels tell them apart, and what the labels cannot split is split by amount.
    """
    occurrences = _occurrences(lines, indexes)
    if len(occurrences) < 2:
        return []
    charge = _detect_series(key, occurrences, lines, as_of, calendar)
    if charge is not None:
        return [charge]
    found: list[RecurringCharge] = []
    by_label: dict[str, list[int]] = defaultdict(list)
    for index in indexes:
        by_label[_label_subkey(lines[index])].append(index)
    leftover: list[int] = []
    if len(by_label) > 1:
        for subkey, members in sorted(by_label.items()):
            sub_occurrences = _occurrences(lines, members)
            sub_charge = (
                _detect_series(f"{key}#{subkey}", sub_occurrences, lines, as_of, calendar)
                if len(sub_occurrences) >= 3 else None
            )
            if sub_charge is not None:
                found.append(sub_charge)
            else:
                leftover.extend(members)
    else:
        leftover = list(indexes)
    if len(leftover) >= 3:
        for number, cluster in enumerate(_amount_clusters(_occurrences(lines, sorted(leftover))), start=1):
            if len(cluster) >= 3:  # two look-alike card payments a year apart are not a yearly charge
                cluster_charge = _detect_series(f"{key}#{number}", cluster, lines, as_of, calendar)
                if cluster_charge is not None:
                    found.append(cluster_charge)
    return found


def _label_subkey(line: BankLine) -> str:
    """Words of the label that are not the counterparty's name (« tva », « impot societes », « cfe »)."""
    own = set(simplify(line.counterparty).split())
    words = [word for word in label_key(line.label, max_words=8).split() if word not in own]
    return " ".join(words[:3])


def occurrences_between(
    charge: RecurringCharge, start: dt.date, end: dt.date, calendar: BankCalendar | None = None
) -> list[dt.date]:
    """Expected bank dates of `charge` in [start, end], on the bank calendar (used by the forecast)."""
    if not charge.active:
        return []
    calendar = calendar or BankCalendar()
    pending = [day for day in charge.next_dates if start <= day <= end]
    after = max(charge.next_dates) if charge.next_dates else charge.last_date
    scheduled = _schedule(charge, after + dt.timedelta(days=1), end, calendar)
    return sorted(set(pending) | {day for day in scheduled if day >= start and day > after})


def _occurrences(lines: Sequence[BankLine], indexes: list[int]) -> list[_Occurrence]:
    by_date: dict[dt.date, list[int]] = defaultdict(list)
    for index in indexes:
        by_date[lines[index].date].append(index)
    return [
        _Occurrence(day, sum((lines[i].amount for i in members), Decimal(0)), tuple(members))
        for day, members in sorted(by_date.items())
    ]


def _amount_clusters(occurrences: list[_Occurrence]) -> list[list[_Occurrence]]:
    ordered = sorted(occurrences, key=lambda occ: abs(occ.amount))
    clusters: list[list[_Occurrence]] = [[ordered[0]]]
    for previous, current in pairwise(ordered):
        if abs(current.amount) > abs(previous.amount) * Decimal(str(_CLUSTER_RATIO)):
            clusters.append([])
        clusters[-1].append(current)
    if len(clusters) == 1:
        return []
    return [sorted(cluster, key=lambda occ: occ.date) for cluster in clusters if len(cluster) >= 2]


def _fit_period(ordinals: np.ndarray) -> tuple[Period, float] | None:
    """The shortest period the gaps agree with, and how regular they are (share of one-period gaps)."""
    gaps = np.diff(ordinals).astype(float)
    for period in _PERIODS:
        if len(ordinals) < _MIN_OCCURRENCES[period]:
            continue
        nominal = period.nominal_days
        multiples = np.rint(gaps / nominal)
        tolerance = _TOLERANCE[period] * (1 + 0.25 * np.maximum(multiples - 1, 0))
        fits = (multiples >= 1) & (multiples <= 3) & (np.abs(gaps - multiples * nominal) <= tolerance)
        single = fits & (multiples == 1)
        if fits.mean() >= 0.8 and single.mean() >= 0.6:
            return period, float(single.mean())
    return None


def _detect_series(
    key: str, occurrences: list[_Occurrence], lines: Sequence[BankLine], as_of: dt.date, calendar: BankCalendar
) -> RecurringCharge | None:
    ordinals = np.array([occ.date.toordinal() for occ in occurrences])
    fitted = _fit_period(ordinals)
    if fitted is None:
        return None
    period, regularity = fitted
    amounts = np.array([float(occ.amount) for occ in occurrences])
    if len(occurrences) == 2 and abs(amounts[1] - amounts[0]) > 0.25 * max(abs(amounts[0]), abs(amounts[1])):
        return None  # two yearly payments of very different amounts are two purchases, not a charge
    typical = median(amounts[-_RECENT[period]:])
    recent = amounts[-_SPREAD[period]:]
    spread = robust_sigma(recent if len(recent) >= 3 else amounts)
    variability = spread / abs(typical) if typical else 0.0
    first_line = lines[occurrences[-1].indexes[0]]
    member_indexes = tuple(index for occ in occurrences for index in occ.indexes)
    member_lines = [lines[index] for index in member_indexes]
    category = _most_common([line.category for line in member_lines if line.category])
    name = display_name(first_line)
    kind = guess_kind(category, first_line.counterparty, first_line.label, is_income=typical > 0)
    invoice_linked = sum(line.document_date is not None for line in member_lines) >= 0.5 * len(member_lines)
    months = [occ.date.month for occ in occurrences]
    typical_day: int | None = None
    typical_weekday: int | None = None
    typical_month: int | None = None
    day_rule = DayRule.FIXED_DAY
    if period is Period.WEEKLY:
        typical_weekday = mode_or_median([occ.date.weekday() for occ in occurrences], min_share=0.0)
    else:
        if _mostly_last_business_day(occurrences, calendar):
            day_rule = DayRule.LAST_BUSINESS_DAY
        typical_day = _typical_day(occurrences, calendar)
        if period is Period.QUARTERLY:
            typical_month = mode_or_median([(month - 1) % 3 + 1 for month in months], min_share=0.0)
        elif period is Period.YEARLY:
            typical_month = mode_or_median(months, min_share=0.0)
    last_date = occurrences[-1].date
    silence = (as_of - last_date).days
    active = silence <= 1.5 * period.nominal_days + _TOLERANCE[period]
    confidence = round(
        0.5 * regularity + 0.3 * min(1.0, (len(occurrences) - 1) / 6) + 0.2 * (1 - min(1.0, variability)), 3
    )
    month_factors = _month_factors(occurrences) if period is Period.MONTHLY else ()
    charge = RecurringCharge(
        key=key,
        name=name,
        kind=kind,
        category=category or kind.label,
        period=period,
        typical_amount=round_cents(Decimal(str(typical))),
        amount_spread=round_cents(Decimal(str(spread))),
        variability=round(variability, 4),
        occurrences=len(occurrences),
        first_date=occurrences[0].date,
        last_date=last_date,
        next_dates=(),
        active=active,
        confidence=confidence,
        account=first_line.account,
        typical_day=typical_day,
        typical_weekday=typical_weekday,
        typical_month=typical_month,
        day_rule=day_rule,
        invoice_linked=invoice_linked,
        month_factors=month_factors,
        trend=_trend(occurrences, month_factors) if period in (Period.WEEKLY, Period.MONTHLY) else 0.0,
        line_indexes=tuple(sorted(member_indexes)),
    )
    next_dates = _next_dates(charge, as_of, calendar) if active else ()
    return _replace(charge, next_dates=next_dates, explanation=_explain(charge, next_dates))


def _month_factors(occurrences: list[_Occurrence]) -> tuple[tuple[int, float], ...]:
    """Calendar months where a monthly amount is consistently different (13th month, yearly bonus).

    Each occurrence is compared with the median of its 3 neighbours on each side; a month is kept when
    it differs by more than 30 % in the same direction in every year seen, and at least twice.
    """
    amounts = np.array([abs(float(occ.amount)) for occ in occurrences])
    if len(amounts) < 13:
        return ()
    ratios: dict[int, list[float]] = defaultdict(list)
    for i, occ in enumerate(occurrences):
        neighbours = np.concatenate([amounts[max(0, i - 3):i], amounts[i + 1:i + 4]])
        reference = float(np.median(neighbours))
        if reference > 0:
            ratios[occ.date.month].append(amounts[i] / reference)
    factors = []
    for month, values in sorted(ratios.items()):
        if len(values) >= 2 and (all(v > 1.3 for v in values) or all(v < 1 / 1.3 for v in values)):
            factors.append((month, round(float(np.median(values)), 3)))
    return tuple(factors)


def _trend(occurrences: list[_Occurrence], month_factors: tuple[tuple[int, float], ...]) -> float:
    """Relative change per period of a steadily moving amount, 0 when there is no consistent trend.

    Theil–Sen slope of the log amounts over the last 12 occurrences (seasonal months divided out), kept
    only when at least three quarters of all pairs move the same way: a growing company's URSSAF has one,
    a rent indexed once a year (mostly equal pairs) or a noisy energy bill does not.
    """
    recent = occurrences[-12:]
    if len(recent) < 8:
        return 0.0
    factors = dict(month_factors)
    logs = np.log([abs(float(occ.amount)) / factors.get(occ.date.month, 1.0) for occ in recent])
    slopes = [(logs[j] - logs[i]) / (j - i) for i in range(len(logs)) for j in range(i + 1, len(logs))]
    slope = float(np.median(slopes))
    same_sign = np.mean([np.sign(value) == np.sign(slope) and value != 0 for value in slopes])
    if slope == 0 or same_sign < 0.75:
        return 0.0
    return round(float(np.clip(np.expm1(slope), -0.05, 0.05)), 5)


def _replace(charge: RecurringCharge, **changes: object) -> RecurringCharge:
    from dataclasses import replace

    return replace(charge, **changes)


def _most_common(values: list[str]) -> str:
    if not values:
        return ""
    counts: dict[str, int] = defaultdict(int)
    for value in values:
        counts[value] += 1
    return max(counts.items(), key=lambda item: item[1])[0]


def _typical_day(occurrences: list[_Occurrence], calendar: BankCalendar) -> int:
    """Nominal due day of month: the day whose bank-calendar date explains the most occurrences.

    A charge due on the 20th is posted on the 22nd when the 20th is a Saturday, and on the 1st of the
    next month when due on the 31st of a month ending on a weekend; the most frequent posted day can be a
    shifted one, so each candidate day is replayed on the calendar of every month seen.
    """
    candidates = {max(1, occ.date.day - shift) for occ in occurrences for shift in range(4)}
    candidates |= {28, 29, 30, 31}

    def explained(day: int) -> int:
        hits = 0
        for occ in occurrences:
            for year, month in ((occ.date.year, occ.date.month), _previous_month(occ.date)):
                nominal = dt.date(year, month, min(day, month_end(year, month).day))
                if calendar.roll_forward(nominal) == occ.date:
                    hits += 1
                    break
        return hits

    scores = {day: explained(day) for day in candidates}
    best = max(scores.values())
    if best == 0:
        return mode_or_median([occ.date.day for occ in occurrences])
    tied = [day for day, score in scores.items() if score == best]
    exact = Counter(occ.date.day for occ in occurrences)
    return max(tied, key=lambda day: (exact.get(day, 0), -day))


def _previous_month(day: dt.date) -> tuple[int, int]:
    return (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)


def _mostly_last_business_day(occurrences: list[_Occurrence], calendar: BankCalendar) -> bool:
    if len(occurrences) < 3:
        return False
    hits = sum(
        occ.date == calendar.last_business_day_of_month(occ.date.year, occ.date.month) for occ in occurrences
    )
    # the last business day is often also the usual fixed day: require it to move across months
    distinct_days = len({occ.date.day for occ in occurrences})
    return hits / len(occurrences) >= 0.7 and distinct_days >= 2


def _schedule(charge: RecurringCharge, start: dt.date, end: dt.date, calendar: BankCalendar) -> list[dt.date]:
    """Bank dates of the charge's nominal schedule whose nominal day falls in [start − 1 month, end]."""
    dates: list[dt.date] = []
    if charge.period is Period.WEEKLY:
        weekday = charge.typical_weekday or 0
        day = start - dt.timedelta(days=7)
        day += dt.timedelta(days=(weekday - day.weekday()) % 7)
        while day <= end:
            dates.append(calendar.roll_forward(day))
            day += dt.timedelta(days=7)
        return dates
    step = {Period.MONTHLY: 1, Period.QUARTERLY: 3, Period.YEARLY: 12}[charge.period]
    month_cursor = add_months(dt.date(start.year, start.month, 1), -step)
    while month_cursor <= end:
        year, month = month_cursor.year, month_cursor.month
        in_phase = (
            charge.period is Period.MONTHLY
            or (charge.period is Period.QUARTERLY and (month - 1) % 3 + 1 == (charge.typical_month or 1))
            or (charge.period is Period.YEARLY and month == (charge.typical_month or 1))
        )
        if in_phase:
            if charge.day_rule is DayRule.LAST_BUSINESS_DAY:
                dates.append(calendar.last_business_day_of_month(year, month))
            else:
                nominal = min(charge.typical_day or 1, month_end(year, month).day)
                dates.append(calendar.roll_forward(dt.date(year, month, nominal)))
        month_cursor = add_months(month_cursor, 1)
    return dates


def _next_dates(charge: RecurringCharge, as_of: dt.date, calendar: BankCalendar, count: int = 3) -> tuple[dt.date, ...]:
    """The next `count` expected bank dates after `as_of`; a slightly late occurrence is still expected."""
    half_period = dt.timedelta(days=charge.period.nominal_days / 2)
    horizon = as_of + dt.timedelta(days=int(charge.period.nominal_days * (count + 1)) + 31)
    result: list[dt.date] = []
    for day in _schedule(charge, charge.last_date, horizon, calendar):
        if day <= charge.last_date + half_period:
            continue  # this period's occurrence has already been paid
        if day <= as_of:
            if (as_of - day).days <= _GRACE[charge.period]:
                result.append(calendar.roll_forward(as_of + dt.timedelta(days=1)))
            continue
        result.append(day)
    return tuple(sorted(set(result)))[:count]


def _explain(charge: RecurringCharge, next_dates: tuple[dt.date, ...]) -> str:
    nature = "Recette" if charge.is_income else "Échéance"
    direction = "reçue de" if charge.is_income else "payée à"
    when = _when_text(charge)
    stability = (
        "montant stable" if charge.variability < 0.05 else f"montant variable (± {charge.variability * 100:.0f} %)"
    )
    text = (
        f"{nature} {_PERIOD_FEMININE[charge.period]} « {charge.kind.label} » {direction} {charge.name} : environ "
        f"{format_eur(abs(charge.typical_amount))} {when} ({charge.occurrences} fois depuis le "
        f"{format_date(charge.first_date)}), {stability}."
    )
    if charge.month_factors:
        bumps = ", ".join(f"× {factor:.2f} en {_MONTHS_FR[month - 1]}".replace(".", ",")
                          for month, factor in charge.month_factors)
        text += f" Mois particuliers : {bumps}."
    if not charge.active:
        return text + f" Plus vue depuis le {format_date(charge.last_date)} : considérée comme arrêtée."
    if next_dates:
        text += f" Prochaine échéance attendue le {format_date(next_dates[0])}."
    return text


_PERIOD_FEMININE = {
    Period.WEEKLY: "hebdomadaire",
    Period.MONTHLY: "mensuelle",
    Period.QUARTERLY: "trimestrielle",
    Period.YEARLY: "annuelle",
}
_WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre")


def _when_text(charge: RecurringCharge) -> str:
    if charge.period is Period.WEEKLY:
        return f"chaque {_WEEKDAYS_FR[charge.typical_weekday or 0]}"
    if charge.day_rule is DayRule.LAST_BUSINESS_DAY:
        day_text = "le dernier jour ouvré du mois"
    else:
        day_text = f"le {charge.typical_day} du mois"
    if charge.period is Period.QUARTERLY:
        rank = "1er" if charge.typical_month == 1 else f"{charge.typical_month}e"
        return f"{day_text}, {rank} mois de chaque trimestre"
    if charge.period is Period.YEARLY:
        month = _MONTHS_FR[(charge.typical_month or 1) - 1]
        return f"{day_text} en {month}"
    return day_text


def recurring_line_indexes(charges: Iterable[RecurringCharge]) -> set[int]:
    """Positions of all lines that belong to one of `charges`."""
    return {index for charge in charges for index in charge.line_indexes}

