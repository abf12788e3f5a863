from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from etabli.engines.statements import StatementError, parse_ofx


def test_ofx_fixture(fixture_bytes):
    (statement,) = parse_ofx(fixture_bytes("releve.ofx"))
    assert statement.source_format == "ofx"
    assert statement.account_iban == "FR7630002005500000123456783"  # ACCTID with its RIB key, checked
    assert statement.account_number == "00001234567"
    assert statement.closing_balance == Decimal("4650.01") and statement.closing_date == date(2026, 11, 4)
    assert statement.opening_balance is None
    receipt, phone, cheque = statement.lines
    # 2026-11-02 00:00 CET is 2026-11-01 23:00 UTC: the date must stay the French one.
    assert receipt.date == date(2026, 11, 2)
    assert receipt.amount == Decimal("960.00")
    assert receipt.label == "VIR SEPA RECU /DE ATELIER BOIS"
    assert receipt.extra_info == ("FA-2026-0047 MERCI",)
    assert phone.amount == Decimal("-59.99") and phone.bank_operation_code == "DIRECTDEBIT"
    assert cheque.reference == "8842317"


def test_ofx_balance_check_is_unverifiable_not_invented(fixture_bytes):
    (statement,) = parse_ofx(fixture_bytes("releve.ofx"))
    check = statement.balance_check()
    assert check.status == "unverifiable"
    assert "-349,99" in check.message


def test_ofx_with_wrong_rib_key_gets_no_iban(fixture_bytes):
    data = fixture_bytes("releve.ofx").replace(b"<ACCTID>0000123456783", b"<ACCTID>0000123456799")
    (statement,) = parse_ofx(data)
    assert statement.account_iban == ""
    assert statement.account_number == "00001234567"


def test_garbage_ofx_is_refused():
    with pytest.raises(StatementError, match="OFX"):
        parse_ofx(b"OFXHEADER:100\r\nDATA:OFXSGML\r\n\r\n<OFX><BANKMSGSRSV1><STMTTRNRS>")


def test_truncated_ofx_is_refused(fixture_bytes):
    data = fixture_bytes("releve.ofx")
    with pytest.raises(StatementError, match="OFX"):
        parse_ofx(data[: len(data) // 2])
