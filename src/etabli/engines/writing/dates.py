"""French date expressions in free text: "avant vendredi", "le 12/12", "d'ici la fin du mois", "sous 48 h".

Why: triage needs to know whether a deadline is close, and a thread summary needs each action's due date.
Mails say dates the way people talk, relative to the day they were written, so every expression is
resolved against a reference date (the e-mail's date). Expressions that cannot be resolved without one
are still returned, with ``value=None``, so the words are never lost.
"""

from __future__ import annotations

import datetime as dt
import re
from calendar import monthrange
from dataclasses import dataclass

from etabli.engines.writing._text import fold

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier", "fevrier", "mars", "avril", "mai", "juin",
    "juillet", "aout", "septembre", "octobre", "novembre", "decembre",
)
_MONTH_ABBREVIATIONS = {
    "janv": 1, "jan": 1, "fevr": 2, "fev": 2, "avr": 4, "juil": 7, "sept": 9, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_NUMBER_WORDS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
    "dix": 10, "quinze": 15, "vingt": 20, "trente": 30,
}

_MONTH_RE = (
    r"(janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
    r"|janv\.?|fevr?\.?|avr\.?|juil\.?|sept?\.?|oct\.?|nov\.?|dec\.?)"
)
_WEEKDAY_RE = r"(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_TIME_RE = r"(?:\s*(?:a|vers|des|avant)?\s*(\d{1,2})\s*(?:h|heures?|:)\s*(\d{2})?)?"
_DEADLINE_BEFORE = re.compile(
    r"(avant|d'ici|d ici|au plus tard|jusqu'au|jusqu'a|jusqu au|pour|sous|dernier delai|date limite"
    r"|echeance|delai|limite|deadline|au plus vite et avant)\s*(?:le|la|ce|cette|l'|:)?\s*$"
)

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("numeric", re.compile(r"(?<![\d/.\-])(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{4}|\d{2}))?(?![\d/]|\.\d)" + _TIME_RE)),
    (
        "textual",
        re.compile(
            rf"(?<![\w])(?:{_WEEKDAY_RE}\s+)?(1er|\d{{1,2}})\s+{_MONTH_RE}(?:\s+(\d{{4}}))?(?![\w])" + _TIME_RE
        ),
    ),
    ("month_edge", re.compile(rf"(?<![\w])(fin|debut|mi-?)\s*(?:du mois de |de |d')?\s*{_MONTH_RE}(?![\w])")),
    ("relative_day", re.compile(r"(?<![\w])(apres-demain|apres demain|aujourd'hui|aujourd hui|demain|ce soir|ce matin|cet apres-midi|ce midi|hier)(?![\w])" + _TIME_RE)),
    (
        "weekday",
        re.compile(rf"(?<![\w])(?:(ce|cette)\s+)?{_WEEKDAY_RE}(?:\s+(prochain|matin|soir|apres-midi|midi))?(?![\w])" + _TIME_RE),
    ),
    (
        "period",
        re.compile(
            r"(?<![\w])(fin de (?:la )?semaine prochaine|fin de (?:la )?semaine|cette semaine|la semaine prochaine"
            r"|semaine prochaine|fin du mois prochain|fin du mois|fin de mois|debut du mois prochain"
            r"|le mois prochain|mois prochain|fin d'annee|fin de l'annee|en fin de journee|fin de journee|ce week-end|ce weekend)"
        ),
    ),
    (
        "duration",
        re.compile(
            r"(?<![\w])(?:sous|dans|d'ici|d ici|en moins de)\s+(\d{1,3}|un|une|deux|trois|quatre|cinq|six|sept|huit|dix|quinze|vingt|trente)\s*"
            r"(h|heures?|jours? ouvres|jours? ouvrables|jours?|semaines?|mois)(?![\w])"
        ),
    ),
    ("huitaine", re.compile(r"(?<![\w])sous (huitaine|quinzaine|48 ?h|24 ?h|72 ?h)")),
)


