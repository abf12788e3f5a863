"""Find and parse amounts, dates and percentages in invoice text, in French first and other languages.

Why hand-written patterns rather than a date library: invoices mix "02 Juillet 2015", "05/12/2017",
"August 3 , 2014" and "19 april 2014" on the same page, next to phone numbers and references that must
*not* be read as dates or amounts. The patterns below are strict on purpose (a day ≤ 31, a month ≤ 12,
a year between 1990 and 2099, an amount with cents or a currency sign) and the extraction step decides
between day-first and month-first from the whole document.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from etabli.common.money import round_cents

# --- amounts -----------------------------------------------------------------------------------------

_CURRENCY_TOKEN = r"(?:€|\$|£|₹|EUR|EUROS?|USD|GBP|CHF|INR|Rs\.?)"
AMOUNT_RE = re.compile(
    r"(?<![\w.,/:%-])"
    r"(?P<sign>[-−–]\s?)?"
    rf"(?P<before>{_CURRENCY_TOKEN}\s?)?"
    r"(?P<sign2>[-−–]\s?)?"
    r"(?P<number>\d{1,3}(?:(?:[ \u00a0\u202f]|[.,'’])\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
    rf"(?P<after>\s?{_CURRENCY_TOKEN}(?![A-Za-z]))?"
    r"(?![\w/%]|[.,]\d|\s?%)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AmountMatch:
    value: Decimal
    start: int
    end: int
    has_currency: bool
    has_cents: bool

    @property
    def plausible_total(self) -> bool:
        """A money-looking token: cents or a currency sign (a bare "2014" or "3" is not an amount)."""
        return self.has_cents or self.has_currency


def parse_number(number: str) -> Decimal | None:
    """ "1 234,56", "1.234,56", "1,234.56", "29.99", "1939" → Decimal; None if not a number."""
    compact = re.sub(r"[ \u00a0\u202f'’]", "", number)
    last_sep = max(compact.rfind("."), compact.rfind(","))
    if last_sep >= 0 and len(compact) - last_sep - 1 in (1, 2):
        integer, decimals = compact[:last_sep], compact[last_sep + 1 :]
        integer = integer.replace(".", "").replace(",", "")
        text = f"{integer}.{decimals}"
    else:
        text = compact.replace(".", "").replace(",", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def find_amounts(text: str) -> list[AmountMatch]:
    found: list[AmountMatch] = []
    for match in AMOUNT_RE.finditer(text):
        value = parse_number(match.group("number"))
        if value is None:
            continue
        if match.group("sign") or match.group("sign2"):
            value = -value
        number = match.group("number")
        has_cents = bool(re.search(r"[.,]\d{2}$", number))
        found.append(
            AmountMatch(
                value=round_cents(value),
                start=match.start(),
                end=match.end(),
                has_currency=bool(match.group("before") or match.group("after")),
                has_cents=has_cents,
            )
        )
    return found


# --- percentages -------------------------------------------------------------------------------------

PERCENT_RE = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s?%")


def find_percentages(text: str) -> list[tuple[Decimal, int, int]]:
    out: list[tuple[Decimal, int, int]] = []
    for match in PERCENT_RE.finditer(text):
        value = Decimal(match.group(1).replace(",", "."))
        value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
        out.append((value, match.start(), match.end()))
    return out


# --- dates -------------------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "janvier january jan januari janv januar enero",
        "février fevrier february feb februari févr fevr februar febrero",
        "mars march mar maart märz marzo",
        "avril april apr avr abril",
        "mai may mei",
        "juin june jun juni junio",
        "juillet july jul juli juil julio",
        "août aout august aug augustus ago agosto",
        "septembre september sep sept septiembre",
        "octobre october oct oktober okt octubre",
        "novembre november nov noviembre",
        "décembre decembre december dec déc dezember diciembre",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_MONTH_NAMES = "|".join(sorted((re.escape(name) for name in _MONTHS), key=len, reverse=True))
_YEAR = r"(?:19[89]\d|20\d\d)"

DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(rf"(?<!\d)(?P<y>{_YEAR})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})(?!\d)")),
    (
        "numeric",
        re.compile(
            r"(?<![\d/.-])(?P<a>\d{1,2})\s?(?P<sep>[/.-])\s?(?P<b>\d{1,2})\s?(?P=sep)\s?(?P<y>(?:19|20)\d\d|\d\d)(?![\d/])"
        ),
    ),
    (
        "day_month",
        re.compile(
            rf"(?<![\w])(?P<d>\d{{1,2}})(?:er|st|nd|rd|th)?\.?\s*(?:de\s+)?(?P<mon>{_MONTH_NAMES})\.?,?\s*(?:de\s+)?(?P<y>{_YEAR})(?!\d)",
            re.IGNORECASE,
        ),
    ),
    (
        "month_day",
        re.compile(
            rf"(?<![\w])(?P<mon>{_MONTH_NAMES})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*(?P<y>{_YEAR})(?!\d)",
            re.IGNORECASE,
        ),
    ),
)


@dataclass(frozen=True)
class DateMatch:
    """A date found in text. Numeric dates keep both readings until the document's order is known."""

    start: int
    end: int
    day_first: date | None
    month_first: date | None

    def resolve(self, prefer_month_first: bool) -> date | None:
        if prefer_month_first:
            return self.month_first or self.day_first
        return self.day_first or self.month_first

    @property
    def ambiguous(self) -> bool:
        return (
            self.day_first is not None and self.month_first is not None and self.day_first != self.month_first
        )


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if value < 100 else value


def find_dates(text: str) -> list[DateMatch]:
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            parsed = _parse_match(kind, match)
            if parsed is None:
                continue
            found.append(parsed)
            taken.append((match.start(), match.end()))
    found.sort(key=lambda m: m.start)
    return found


def _parse_match(kind: str, match: re.Match[str]) -> DateMatch | None:
    groups = match.groupdict()
    if kind == "iso":
        value = _safe_date(int(groups["y"]), int(groups["m"]), int(groups["d"]))
        return None if value is None else DateMatch(match.start(), match.end(), value, value)
    if kind == "numeric":
        year = _year(groups["y"])
        if not 1990 <= year <= 2099:
            return None
        a, b = int(groups["a"]), int(groups["b"])
        day_first, month_first = _safe_date(year, b, a), _safe_date(year, a, b)
        if day_first is None and month_first is None:
            return None
        return DateMatch(match.start(), match.end(), day_first, month_first)
    month = _MONTHS.get(groups["mon"].lower().rstrip("."))
    if month is None:
        return None
    value = _safe_date(int(groups["y"]), month, int(groups["d"]))
    return None if value is None else DateMatch(match.start(), match.end(), value, value)


def prefers_month_first(matches: list[DateMatch]) -> bool:
    """True when the document writes dates month first (US style): some date only reads that way."""
    month_only = sum(1 for m in matches if m.day_first is None and m.month_first is not None)
    day_only = sum(1 for m in matches if m.month_first is None and m.day_first is not None)
    return month_only > day_only


# --- text helpers ------------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower-case without accents, same length as ``text`` ("Échéance" → "echeance").

    Same length on purpose: labels are searched in the folded line and the match positions are used
    on the original line to find the value and its box.
    """
    return "".join(_fold_char(char) for char in text)


def _fold_char(char: str) -> str:
    if char.isascii():
        return char.lower()
    stripped = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if len(stripped) == 1:
        return stripped.lower()
    return {"’": "'", "‘": "'", "−": "-", "–": "-", "—": "-", "\u00a0": " ", "\u202f": " "}.get(
        char, char.lower()[:1] or " "
    )
