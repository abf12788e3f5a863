"""OFX (v1 SGML and v2 XML) bank statements through ofxtools.

Why ofxtools: it parses both OFX generations, converts the fields to typed values (``Decimal`` amounts,
aware datetimes) and is maintained. What we add: dates read in Paris time (an OFX timestamp of midnight
CET is 23:00 UTC the day before), the French account identity (BANKID = code banque, BRANCHID = code
guichet, ACCTID = account number, sometimes followed by the RIB key) turned into an IBAN, and French
errors. OFX gives the closing (ledger) balance but no opening balance, so the balance check of an OFX
statement reports « contrôle impossible » instead of inventing an opening balance.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ofxtools.header import OFXHeaderError
from ofxtools.Parser import OFXTree, ParseError
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from etabli.common.money import round_cents
from etabli.engines.statements.model import Statement, StatementError, StatementLine, finalise

PARIS = ZoneInfo("Europe/Paris")


def parse_ofx(data: bytes | str) -> list[Statement]:
    """Parse an OFX file into one :class:`Statement` per bank or card statement, or raise StatementError."""
    raw = data.encode("latin-1", errors="replace") if isinstance(data, str) else data
    if not raw.strip():
        raise StatementError("Le fichier OFX est vide.")
    tree = OFXTree()
    try:
        tree.parse(io.BytesIO(raw))
        ofx = tree.convert()
    except (ParseError, OFXHeaderError) as exc:
        raise StatementError(f"Le fichier OFX est illisible : {_short(exc)}.") from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise StatementError(f"Le fichier OFX est incomplet ou non conforme : {_short(exc)}.") from None
    statements = list(getattr(ofx, "statements", []) or [])
    if not statements:
        raise StatementError("Le fichier OFX ne contient aucun relevé bancaire.")
    return [finalise(_statement(stmt)) for stmt in statements]


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:200] if text else type(exc).__name__


def _local_date(value: datetime | date | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(PARIS)
        return value.date()
    return value


def _account(stmt: object) -> tuple[str, str, str, str]:
    """(iban, bank code, branch code, account number) from BANKACCTFROM / CCACCTFROM."""
    account = getattr(stmt, "account", None)
    bank = (getattr(account, "bankid", "") or "").strip()
    branch = (getattr(account, "branchid", "") or "").strip()
    number = (getattr(account, "acctid", "") or "").strip().replace(" ", "")
    iban = ""
    if number.upper().startswith("FR") and len(number) == 27:
        iban = _checked_iban(number)
    elif bank and branch and len(bank) == 5 and len(branch) == 5 and len(number) in (11, 13):
        generated = _generate_iban(bank, branch, number[:11])
        if len(number) == 13 and generated and generated[-2:] != number[-2:]:
            generated = ""  # the key given by the bank disagrees: do not guess
        iban = generated
        number = number[:11]
    return iban, bank, branch, number


def _checked_iban(text: str) -> str:
    try:
        return IBAN(text, validate_bban=True).compact
    except SchwiftyException:
        return ""


def _generate_iban(bank: str, branch: str, number: str) -> str:
    try:
        return IBAN.generate("FR", bank_code=bank + branch, account_code=number).compact
    except (SchwiftyException, ValueError):
        return ""


def _statement(stmt: object) -> Statement:
    iban, bank, branch, number = _account(stmt)
    transactions = getattr(stmt, "banktranlist", None)
    ledger = getattr(stmt, "ledgerbal", None)
    statement = Statement(
        source_format="ofx",
        currency=str(getattr(stmt, "curdef", "") or "EUR"),
        lines=[],
        account_iban=iban,
        bank_code=bank,
        branch_code=branch,
        account_number=number,
    )
    if transactions is not None:
        statement.opening_date = _local_date(getattr(transactions, "dtstart", None))
        statement.closing_date = _local_date(getattr(transactions, "dtend", None))
        statement.lines = [_line(transaction) for transaction in transactions]
    if ledger is not None and ledger.balamt is not None:
        statement.closing_balance = round_cents(ledger.balamt)
        statement.closing_date = _local_date(ledger.dtasof) or statement.closing_date
    statement.lines.sort(key=lambda line: line.date)
    return statement


def _line(transaction: object) -> StatementLine:
    posted = _local_date(getattr(transaction, "dtposted", None))
    if posted is None:
        raise StatementError("Le fichier OFX contient une opération sans date (DTPOSTED).")
    name = " ".join((getattr(transaction, "name", "") or "").split())
    memo = " ".join((getattr(transaction, "memo", "") or "").split())
    payee = getattr(transaction, "payee", None)
    payee_name = " ".join((getattr(payee, "name", "") or "").split()) if payee is not None else ""
    reference = getattr(transaction, "refnum", None) or getattr(transaction, "checknum", None) or ""
    return StatementLine(
        date=posted,
        value_date=_local_date(getattr(transaction, "dtavail", None)),
        amount=round_cents(transaction.trnamt),  # type: ignore[attr-defined]
        label=name or memo or payee_name,
        reference=str(reference),
        counterparty_name=payee_name,
        extra_info=(memo,) if memo and memo != (name or memo) else (),
        bank_operation_code=str(getattr(transaction, "trntype", "") or ""),
    )
