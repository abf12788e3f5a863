"""camt.053 (ISO 20022 « Bank to Customer Statement ») parser, on lxml.

Why not pycamt (it is installed and was tried first): pycamt turns negative balances into ``float``
(money must stay ``Decimal``), reads only OPBD/CLBD balances (many French banks give the opening balance
as PRCD, « solde de clôture précédent »), flattens the transactions of every statement of the file into one
list, takes the first ``Amt`` found under a transaction's details (which can be the instructed amount in a
foreign currency rather than the booked one), ignores the reversal indicator and accepts any XML that
contains a ``Stmt`` or ``Rpt`` element (so a camt.052 intraday report or a camt.054 notification would be
taken for a statement). A direct reading of the few elements we need is shorter than patching around it,
and lxml gives the source line of each element for the error messages. lxml is already installed as
pycamt's dependency. The parser refuses entities and network access (no XXE).

Elements read (version-independent, 001.02 to 001.13; the namespace is taken from the document):
``BkToCstmrStmt/Stmt``: ``Id``, ``Acct/Id/IBAN`` (or ``Acct/Id/Othr/Id``), ``Acct/Ccy``, ``Bal`` (type
``OPBD`` or ``PRCD`` for the opening balance, ``CLBD`` for the closing one; ``CdtDbtInd`` gives the sign),
``Ntry``: ``Amt``, ``CdtDbtInd``, ``RvslInd``, ``Sts`` (only booked entries are kept), ``BookgDt``,
``ValDt``, ``AcctSvcrRef``, ``BkTxCd``, ``AddtlNtryInf`` and ``NtryDtls/TxDtls`` (``Refs/EndToEndId``,
``RltdPties`` names and IBANs, ``RmtInf/Ustrd`` and ``Strd/CdtrRefInf/Ref``, ``AddtlTxInf``). An entry
whose transaction details each carry an amount adding up to the entry amount (a batch) becomes one line
per transaction, so each customer payment of a batch can be matched to its invoice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from lxml import etree

from etabli.common.money import round_cents
from etabli.engines.statements.model import Statement, StatementError, StatementLine, finalise

_CAMT053 = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.\d+")
_ISO_MESSAGE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:([a-z]+\.\d{3}\.\d{3}\.\d+)")
_KNOWN_OTHERS = {
    "camt.052": "un relevé intrajournalier (camt.052)",
    "camt.054": "un avis de débit/crédit (camt.054)",
    "pain.001": "un ordre de virement (pain.001)",
    "pain.008": "un ordre de prélèvement (pain.008)",
}
_OPENING_TYPES = ("OPBD", "PRCD")
_CLOSING_TYPES = ("CLBD",)


def parse_camt053(data: bytes | str) -> list[Statement]:
    """Parse a camt.053 file into one :class:`Statement` per ``Stmt`` element, or raise StatementError."""
    root = _parse_xml(data)
    namespace = _check_camt053(root)
    reader = _Reader(namespace)
    statements_xml = reader.findall(root, "BkToCstmrStmt/Stmt")
    if not statements_xml:
        raise StatementError("Le fichier camt.053 ne contient aucun relevé (élément Stmt absent).")
    return [finalise(reader.statement(element)) for element in statements_xml]


def _parse_xml(data: bytes | str) -> etree._Element:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if not raw.strip():
        raise StatementError("Le fichier XML est vide.")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(raw, parser=parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise StatementError(f"le fichier n'est pas un XML valide ({exc.msg}).", line_number=line) from None


def _check_camt053(root: etree._Element) -> str:
    namespace = etree.QName(root).namespace or ""
    if _CAMT053.fullmatch(namespace):
        return namespace
    match = _ISO_MESSAGE.fullmatch(namespace)
    if match:
        message = match.group(1)
        family = ".".join(message.split(".")[:2])
        what = _KNOWN_OTHERS.get(family, f"un message ISO 20022 {message}")
        raise StatementError(
            f"Ce fichier XML est {what}, pas un relevé de compte camt.053. Téléchargez le relevé de fin de "
            "journée (camt.053) depuis l'espace de votre banque."
        )
    found = etree.QName(root).localname
    raise StatementError(
        f"Ce fichier XML n'est pas un relevé camt.053 (élément racine « {found} », espace de noms "
        f"« {namespace or 'aucun'} »)."
    )


@dataclass
class _Party:
    name: str = ""
    iban: str = ""


class _Reader:
    """Reads the few camt.053 elements we need, with the document's namespace."""

    def __init__(self, namespace: str) -> None:
        self.ns = namespace

    # -- small XPath helpers (namespace-qualified paths from "A/B/C") --

    def _path(self, path: str) -> str:
        return "/".join(
            f"{{{self.ns}}}{step}" if step not in (".", "..", "") else step for step in path.split("/")
        )

    def find(self, element: etree._Element, path: str) -> etree._Element | None:
        return element.find(self._path(path))

    def findall(self, element: etree._Element, path: str) -> list[etree._Element]:
        return list(element.findall(self._path(path)))

    def text(self, element: etree._Element | None, *paths: str) -> str:
        """Text of the first of ``paths`` present under ``element``, whitespace collapsed."""
        if element is None:
            return ""
        for path in paths:
            found = self.find(element, path)
            if found is not None and found.text and found.text.strip():
                return " ".join(found.text.split())
        return ""

    # -- values --

    def amount(self, element: etree._Element, path: str = "Amt") -> Decimal:
        found = self.find(element, path)
        if found is None or not (found.text or "").strip():
            raise StatementError("montant absent.", line_number=element.sourceline)
        try:
            return round_cents(Decimal(found.text.strip()))
        except InvalidOperation:
            raise StatementError(
                f"montant « {found.text} » illisible.", line_number=found.sourceline
            ) from None

    def date_of(self, element: etree._Element | None, *, what: str, required: bool) -> date | None:
        if element is None:
            if required:
                raise StatementError(f"{what} absente.")
            return None
        text = self.text(element, "Dt", "DtTm")
        if not text:
            if required:
                raise StatementError(f"{what} absente.", line_number=element.sourceline)
            return None
        try:
            return datetime.fromisoformat(text[:10]).date()
        except ValueError:
            raise StatementError(f"{what} « {text} » illisible.", line_number=element.sourceline) from None

    def signed(self, element: etree._Element, value: Decimal) -> Decimal:
        indicator = self.text(element, "CdtDbtInd")
        if indicator not in ("CRDT", "DBIT"):
            raise StatementError(
                f"sens « {indicator or 'absent'} » inconnu (CRDT ou DBIT attendu).",
                line_number=element.sourceline,
            )
        return value if indicator == "CRDT" else -value

    # -- statement --

    def statement(self, element: etree._Element) -> Statement:
        account = self.find(element, "Acct")
        if account is None:
            raise StatementError("relevé sans compte (élément Acct absent).", line_number=element.sourceline)
        iban = self.text(account, "Id/IBAN")
        other_id = self.text(account, "Id/Othr/Id")
        currency = self.text(account, "Ccy") or "EUR"
        statement = Statement(
            source_format="camt053",
            currency=currency,
            lines=[],
            account_iban=iban.replace(" ", "").upper(),
            account_number=other_id,
            statement_id=self.text(element, "Id"),
        )
        self._balances(element, statement)
        skipped = 0
        for entry in self.findall(element, "Ntry"):
            status = self.text(entry, "Sts/Cd", "Sts")
            if status and status != "BOOK":
                skipped += 1
                continue
            statement.lines.extend(self.entry_lines(entry))
        if skipped:
            statement.warnings.append(
                f"{skipped} opération(s) non comptabilisée(s) (en attente) ignorée(s) : elles apparaîtront "
                "dans un prochain relevé."
            )
        return statement

    def _balances(self, element: etree._Element, statement: Statement) -> None:
        found: dict[str, tuple[Decimal, date | None]] = {}
        for balance in self.findall(element, "Bal"):
            kind = self.text(balance, "Tp/CdOrPrtry/Cd", "Tp/CdOrPrtry/Prtry")
            value = self.signed(balance, self.amount(balance))
            when = self.date_of(self.find(balance, "Dt"), what="date du solde", required=False)
            found.setdefault(kind, (value, when))
        opening = next((found[kind] for kind in _OPENING_TYPES if kind in found), None)
        closing = next((found[kind] for kind in _CLOSING_TYPES if kind in found), None)
        if opening:
            statement.opening_balance, statement.opening_date = opening
        if closing:
            statement.closing_balance, statement.closing_date = closing

    def entry_lines(self, entry: etree._Element) -> list[StatementLine]:
        amount = self.signed(entry, self.amount(entry))
        if self.text(entry, "RvslInd").lower() == "true":
            amount = -amount  # a reversal carries the indicator of the entry it cancels
        booking = self.date_of(self.find(entry, "BookgDt"), what="date de comptabilisation", required=True)
        assert booking is not None
        value_date = self.date_of(self.find(entry, "ValDt"), what="date de valeur", required=False)
        code = self._bank_code(entry)
        entry_info = self.text(entry, "AddtlNtryInf")
        details = self.findall(entry, "NtryDtls/TxDtls")
        split = self._split_batch(entry, details, amount)
        lines = []
        for detail, detail_amount in split:
            party = self._counterparty(detail, detail_amount)
            remittance = self._remittance(detail)
            reference = self._reference(detail) or self.text(entry, "AcctSvcrRef", "NtryRef")
            label = entry_info or (remittance[0] if remittance else "") or code
            extra = tuple(
                info
                for info in (*remittance, self.text(detail, "AddtlTxInf"))
                if info and info not in (label, reference)
            )
            lines.append(
                StatementLine(
                    date=booking,
                    value_date=value_date,
                    amount=detail_amount,
                    label=label,
                    reference=reference,
                    counterparty_name=party.name,
                    counterparty_iban=party.iban,
                    extra_info=extra,
                    bank_operation_code=code,
                    source_line=(detail if detail is not None else entry).sourceline,
                )
            )
        return lines

    def _split_batch(
        self, entry: etree._Element, details: list[etree._Element], amount: Decimal
    ) -> list[tuple[etree._Element | None, Decimal]]:
        """One line per transaction when the details carry amounts adding up to the entry, else one line."""
        if len(details) <= 1:
            return [(details[0] if details else None, amount)]
        amounts = []
        for detail in details:
            found = self.find(detail, "AmtDtls/TxAmt/Amt")
            if found is None:
                found = self.find(detail, "Amt")
            if found is None or not (found.text or "").strip():
                return [(details[0], amount)]
            try:
                value = round_cents(Decimal(found.text.strip()))
            except InvalidOperation:
                raise StatementError(
                    f"montant « {found.text} » illisible.", line_number=found.sourceline
                ) from None
            indicator = self.text(detail, "CdtDbtInd")
            sign = (1 if indicator == "CRDT" else -1) if indicator else (1 if amount >= 0 else -1)
            amounts.append(value * sign)
        if sum(amounts) != amount:
            return [(details[0], amount)]
        return list(zip(details, amounts, strict=True))

    def _bank_code(self, entry: etree._Element) -> str:
        domain = self.text(entry, "BkTxCd/Domn/Cd")
        if domain:
            family = self.text(entry, "BkTxCd/Domn/Fmly/Cd")
            sub = self.text(entry, "BkTxCd/Domn/Fmly/SubFmlyCd")
            return "/".join(part for part in (domain, family, sub) if part)
        return self.text(entry, "BkTxCd/Prtry/Cd")

    def _counterparty(self, detail: etree._Element | None, amount: Decimal) -> _Party:
        if detail is None:
            return _Party()
        role = "Dbtr" if amount > 0 else "Cdtr"
        name = self.text(
            detail,
            f"RltdPties/{role}/Nm",
            f"RltdPties/{role}/Pty/Nm",
            f"RltdPties/Ultmt{role}/Nm",
            f"RltdPties/Ultmt{role}/Pty/Nm",
        )
        iban = self.text(detail, f"RltdPties/{role}Acct/Id/IBAN")
        return _Party(name=name, iban=iban.replace(" ", "").upper())

    def _remittance(self, detail: etree._Element | None) -> list[str]:
        if detail is None:
            return []
        texts = [" ".join((node.text or "").split()) for node in self.findall(detail, "RmtInf/Ustrd")]
        structured = self.text(detail, "RmtInf/Strd/CdtrRefInf/Ref")
        if structured:
            texts.append(structured)
        return [text for text in texts if text]

    def _reference(self, detail: etree._Element | None) -> str:
        if detail is None:
            return ""
        end_to_end = self.text(detail, "Refs/EndToEndId")
        if end_to_end and end_to_end.upper() != "NOTPROVIDED":
            return end_to_end
        return self.text(detail, "RmtInf/Strd/CdtrRefInf/Ref", "Refs/AcctSvcrRef")
