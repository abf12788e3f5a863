"""Export an account's lines: CFONB 120 (what accounting software imports), a French CSV for the accountant, and
the engines' line format (date, amount, label, counterparty, account, category, document_date) that the cash
forecast benchmark reads back.

Why write CFONB 120 ourselves: it is the file every French accounting package imports, and a round trip through
our own parser is the best proof that both follow the published layout (positions 1–120 below).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal

from etabli.banking.constants import category_label
from etabli.banking.models import BankAccount, BankLine
from etabli.banking.selectors import balance_on
from etabli.common.formats import format_number
from etabli.engines.statements import normalise_text

RECORD = 120
_POSITIVE = "{ABCDEFGHI"
_NEGATIVE = "}JKLMNOPQR"


def _amount(value: Decimal) -> str:
    """14 characters: 13 digits and the last digit coded with the sign (credit {A–I, debit }J–R)."""
    cents = int((abs(value) * 100).to_integral_value())
    digits = f"{cents:014d}"
    if len(digits) > 14:
        raise ValueError("Montant trop grand pour le format CFONB 120.")
    return digits[:13] + (_POSITIVE if value >= 0 else _NEGATIVE)[int(digits[13])]


def _text(value: str, width: int) -> str:
    """Upper-case ASCII, as banks write CFONB files (Latin-1 holds it; accents would shift nothing but are rare)."""
    return normalise_text(value or "")[:width].ljust(width)


def _record(fields: dict[int, str]) -> str:
    chars = [" "] * RECORD
    for start, text in fields.items():
        for offset, char in enumerate(text):
            chars[start - 1 + offset] = char
    return "".join(chars)


def _identity(account: BankAccount) -> tuple[str, str, str]:
    if not (account.iban.startswith("FR") and account.bank_code and account.branch_code and account.account_number):
        raise ValueError("L'export CFONB 120 demande un compte français (code banque, guichet et numéro de compte).")
    return account.bank_code[:5], account.branch_code[:5], account.account_number[:11].ljust(11)


def cfonb120(account: BankAccount, lines: Iterable[BankLine], *, opening_balance: Decimal, start: dt.date,
             end: dt.date) -> bytes:
    """One statement (01, 04 + 05…, 07) of `lines` between `start` and `end`; Latin-1, CRLF."""
    bank, branch, number = _identity(account)
    common = {3: bank, 12: branch, 17: "EUR", 20: "2", 22: number}
    records = [_record({1: "01", **common, 35: f"{start:%d%m%y}", 91: _amount(opening_balance)})]
    total = Decimal(0)
    for entry, line in enumerate(lines, start=1):
        total += line.amount
        interbank = "05" if line.amount > 0 else "06"
        label = normalise_text(line.label)
        cut = label.rfind(" ", 0, 32) if len(label) > 31 else len(label)
        cut = cut if cut > 0 else 31
        head, rest = label[:cut].rstrip(), label[cut:].strip()  # banks cut the 31 characters at a word
        records.append(_record({1: "04", **common, 8: "0000", 33: interbank, 35: f"{line.date:%d%m%y}",
                                43: f"{(line.value_date or line.date):%d%m%y}", 49: _text(head, 31),
                                82: f"{entry % 10_000_000:07d}", 91: _amount(line.amount),
                                105: _text(line.reference, 16)}))
        complements = []
        while rest:
            complements.append(("LIB", rest[:70]))
            rest = rest[70:]
        if line.counterparty_name:
            complements.append(("NPY" if line.amount > 0 else "NBE", line.counterparty_name))
        if line.counterparty_iban:
            complements.append(("IPY" if line.amount > 0 else "IBE", line.counterparty_iban))
        for info in line.extra_info or []:
            complements.append(("LCC", str(info)))
        for qualifier, info in complements:
            records.append(_record({1: "05", **common, 8: "0000", 33: interbank, 35: f"{line.date:%d%m%y}",
                                    46: qualifier, 49: _text(info, 70)}))
    records.append(_record({1: "07", **common, 35: f"{end:%d%m%y}", 91: _amount(opening_balance + total)}))
    return ("\r\n".join(records) + "\r\n").encode("latin-1")


def account_cfonb120(account: BankAccount, *, start: dt.date | None = None, end: dt.date | None = None) -> bytes:
    """The account's lines between two dates as a CFONB 120 statement, balances from the account's anchor."""
    qs = BankLine.objects.filter(company_id=account.company_id, account=account).order_by("date", "id")
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    lines = list(qs)
    first = start or (lines[0].date if lines else dt.date.today())
    last = end or (lines[-1].date if lines else first)
    opening, _ = balance_on(account, first - dt.timedelta(days=1))
    return cfonb120(account, lines, opening_balance=opening, start=first, end=last)


def lines_csv(lines: Iterable[BankLine]) -> bytes:
    """French CSV for a spreadsheet or the accountant: « ; », decimal comma, dd/mm/yyyy, UTF-8 with BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["Compte", "Date", "Date de valeur", "Libellé", "Référence", "Tiers", "Montant", "Statut",
                     "Catégorie", "Compte PCG", "Factures"])
    for line in lines:
        invoices = " ".join(match.invoice_number for match in line.matches.all())
        writer.writerow([line.account.iban, f"{line.date:%d/%m/%Y}",
                         f"{line.value_date:%d/%m/%Y}" if line.value_date else "", line.label, line.reference,
                         line.counterparty_name or line.matched_partner_name,
                         format_number(line.amount, 2).replace("\u202f", ""), line.get_status_display(),
                         category_label(line.category) if line.category else "", line.pcg_account, invoices])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def engine_lines_csv(lines: Iterable) -> bytes:
    """The engines' `BankLine` fields as CSV (ISO dates, dot decimals): what `benchmarks/cash_forecast.py --lines`
    and data tools read."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["date", "amount", "label", "counterparty", "account", "category", "document_date"])
    for line in lines:
        writer.writerow([line.date.isoformat(), f"{line.amount:f}", line.label, line.counterparty, line.account,
                         line.category, line.document_date.isoformat() if line.document_date else ""])
    return buffer.getvalue().encode("utf-8")
