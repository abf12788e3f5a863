"""Builders for every banking model (the core isolation test needs one per model), and helpers to build
realistic statements: CFONB 120 records from the engine tests' independent writer (not the app's exporter,
so a misunderstanding of the layout cannot confirm itself), camt.053, OFX and CSV texts."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from schwifty import IBAN

from tests.engines.statements import cfonb_records as cfonb
from tests.factories import builder

_n = itertools.count(1)

BANK, BRANCH = "30004", "00823"


def make_iban(number: int | None = None) -> str:
    account = f"{(number if number is not None else next(_n)) % 10**11:011d}"
    return IBAN.generate("FR", bank_code=BANK + BRANCH, account_code=account).compact


def make_account(company, **fields):
    from etabli.banking.services import create_account

    values = {"iban": make_iban(), "bic": "BNPAFRPP"}
    values.update(fields)
    return create_account(company=company, **values)


def split_label(label: str, width: int = 31) -> tuple[str, str]:
    """Like banks do: the 04 record's 31 characters end at a word, the rest goes to 05 « LIB » records."""
    if len(label) <= width:
        return label, ""
    cut = label.rfind(" ", 0, width + 1)
    cut = cut if cut > 0 else width
    return label[:cut].rstrip(), label[cut:].strip()


def cfonb_statement(iban: str, opening: Decimal, lines: list[dict], *, start: dt.date, end: dt.date,
                    closing: Decimal | None = None, line_breaks: bool = True) -> bytes:
    """A CFONB 120 statement of `iban`: lines are dicts(date, amount, label[, reference, payer, extra])."""
    info = IBAN(iban)
    bank, branch, account = info.bank_code, info.branch_code, info.account_code
    records = [cfonb.balance("01", bank, branch, account, start, opening)]
    total = Decimal(0)
    for number, line in enumerate(lines, start=1):
        total += line["amount"]
        head, rest = split_label(line["label"])
        records.append(cfonb.movement(bank, branch, account, line["date"], line["amount"], head,
                                      entry=f"{number:07d}", reference=line.get("reference", "")))
        while rest:
            records.append(cfonb.complement(bank, branch, account, line["date"], "LIB", rest[:70]))
            rest = rest[70:]
        if line.get("payer"):
            records.append(cfonb.complement(bank, branch, account, line["date"], "NPY", line["payer"]))
        for extra in line.get("extra", ()):
            records.append(cfonb.complement(bank, branch, account, line["date"], "LCC", extra))
    records.append(cfonb.balance("07", bank, branch, account, end, closing if closing is not None else opening + total))
    separator = "\r\n" if line_breaks else ""
    return (separator.join(records) + separator).encode("latin-1")


def camt053(iban: str, opening: Decimal, entries: list[dict], *, start: dt.date, end: dt.date,
            closing: Decimal | None = None) -> bytes:
    total = sum((e["amount"] for e in entries), Decimal(0))
    closing = closing if closing is not None else opening + total

    def bal(code, amount, day):
        sign = "CRDT" if amount >= 0 else "DBIT"
        return (f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{abs(amount):.2f}</Amt>"
                f"<CdtDbtInd>{sign}</CdtDbtInd><Dt><Dt>{day.isoformat()}</Dt></Dt></Bal>")

    ntries = []
    for e in entries:
        sign = "CRDT" if e["amount"] >= 0 else "DBIT"
        ntries.append(
            f"<Ntry><Amt Ccy=\"EUR\">{abs(e['amount']):.2f}</Amt><CdtDbtInd>{sign}</CdtDbtInd><Sts>BOOK</Sts>"
            f"<BookgDt><Dt>{e['date'].isoformat()}</Dt></BookgDt><ValDt><Dt>{e['date'].isoformat()}</Dt></ValDt>"
            f"<AddtlNtryInf>{e['label']}</AddtlNtryInf>"
            f"<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>{e.get('payer', '')}</Nm></Dbtr></RltdPties>"
            f"<RmtInf><Ustrd>{e.get('remittance', e['label'])}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>")
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        f"<GrpHdr><MsgId>M{next(_n)}</MsgId><CreDtTm>{end.isoformat()}T20:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>S{next(_n)}</Id><CreDtTm>{end.isoformat()}T20:00:00</CreDtTm>"
        f"<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>"
        f"{bal('OPBD', opening, start)}{bal('CLBD', closing, end)}{''.join(ntries)}</Stmt></BkToCstmrStmt></Document>"
    )
    return xml.encode("utf-8")


