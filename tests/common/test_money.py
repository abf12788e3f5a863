from decimal import Decimal

import pytest

from etabli.common.formats import format_date, format_eur, format_percent
from etabli.common.money import VatLine, compute_totals, line_net, round_cents, to_decimal


def test_round_half_up_to_the_cent():
    assert round_cents("0.005") == Decimal("0.01")
    assert round_cents("2.675") == Decimal("2.68")
    assert round_cents("-2.675") == Decimal("-2.68")


def test_french_amount_strings_are_parsed():
    assert to_decimal("1 234,56 €") == Decimal("1234.56")
    assert to_decimal("1.234,56") == Decimal("1234.56")
    with pytest.raises(ValueError, match="Montant invalide"):
        to_decimal("douze euros")


def test_vat_is_computed_per_rate_on_rounded_line_nets():
    lines = [VatLine(line_net(3, "0.335"), Decimal("20")), VatLine(line_net(1, "10.00", 10), Decimal("20")),
             VatLine(line_net(2, "4.99"), Decimal("5.5"))]
    totals = compute_totals(lines)
    # 3 × 0,335 = 1,005 → 1,01 ; 10 − 10 % = 9,00 ; base 20 % = 10,01 → TVA 2,00 (2,002)
    assert [(row.rate, row.base, row.vat) for row in totals.breakdown] == [
        (Decimal("20"), Decimal("10.01"), Decimal("2.00")),
        (Decimal("5.5"), Decimal("9.98"), Decimal("0.55")),
    ]
    assert (totals.net, totals.vat, totals.gross) == (Decimal("19.99"), Decimal("2.55"), Decimal("22.54"))


def test_french_display_formats():
    assert format_eur(Decimal("1234.5")) == "1\u202f234,50\xa0€"
    assert format_eur(-5) == "-5,00\xa0€"
    assert format_percent(Decimal("0.82")) == "82\xa0%"
    import datetime as dt
    assert format_date(dt.date(2026, 11, 26)) == "26/11/2026"
