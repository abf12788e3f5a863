from __future__ import annotations

from datetime import date
from decimal import Decimal

from etabli.engines.statements import (
    Statement,
    StatementLine,
    assign_fingerprints,
    check_balance,
    new_lines,
    parse_cfonb120,
)
from tests.engines.statements.cfonb_records import balance, movement

BANK, BRANCH, ACCOUNT = "30004", "00823", "00010123456"


def _statement(opening: str | None, closing: str | None, amounts: list[str]) -> Statement:
    lines = [StatementLine(date=date(2026, 11, 2), amount=Decimal(a), label="X") for a in amounts]
    return Statement(
        source_format="csv",
        currency="EUR",
        lines=lines,
        opening_balance=Decimal(opening) if opening else None,
        closing_balance=Decimal(closing) if closing else None,
        opening_date=date(2026, 11, 1),
        closing_date=date(2026, 11, 30),
    )


def test_balance_ok():
    check = check_balance(_statement("1000.00", "1234.56", ["300.00", "-65.44"]))
    assert check.ok and check.gap == Decimal("0.00") and check.expected_closing == Decimal("1234.56")
    assert "Soldes cohérents du 01/11/2026 au 30/11/2026" in check.message


def test_balance_gap_is_reported_with_its_amount():
    check = check_balance(_statement("1000.00", "1300.00", ["300.00", "-65.44"]))
    assert check.status == "gap"
    assert check.gap == Decimal("65.44")
    assert "Écart de 65,44\xa0€" in check.message and "1\u202f300,00\xa0€" in check.message


def test_balance_unverifiable_without_balances():
    check = check_balance(_statement(None, "10.00", ["1.00"]))
    assert check.status == "unverifiable" and not check.ok


def _day(day: int, lines: list[tuple[str, str]]) -> list[str]:
    return [movement(BANK, BRANCH, ACCOUNT, date(2026, 11, day), Decimal(a), label) for a, label in lines]


def _file(records: list[str], opening: Decimal, closing: Decimal, first: int, last: int) -> bytes:
    all_records = [
        balance("01", BANK, BRANCH, ACCOUNT, date(2026, 11, first), opening),
        *records,
        balance("07", BANK, BRANCH, ACCOUNT, date(2026, 11, last), closing),
    ]
    return "\n".join(all_records).encode("latin-1")


def test_identical_lines_on_one_day_get_distinct_fingerprints():
    lines = [StatementLine(date=date(2026, 11, 3), amount=Decimal("-12.50"), label="CB CAFE")] * 2
    first, second = assign_fingerprints("FR76", lines)
    assert first.fingerprint and second.fingerprint and first.fingerprint != second.fingerprint


def test_fingerprint_depends_on_account_and_ignores_case_and_spaces():
    line = StatementLine(date=date(2026, 11, 3), amount=Decimal("-12.50"), label="CB  Café")
    other = StatementLine(date=date(2026, 11, 3), amount=Decimal("-12.5"), label="CB CAFE")
    assert assign_fingerprints("A", [line])[0].fingerprint == assign_fingerprints("A", [other])[0].fingerprint
    assert assign_fingerprints("A", [line])[0].fingerprint != assign_fingerprints("B", [line])[0].fingerprint


def test_reimporting_an_overlapping_statement_creates_no_duplicate():
    day2 = _day(
        2, [("-12.50", "CB CAFE DE LA GARE"), ("-12.50", "CB CAFE DE LA GARE"), ("800.00", "VIR DUPONT")]
    )
    day3 = _day(3, [("-45.00", "PRLV ORANGE")])
    day4 = _day(4, [("-12.50", "CB CAFE DE LA GARE"), ("150.00", "VIR MARTIN")])
    first_import = parse_cfonb120(_file(day2 + day3, Decimal("100.00"), Decimal("830.00"), 1, 3))[0]
    second_import = parse_cfonb120(_file(day3 + day4, Decimal("875.00"), Decimal("967.50"), 2, 4))[0]
    assert first_import.balance_check().ok and second_import.balance_check().ok
    fresh = new_lines(second_import, [line.fingerprint for line in first_import.lines])
    assert [(line.date.day, line.amount) for line in fresh] == [
        (4, Decimal("-12.50")),
        (4, Decimal("150.00")),
    ]
    # Importing the very same file again adds nothing.
    assert new_lines(first_import, [line.fingerprint for line in first_import.lines]) == []


def test_fingerprints_are_stable_across_parses(fixture_bytes):
    data = fixture_bytes("releve_deux_comptes.cfonb")
    assert [line.fingerprint for line in parse_cfonb120(data)[0].lines] == [
        line.fingerprint for line in parse_cfonb120(data)[0].lines
    ]
