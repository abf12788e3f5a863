from __future__ import annotations

import pytest

from etabli.engines.statements import StatementError, detect_format, parse_statement_file


@pytest.mark.parametrize(
    ("name", "kind", "count"),
    [
        ("releve_deux_comptes.cfonb", "cfonb120", 2),
        ("releve_camt053_v02.xml", "camt053", 1),
        ("releve.ofx", "ofx", 1),
        ("export_banque.csv", "csv", 1),
    ],
)
def test_detect_and_parse_every_fixture(fixture_bytes, name, kind, count):
    data = fixture_bytes(name)
    assert detect_format(data) == kind
    statements = parse_statement_file(data)
    assert len(statements) == count
    assert all(statement.source_format == kind for statement in statements)


def test_cfonb_without_line_breaks_is_detected(fixture_bytes):
    data = fixture_bytes("releve_deux_comptes.cfonb").replace(b"\r\n", b"")
    assert detect_format(data) == "cfonb120"


def test_non_camt_xml_goes_to_the_camt_parser_and_is_refused():
    with pytest.raises(StatementError, match="pas un relevé camt.053"):
        parse_statement_file(b"<?xml version='1.0'?><html><body/></html>")


def test_empty_file():
    with pytest.raises(StatementError, match="vide"):
        parse_statement_file(b"\n")
