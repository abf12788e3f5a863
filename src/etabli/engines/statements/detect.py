"""Recognise a statement file's format from its content and parse it with the right parser.

Why by content and not by file extension: banks name CFONB files ``.txt``, ``.dat``, ``.cfo`` or nothing,
and camt.053 files ``.xml``; the first bytes say more than the name.
"""

from __future__ import annotations

from typing import Any

from etabli.engines.statements.camt import parse_camt053
from etabli.engines.statements.cfonb import RECORD_LENGTH, parse_cfonb120
from etabli.engines.statements.csvfile import guess_csv_mapping, parse_csv
from etabli.engines.statements.model import SourceFormat, Statement, StatementError
from etabli.engines.statements.ofx import parse_ofx


def detect_format(data: bytes) -> SourceFormat:
    """'cfonb120', 'camt053', 'ofx' or 'csv' (the fallback for any other text)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    upper = head.upper()
    if b"OFXHEADER" in upper or b"<OFX>" in upper:
        return "ofx"
    if head.startswith(b"<"):
        return "camt053"  # any other XML is refused by the camt.053 parser with a clear message
    first_line = head.splitlines()[0] if head else b""
    if head[:2] == b"01" and (len(first_line) == RECORD_LENGTH or len(first_line) >= 2 * RECORD_LENGTH):
        return "cfonb120"
    return "csv"


def parse_statement_file(
    data: bytes, csv_mapping: dict[str, Any] | None = None, *, account_iban: str = ""
) -> list[Statement]:
    """Parse any supported file. A CSV without a remembered mapping is read with the guessed one;
    ``account_iban`` names the account of a CSV export (other formats carry it themselves)."""
    if not data or not data.strip():
        raise StatementError("Le fichier est vide.")
    kind = detect_format(data)
    if kind == "cfonb120":
        return parse_cfonb120(data)
    if kind == "camt053":
        return parse_camt053(data)
    if kind == "ofx":
        return parse_ofx(data)
    return [parse_csv(data, csv_mapping or guess_csv_mapping(data), account_iban=account_iban)]
