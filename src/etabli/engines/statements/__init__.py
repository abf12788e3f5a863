"""Bank statements: CFONB 120, camt.053, OFX and CSV parsers returning one normalised model.

Usage::

    from etabli.engines.statements import parse_statement_file, check_balance

    for statement in parse_statement_file(path.read_bytes()):
        print(statement.account_iban, check_balance(statement).message)
        for line in statement.lines:
            print(line.date, line.amount, line.label, line.fingerprint)

Every parser is all-or-nothing: complete statements, or a :class:`StatementError` (a ``ValueError``)
with a French message and the line number.
"""

from etabli.engines.statements.camt import parse_camt053
from etabli.engines.statements.cfonb import parse_cfonb120
from etabli.engines.statements.csvfile import guess_csv_mapping, parse_csv
from etabli.engines.statements.detect import detect_format, parse_statement_file
from etabli.engines.statements.iban import IbanInfo, iban_error, validate_bic, validate_iban
from etabli.engines.statements.model import (
    BalanceCheck,
    Statement,
    StatementError,
    StatementLine,
    assign_fingerprints,
    check_balance,
    new_lines,
    normalise_text,
)
from etabli.engines.statements.ofx import parse_ofx

__all__ = [
    "BalanceCheck",
    "IbanInfo",
    "Statement",
    "StatementError",
    "StatementLine",
    "assign_fingerprints",
    "check_balance",
    "detect_format",
    "guess_csv_mapping",
    "iban_error",
    "new_lines",
    "normalise_text",
    "parse_camt053",
    "parse_cfonb120",
    "parse_csv",
    "parse_ofx",
    "parse_statement_file",
    "validate_bic",
    "validate_iban",
]
