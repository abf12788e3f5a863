"""Opening hours: parse what the owner types, describe them in French, tell whether the team is there now and
when it comes back.

Why it matters: when a conversation is handed over, the customer is told honestly *when* a person will answer
("dans les prochaines minutes" during opening hours, "lundi à 8 h" on a Saturday evening). French public
holidays count as closed days (the `holidays` package knows them, Alsace-Moselle aside).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import holidays

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
_TIME = r"(\d{1,2})\s*(?:h|:|H)\s*(\d{2})?"
_INTERVAL = re.compile(rf"{_TIME}\s*(?:-|–|à|a)\s*{_TIME}")
_CLOSED_WORDS = {"ferme", "fermé", "fermée", "closed", "-", "—"}

Interval = tuple[str, str]
Hours = dict[str, list[list[str]]]


class HoursError(ValueError):
    """An opening-hours text that cannot be read; the message is French."""


def parse_intervals(text: str) -> list[Interval]:
    """ "8h-12h, 13h30-18h" → [("08:00", "12:00"), ("13:30", "18:00")]; "" or "fermé" → []."""
    cleaned = (text or "").strip().lower()
    if not cleaned or cleaned in _CLOSED_WORDS:
        return []
    intervals: list[Interval] = []
    position = 0
    for match in _INTERVAL.finditer(cleaned):
        between = cleaned[position:match.start()].strip(" ,;et")
        if between:
            raise HoursError(f"Horaires illisibles : « {text} » (exemple attendu : 8h-12h, 13h30-18h).")
        start = _hhmm(match.group(1), match.group(2), text)
        end = _hhmm(match.group(3), match.group(4), text)
        if end <= start:
            raise HoursError(f"Horaires incohérents : « {text} » (la fin doit suivre le début).")
        if intervals and start < intervals[-1][1]:
            raise HoursError(f"Horaires qui se chevauchent : « {text} ».")
        intervals.append((start, end))
        position = match.end()
    if not intervals or cleaned[position:].strip(" ,;."):
        raise HoursError(f"Horaires illisibles : « {text} » (exemple attendu : 8h-12h, 13h30-18h).")
    return intervals


def _hhmm(hours: str, minutes: str | None, text: str) -> str:
    h, m = int(hours), int(minutes or 0)
    if h > 24 or m > 59 or (h == 24 and m):
        raise HoursError(f"Heure impossible dans « {text} ».")
    return f"{h:02d}:{m:02d}"


def french_time(value: str) -> str:
    """ "08:00" → "8 h", "13:30" → "13 h 30"."""
    h, m = (int(part) for part in value.split(":"))
    return f"{h} h" if m == 0 else f"{h} h {m:02d}"


def format_intervals(intervals: list[Interval] | list[list[str]]) -> str:
    """[("08:00", "12:00"), ("13:30", "18:00")] → "de 8 h à 12 h et de 13 h 30 à 18 h"."""
    parts = [f"de {french_time(a)} à {french_time(b)}" for a, b in intervals]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " et " + parts[-1]


def intervals_text(intervals: list[list[str]]) -> str:
    """The editable form of a day: "08:00-12:00, 13:30-18:00" (empty when closed)."""
    return ", ".join(f"{a}-{b}" for a, b in intervals)


def normalise(hours: dict | None) -> Hours:
    """Keys "0"…"6" always present, intervals as [start, end] lists."""
    hours = hours or {}
    return {str(day): [list(i) for i in hours.get(str(day), [])] for day in range(7)}


def describe(hours: dict | None) -> str:
    """ "du lundi au vendredi de 8 h à 12 h et de 13 h 30 à 18 h ; le samedi de 9 h à 12 h ; fermé le dimanche"."""
    days = normalise(hours)
    if not any(days.values()):
        return ""
    groups: list[tuple[int, int, list[list[str]]]] = []
    for day in range(7):
        intervals = days[str(day)]
        if groups and groups[-1][2] == intervals and groups[-1][1] == day - 1:
            groups[-1] = (groups[-1][0], day, intervals)
        else:
            groups.append((day, day, intervals))
    open_parts, closed_days = [], []
    for first, last, intervals in groups:
        if not intervals:
            closed_days.extend(range(first, last + 1))
            continue
        if first == last:
            span = f"le {WEEKDAYS[first]}"
        elif last == first + 1:
            span = f"le {WEEKDAYS[first]} et le {WEEKDAYS[last]}"
        else:
            span = f"du {WEEKDAYS[first]} au {WEEKDAYS[last]}"
        open_parts.append(f"{span} {format_intervals(intervals)}")
    text = " ; ".join(open_parts)
    if closed_days:
        text += " ; fermé " + _join([f"le {WEEKDAYS[d]}" for d in closed_days])
    return text


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]


@lru_cache(maxsize=16)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.France(years=year)


def is_holiday(day: dt.date) -> bool:
    return day in _holidays(day.year)


def _intervals_on(hours: Hours, day: dt.date) -> list[tuple[dt.time, dt.time]]:
    if is_holiday(day):
        return []
    return [(dt.time.fromisoformat(a), dt.time.fromisoformat(b) if b != "24:00" else dt.time.max)
            for a, b in hours[str(day.weekday())]]


def is_open(hours: dict | None, when: dt.datetime) -> bool:
    """Whether `when` (local time) falls in an opening interval of a non-holiday."""
    days = normalise(hours)
    moment = when.time()
    return any(start <= moment < end for start, end in _intervals_on(days, when.date()))


def next_opening(hours: dict | None, when: dt.datetime, horizon_days: int = 21) -> dt.datetime | None:
    """The next moment the team is there (now if open); None when no hours are set."""
    days = normalise(hours)
    if not any(days.values()):
        return None
    if is_open(days, when):
        return when
    for offset in range(horizon_days + 1):
        day = when.date() + dt.timedelta(days=offset)
        for start, _end in _intervals_on(days, day):
            candidate = dt.datetime.combine(day, start, tzinfo=when.tzinfo)
            if candidate > when:
                return candidate
    return None


def describe_moment(moment: dt.datetime, now: dt.datetime) -> str:
    """ "aujourd'hui à 13 h 30", "demain à 8 h", "lundi 1er décembre à 8 h"."""
    time_text = french_time(moment.strftime("%H:%M"))
    delta = (moment.date() - now.date()).days
    if delta == 0:
        return f"aujourd'hui à {time_text}"
    if delta == 1:
        return f"demain à {time_text}"
    day = "1er" if moment.day == 1 else str(moment.day)
    return f"{WEEKDAYS[moment.weekday()]} {day} {MONTHS[moment.month - 1]} à {time_text}"
