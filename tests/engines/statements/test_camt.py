from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from etabli.engines.statements import StatementError, parse_camt053


def test_v02_statement_with_prcd_opening_balance(fixture_bytes):
    (statement,) = parse_camt053(fixture_bytes("releve_camt053_v02.xml"))
    assert statement.source_format == "camt053"
    assert statement.account_iban == "FR7610278060760002134560183"
    assert statement.statement_id == "STMT-2026-11-03-0001"
    assert statement.opening_balance == Decimal("8450.20") and statement.opening_date == date(2026, 11, 2)
    assert statement.closing_balance == Decimal("10919.97")
    assert statement.balance_check().ok


def test_v02_lines(fixture_bytes):
    (statement,) = parse_camt053(fixture_bytes("releve_camt053_v02.xml"))
    receipt, direct_debit, batch_a, batch_b, loan = statement.lines
    assert receipt.amount == Decimal("2880.00")
    assert receipt.label == "VIR SEPA RECU /DE SCI LES TILLEULS"
    assert receipt.reference == "FA-2026-0051"
    assert receipt.counterparty_name == "SCI LES TILLEULS"
    assert receipt.counterparty_iban == "FR1420041010050500013M02606"
    assert receipt.extra_info == ("Facture FA-2026-0051 escalier chêne",)
    assert receipt.bank_operation_code == "PMNT/RCDT/ESCT"
    # A direct debit: the counterparty is the creditor; NOTPROVIDED end-to-end ids are ignored.
    assert direct_debit.amount == Decimal("-389.43")
    assert direct_debit.counterparty_name == "SCIERIE DU JURA"
    assert direct_debit.reference == "F2026-1187"
    # A batch of two transfers is split so each payment can be matched.
    assert (batch_a.amount, batch_b.amount) == (Decimal("1000.00"), Decimal("500.00"))
    assert batch_b.counterparty_name == "BOULANGERIE PAUL ET FILS"
    assert "FA-2026-0049 SOLDE" in batch_b.extra_info
    assert batch_a.value_date == date(2026, 11, 4)
    assert loan.bank_operation_code == "ECHPRET" and loan.amount == Decimal("-1520.80")


def test_pending_entries_are_left_out_with_a_warning(fixture_bytes):
    (statement,) = parse_camt053(fixture_bytes("releve_camt053_v02.xml"))
    assert all(line.amount != Decimal("-75.00") for line in statement.lines)
    assert any("en attente" in warning for warning in statement.warnings)


def test_v08_debit_opening_balance_datetime_dates_and_reversal(fixture_bytes):
    (statement,) = parse_camt053(fixture_bytes("releve_camt053_v08.xml"))
    assert statement.account_iban == "FR7630004008230001012345669"  # spaces removed
    assert statement.opening_balance == Decimal("-250.00")
    assert statement.closing_date == date(2026, 11, 30)
    receipt, reversal = statement.lines
    assert receipt.counterparty_name == "GARAGE DU CENTRE" and receipt.date == date(2026, 11, 30)
    assert reversal.amount == Decimal("-45.00")  # a reversed credit takes money out
    assert statement.balance_check().ok


def test_malformed_xml_gives_the_line():
    data = b'<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">\n<BkToCstmrStmt>\n</Document>'
    with pytest.raises(StatementError, match="XML valide") as error:
        parse_camt053(data)
    assert error.value.line_number == 4


def test_payment_order_is_not_a_statement():
    data = b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn/></Document>'
    with pytest.raises(StatementError, match=r"ordre de virement \(pain.001\), pas un relevé"):
        parse_camt053(data)


def test_camt054_is_named():
    data = b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn/></Document>'
    with pytest.raises(StatementError, match="camt.054"):
        parse_camt053(data)


def test_other_xml_is_refused():
    with pytest.raises(StatementError, match="« facture »"):
        parse_camt053(b"<facture><numero>FA-1</numero></facture>")


def test_camt053_without_statement_is_refused():
    data = b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>'
    with pytest.raises(StatementError, match="aucun relevé"):
        parse_camt053(data)


def test_unreadable_amount_and_missing_direction_are_refused(fixture_bytes):
    original = fixture_bytes("releve_camt053_v08.xml")
    with pytest.raises(StatementError, match="illisible") as error:
        parse_camt053(original.replace(b">400.00<", b">4OO,00<", 1))
    assert error.value.line_number is not None
    with pytest.raises(StatementError, match="sens"):
        parse_camt053(original.replace(b"<CdtDbtInd>CRDT</CdtDbtInd><RvslInd>", b"<RvslInd>", 1))


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("MOT DE PASSE")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>'
        "<Id>&x;</Id><Acct><Id><IBAN>FR7630004008230001012345669</IBAN></Id></Acct>"
        "</Stmt></BkToCstmrStmt></Document>"
    ).encode()
    (statement,) = parse_camt053(data)
    assert "MOT DE PASSE" not in statement.statement_id
