"""The one normalised bank-statement model every parser returns, its balance check and line fingerprints.

Why one model: the banking app, the reconciliation engine and the forecast must not care whether a
statement came from a CFONB 120 file, a camt.053, an OFX download or a bank's CSV export. Every parser
converts to :class:`Statement` / :class:`StatementLine` with signed ``Decimal`` amounts (credit > 0,
debit < 0) rounded to the cent, and is all-or-nothing: it either returns complete statements or raises
:class:`StatementError` (never a partial statement).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Literal

from etabli.common.formats import format_date, format_eur
from etabli.common.money import ZERO, round_cents

SourceFormat = Literal["cfonb120", "camt053", "ofx", "csv"]


class StatementError(ValueError):
    """A statement file that cannot be imported as a whole; the message is French and user-facing.

    ``line_number`` is the 1-based line (or record) of the file where the problem was found, when the
    format has lines; it is already part of the message so the UI can show ``str(error)`` as is.
    """

    def __init__(self, message: str, line_number: int | None = None) -> None:
        self.line_number = line_number
        self.reason = message
        full = f"Ligne {line_number} : {message}" if line_number is not None else message
        super().__init__(full)


@dataclass(frozen=True)
class StatementLine:
    """One movement on the account. ``amount`` is signed: positive = money in (credit)."""

    date: date
    amount: Decimal
    label: str
    value_date: date | None = None
    reference: str = ""
    counterparty_name: str = ""
    counterparty_iban: str = ""
    #: Free complementary information (CFONB 05 records, camt AddtlTxInf/Ustrd, OFX MEMO), in file order.
    extra_info: tuple[str, ...] = ()
    #: Bank's operation code (CFONB interbank code, camt BkTxCd, OFX TRNTYPE, CSV: empty).
    bank_operation_code: str = ""
    #: Stable identity of the line for de-duplication across re-imports (see :func:`assign_fingerprints`).
    fingerprint: str = ""
    #: 1-based line/record number in the source file, to point the user at it.
    source_line: int | None = None

    @property
    def full_text(self) -> str:
        """Label, reference, counterparty and extra information joined: what matching searches."""
        parts = [self.label, self.reference, self.counterparty_name, *self.extra_info]
        return " ".join(part for part in parts if part)


@dataclass
class Statement:
    """One statement of one account: balances (when the format gives them) and the lines between them."""

    source_format: SourceFormat
    currency: str
    lines: list[StatementLine]
    account_iban: str = ""
    bank_code: str = ""
    branch_code: str = ""
    account_number: str = ""
    opening_balance: Decimal | None = None
    opening_date: date | None = None
    closing_balance: Decimal | None = None
    closing_date: date | None = None
    statement_id: str = ""
    #: Things the user should know that do not prevent the import (French).
    warnings: list[str] = field(default_factory=list)

    @property
    def account_key(self) -> str:
        """The account's identity: the IBAN when known, else bank + branch + account number."""
        if self.account_iban:
            return self.account_iban
        return f"{self.bank_code}{self.branch_code}{self.account_number}"

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    def balance_check(self) -> BalanceCheck:
        return check_balance(self)


@dataclass(frozen=True)
class BalanceCheck:
    """Result of opening + sum(lines) == closing. A gap is reported with its amount, never hidden."""

    status: Literal["ok", "gap", "unverifiable"]
    message: str
    expected_closing: Decimal | None = None
    gap: Decimal | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def check_balance(statement: Statement) -> BalanceCheck:
    """Compare the announced closing balance with opening balance + movements.

    Why not raise on a gap: the file itself may be complete and correct while the bank's balance
    includes something not listed (pending card payments); the owner must see the gap and decide.
    """
    total = statement.total
    if statement.opening_balance is None or statement.closing_balance is None:
        return BalanceCheck(
            status="unverifiable",
            message=(
                "Contrôle des soldes impossible : le fichier ne donne pas le solde d'ouverture et le solde "
                f"de clôture (total des mouvements : {format_eur(total)})."
            ),
        )
    expected = round_cents(statement.opening_balance + total)
    gap = round_cents(statement.closing_balance - expected)
    period = _period_text(statement)
    if gap == ZERO:
        return BalanceCheck(
            status="ok",
            expected_closing=expected,
            gap=ZERO,
            message=(
                f"Soldes cohérents{period} : {format_eur(statement.opening_balance)} + mouvements "
                f"{format_eur(total)} = {format_eur(expected)}."
            ),
        )
    return BalanceCheck(
        status="gap",
        expected_closing=expected,
        gap=gap,
        message=(
            f"Écart de {format_eur(gap)} sur le relevé{period} : solde d'ouverture "
            f"{format_eur(statement.opening_balance)} + mouvements {format_eur(total)} = "
            f"{format_eur(expected)}, mais la banque annonce un solde de clôture de "
            f"{format_eur(statement.closing_balance)}. Des opérations manquent peut-être dans le fichier."
        ),
    )


def _period_text(statement: Statement) -> str:
    if statement.opening_date and statement.closing_date:
        return f" du {format_date(statement.opening_date)} au {format_date(statement.closing_date)}"
    return ""


def normalise_text(text: str) -> str:
    """Upper case, accents removed, whitespace collapsed: how labels are compared and fingerprinted."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.upper().split())


def _line_base_key(account_key: str, line: StatementLine) -> str:
    value_date = line.value_date.isoformat() if line.value_date else ""
    return "|".join(
        (
            account_key,
            line.date.isoformat(),
            value_date,
            f"{round_cents(line.amount):f}",
            normalise_text(line.label),
            normalise_text(line.reference),
        )
    )


def assign_fingerprints(account_key: str, lines: Iterable[StatementLine]) -> list[StatementLine]:
    """Give each line a stable fingerprint: hash of its account, dates, amount, label, reference and an
    occurrence index.

    Why the occurrence index: two genuinely identical lines on the same day (two 12,00 € card payments at
    the same café) must both be kept, so the n-th identical line of a day gets index n. Re-importing an
    overlapping statement then yields the same fingerprints for the days it repeats, because a bank lists
    a day's identical movements in the same order. Limit: if a bank cuts one day across two files, the
    index restarts in the second file; the app should compare per-day counts in that rare case.
    Fingerprints are comparable within one source format (labels differ between a bank's CFONB and CSV).
    """
    seen: Counter[str] = Counter()
    result = []
    for line in lines:
        base = _line_base_key(account_key, line)
        occurrence = seen[base]
        seen[base] += 1
        digest = hashlib.sha256(f"{base}|{occurrence}".encode()).hexdigest()[:32]
        result.append(replace(line, fingerprint=digest))
    return result


def finalise(statement: Statement) -> Statement:
    """Sort nothing, round amounts, and fingerprint lines: the last step shared by every parser."""
    statement.lines = assign_fingerprints(statement.account_key, statement.lines)
    return statement


def new_lines(statement: Statement, known_fingerprints: Iterable[str]) -> list[StatementLine]:
    """Lines of ``statement`` not already imported (their fingerprint is not in ``known_fingerprints``)."""
    known = set(known_fingerprints)
    return [line for line in statement.lines if line.fingerprint not in known]
