from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etabli.engines.statements import StatementError, parse_cfonb120
from etabli.engines.statements.cfonb import parse_amount
from tests.engines.statements.cfonb_records import amount_field, balance, complement, movement

BANK, BRANCH, ACCOUNT = "30004", "00823", "00010123456"
D1 = date(2026, 11, 2)


def _file(records: list[str], newline: str = "\r\n") -> bytes:
    return (newline.join(records) + newline).encode("latin-1")


def _simple(lines: list[str] | None = None, closing: Decimal = Decimal("100.00")) -> list[str]:
    body = lines if lines is not None else [movement(BANK, BRANCH, ACCOUNT, D1, Decimal("-20.00"), "FRAIS")]
    return [
        balance("01", BANK, BRANCH, ACCOUNT, date(2026, 11, 1), Decimal("120.00")),
        *body,
        balance("07", BANK, BRANCH, ACCOUNT, D1, closing),
    ]


def test_fixture_two_accounts(fixture_bytes):
    statements = parse_cfonb120(fixture_bytes("releve_deux_comptes.cfonb"))
    assert len(statements) == 2
    first, second = statements
    assert first.account_iban == "FR7630004008230001012345669"
    assert (first.bank_code, first.branch_code, first.account_number) == ("30004", "00823", "00010123456")
    assert first.currency == "EUR"
    assert first.opening_balance == Decimal("15234.56") and first.opening_date == date(2026, 10, 31)
    assert first.closing_balance == Decimal("16155.48") and first.closing_date == date(2026, 11, 3)
    assert [line.amount for line in first.lines] == [
        Decimal("1200.00"),
        Decimal("-245.18"),
        Decimal("-12.50"),
        Decimal("-12.50"),
        Decimal("-8.90"),
    ]
    assert first.balance_check().ok
    assert second.opening_balance == Decimal("-1500.03")
    assert second.account_number == "0002098765K"
    assert second.account_iban == "FR5930004008230002098765K63"
    assert second.balance_check().ok


def test_fixture_movement_details_and_05_records(fixture_bytes):
    receipt, direct_debit, *_ = parse_cfonb120(fixture_bytes("releve_deux_comptes.cfonb"))[0].lines
    assert receipt.label == "VIR SEPA RECU /DE DUPONT SARL"
    assert receipt.reference == "FA-2026-0042"
    assert receipt.counterparty_name == "DUPONT SARL"
    assert receipt.counterparty_iban == "FR7630006000011234567890189"
    assert receipt.extra_info == ("REGLEMENT FACTURE FA-2026-0042 CHANTIER RUE DES ÉCOLES",)  # Latin-1 accent
    assert receipt.bank_operation_code == "05"
    assert receipt.source_line == 2
    assert direct_debit.value_date == date(2026, 11, 3) and direct_debit.date == date(2026, 11, 2)
    assert direct_debit.counterparty_name == "EDF ENTREPRISES"  # beneficiary of a debit
    assert direct_debit.reference == "EDF-CTR-88412 ÉCHÉANCE NOVEMBRE"  # RCN when the 04 has no reference


def test_without_line_breaks_gives_the_same_statements(fixture_bytes):
    with_breaks = fixture_bytes("releve_deux_comptes.cfonb")
    without = with_breaks.replace(b"\r\n", b"")
    assert len(without) % 120 == 0
    assert parse_cfonb120(without) == parse_cfonb120(with_breaks)


def test_lf_only_and_trailing_blank_lines_are_accepted():
    data = _file(_simple(), newline="\n") + b"\n\n"
    (statement,) = parse_cfonb120(data)
    assert statement.lines[0].amount == Decimal("-20.00")


@pytest.mark.parametrize(
    ("char", "expected"),
    [
        ("{", "0"),
        *[(chr(ord("A") + i), str(i + 1)) for i in range(9)],
        ("}", "-0"),
        *[(chr(ord("J") + i), f"-{i + 1}") for i in range(9)],
    ],
)
def test_sign_character_table(char, expected):
    value = parse_amount("0000000001234" + char, 2, 1)
    digit = expected.lstrip("-")
    sign = -1 if expected.startswith("-") else 1
    assert value == sign * Decimal(f"123.4{digit}")


def test_number_of_decimals_is_honoured():
    record = balance("01", BANK, BRANCH, ACCOUNT, D1, Decimal("12.345"), decimals=3)
    assert record[19] == "3"
    assert parse_amount(record[90:104], 3, 1) == Decimal("12.35")  # rounded half-up to the cent
    assert parse_amount("0000000001234{", 0, 1) == Decimal(12340)


