"""Import a bank statement file (CFONB 120, camt.053, OFX, CSV) into an account, all or nothing.

Stages, in this order, so that a bad file never writes anything:
1. parse the whole file with the statements engine (French errors with the line number);
2. find or create the account of each statement (IBAN and RIB key checked), refuse a file of another account;
3. inside one transaction: keep only the lines not already imported (fingerprints; lines of the same day and
   amount imported earlier from another format count as already there), check the balances (a gap is stored
   and shown), check the continuity with the account, move the account's balance anchor, write the lines;
4. after the commit: reconcile the new lines (matching engine → review queue) and tell the webhooks.

A CSV export names neither its account nor its columns: the owner picks the account, and the column mapping
is guessed, confirmed once on a screen, then remembered for that bank (per bank code).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from etabli.banking.constants import EVENT_STATEMENT_IMPORTED
from etabli.banking.errors import BankingError
from etabli.banking.models import (
    BalanceStatus,
    BankAccount,
    BankLine,
    CsvMapping,
    ImportStatus,
    SourceFormat,
    Statement,
    StatementImport,
)
from etabli.banking.selectors import account_for_iban, balance_on, csv_mapping_for
from etabli.banking.services.accounts import check_iban, create_account
from etabli.common.formats import format_date, format_eur
from etabli.core.models import Company
from etabli.core.services import audit, webhooks
from etabli.engines.statements import Statement as ParsedStatement
from etabli.engines.statements import (
    StatementError,
    check_balance,
    detect_format,
    guess_csv_mapping,
    parse_camt053,
    parse_cfonb120,
    parse_csv,
    parse_ofx,
)

MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass
class StatementReport:
    account_id: int
    account_name: str
    iban: str
    account_created: bool
    start_date: dt.date | None
    end_date: dt.date | None
    opening_balance: Decimal | None
    closing_balance: Decimal | None
    balance_status: str
    balance_message: str
    gap: Decimal | None
    continuity_message: str
    lines_total: int
    lines_new: int
    lines_duplicate: int


@dataclass
class ImportReport:
    import_id: int
    status: str
    source_format: str
    filename: str
    statements: list[StatementReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    line_ids: list[int] = field(default_factory=list)
    reconciliation: dict[str, Any] | None = None
    mapping: dict[str, Any] | None = None
    mapping_message: str = ""

    @property
    def lines_total(self) -> int:
        return sum(s.lines_total for s in self.statements)

    @property
    def lines_new(self) -> int:
        return sum(s.lines_new for s in self.statements)

    @property
    def lines_duplicate(self) -> int:
        return sum(s.lines_duplicate for s in self.statements)

    @property
    def has_gap(self) -> bool:
        return any(s.balance_status == BalanceStatus.GAP or s.continuity_message for s in self.statements)

    def summary(self) -> str:
        """One French sentence per statement, for messages and the CLI."""
        if self.status == ImportStatus.AWAITING_MAPPING:
            return self.mapping_message or "Indiquez la correspondance des colonnes du fichier CSV."
        parts = []
        for s in self.statements:
            period = (f" du {format_date(s.start_date)} au {format_date(s.end_date)}"
                      if s.start_date and s.end_date else "")
            text = (f"{s.account_name}{period} : {s.lines_new} opération(s) ajoutée(s)"
                    f"{f', {s.lines_duplicate} déjà importée(s)' if s.lines_duplicate else ''}. {s.balance_message}")
            if s.continuity_message:
                text += " " + s.continuity_message
            if s.account_created:
                text += f" Compte {s.iban} ajouté."
            parts.append(text)
        return "\n".join(parts)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(lines_total=self.lines_total, lines_new=self.lines_new, lines_duplicate=self.lines_duplicate,
                    summary=self.summary())
        data.pop("line_ids", None)
        return data


def _error(exc: StatementError) -> BankingError:
    return BankingError(str(exc), code="invalid_file", line_number=exc.line_number)


def _safe_name(filename: str) -> str:
    name = re.sub(r"[^\w.\-]+", "_", (filename or "releve").rsplit("/", 1)[-1])[:120]
    return name or "releve"


def _refuse_utf16(data: bytes) -> None:
    """A file saved in UTF-16 (null bytes) is taken for a CSV by the format detection; say what it is instead."""
    if b"\x00" not in data[:4096]:
        return
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError:
        text = ""
    if text.lstrip("\ufeff").startswith("01"):
        _parse(data, "cfonb120", mapping=None, account=None)  # the CFONB parser names the problem and the line
    raise BankingError("Le fichier contient des octets nuls : il est encodé en UTF-16. Téléchargez-le à nouveau depuis "
                       "la banque, ou enregistrez-le en UTF-8, Windows-1252 ou Latin-1.", code="invalid_file",
                       line_number=1)


def _parse(data: bytes, kind: str, *, mapping: dict | None, account: BankAccount | None) -> list[ParsedStatement]:
    try:
        if kind == "cfonb120":
            return parse_cfonb120(data)
        if kind == "camt053":
            return parse_camt053(data)
        if kind == "ofx":
            return parse_ofx(data)
        assert account is not None and mapping is not None
        return [parse_csv(data, mapping, account_iban=account.iban)]
    except StatementError as exc:
        raise _error(exc) from exc


def import_file(
    *, company: Company, data: bytes, filename: str = "", account: BankAccount | None = None,
    csv_mapping: dict | None = None, confirm_csv_mapping: bool = False, user=None, reconcile: bool = True,
) -> ImportReport:
    """Import a statement file. `account` is required for a CSV (optional otherwise: it then must be the
    account the file names). With `confirm_csv_mapping`, a CSV whose bank has no remembered mapping is kept
    aside (status « colonnes à indiquer ») for the owner to confirm the guessed columns on a screen."""
    if not data or not data.strip():
        raise BankingError("Le fichier est vide.", code="empty_file")
    if len(data) > MAX_FILE_BYTES:
        raise BankingError("Le fichier dépasse 20 Mo : découpez le relevé par période.", code="too_large", status=413)
    if account is not None and account.company_id != company.pk:
        raise BankingError("Compte introuvable dans cette entreprise.", code="not_found", status=404)
    _refuse_utf16(data)
    kind = detect_format(data)
    mapping = csv_mapping
    if kind == "csv":
        if account is None:
            raise BankingError("Un export CSV n'indique pas son compte : choisissez le compte bancaire du relevé.",
                               field_errors={"account": "Obligatoire pour un fichier CSV."}, code="account_required")
        remembered = csv_mapping_for(company, account.bank_code)
        if mapping is None and remembered is not None:
            mapping = remembered.mapping
        if mapping is None:
            try:
                guessed = guess_csv_mapping(data)
            except StatementError as exc:
                if confirm_csv_mapping:
                    return _await_mapping(company, data, filename, account, None, str(exc), user)
                raise _error(exc) from exc
            if confirm_csv_mapping:
                return _await_mapping(company, data, filename, account, guessed,
                                      "Vérifiez les colonnes devinées puis confirmez : elles seront retenues pour "
                                      "les prochains relevés de cette banque.", user)
            mapping = guessed
        try:
            statements = _parse(data, kind, mapping=mapping, account=account)
        except BankingError as exc:
            if confirm_csv_mapping:
                return _await_mapping(company, data, filename, account, mapping, exc.message, user)
            raise
    else:
        statements = _parse(data, kind, mapping=None, account=None)
    row = StatementImport(company=company, account=account, source_format=kind, filename=(filename or "")[:255],
                          sha256=hashlib.sha256(data).hexdigest(), csv_mapping=mapping if kind == "csv" else None,
                          created_by=user if getattr(user, "is_authenticated", False) else None)
    report = _store(company, row, data, statements, account=account, kind=kind)
    if kind == "csv" and mapping is not None:
        remember_mapping(company=company, account=account, mapping=mapping)
    return _after_import(company, row, report, reconcile=reconcile)


def confirm_mapping(*, company: Company, statement_import: StatementImport, mapping: dict, user=None,
                    reconcile: bool = True) -> ImportReport:
    """The owner confirmed (or corrected) the columns of a CSV waiting for them: import it and remember them."""
    if statement_import.company_id != company.pk or statement_import.status != ImportStatus.AWAITING_MAPPING:
        raise BankingError("Ce fichier n'attend pas de correspondance de colonnes.", code="not_pending", status=409)
    account = statement_import.account
    statement_import.file.open("rb")
    try:
        data = statement_import.file.read()
    finally:
        statement_import.file.close()
    statements = _parse(data, "csv", mapping=mapping, account=account)
    statement_import.csv_mapping = mapping
    statement_import.status = ImportStatus.IMPORTED
    report = _store(company, statement_import, None, statements, account=account, kind="csv")
    remember_mapping(company=company, account=account, mapping=mapping)
    return _after_import(company, statement_import, report, reconcile=reconcile)


def remember_mapping(*, company: Company, account: BankAccount, mapping: dict) -> CsvMapping:
    row, _ = CsvMapping.objects.update_or_create(
        company=company, bank_code=account.bank_code or account.iban[:9],
        defaults={"mapping": mapping, "bank_name": account.bank_name[:120]},
    )
    return row


def preview_rows(statement_import: StatementImport, mapping: dict | None, limit: int = 8) -> tuple[list[str], list[list[str]]]:
    """Header cells and the first rows of a CSV waiting for its mapping, read with the given separator,
    encoding and header row (what the mapping screen shows)."""
    import csv
    import io

    mapping = mapping or {}
    statement_import.file.open("rb")
    try:
        data = statement_import.file.read()
    finally:
        statement_import.file.close()
    encoding = str(mapping.get("encoding") or "utf-8")
    try:
        text = data.decode("utf-8-sig" if encoding.lower() in ("utf-8", "utf8", "auto") else encoding)
    except (UnicodeDecodeError, LookupError):
        text = data.decode("latin-1")
    rows = list(csv.reader(io.StringIO(text), delimiter=str(mapping.get("delimiter") or ";")))
    header_row = int(mapping.get("header_row") or 0)
    header = [cell.strip() for cell in rows[header_row]] if len(rows) > header_row else []
    body = [row for row in rows[header_row + 1 :] if any(cell.strip() for cell in row)][:limit]
    return header, body


def _await_mapping(company, data, filename, account, mapping, message, user) -> ImportReport:
    with transaction.atomic():
        row = StatementImport(company=company, account=account, status=ImportStatus.AWAITING_MAPPING,
                              source_format=SourceFormat.CSV, filename=(filename or "")[:255],
                              sha256=hashlib.sha256(data).hexdigest(), csv_mapping=mapping,
                              created_by=user if getattr(user, "is_authenticated", False) else None)
        row.file.save(_safe_name(filename), ContentFile(data), save=False)
        row.save()
    return ImportReport(import_id=row.pk, status=ImportStatus.AWAITING_MAPPING, source_format="csv",
                        filename=row.filename, mapping=mapping, mapping_message=message)


def _resolve_account(company: Company, parsed: ParsedStatement, given: BankAccount | None,
                     created: dict[str, BankAccount]) -> tuple[BankAccount, bool]:
    iban = (parsed.account_iban or "").replace(" ", "").upper()
    if iban:
        info = check_iban(iban)  # a camt.053 or OFX may carry a mistyped IBAN: wrong RIB key → clear message
        if given is not None and given.iban != info.iban:
            raise BankingError(
                f"Ce relevé concerne le compte {info.formatted}, pas le compte choisi ({given.iban_display}).",
                field_errors={"account": "Ce n'est pas le compte du relevé."}, code="wrong_account")
        if given is not None:
            return given, False
        existing = account_for_iban(company, info.iban) or created.get(info.iban)
        if existing is not None:
            return existing, False
        account = create_account(company=company, iban=info.iban)
        created[info.iban] = account
        return account, True
    if given is None:
        raise BankingError("Le relevé n'indique pas d'IBAN : choisissez le compte bancaire auquel il appartient.",
                           field_errors={"account": "Obligatoire pour ce fichier."}, code="account_required")
    return given, False


def _continuity(account: BankAccount, parsed: ParsedStatement) -> str:
    """Compare the statement's opening balance with the account's balance just before it."""
    if parsed.opening_balance is None or not parsed.lines or account.balance_date is None:
        return ""
    first_day = min(line.date for line in parsed.lines)
    if not BankLine.objects.filter(company_id=account.company_id, account=account, date__lt=first_day).exists():
        return ""
    before, known = balance_on(account, first_day - dt.timedelta(days=1))
    if not known:
        return ""
    gap = parsed.opening_balance - before
    if abs(gap) < Decimal("0.01"):
        return ""
    return (f"Le solde d'ouverture du relevé ({format_eur(parsed.opening_balance)}) diffère de {format_eur(gap)} du "
            f"solde calculé du compte au {format_date(first_day - dt.timedelta(days=1))} ({format_eur(before)}) : "
            "un relevé intermédiaire manque peut-être.")


def _store(company: Company, row: StatementImport, data: bytes | None, statements: list[ParsedStatement], *,
           account: BankAccount | None, kind: str) -> ImportReport:
    report = ImportReport(import_id=0, status=ImportStatus.IMPORTED, source_format=kind, filename=row.filename)
    with transaction.atomic():
        created: dict[str, BankAccount] = {}
        resolved = [(parsed, *_resolve_account(company, parsed, account, created)) for parsed in statements]
        for parsed, _, _ in resolved:
            if parsed.currency and parsed.currency != "EUR":
                raise BankingError(f"Relevé en {parsed.currency} : seuls les comptes en euros sont pris en charge.",
                                   code="currency")
        if data is not None:
            row.file.save(_safe_name(row.filename), ContentFile(data), save=False)
        if row.account_id is None and len({a.pk for _, a, _ in resolved}) == 1:
            row.account = resolved[0][1]
        row.save()
        report.import_id = row.pk
        all_new: list[BankLine] = []
        for parsed, target, was_created in resolved:
            report.warnings.extend(parsed.warnings)
            target.refresh_from_db()
            lines, statement_report = _store_statement(company, row, parsed, target, kind)
            statement_report.account_created = was_created
            report.statements.append(statement_report)
            all_new.extend(lines)
        row.lines_total = report.lines_total
        row.lines_new = report.lines_new
        row.lines_duplicate = report.lines_duplicate
        row.warnings = report.warnings
        row.save()
        report.line_ids = [line.pk for line in all_new]
        audit.record(action="create", company=company, model="banking.BankLine", object_id=row.pk,
                     object_repr=f"{report.lines_new} opération(s) importée(s) de « {row.filename or kind} » "
                                 f"({report.lines_duplicate} déjà présente(s))")
        webhooks.emit(company=company, event=EVENT_STATEMENT_IMPORTED, data={
            "import_id": row.pk, "format": kind, "filename": row.filename,
            "lines_new": report.lines_new, "lines_duplicate": report.lines_duplicate,
            "statements": [{"iban": s.iban, "start_date": s.start_date.isoformat() if s.start_date else None,
                            "end_date": s.end_date.isoformat() if s.end_date else None,
                            "balance_status": s.balance_status, "gap": str(s.gap) if s.gap is not None else None}
                           for s in report.statements],
        })
    return report


def _store_statement(company: Company, row: StatementImport, parsed: ParsedStatement, account: BankAccount,
                     kind: str) -> tuple[list[BankLine], StatementReport]:
    check = check_balance(parsed)
    continuity = _continuity(account, parsed)
    dates = [line.date for line in parsed.lines]
    existing = BankLine.objects.filter(company=company, account=account)
    if dates:
        existing = existing.filter(date__gte=min(dates), date__lte=max(dates))
    else:
        existing = existing.none()
    known = set(existing.values_list("fingerprint", flat=True))
    # The same movement imported before from another format has another fingerprint (labels differ between a
    # bank's CFONB and CSV): a line of the same day and amount already there from another format is a copy.
    other_format = Counter(existing.exclude(source_format=kind).values_list("date", "amount"))
    fresh, duplicates = [], 0
    seen_in_file: set[str] = set()
    for line in parsed.lines:
        if line.fingerprint in known or line.fingerprint in seen_in_file:
            duplicates += 1
            continue
        key = (line.date, line.amount)
        if other_format[key] > 0:
            other_format[key] -= 1
            duplicates += 1
            continue
        seen_in_file.add(line.fingerprint)
        fresh.append(line)
    statement = Statement.objects.create(
        company=company, statement_import=row, account=account, statement_id=parsed.statement_id[:120],
        start_date=parsed.opening_date or (min(dates) if dates else None),
        end_date=parsed.closing_date or (max(dates) if dates else None),
        opening_balance=parsed.opening_balance, closing_balance=parsed.closing_balance, total=parsed.total,
        balance_status=check.status, balance_message=check.message, gap=check.gap,
        continuity_message=continuity, lines_total=len(parsed.lines), lines_new=len(fresh),
        lines_duplicate=duplicates,
    )
    objects = [
        BankLine(company=company, account=account, statement=statement, date=line.date, value_date=line.value_date,
                 amount=line.amount, label=(line.label or line.reference or "(sans libellé)")[:255],
                 reference=line.reference[:140], counterparty_name=line.counterparty_name[:140],
                 counterparty_iban=line.counterparty_iban[:34], extra_info=list(line.extra_info),
                 bank_operation_code=line.bank_operation_code[:40], fingerprint=line.fingerprint,
                 source_format=kind, source_line=line.source_line)
        for line in fresh
    ]
    stored = BankLine.objects.bulk_create(objects, batch_size=500)
    if stored and stored[0].pk is None:  # backends without RETURNING: read the ids back
        stored = list(BankLine.objects.filter(company=company, statement=statement).order_by("id"))
    if parsed.closing_balance is not None and parsed.closing_date is not None and (
            account.balance_date is None or parsed.closing_date >= account.balance_date):
        account.balance, account.balance_date = parsed.closing_balance, parsed.closing_date
        account.save(update_fields=["balance", "balance_date"])
    report = StatementReport(
        account_id=account.pk, account_name=account.name, iban=account.iban, account_created=False,
        start_date=statement.start_date, end_date=statement.end_date, opening_balance=parsed.opening_balance,
        closing_balance=parsed.closing_balance, balance_status=check.status, balance_message=check.message,
        gap=check.gap, continuity_message=continuity, lines_total=len(parsed.lines), lines_new=len(fresh),
        lines_duplicate=duplicates,
    )
    return list(stored), report


def _after_import(company: Company, row: StatementImport, report: ImportReport, *, reconcile: bool) -> ImportReport:
    if reconcile and report.line_ids:
        from etabli.banking.services.reconcile import reconcile_lines

        outcome = reconcile_lines(company=company, line_ids=report.line_ids)
        report.reconciliation = outcome.as_dict()
        StatementImport.objects.filter(pk=row.pk).update(matched_auto=outcome.auto_matched, proposed=outcome.proposed,
                                                          categorised=outcome.categorised)
    return report