def ofx(iban: str, entries: list[dict], *, balance: Decimal, end: dt.date) -> bytes:
    info = IBAN(iban)
    transactions = "".join(
        f"<STMTTRN><TRNTYPE>{'CREDIT' if e['amount'] > 0 else 'DEBIT'}</TRNTYPE><DTPOSTED>{e['date']:%Y%m%d}"
        f"</DTPOSTED><TRNAMT>{e['amount']:.2f}</TRNAMT><FITID>{e['date']:%Y%m%d}{i}</FITID><NAME>{e['label'][:32]}"
        f"</NAME><MEMO>{e['label']}</MEMO></STMTTRN>" for i, e in enumerate(entries))
    start = min(e["date"] for e in entries)
    text = (
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\n"
        "COMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
        "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20261126</DTSERVER>"
        "<LANGUAGE>FRA</SONRS></SIGNONMSGSRSV1><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO"
        "</STATUS><STMTRS><CURDEF>EUR<BANKACCTFROM>"
        f"<BANKID>{info.bank_code}<BRANCHID>{info.branch_code}<ACCTID>{info.account_code}{iban[-2:]}"
        "<ACCTTYPE>CHECKING</BANKACCTFROM>"
        f"<BANKTRANLIST><DTSTART>{start:%Y%m%d}<DTEND>{end:%Y%m%d}{transactions}</BANKTRANLIST>"
        f"<LEDGERBAL><BALAMT>{balance:.2f}<DTASOF>{end:%Y%m%d}</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
    )
    return text.encode("ascii")


def csv_export(entries: list[dict], *, encoding: str = "utf-8", with_balance: Decimal | None = None) -> bytes:
    """A French bank's CSV: a preamble line, « ; », dd/mm/yyyy, Débit/Crédit columns with decimal commas."""
    rows = ["Compte courant professionnel;;;;", "Date;Libellé;Débit;Crédit" + (";Solde" if with_balance is not None else "")]
    running = with_balance
    for e in entries:
        amount = e["amount"]
        debit = f"{-amount:.2f}".replace(".", ",") if amount < 0 else ""
        credit = f"{amount:.2f}".replace(".", ",") if amount > 0 else ""
        row = f"{e['date']:%d/%m/%Y};{e['label']};{debit};{credit}"
        if running is not None:
            running += amount
            row += ";" + f"{running:.2f}".replace(".", ",")
        rows.append(row)
    return ("\r\n".join(rows) + "\r\n").encode(encoding)


# --- Builders for the isolation tests ----------------------------------------------------------------------------


@builder("banking.BankAccount")
def _account(company):
    return make_account(company)


@builder("banking.StatementImport")
def _import(company):
    from etabli.banking.models import StatementImport

    return StatementImport.objects.create(company=company, account=make_account(company), source_format="cfonb120",
                                          filename="releve.txt")


@builder("banking.Statement")
def _statement(company):
    from etabli.banking.models import Statement

    row = _import(company)
    return Statement.objects.create(company=company, statement_import=row, account=row.account,
                                    balance_status="ok", balance_message="Soldes cohérents.")


@builder("banking.BankLine")
def _line(company):
    from etabli.banking.models import BankLine

    return BankLine.objects.create(company=company, account=make_account(company), date=dt.date(2026, 11, 2),
                                   amount=Decimal("1200.00"), label="VIR SEPA CLIENT TEST", fingerprint=f"f{next(_n)}",
                                   source_format="cfonb120")


@builder("banking.LineMatch")
def _match(company):
    from etabli.banking.models import LineMatch

    return LineMatch.objects.create(company=company, line=_line(company), invoice_id=999999, invoice_number="FA-X",
                                    invoice_kind="customer", amount=Decimal("1200.00"), source="validated")


@builder("banking.CategoryRule")
def _rule(company):
    from etabli.banking.models import CategoryRule

    return CategoryRule.objects.create(company=company, pattern=f"MOTIF {next(_n)}", category="loyer")


@builder("banking.CsvMapping")
def _mapping(company):
    from etabli.banking.models import CsvMapping

    return CsvMapping.objects.create(company=company, bank_code=f"{next(_n):05d}", mapping={"columns": {}})


@builder("banking.BankingSettings")
def _settings(company):
    from etabli.banking.services import ensure_settings

    return ensure_settings(company)


@builder("banking.AnalysisRun")
def _run(company):
    from etabli.banking.models import AnalysisRun

    return AnalysisRun.objects.create(company=company, kind="spending", as_of=dt.date(2026, 11, 26),
                                      result={"recurring": [], "alerts": []})
