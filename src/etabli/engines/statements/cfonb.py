"""CFONB 120 (« relevé de compte AFB 120 ») parser, written from the published CFONB layout.

Why our own: no maintained Python library parses it, and the only well-known implementation (Odoo's
``account_statement_import_fr_cfonb``) is AGPL module code we must not copy. This module follows the
CFONB brochure « Relevé de compte sur support informatique » (120-character records).

Every record is 120 characters; positions below are 1-based and inclusive, as in the brochure.

Common to all records
    1–2     record code: 01 ancien solde, 04 mouvement, 05 complément de mouvement, 07 nouveau solde
    3–7     code banque (5)
    8–11    04/05: code opération interne à la banque (4); 01/07: blank
    12–16   code guichet (5)
    17–19   code devise ISO 4217 (3), e.g. EUR
    20      nombre de décimales of the amount (usually 2)
    21      blank
    22–32   numéro de compte (11, may hold letters)
    33–34   04/05: code opération interbancaire (2); 01/07: blank
    35–40   date JJMMAA: 01 date of the opening balance, 04/05 booking date, 07 date of the closing balance

Record 01 / 07 (balances)
    41–90   blank
    91–104  amount (14): 13 digits then one sign character (see below); positive = account in credit
    105–120 blank

Record 04 (movement)
    41–42   code motif de rejet (2)
    43–48   date de valeur JJMMAA
    49–79   libellé (31)
    80–81   blank
    82–88   numéro d'écriture (7)
    89      indice d'exonération de commission
    90      indice d'indisponibilité
    91–104  amount (14), signed as below; credit (money in) is positive
    105–120 zone de référence (16)

Record 05 (complement of the preceding 04)
    41–45   blank
    46–48   qualifiant (3): LIB/LCC/LC2/LCS/LCZ libellé complémentaire, NPY nom du payeur, IPY identifiant
            du payeur, NBE nom du bénéficiaire, IBE identifiant du bénéficiaire, NPO/NBU noms des tiers
            effectifs, IPO/IBU their identifiers, RCN référence client (end-to-end), REF référence,
            MMO montant en devise d'origine, …
    49–118  information complémentaire (70)
    119–120 blank

Amount sign: the last of the 14 characters carries both the last digit and the sign:
``{`` = +0, ``A``–``I`` = +1…+9, ``}`` = −0, ``J``–``R`` = −1…−9. The value is divided by 10 to the
power of the « nombre de décimales » (position 20).

Files are Latin-1 and may come with or without line breaks (then every 120 characters is a record); one
file may hold several statements (one 01…07 block per account and per day is common).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from etabli.common.money import round_cents
from etabli.engines.statements.model import Statement, StatementError, StatementLine, finalise

RECORD_LENGTH = 120

_POSITIVE = {"{": 0, **{chr(ord("A") + i): i + 1 for i in range(9)}}
_NEGATIVE = {"}": 0, **{chr(ord("J") + i): i + 1 for i in range(9)}}

#: 05 qualifiers whose text continues the movement's label.
_LABEL_QUALIFIERS = {"LIB", "LCC", "LC2", "LCS", "LCZ"}
_PAYER_NAME = {"NPY", "NPO"}
_PAYEE_NAME = {"NBE", "NBU"}
_IDENTIFIERS = {"IPY", "IPO", "IBE", "IBU"}
_REFERENCES = {"RCN", "REF"}


def parse_cfonb120(data: bytes | str) -> list[Statement]:
    """Parse a CFONB 120 file into one :class:`Statement` per 01…07 block, or raise StatementError."""
    text, warnings = _decode(data)
    records = _split_records(text)
    statements = _Builder(records, warnings).build()
    return [finalise(statement) for statement in statements]


# --------------------------------------------------------------------------------------------- decoding


def _decode(data: bytes | str) -> tuple[str, list[str]]:
    """Decode as Latin-1 (the norm), detecting the encodings banks or tools get wrong."""
    if isinstance(data, str):
        return data, []
    if not data.strip():
        raise StatementError("Le fichier CFONB 120 est vide.")
    if b"\x00" in data:
        raise StatementError(
            "Le fichier contient des octets nuls : il semble encodé en UTF-16, alors que le format "
            "CFONB 120 est en Latin-1. Exportez-le à nouveau depuis votre banque en « texte » ou ANSI.",
            line_number=1,
        )
    if data[:2] == b"\xf0\xf1" or data[:2] == b"\xf0\xf4":
        raise StatementError(
            "Le fichier semble encodé en EBCDIC (format de gros système) et non en Latin-1 : "
            "demandez à votre banque un export CFONB 120 en ASCII/Latin-1.",
            line_number=1,
        )
    latin1 = data.decode("latin-1")
    if data.isascii():
        return latin1, []
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        return latin1, []
    # Valid UTF-8 with accents: a tool re-saved the file. Accept it only if that makes the records fit.
    if _records_fit(utf8) and not _records_fit(latin1):
        warning = (
            "Le fichier est encodé en UTF-8 au lieu du Latin-1 prévu par la norme CFONB ; il a été lu en "
            "UTF-8 et les accents sont conservés."
        )
        return utf8, [warning]
    if not _records_fit(latin1):
        bad = _first_bad_line(latin1)
        raise StatementError(
            "enregistrement de longueur incorrecte ; le fichier semble avoir été ré-enregistré en UTF-8 "
            "(caractères accentués sur deux octets) alors que le format CFONB 120 est en Latin-1.",
            line_number=bad,
        )
    return latin1, []


def _has_breaks(text: str) -> bool:
    return "\n" in text or "\r" in text


def _raw_lines(text: str) -> list[str]:
    lines = text.splitlines()
    while lines and not lines[-1].strip(" \x1a"):
        lines.pop()
    return lines


def _records_fit(text: str) -> bool:
    if _has_breaks(text):
        return all(len(line) == RECORD_LENGTH for line in _raw_lines(text))
    return len(text.rstrip("\x1a")) % RECORD_LENGTH == 0


def _first_bad_line(text: str) -> int:
    if _has_breaks(text):
        for number, line in enumerate(_raw_lines(text), start=1):
            if len(line) != RECORD_LENGTH:
                return number
    return len(text) // RECORD_LENGTH + 1


def _split_records(text: str) -> list[str]:
    """Cut the text into 120-character records, by line breaks when there are some, else every 120."""
    if _has_breaks(text):
        records = _raw_lines(text)
        for number, record in enumerate(records, start=1):
            if len(record) < RECORD_LENGTH:
                raise StatementError(
                    f"enregistrement tronqué : {len(record)} caractères au lieu de {RECORD_LENGTH}. "
                    "Le fichier est incomplet ou a été modifié.",
                    line_number=number,
                )
            if len(record) > RECORD_LENGTH:
                raise StatementError(
                    f"enregistrement trop long : {len(record)} caractères au lieu de {RECORD_LENGTH}.",
                    line_number=number,
                )
    else:
        body = text.rstrip("\x1a")
        if len(body) % RECORD_LENGTH:
            last = len(body) // RECORD_LENGTH + 1
            raise StatementError(
                f"enregistrement tronqué : le fichier (sans retours à la ligne) fait {len(body)} caractères, "
                f"ce qui n'est pas un multiple de {RECORD_LENGTH}.",
                line_number=last,
            )
        records = [body[i : i + RECORD_LENGTH] for i in range(0, len(body), RECORD_LENGTH)]
    if not records:
        raise StatementError("Le fichier CFONB 120 est vide.")
    for number, record in enumerate(records, start=1):
        bad = next((char for char in record if ord(char) < 32 or 127 <= ord(char) < 160), None)
        if bad is not None:
            raise StatementError(
                f"caractère de contrôle (code {ord(bad)}) dans l'enregistrement : fichier mal encodé ou "
                "corrompu.",
                line_number=number,
            )
    return records


# ---------------------------------------------------------------------------------------------- fields


def parse_amount(field_text: str, decimals: int, line_number: int) -> Decimal:
    """Decode the 14-character signed amount (13 digits + a sign/digit character)."""
    digits, last = field_text[:-1].strip() or "0", field_text[-1]
    if not digits.isdigit():
        raise StatementError(f"montant illisible « {field_text} ».", line_number=line_number)
    if last in _POSITIVE:
        sign, final = 1, _POSITIVE[last]
    elif last in _NEGATIVE:
        sign, final = -1, _NEGATIVE[last]
    else:
        raise StatementError(
            f"montant « {field_text} » : le dernier caractère « {last} » ne code pas de signe "
            "(attendu {, A–I pour un crédit ou }, J–R pour un débit).",
            line_number=line_number,
        )
    value = Decimal(int(digits) * 10 + final).scaleb(-decimals) * sign
    return round_cents(value)


def parse_date(field_text: str, line_number: int, *, what: str, required: bool = True) -> date | None:
    """JJMMAA → date (years 00–69 are 20xx, 70–99 are 19xx)."""
    if not field_text.strip() or field_text == "000000":
        if required:
            raise StatementError(f"{what} absente.", line_number=line_number)
        return None
    if not field_text.isdigit() or len(field_text) != 6:
        raise StatementError(f"{what} illisible « {field_text} » (format JJMMAA attendu).", line_number)
    day, month, year = int(field_text[:2]), int(field_text[2:4]), int(field_text[4:])
    year += 2000 if year < 70 else 1900
    try:
        return date(year, month, day)
    except ValueError:
        raise StatementError(f"{what} impossible « {field_text} ».", line_number=line_number) from None


@dataclass
class _Header:
    bank_code: str
    branch_code: str
    account_number: str
    currency: str
    decimals: int


def _header(record: str, line_number: int) -> _Header:
    decimals_text = record[19]
    if not decimals_text.isdigit():
        raise StatementError(
            f"nombre de décimales illisible « {decimals_text} » (position 20).", line_number=line_number
        )
    return _Header(
        bank_code=record[2:7].strip(),
        branch_code=record[11:16].strip(),
        account_number=record[21:32].strip(),
        currency=record[16:19].strip(),
        decimals=int(decimals_text),
    )


def _derive_iban(header: _Header) -> str:
    """French accounts: the IBAN follows from bank, branch and account (RIB key computed)."""
    if not (header.bank_code and header.branch_code and header.account_number):
        return ""
    try:
        return IBAN.generate(
            "FR", bank_code=header.bank_code + header.branch_code, account_code=header.account_number
        ).compact
    except (SchwiftyException, ValueError):
        return ""


@dataclass
class _PendingLine:
    line_number: int
    date: date
    value_date: date | None
    amount: Decimal
    label: str
    reference: str
    operation_code: str
    extra: list[str] = field(default_factory=list)
    payer: str = ""
    payee: str = ""
    counterparty_iban: str = ""
    client_reference: str = ""

    def to_line(self) -> StatementLine:
        name = self.payer if self.amount > 0 else self.payee
        name = name or self.payer or self.payee
        return StatementLine(
            date=self.date,
            value_date=self.value_date,
            amount=self.amount,
            label=self.label,
            reference=self.reference or self.client_reference,
            counterparty_name=name,
            counterparty_iban=self.counterparty_iban,
            extra_info=tuple(self.extra),
            bank_operation_code=self.operation_code,
            source_line=self.line_number,
        )


class _Builder:
    """Walks the records, enforcing 01 → (04 (05)*)* → 07 blocks of one account."""

    def __init__(self, records: list[str], warnings: list[str]) -> None:
        self.records = records
        self.warnings = warnings
        self.statements: list[Statement] = []
        self.current: Statement | None = None
        self.header: _Header | None = None
        self.pending: _PendingLine | None = None
        self.lines: list[StatementLine] = []

    def build(self) -> list[Statement]:
        handlers = {"01": self._opening, "04": self._movement, "05": self._complement, "07": self._closing}
        for number, record in enumerate(self.records, start=1):
            code = record[:2]
            handler = handlers.get(code)
            if handler is None:
                raise StatementError(
                    f"code d'enregistrement « {code} » inconnu (attendu 01, 04, 05 ou 07) : ce n'est pas "
                    "un relevé CFONB 120.",
                    line_number=number,
                )
            handler(record, number)
        if self.current is not None:
            raise StatementError(
                "le relevé du compte "
                f"{self.current.account_number} n'a pas d'enregistrement 07 (nouveau solde) : fichier "
                "incomplet.",
                line_number=len(self.records),
            )
        return self.statements

    def _same_account(self, record: str, number: int) -> _Header:
        header = _header(record, number)
        assert self.header is not None
        if (header.bank_code, header.branch_code, header.account_number) != (
            self.header.bank_code,
            self.header.branch_code,
            self.header.account_number,
        ):
            raise StatementError(
                f"le compte {header.account_number} ne correspond pas au compte {self.header.account_number} "
                "de l'enregistrement 01 qui ouvre ce relevé.",
                line_number=number,
            )
        return header

    def _opening(self, record: str, number: int) -> None:
        if self.current is not None:
            raise StatementError(
                "nouvel enregistrement 01 alors que le relevé précédent n'est pas clos par un 07.",
                line_number=number,
            )
        header = _header(record, number)
        warnings = list(self.warnings)
        if not header.currency:
            header.currency = "EUR"
            warnings.append(f"Ligne {number} : devise absente, l'euro a été retenu.")
        self.header = header
        self.current = Statement(
            source_format="cfonb120",
            currency=header.currency,
            lines=[],
            account_iban=_derive_iban(header) if header.currency == "EUR" else "",
            bank_code=header.bank_code,
            branch_code=header.branch_code,
            account_number=header.account_number,
            opening_balance=parse_amount(record[90:104], header.decimals, number),
            opening_date=parse_date(record[34:40], number, what="date de l'ancien solde"),
            warnings=warnings,
        )
        self.lines = []

    def _require_open(self, kind: str, number: int) -> None:
        if self.current is None:
            raise StatementError(
                f"enregistrement {kind} hors d'un relevé (il doit suivre un enregistrement 01).",
                line_number=number,
            )

    def _flush(self) -> None:
        if self.pending is not None:
            self.lines.append(self.pending.to_line())
            self.pending = None

    def _movement(self, record: str, number: int) -> None:
        self._require_open("04", number)
        header = self._same_account(record, number)
        self._flush()
        booking = parse_date(record[34:40], number, what="date d'opération")
        assert booking is not None  # required=True raises instead of returning None
        self.pending = _PendingLine(
            line_number=number,
            date=booking,
            value_date=parse_date(record[42:48], number, what="date de valeur", required=False),
            amount=parse_amount(record[90:104], header.decimals, number),
            label=" ".join(record[48:79].split()),
            reference=record[104:120].strip(),
            operation_code=record[32:34].strip(),
        )

    def _complement(self, record: str, number: int) -> None:
        self._require_open("05", number)
        self._same_account(record, number)
        if self.pending is None:
            raise StatementError(
                "enregistrement 05 (complément) sans mouvement 04 qui le précède.", line_number=number
            )
        qualifier = record[45:48].strip().upper()
        info = " ".join(record[48:118].split())
        if not info:
            return
        pending = self.pending
        if qualifier in _PAYER_NAME and not pending.payer:
            pending.payer = info
        elif qualifier in _PAYEE_NAME and not pending.payee:
            pending.payee = info
        elif qualifier in _IDENTIFIERS and not pending.counterparty_iban and _is_iban(info):
            pending.counterparty_iban = info.replace(" ", "").upper()
        elif qualifier in _REFERENCES and not pending.client_reference and not pending.reference:
            pending.client_reference = info
        else:
            # Label continuations and every other qualifier (MMO, IPY that is not an IBAN, …) stay readable.
            pending.extra.append(info)

    def _closing(self, record: str, number: int) -> None:
        self._require_open("07", number)
        header = self._same_account(record, number)
        self._flush()
        statement = self.current
        assert statement is not None
        statement.closing_balance = parse_amount(record[90:104], header.decimals, number)
        statement.closing_date = parse_date(record[34:40], number, what="date du nouveau solde")
        statement.lines = self.lines
        self.statements.append(statement)
        self.current, self.header, self.lines = None, None, []


def _is_iban(text: str) -> bool:
    try:
        IBAN(text)
    except (SchwiftyException, ValueError):
        return False
    return True
