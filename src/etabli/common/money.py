"""Money and VAT arithmetic, written once for the whole platform.

Why a module of its own: invoices, bank lines, forecasts and documents all add amounts and VAT; if each
rounded in its own way, totals would disagree by a cent. The rule here is the EN 16931 one used by
Factur-X: each line's net amount is rounded to the cent (ROUND_HALF_UP), the VAT of each rate is computed
on the sum of the net amounts of that rate and rounded once, and the totals are sums of rounded figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

#: VAT rates of mainland France, in percent (french-rules §3). Companies may add others in settings.
FRENCH_VAT_RATES: tuple[Decimal, ...] = (Decimal("20"), Decimal("10"), Decimal("5.5"), Decimal("2.1"), Decimal("0"))


def to_decimal(value: object) -> Decimal:
    """Turn an int, str (French "1 234,56" accepted) or Decimal into a Decimal; floats go through str."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        cleaned = (
            value.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace("€", "")
        )
        if "," in cleaned and "." in cleaned:
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", ".")
        try:
            return Decimal(cleaned)
        except InvalidOperation as exc:
            raise ValueError(f"Montant invalide : « {value} »") from exc
    raise TypeError(f"Cannot convert {type(value).__name__} to Decimal")


def round_cents(value: object) -> Decimal:
    """Round half-up to the cent (the French commercial rule, also EN 16931's)."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def vat_amount(net: object, rate_percent: object) -> Decimal:
    """VAT on a net amount at a rate in percent, rounded to the cent."""
    return round_cents(to_decimal(net) * to_decimal(rate_percent) / Decimal(100))


@dataclass(frozen=True)
class VatLine:
    """The minimum a line needs for totals: its net amount before rounding and its VAT rate in percent."""

    net: Decimal
    rate: Decimal


@dataclass(frozen=True)
class VatBreakdownRow:
    rate: Decimal
    base: Decimal
    vat: Decimal


@dataclass(frozen=True)
class Totals:
    """Invoice totals: net (HT), VAT (TVA), gross (TTC) and the breakdown per rate."""

    net: Decimal
    vat: Decimal
    gross: Decimal
    breakdown: tuple[VatBreakdownRow, ...]


def line_net(quantity: object, unit_price: object, discount_percent: object = 0) -> Decimal:
    """Net amount of a line: quantity × unit price, less a discount in percent, rounded to the cent."""
    gross = to_decimal(quantity) * to_decimal(unit_price)
    discount = to_decimal(discount_percent)
    return round_cents(gross * (Decimal(100) - discount) / Decimal(100))


def compute_totals(lines: Iterable[VatLine]) -> Totals:
    """Totals by the EN 16931 rule: VAT per rate on the sum of rounded line nets, rounded once per rate."""
    bases: dict[Decimal, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        bases[to_decimal(line.rate).normalize()] += round_cents(line.net)
    rows = tuple(
        VatBreakdownRow(rate=rate, base=base, vat=vat_amount(base, rate))
        for rate, base in sorted(bases.items(), key=lambda item: item[0], reverse=True)
    )
    net = sum((row.base for row in rows), ZERO)
    vat = sum((row.vat for row in rows), ZERO)
    return Totals(net=net, vat=vat, gross=net + vat, breakdown=rows)
