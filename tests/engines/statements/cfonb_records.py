"""Build CFONB 120 records for tests, field by field, at the positions of the CFONB brochure.

Kept separate from the parser on purpose (written from the layout table, not from the parser's slices) so
that a misunderstanding in one does not silently confirm itself in the other; the static fixture files
were produced with it and checked by eye against a column ruler.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

POSITIVE = "{ABCDEFGHI"
NEGATIVE = "}JKLMNOPQR"


def amount_field(value: Decimal, decimals: int = 2) -> str:
    units = int((abs(value) * (10**decimals)).to_integral_value())
    digits = f"{units:014d}"
    signs = POSITIVE if value >= 0 else NEGATIVE
    return digits[:13] + signs[int(digits[13])]


def ddmmyy(day: date | None) -> str:
    return day.strftime("%d%m%y") if day else "      "


def _place(fields: dict[int, str]) -> str:
    """fields: 1-based start position -> text; everything else is blank."""
    record = [" "] * 120
    for start, text in fields.items():
        for offset, char in enumerate(text):
            record[start - 1 + offset] = char
    return "".join(record)


def balance(
    code: str,
    bank: str,
    branch: str,
    account: str,
    day: date,
    value: Decimal,
    currency: str = "EUR",
    decimals: int = 2,
) -> str:
    return _place(
        {
            1: code,
            3: bank,
            12: branch,
            17: currency,
            20: str(decimals),
            22: account.ljust(11),
            35: ddmmyy(day),
            91: amount_field(value, decimals),
        }
    )


def movement(
    bank: str,
    branch: str,
    account: str,
    day: date,
    value: Decimal,
    label: str,
    *,
    value_date: date | None = None,
    interbank: str = "05",
    internal: str = "0158",
    entry: str = "0000001",
    reference: str = "",
    currency: str = "EUR",
    decimals: int = 2,
) -> str:
    return _place(
        {
            1: "04",
            3: bank,
            8: internal,
            12: branch,
            17: currency,
            20: str(decimals),
            22: account.ljust(11),
            33: interbank,
            35: ddmmyy(day),
            43: ddmmyy(value_date or day),
            49: label[:31].ljust(31),
            82: entry,
            91: amount_field(value, decimals),
            105: reference[:16].ljust(16),
        }
    )


def complement(
    bank: str,
    branch: str,
    account: str,
    day: date,
    qualifier: str,
    info: str,
    *,
    interbank: str = "05",
    internal: str = "0158",
    currency: str = "EUR",
    decimals: int = 2,
) -> str:
    return _place(
        {
            1: "05",
            3: bank,
            8: internal,
            12: branch,
            17: currency,
            20: str(decimals),
            22: account.ljust(11),
            33: interbank,
            35: ddmmyy(day),
            46: qualifier,
            49: info[:70].ljust(70),
        }
    )
