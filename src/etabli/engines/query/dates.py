"""French periods of a search phrase: months, quarters, years, relative periods, explicit dates.

Why « the most recent » for a period without a year: the owner searching « relevés de mars » in February
2026 wants March 2025, the last March that happened, not a March still to come; in March 2026 he wants
the current one. The same rule applies to « premier trimestre », « depuis janvier » or « le 15 mars ».
Every function takes ``today``: nothing here reads the clock.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from etabli.common.formats import format_date

MONTHS: dict[str, int] = {
    "janvier": 1,
    "janv": 1,
    "jan": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "sep": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}
MONTH_NAMES = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
#: Regex alternation of month names, longest first so that « septembre » is not read as « sept ».
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))

NUMBER_WORDS: dict[str, int] = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "quinze": 15,
    "vingt": 20,
    "trente": 30,
}

ORDINALS: dict[str, int] = {
    "1er": 1,
    "1e": 1,
    "1ere": 1,
    "premier": 1,
    "premiere": 1,
    "2e": 2,
    "2eme": 2,
    "2nd": 2,
    "deuxieme": 2,
    "second": 2,
    "seconde": 2,
    "3e": 3,
    "3eme": 3,
    "troisieme": 3,
    "4e": 4,
    "4eme": 4,
    "quatrieme": 4,
}
ORDINAL_PATTERN = "|".join(sorted(ORDINALS, key=len, reverse=True))
ORDINAL_LABELS = {1: "1er", 2: "2e", 3: "3e", 4: "4e"}


@dataclass(frozen=True)
class Period:
    """An inclusive date range; either end may be open (None). ``label`` says it in French."""

    start: date | None
    end: date | None
    label: str


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_period(year: int, month: int) -> Period:
    return Period(date(year, month, 1), month_end(year, month), f"{MONTH_NAMES[month - 1]} {year}")


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), f"année {year}")


def quarter_period(year: int, quarter: int) -> Period:
    first = 3 * (quarter - 1) + 1
    return Period(
        date(year, first, 1), month_end(year, first + 2), f"{ORDINAL_LABELS[quarter]} trimestre {year}"
    )


def half_period(year: int, half: int) -> Period:
    first = 1 if half == 1 else 7
    return Period(date(year, first, 1), month_end(year, first + 5), f"{ORDINAL_LABELS[half]} semestre {year}")


def latest_year_for_month(month: int, today: date) -> int:
    """The year of the most recent month ``month`` that has started by ``today``."""
    return today.year if month <= today.month else today.year - 1


def latest_year_for_quarter(quarter: int, today: date) -> int:
    return today.year if 3 * (quarter - 1) + 1 <= today.month else today.year - 1


def latest_year_for_half(half: int, today: date) -> int:
    return today.year if (1 if half == 1 else 7) <= today.month else today.year - 1


def latest_year_for_day(month: int, day: int, today: date) -> int:
    """The year of the most recent « day month » on or before ``today``."""
    return today.year if (month, day) <= (today.month, today.day) else today.year - 1


def safe_date(year: int, month: int, day: int) -> date | None:
    """A date, or None when it does not exist (31/02)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def full_year(year: int) -> int:
    """« 25 » → 2025 (two-digit years are this century)."""
    return 2000 + year if year < 100 else year


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def relative_period(unit: str, count: int, today: date) -> Period:
    """« les 3 derniers mois » → from three months before ``today`` up to ``today``."""
    if unit.startswith("jour"):
        start = today - timedelta(days=count)
    elif unit.startswith("semaine"):
        start = today - timedelta(weeks=count)
    elif unit.startswith("mois"):
        start = add_months(today, -count)
    else:
        start = add_months(today, -12 * count)
    plural = {"jour": "jours", "semaine": "semaines", "mois": "mois", "an": "ans", "annee": "ans"}
    word = next(value for key, value in plural.items() if unit.startswith(key))
    if count > 1:
        return Period(start, today, f"{count} derniers {word}")
    single = {
        "jours": "dernier jour",
        "semaines": "dernière semaine",
        "mois": "dernier mois",
        "ans": "dernière année",
    }
    return Period(start, today, single[word])


def range_label(start: date | None, end: date | None) -> str:
    if start and end:
        if start == end:
            return f"le {format_date(start)}"
        return f"du {format_date(start)} au {format_date(end)}"
    if start:
        return f"depuis le {format_date(start)}"
    if end:
        return f"jusqu'au {format_date(end)}"
    return ""


def intersect(periods: list[Period]) -> Period | None:
    """The period common to all (None when they do not overlap); the label of a single one is kept."""
    if not periods:
        return Period(None, None, "")
    starts = [p.start for p in periods if p.start is not None]
    ends = [p.end for p in periods if p.end is not None]
    start = max(starts) if starts else None
    end = min(ends) if ends else None
    if start and end and start > end:
        return None
    if len(periods) == 1:
        return periods[0]
    same = [p for p in periods if p.start == start and p.end == end]
    return Period(start, end, same[0].label if same else range_label(start, end))
