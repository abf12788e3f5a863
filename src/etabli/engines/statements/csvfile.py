"""Bank CSV exports, read through a column mapping the app remembers per bank, plus a mapping guesser.

Why a mapping and not a universal reader: every French bank exports its own columns (« Date opération »,
« Libellé », « Débit », « Crédit », a few preamble lines with the account number…), with a ``;`` separator,
a decimal comma and ``jj/mm/aaaa`` dates. The guesser proposes a mapping from the headers and a sample of
rows; the owner confirms it once and the app stores it (a plain JSON-able dict) for the next imports.

Mapping keys (all optional except ``columns``)::

    {
        "delimiter": ";",            # ; , tab or |
        "decimal": ",",              # decimal mark of amounts
        "date_format": "%d/%m/%Y",   # strptime format of the date columns
        "encoding": "utf-8",         # or "cp1252", "latin-1"; "auto" tries UTF-8 then Windows-1252
        "header_row": 0,             # 0-based index of the header line (preamble lines before it skipped)
        "columns": {                 # field -> header text in the file (None or absent = not in the file)
            "date": "Date", "label": "Libellé",
            "amount": "Montant",     # a signed amount …
            "debit": None, "credit": None,  # … or two columns (debit values may be written with or without -)
            "value_date": None, "reference": None, "balance": None,
            "counterparty_name": None, "extra_info": None,
        },
        "currency": "EUR",
    }
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from etabli.common.money import round_cents
from etabli.engines.statements.model import Statement, StatementError, StatementLine, finalise, normalise_text

FIELDS = (
    "date",
    "label",
    "amount",
    "debit",
    "credit",
    "value_date",
    "reference",
    "balance",
    "counterparty_name",
    "extra_info",
)
_DELIMITERS = (";", ",", "\t", "|")
_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d-%m-%y", "%Y/%m/%d")

#: Normalised header texts (lower case, no accents, no punctuation) recognised for each field.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "value_date": ("date de valeur", "date valeur", "valeur", "value date", "dt valeur"),
    "date": (
        "date",
        "date operation",
        "date d operation",
        "date de l operation",
        "date comptable",
        "date de comptabilisation",
        "date compta",
        "date op",
        "booking date",
        "date de transaction",
    ),
    "label": (
        "libelle",
        "libelle operation",
        "libelle de l operation",
        "libelle simplifie",
        "description",
        "intitule",
        "detail",
        "details",
        "nature de l operation",
        "operation",
        "label",
    ),
    "amount": ("montant", "montant eur", "montant en euros", "montant euros", "somme", "amount"),
    "debit": ("debit", "debit eur", "debit euros", "debits", "sortie", "sorties", "montant debit"),
    "credit": ("credit", "credit eur", "credit euros", "credits", "entree", "entrees", "montant credit"),
    "reference": (
        "reference",
        "ref",
        "numero",
        "reference operation",
        "n operation",
        "reference de l operation",
    ),
    "balance": ("solde", "solde eur", "balance", "solde apres operation"),
    "counterparty_name": ("tiers", "beneficiaire", "emetteur", "contrepartie", "nom du tiers", "nom tiers"),
    "extra_info": (
        "libelle complementaire",
        "informations complementaires",
        "info complementaire",
        "commentaire",
    ),
}


def _norm_header(text: str) -> str:
    base = normalise_text(re.sub(r"\(.*?\)", " ", text)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", base).split())


# ---------------------------------------------------------------------------------------------- decoding


def _decode(data: bytes | str, encoding: str) -> str:
    if isinstance(data, str):
        return data
    if encoding == "auto":
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="strict") if _cp1252_ok(data) else data.decode("latin-1")
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line_number = data[: exc.start].count(b"\n") + 1
        raise StatementError(
            f"le fichier n'est pas encodé en {encoding} comme prévu pour cette banque (octet "
            f"0x{data[exc.start]:02x} illisible). Il est peut-être en Windows-1252/Latin-1 : corrigez "
            "l'encodage dans la correspondance des colonnes.",
            line_number=line_number,
        ) from None
    except LookupError:
        raise StatementError(
            f"Encodage « {encoding} » inconnu dans la correspondance des colonnes."
        ) from None


def _cp1252_ok(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _rows(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


# ------------------------------------------------------------------------------------------- the guesser


def guess_csv_mapping(data: bytes | str) -> dict[str, Any]:
    """Propose a mapping from the headers and a sample of rows, or raise StatementError (French)."""
    text = _decode(data, "auto")
    encoding = "utf-8"
    if isinstance(data, bytes):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "cp1252" if _cp1252_ok(data) else "latin-1"
    delimiter = _guess_delimiter(text)
    rows = _rows(text, delimiter)
    header_row, columns = _find_header(rows)
    if header_row is None:
        sample = rows[0] if rows else []
        raise StatementError(
            "Colonnes non reconnues : impossible de trouver une date, un libellé et un montant (ou débit/"
            f"crédit) parmi {', '.join(f'« {cell} »' for cell in sample if cell) or 'aucune colonne'}. "
            "Indiquez la correspondance des colonnes à la main.",
            line_number=1,
        )
    header = rows[header_row]
    data_rows = [row for row in rows[header_row + 1 :] if any(cell.strip() for cell in row)][:50]
    index = {name: header.index(column) for name, column in columns.items()}
    date_format = _guess_date_format([row[index["date"]] for row in data_rows if len(row) > index["date"]])
    amount_cells = [
        row[index[name]]
        for name in ("amount", "debit", "credit", "balance")
        if name in index
        for row in data_rows
        if len(row) > index[name]
    ]
    return {
        "delimiter": delimiter,
        "decimal": _guess_decimal(amount_cells),
        "date_format": date_format,
        "encoding": encoding,
        "header_row": header_row,
        "columns": {name: columns.get(name) for name in FIELDS},
        "currency": "EUR",
    }


def _guess_delimiter(text: str) -> str:
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_score = ";", -1
    for delimiter in _DELIMITERS:
        counts = Counter(line.count(delimiter) for line in lines)
        count, frequency = max(counts.items(), key=lambda item: (item[1], item[0]))
        score = frequency if count > 0 else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _field_for(header: str) -> str | None:
    normalised = _norm_header(header)
    if not normalised:
        return None
    for name, synonyms in _SYNONYMS.items():
        if normalised in synonyms:
            return name
    if normalised.startswith("date") and "valeur" in normalised:
        return "value_date"
    if normalised.startswith("date"):
        return "date"
    for keyword, name in (
        ("libelle", "label"),
        ("debit", "debit"),
        ("credit", "credit"),
        ("montant", "amount"),
        ("solde", "balance"),
        ("reference", "reference"),
    ):
        if keyword in normalised:
            return name
    return None


def _find_header(rows: list[list[str]]) -> tuple[int | None, dict[str, str]]:
    for number, row in enumerate(rows[:20]):
        columns: dict[str, str] = {}
        for cell in row:
            name = _field_for(cell)
            if name and name not in columns:
                columns[name] = cell
        has_amount = "amount" in columns or ("debit" in columns and "credit" in columns)
        if "date" in columns and "label" in columns and has_amount:
            if "amount" in columns and "debit" in columns and "credit" in columns:
                columns.pop("amount")
            return number, columns
    return None, {}


def _guess_date_format(cells: list[str]) -> str:
    values = [cell.strip() for cell in cells if cell.strip()]
    for date_format in _DATE_FORMATS:
        try:
            for value in values:
                datetime.strptime(value, date_format)
        except ValueError:
            continue
        return date_format
    return "%d/%m/%Y"


def _guess_decimal(cells: list[str]) -> str:
    comma = sum(bool(re.search(r",\d{1,2}\s*$", cell.strip())) for cell in cells)
    dot = sum(bool(re.search(r"\.\d{1,2}\s*$", cell.strip())) for cell in cells)
    return "." if dot > comma else ","


# --------------------------------------------------------------------------------------------- the parser


def parse_csv_amount(text: str, decimal_mark: str = ",") -> Decimal | None:
    """ "1 234,56" / "-1.234,56" / "(12,00)" / "12,00-" / "1,234.56" → Decimal; empty → None."""
    cleaned = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    cleaned = cleaned.replace("€", "").replace("EUR", "").replace("+", "")
    if not cleaned:
        return None
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    if cleaned.endswith("-"):
        negative, cleaned = True, cleaned[:-1]
    if cleaned.startswith("-"):
        negative, cleaned = not negative, cleaned[1:]
    thousands = "." if decimal_mark == "," else ","
    cleaned = cleaned.replace(thousands, "").replace(decimal_mark, ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    return round_cents(-value if negative else value)


def _check_mapping(mapping: dict[str, Any]) -> dict[str, str]:
    columns = mapping.get("columns")
    if not isinstance(columns, dict):
        raise StatementError("Correspondance des colonnes invalide : la clé « columns » manque.")
    unknown = sorted(set(columns) - set(FIELDS))
    if unknown:
        raise StatementError(
            f"Correspondance des colonnes invalide : champ(s) inconnu(s) {', '.join(unknown)} "
            f"(champs possibles : {', '.join(FIELDS)})."
        )
    used = {name: column for name, column in columns.items() if column}
    if "date" not in used or "label" not in used:
        raise StatementError(
            "Correspondance des colonnes incomplète : il faut au moins la date et le libellé."
        )
    if "amount" not in used and not ("debit" in used and "credit" in used):
        raise StatementError(
            "Correspondance des colonnes incomplète : il faut une colonne « montant » ou deux colonnes "
            "« débit » et « crédit »."
        )
    return used


def parse_csv(data: bytes | str, mapping: dict[str, Any], *, account_iban: str = "") -> Statement:
    """Parse a bank CSV export with ``mapping`` (see the module docstring); all rows or an error.

    CSV exports rarely name the account, so the app passes the IBAN of the account being imported: it
    goes into the fingerprints, keeping identical lines of two accounts apart.
    """
    used = _check_mapping(mapping)
    text = _decode(data, str(mapping.get("encoding", "utf-8")))
    delimiter = str(mapping.get("delimiter", ";"))
    decimal_mark = str(mapping.get("decimal", ","))
    date_format = str(mapping.get("date_format", "%d/%m/%Y"))
    header_row = int(mapping.get("header_row", 0))
    rows = _rows(text, delimiter)
    if len(rows) <= header_row:
        raise StatementError("Le fichier CSV ne contient pas de ligne d'en-tête.")
    header = [cell.strip() for cell in rows[header_row]]
    normalised = [_norm_header(cell) for cell in header]
    missing = [column for column in used.values() if _norm_header(column) not in normalised]
    if missing:
        raise StatementError(
            f"colonne(s) {', '.join(f'« {column} »' for column in missing)} introuvable(s) dans le fichier ; "
            f"colonnes présentes : {', '.join(f'« {cell} »' for cell in header if cell)}. Les colonnes "
            "de l'export ont changé : vérifiez la correspondance des colonnes pour cette banque.",
            line_number=header_row + 1,
        )
    index = {name: normalised.index(_norm_header(column)) for name, column in used.items()}
    lines: list[StatementLine] = []
    balances: list[Decimal | None] = []
    for offset, row in enumerate(rows[header_row + 1 :], start=header_row + 2):
        if not any(cell.strip() for cell in row):
            continue
        line, balance = _parse_row(row, offset, index, date_format, decimal_mark)
        lines.append(line)
        balances.append(balance)
    if not lines:
        raise StatementError("Le fichier CSV ne contient aucune opération.")
    if lines[0].date > lines[-1].date:  # newest first, as many banks export: make it chronological
        lines.reverse()
        balances.reverse()
    statement = Statement(
        source_format="csv",
        currency=str(mapping.get("currency", "EUR")),
        lines=lines,
        account_iban=account_iban.replace(" ", "").upper(),
    )
    statement.opening_date, statement.closing_date = lines[0].date, lines[-1].date
    if "balance" in index and balances[0] is not None and balances[-1] is not None:
        statement.opening_balance = round_cents(balances[0] - lines[0].amount)
        statement.closing_balance = balances[-1]
    return finalise(statement)


def _human_format(date_format: str) -> str:
    """'%d/%m/%Y' → 'jj/mm/aaaa', for error messages."""
    for code, text in (("%d", "jj"), ("%m", "mm"), ("%Y", "aaaa"), ("%y", "aa")):
        date_format = date_format.replace(code, text)
    return date_format


def _cell(row: list[str], index: dict[str, int], name: str) -> str:
    position = index.get(name)
    if position is None or position >= len(row):
        return ""
    return row[position].strip()


def _parse_row(
    row: list[str], number: int, index: dict[str, int], date_format: str, decimal_mark: str
) -> tuple[StatementLine, Decimal | None]:
    if len(row) <= max(index.values()):
        raise StatementError(
            f"ligne incomplète : {len(row)} colonnes au lieu d'au moins {max(index.values()) + 1}.",
            line_number=number,
        )

    def read_date(name: str, what: str) -> date | None:
        value = _cell(row, index, name)
        if not value:
            return None
        try:
            return datetime.strptime(value, date_format).date()
        except ValueError:
            raise StatementError(
                f"{what} « {value} » illisible (format attendu {_human_format(date_format)}).",
                line_number=number,
            ) from None

    def read_amount(name: str) -> Decimal | None:
        value = _cell(row, index, name)
        try:
            return parse_csv_amount(value, decimal_mark)
        except ValueError:
            raise StatementError(f"montant « {value} » illisible.", line_number=number) from None

    booking = read_date("date", "date")
    if booking is None:
        raise StatementError("date d'opération absente.", line_number=number)
    if "amount" in index:
        amount = read_amount("amount")
    else:
        debit, credit = read_amount("debit"), read_amount("credit")
        amount = None if debit is None and credit is None else (credit or 0) - abs(debit or 0)
    if amount is None:
        raise StatementError("montant absent.", line_number=number)
    extra = _cell(row, index, "extra_info")
    line = StatementLine(
        date=booking,
        value_date=read_date("value_date", "date de valeur"),
        amount=round_cents(amount),
        label=" ".join(_cell(row, index, "label").split()),
        reference=_cell(row, index, "reference"),
        counterparty_name=_cell(row, index, "counterparty_name"),
        extra_info=(extra,) if extra else (),
        source_line=number,
    )
    return line, read_amount("balance") if "balance" in index else None