@given(st.decimals(min_value=Decimal("-99999999999.99"), max_value=Decimal("99999999999.99"), places=2))
def test_amount_encoding_round_trips(value):
    assert parse_amount(amount_field(value), 2, 1) == value


def test_truncated_line_is_refused_with_its_number():
    records = _simple()
    records[1] = records[1][:87]
    with pytest.raises(StatementError) as error:
        parse_cfonb120(_file(records))
    assert error.value.line_number == 2
    assert "tronqué" in str(error.value) and "87 caractères" in str(error.value)


def test_truncated_file_without_line_breaks_is_refused():
    data = "".join(_simple()).encode("latin-1")[:-30]
    with pytest.raises(StatementError, match="tronqué") as error:
        parse_cfonb120(data)
    assert error.value.line_number == 3


def test_too_long_line_is_refused():
    records = _simple()
    records[1] += "X"
    with pytest.raises(StatementError, match="trop long"):
        parse_cfonb120(_file(records))


def test_utf16_file_is_refused_with_a_french_message():
    data = "\r\n".join(_simple()).encode("utf-16")
    with pytest.raises(StatementError, match="UTF-16"):
        parse_cfonb120(data)


def test_utf8_resaved_file_with_accents_is_read_with_a_warning():
    records = _simple([movement(BANK, BRANCH, ACCOUNT, D1, Decimal("-20.00"), "PRÉLÈVEMENT FRAIS")])
    (statement,) = parse_cfonb120("\n".join(records).encode("utf-8"))
    assert statement.lines[0].label == "PRÉLÈVEMENT FRAIS"
    assert any("UTF-8" in warning for warning in statement.warnings)


def test_utf8_file_whose_lines_do_not_fit_either_is_refused():
    records = _simple([movement(BANK, BRANCH, ACCOUNT, D1, Decimal("-20.00"), "PRÉLÈVEMENT FRAIS")])
    records[0] = records[0][:100]
    with pytest.raises(StatementError, match="UTF-8"):
        parse_cfonb120("\n".join(records).encode("utf-8"))


def test_ebcdic_file_is_recognised():
    data = "\n".join(_simple()).encode("cp500")
    with pytest.raises(StatementError, match="EBCDIC"):
        parse_cfonb120(data)


def test_control_character_is_refused():
    records = _simple()
    records[1] = records[1][:60] + "\x07" + records[1][61:]
    with pytest.raises(StatementError, match="contrôle") as error:
        parse_cfonb120(_file(records))
    assert error.value.line_number == 2


def test_unknown_record_code_is_refused():
    records = _simple()
    records.insert(1, "03" + records[1][2:])
    with pytest.raises(StatementError, match="« 03 » inconnu") as error:
        parse_cfonb120(_file(records))
    assert error.value.line_number == 2


def test_statement_without_closing_record_is_refused():
    with pytest.raises(StatementError, match="07"):
        parse_cfonb120(_file(_simple()[:-1]))


def test_complement_without_movement_is_refused():
    records = _simple([complement(BANK, BRANCH, ACCOUNT, D1, "LIB", "ORPHELIN")])
    with pytest.raises(StatementError, match="05") as error:
        parse_cfonb120(_file(records))
    assert error.value.line_number == 2


def test_movement_of_another_account_is_refused():
    records = _simple([movement(BANK, BRANCH, "99999999999", D1, Decimal("-20.00"), "FRAIS")])
    with pytest.raises(StatementError, match="ne correspond pas"):
        parse_cfonb120(_file(records))


def test_bad_sign_character_and_bad_date_are_refused():
    records = _simple()
    records[1] = records[1][:103] + "X" + records[1][104:]
    with pytest.raises(StatementError, match="signe"):
        parse_cfonb120(_file(records))
    records = _simple()
    records[1] = records[1][:34] + "311326" + records[1][40:]
    with pytest.raises(StatementError, match="date d'opération impossible"):
        parse_cfonb120(_file(records))


def test_empty_file_is_refused():
    with pytest.raises(StatementError, match="vide"):
        parse_cfonb120(b"  \r\n")


def test_balance_gap_is_reported_not_raised():
    (statement,) = parse_cfonb120(_file(_simple(closing=Decimal("90.00"))))
    check = statement.balance_check()
    assert check.status == "gap" and check.gap == Decimal("-10.00")
    assert "Écart de -10,00" in check.message
