from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from etabli.engines.statements import StatementError, guess_csv_mapping, parse_csv
from etabli.engines.statements.csvfile import parse_csv_amount


def test_guess_mapping_of_a_french_bank_export(fixture_bytes):
    mapping = guess_csv_mapping(fixture_bytes("export_banque.csv"))
    assert mapping["delimiter"] == ";"
    assert mapping["decimal"] == ","
    assert mapping["date_format"] == "%d/%m/%Y"
    assert mapping["encoding"] == "cp1252"
    assert mapping["header_row"] == 3  # three preamble lines skipped
    columns = mapping["columns"]
    assert columns["date"] == "Date opération" and columns["value_date"] == "Date valeur"
    assert columns["label"] == "Libellé"
    assert (columns["debit"], columns["credit"], columns["amount"]) == ("Débit", "Crédit", None)
    assert json.loads(json.dumps(mapping)) == mapping  # the app stores it as JSON


def test_parse_with_guessed_mapping_is_chronological(fixture_bytes):
    data = fixture_bytes("export_banque.csv")
    statement = parse_csv(data, guess_csv_mapping(data), account_iban="FR76 1027 8060 7600 0213 4560 183")
    assert statement.account_iban == "FR7610278060760002134560183"
    assert [line.amount for line in statement.lines] == [
        Decimal("-15.00"),
        Decimal("-187.45"),
        Decimal("-2845.12"),
        Decimal("4320.00"),
    ]
    receipt = statement.lines[-1]
    assert receipt.label == "VIR SEPA RECU /DE MAÇONNERIE ROBERT FA-2026-0050"
    assert receipt.date == date(2026, 11, 5) and receipt.source_line == 5
    assert statement.lines[1].value_date == date(2026, 11, 5)
    assert statement.opening_date == date(2026, 11, 3) and statement.closing_date == date(2026, 11, 5)
    assert statement.balance_check().status == "unverifiable"


SIGNED = (
    "Date;Libellé;Montant;Solde;Référence\n"
    "02/11/2026;VIR RECU DUPONT;1 200,00;2 200,00;FA-2026-0042\n"
    "03/11/2026;PRLV EDF;-245,18;1 954,82;\n"
    "03/11/2026;CB CAFE;-12,50;1 942,32;\n"
)


def test_signed_amount_and_balance_column_give_a_balance_check():
    mapping = guess_csv_mapping(SIGNED)
    assert mapping["columns"]["amount"] == "Montant" and mapping["columns"]["balance"] == "Solde"
    assert mapping["columns"]["reference"] == "Référence"
    statement = parse_csv(SIGNED, mapping)
    assert statement.opening_balance == Decimal("1000.00")
    assert statement.closing_balance == Decimal("1942.32")
    assert statement.balance_check().ok
    assert statement.lines[0].reference == "FA-2026-0042"


def test_balance_gap_in_csv_is_reported():
    broken = SIGNED.replace("1 942,32", "1 940,32")
    statement = parse_csv(broken, guess_csv_mapping(SIGNED))
    check = statement.balance_check()
    assert check.status == "gap" and check.gap == Decimal("-2.00")


def test_remembered_mapping_with_unknown_columns_is_refused():
    mapping = guess_csv_mapping(SIGNED)  # remembered from an older export of this bank
    new_export = "Date;Libellé;Débit;Crédit\n02/11/2026;VIR RECU DUPONT;;1 200,00\n"
    with pytest.raises(StatementError) as error:
        parse_csv(new_export, mapping)
    message = str(error.value)
    assert "« Montant », « Référence », « Solde » introuvable(s)" in message
    assert "colonnes présentes : « Date », « Libellé », « Débit », « Crédit »" in message
    assert error.value.line_number == 1


def test_file_with_unrecognisable_columns_is_refused():
    with pytest.raises(StatementError, match="Colonnes non reconnues"):
        guess_csv_mapping("Jour;Texte;Valeur\n02/11/2026;VIR;12,00\n")


def test_wrong_encoding_is_refused_with_the_line(fixture_bytes):
    data = fixture_bytes("export_banque.csv")  # Windows-1252
    mapping = guess_csv_mapping(data) | {"encoding": "utf-8"}
    with pytest.raises(StatementError, match="pas encodé en utf-8") as error:
        parse_csv(data, mapping)
    assert error.value.line_number == 1  # « n° » on the first line


def test_bad_date_and_amount_give_the_line_and_nothing_is_returned():
    mapping = guess_csv_mapping(SIGNED)
    with pytest.raises(StatementError, match="jj/mm/aaaa") as error:
        parse_csv(SIGNED.replace("03/11/2026;PRLV", "2026-11-03;PRLV"), mapping)
    assert error.value.line_number == 3
    with pytest.raises(StatementError, match="montant « 12,5O » illisible") as error:
        parse_csv(SIGNED.replace("-12,50", "12,5O"), mapping)
    assert error.value.line_number == 4


def test_invalid_mappings_are_explained():
    with pytest.raises(StatementError, match="columns"):
        parse_csv(SIGNED, {})
    with pytest.raises(StatementError, match="inconnu"):
        parse_csv(SIGNED, {"columns": {"date": "Date", "label": "Libellé", "amount": "Montant", "tva": "X"}})
    with pytest.raises(StatementError, match="débit"):
        parse_csv(SIGNED, {"columns": {"date": "Date", "label": "Libellé", "debit": "Montant"}})


def test_comma_separated_english_style_export():
    data = 'Date,Description,Amount\n2026-11-02,Transfer,"1,234.56"\n2026-11-03,Fee,-3.00\n'
    mapping = guess_csv_mapping(data)
    assert (mapping["delimiter"], mapping["decimal"], mapping["date_format"]) == (",", ".", "%Y-%m-%d")
    statement = parse_csv(data, mapping)
    assert [line.amount for line in statement.lines] == [Decimal("1234.56"), Decimal("-3.00")]


@pytest.mark.parametrize(
    ("text", "mark", "expected"),
    [
        ("1 234,56", ",", "1234.56"),
        ("-1.234,56", ",", "-1234.56"),
        ("(12,00)", ",", "-12.00"),
        ("12,00-", ",", "-12.00"),
        ("1\u202f234,5 €", ",", "1234.50"),
        ("+7,00", ",", "7.00"),
        ("1,234.56", ".", "1234.56"),
    ],
)
def test_amount_formats(text, mark, expected):
    assert parse_csv_amount(text, mark) == Decimal(expected)
    assert parse_csv_amount("  ", mark) is None
