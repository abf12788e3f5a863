"""French display formats (1 234,56 €, 26/11/2026), usable without Django.

French typography puts a narrow no-break space (U+202F) between thousands and a no-break space (U+00A0)
before the euro sign, so amounts never wrap in the middle.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from etabli.common.money import round_cents, to_decimal

NNBSP = "\u202f"
NBSP = "\xa0"


def format_number(value: object, decimals: int = 2) -> str:
    """1234.5 → "1 234,50" (narrow no-break space as thousands separator, comma as decimal mark)."""
    number = to_decimal(value)
    quantum = Decimal(1).scaleb(-decimals) if decimals else Decimal(1)
    number = number.quantize(quantum) if decimals else number.quantize(Decimal(1))
    sign = "-" if number < 0 else ""
    integer, _, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    text = NNBSP.join(groups)
    return f"{sign}{text},{fraction}" if decimals else f"{sign}{text}"


def format_eur(value: object, decimals: int = 2) -> str:
    """1234.5 → "1 234,50 €"."""
    if decimals == 2:
        value = round_cents(value)
    return f"{format_number(value, decimals)}{NBSP}€"


def format_date(value: dt.date | dt.datetime | None) -> str:
    """date(2026, 11, 26) → "26/11/2026"."""
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y")


def format_percent(value: object, decimals: int = 0) -> str:
    """0.82 → "82 %" (a ratio in, a French percentage with a no-break space out)."""
    return f"{format_number(to_decimal(value) * 100, decimals)}{NBSP}%"