@dataclass(frozen=True)
class DateMention:
    """A date expression found in a text.

    ``value`` is the resolved calendar date (None when it needs a reference date that was not given or
    the expression is too vague); ``is_deadline`` is true when the words around it set a limit
    ("avant", "d'ici", "au plus tard", "sous"); ``time`` is "14h30" when an hour was given.
    """

    text: str
    start: int
    end: int
    value: dt.date | None
    is_deadline: bool
    time: str | None = None


def _month_number(token: str) -> int:
    token = token.rstrip(".")
    if token in MONTHS:
        return MONTHS.index(token) + 1
    return _MONTH_ABBREVIATIONS.get(token, _MONTH_ABBREVIATIONS.get(token[:3], 0))


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _nearest_year(month: int, day: int, reference: dt.date | None) -> dt.date | None:
    """A day and month without a year: the first such date not more than two months in the past.

    "le 05/01" written on 20 December means next January; "le 15/12" written on 2 January is the one
    just past. Two months of tolerance covers reminders about past dates.
    """
    if reference is None:
        return None
    for year in (reference.year, reference.year + 1):
        candidate = _safe_date(year, month, day)
        if candidate and candidate >= reference - dt.timedelta(days=61):
            return candidate
    return None


def _next_weekday(reference: dt.date, weekday: int, *, include_today: bool) -> dt.date:
    delta = (weekday - reference.weekday()) % 7
    if delta == 0 and not include_today:
        delta = 7
    return reference + dt.timedelta(days=delta)


def _add_business_days(start: dt.date, days: int) -> dt.date:
    current = start
    while days > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def _format_time(hour: str | None, minute: str | None) -> str | None:
    if not hour or int(hour) > 23:
        return None
    return f"{int(hour)}h{minute}" if minute else f"{int(hour)}h"


def _resolve(kind: str, match: re.Match[str], reference: dt.date | None) -> tuple[dt.date | None, str | None]:
    groups = match.groups()
    if kind == "numeric":
        day, month, year, hour, minute = groups
        if not (1 <= int(day) <= 31 and 1 <= int(month) <= 12):
            return None, None
        if year:
            full_year = int(year) + (2000 if len(year) == 2 else 0)
            return _safe_date(full_year, int(month), int(day)), _format_time(hour, minute)
        return _nearest_year(int(month), int(day), reference), _format_time(hour, minute)
    if kind == "textual":
        _weekday, day, month_token, year, hour, minute = groups
        day_number = 1 if day == "1er" else int(day)
        month = _month_number(month_token)
        if not month:
            return None, None
        if year:
            return _safe_date(int(year), month, day_number), _format_time(hour, minute)
        return _nearest_year(month, day_number, reference), _format_time(hour, minute)
    if kind == "month_edge":
        edge, month_token = groups
        month = _month_number(month_token)
        if reference is None or not month:
            return None, None
        year = reference.year + (1 if month < reference.month - 1 else 0)
        day = {"fin": monthrange(year, month)[1], "debut": 5}.get(edge, 15)
        return _safe_date(year, month, day), None
    if reference is None:
        return None, None
    if kind == "relative_day":
        word, hour, minute = groups
        offsets = {"hier": -1, "demain": 1, "apres-demain": 2, "apres demain": 2}
        return reference + dt.timedelta(days=offsets.get(word, 0)), _format_time(hour, minute)
    if kind == "weekday":
        this, weekday, _qualifier, hour, minute = groups
        target = WEEKDAYS.index(weekday)
        include_today = this is not None
        value = _next_weekday(reference, target, include_today=include_today)
        return value, _format_time(hour, minute)
    if kind == "period":
        phrase = groups[0]
        friday = _next_weekday(reference, 4, include_today=True)
        if "semaine prochaine" in phrase:
            return friday + dt.timedelta(days=7), None
        if "semaine" in phrase:
            return friday, None
        if "week" in phrase:
            return _next_weekday(reference, 6, include_today=True), None
        if "journee" in phrase:
            return reference, None
        if "mois prochain" in phrase:
            month = reference.month % 12 + 1
            year = reference.year + (1 if month == 1 else 0)
            if phrase.startswith("fin"):
                return dt.date(year, month, monthrange(year, month)[1]), None
            return dt.date(year, month, 5 if phrase.startswith("debut") else 1), None
        if "mois" in phrase:
            return dt.date(reference.year, reference.month, monthrange(reference.year, reference.month)[1]), None
        if "annee" in phrase:
            return dt.date(reference.year, 12, 31), None
        return None, None
    if kind == "duration":
        amount_token, unit = groups
        amount = int(amount_token) if amount_token.isdigit() else _NUMBER_WORDS.get(amount_token, 0)
        if unit.startswith("h"):
            return reference + dt.timedelta(days=max(0, (amount + 23) // 24)), None
        if "ouvr" in unit:
            return _add_business_days(reference, amount), None
        if unit.startswith("jour"):
            return reference + dt.timedelta(days=amount), None
        if unit.startswith("semaine"):
            return reference + dt.timedelta(days=7 * amount), None
        month = (reference.month - 1 + amount) % 12 + 1
        year = reference.year + (reference.month - 1 + amount) // 12
        return _safe_date(year, month, min(reference.day, monthrange(year, month)[1])), None
    if kind == "huitaine":
        token = groups[0].replace(" ", "")
        days = {"huitaine": 8, "quinzaine": 15, "48h": 2, "24h": 1, "72h": 3}[token]
        return reference + dt.timedelta(days=days), None
    return None, None


def find_dates(text: str, reference: dt.date | dt.datetime | None = None) -> list[DateMention]:
    """Every date expression of ``text`` in reading order, resolved against ``reference`` when given.

    Overlapping matches keep the earliest, then the longest ("mardi 12 décembre" beats "mardi").
    """
    if isinstance(reference, dt.datetime):
        reference = reference.date()
    folded = fold(text)
    candidates: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(folded):
            if match.group(0).strip():
                candidates.append((match.start(), -(match.end() - match.start()), kind, match))
    candidates.sort(key=lambda item: (item[0], item[1]))
    mentions: list[DateMention] = []
    taken_until = -1
    for start, _length, kind, match in candidates:
        if start < taken_until:
            continue
        value, time = _resolve(kind, match, reference)
        if kind == "numeric" and value is None and reference is not None:
            continue  # "3-4" or "45/12" is not a date
        if kind == "numeric" and not _looks_like_date_context(folded, match):
            continue
        end = match.end()
        while end > start and folded[end - 1].isspace():
            end -= 1
        window = folded[max(0, start - 30) : start]
        is_deadline = bool(_DEADLINE_BEFORE.search(window)) or kind == "huitaine" or (
            kind == "duration" and not match.group(0).startswith("dans")
        )
        mentions.append(
            DateMention(
                text=text[start:end], start=start, end=end, value=value, is_deadline=is_deadline, time=time
            )
        )
        taken_until = end
    return mentions


def _looks_like_date_context(folded: str, match: re.Match[str]) -> bool:
    """Reject "3.5 kg", "1-2 personnes", "12/20 de moyenne": a numeric date must not be a measure."""
    after = folded[match.end() : match.end() + 12].lstrip()
    if re.match(r"(kg|g|cm|mm|m|l|ml|%|€|eur|euros|personnes|pers|ans|mois|h\b|x\b)", after):
        return False
    separator = folded[match.start(1) + len(match.group(1)) : match.start(2)]
    return separator == "/" or match.group(3) is not None


def format_french_date(value: dt.date, *, with_weekday: bool = True) -> str:
    """date(2026, 12, 4) → "vendredi 04/12/2026" (the way French e-mails and posts state dates)."""
    text = value.strftime("%d/%m/%Y")
    return f"{WEEKDAYS[value.weekday()]} {text}" if with_weekday else text
