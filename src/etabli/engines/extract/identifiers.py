"""SIREN, SIRET, VAT number and IBAN: found by pattern, confirmed by their checksums.

Why checksums matter here: a 9-digit number near "RCS" that passes the Luhn check is almost surely the
SIREN, while OCR noise almost never does. A labelled value that fails its checksum is still returned
(the owner must see what is printed) but with a low score, and the checks report the failure.

Customer identifiers are printed on invoices too ("N° TVA client", "Vos identifiants"): a value whose
line or block names the customer is set aside in favour of the issuer's.
"""

from __future__ import annotations

import re

from stdnum import iban as std_iban
from stdnum.eu import vat as eu_vat
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret
from stdnum.fr import tva as fr_tva

from etabli.engines.extract.candidates import Candidate
from etabli.engines.extract.parsing import fold
from etabli.engines.extract.textindex import TextIndex, TextLine
from etabli.engines.extract.vocabulary import (
    CUSTOMER_CONTEXT,
    IBAN_LABEL,
    SIREN_LABEL,
    SIRET_LABEL,
    VAT_LABEL,
)

_SIRET = re.compile(r"(?<![\dA-Za-z])(\d{3}[ .]?\d{3}[ .]?\d{3}[ .]?\d{5})(?![\d])")
_SIREN = re.compile(r"(?<![\dA-Za-z])(\d{3}[ .]?\d{3}[ .]?\d{3})(?![ .]?\d)")
_FR_VAT = re.compile(r"(?<![A-Z0-9])FR[ .]?(?:[0-9A-HJ-NP-Z][ .]?){2}(?:\d[ .]?){8}\d(?!\d)")
_EU_PREFIXES = "AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI|CHE"
_EU_VAT = re.compile(rf"(?<![A-Z0-9])(?:{_EU_PREFIXES})[ .-]?[0-9A-Z](?:[ .-]?[0-9A-Z]){{6,13}}(?![0-9A-Z])")
_IBAN = re.compile(r"(?<![A-Z0-9])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){10,30}(?![A-Z0-9])")
_ACCOUNT_TOKEN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{6,30}")
_LABEL_REACH = 30
#: Customer identifiers fall below the reporting threshold: never report the buyer's number as the issuer's.
CUSTOMER_PENALTY = 0.2


def compact(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value).upper()


def _customer_context(index: TextIndex, line: TextLine, start: int) -> bool:
    """True when the text before the value on its line, or a heading just above, names the customer."""
    if CUSTOMER_CONTEXT.search(fold(line.text[max(0, start - 45) : start])):
        return True
    x_range = line.x_range(start, start + 1)
    for above in index.lines_above(line, max_lines=3):
        if x_range is None:
            text = above.text
        else:
            span = above.span_overlapping(x_range[0], x_range[0] + 150)
            text = above.text[span[0] : span[1]] if span else ""
        folded = fold(text)
        if CUSTOMER_CONTEXT.search(folded) and len(folded) < 60:
            return True
    return False


def _labelled(
    line: TextLine, start: int, end: int, pattern: re.Pattern[str], after_too: bool = False
) -> bool:
    before = fold(line.text[max(0, start - _LABEL_REACH) : start])
    if pattern.search(before):
        return True
    return after_too and bool(pattern.search(fold(line.text[end : end + 12])))


def _score(base: float, customer: bool) -> float:
    return base * CUSTOMER_PENALTY if customer else base


def iban_candidates(index: TextIndex) -> list[Candidate]:
    found: list[Candidate] = []
    for line in index.lines:
        for match in _IBAN.finditer(line.text):
            raw = compact(match.group())
            valid = _longest_valid_iban(raw)
            labelled = _labelled(line, match.start(), match.end(), IBAN_LABEL)
            customer = _customer_context(index, line, match.start())
            if valid:
                end = _end_of_prefix(line.text, match.start(), len(valid))
                found.append(
                    Candidate(
                        valid,
                        _score(0.92 if labelled else 0.8, customer),
                        line,
                        match.start(),
                        end,
                        "IBAN valide",
                    )
                )
            elif labelled:
                found.append(
                    Candidate(
                        raw,
                        _score(0.35, customer),
                        line,
                        match.start(),
                        match.end(),
                        "libellé IBAN, clé invalide",
                    )
                )
        for match in _OCR_IBAN.finditer(line.text):
            repaired = _repaired_iban(compact(match.group()))
            if repaired and _labelled(line, match.start(), match.end(), IBAN_LABEL):
                found.append(
                    Candidate(
                        repaired,
                        0.6,
                        line,
                        match.start(),
                        match.end(),
                        "IBAN (clé corrigée après lecture OCR)",
                    )
                )
        folded = fold(line.text)
        for label in IBAN_LABEL.finditer(folded):
            token = _ACCOUNT_TOKEN.match(line.text[label.end() :].lstrip(" :#"))
            if token and not _IBAN.search(line.text[label.end() :]):
                start = line.text.index(token.group(), label.end())
                found.append(
                    Candidate(
                        token.group(),
                        0.3,
                        line,
                        start,
                        start + len(token.group()),
                        "compte bancaire (format non IBAN valide)",
                    )
                )
    return found


def _longest_valid_iban(raw: str) -> str | None:
    for length in range(min(len(raw), 34), 14, -1):
        if std_iban.is_valid(raw[:length]):
            return raw[:length]
    return None


#: Letters OCR reads in place of digits ("NLSO…" for "NL50…").
_DIGIT_LOOKALIKES = str.maketrans(
    {"O": "0", "Q": "0", "D": "0", "S": "5", "I": "1", "L": "1", "Z": "2", "B": "8", "G": "6"}
)
#: A compact token, or groups of four as IBANs are printed ("NLSO INGB 0683 …").
_OCR_IBAN = re.compile(
    r"(?<![A-Z0-9])[A-Z]{2}[0-9A-Z]{2}(?:[A-Z0-9]{10,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?)(?![A-Z0-9])"
)


def _repaired_iban(raw: str) -> str | None:
    """An IBAN whose check digits were misread as letters, if fixing them makes it valid."""
    if raw[2:4].isdigit():
        return None
    return _longest_valid_iban(raw[:2] + raw[2:4].translate(_DIGIT_LOOKALIKES) + raw[4:])


def _end_of_prefix(text: str, start: int, alnum_count: int) -> int:
    seen = 0
    for position in range(start, len(text)):
        if text[position].isalnum():
            seen += 1
            if seen == alnum_count:
                return position + 1
    return len(text)


def _iban_spans(line: TextLine) -> list[tuple[int, int]]:
    return [
        (m.start(), m.end()) for m in _IBAN.finditer(line.text) if _longest_valid_iban(compact(m.group()))
    ]


def vat_candidates(index: TextIndex) -> list[Candidate]:
    found: list[Candidate] = []
    for line in index.lines:
        ibans = _iban_spans(line)
        upper = line.text.upper()
        for pattern, validator in ((_FR_VAT, fr_tva_valid), (_EU_VAT, eu_vat_valid)):
            for match in pattern.finditer(upper):
                if any(s <= match.start() < e for s, e in ibans):
                    continue
                raw = compact(match.group())
                if sum(char.isdigit() for char in raw) < 7:
                    continue  # "SERVICE PROVIDER" is not a Swedish VAT number
                value = validator(raw)
                labelled = _labelled(line, match.start(), match.end(), VAT_LABEL)
                customer = _customer_context(index, line, match.start())
                if value:
                    found.append(
                        Candidate(
                            value,
                            _score(0.95 if labelled else 0.8, customer),
                            line,
                            match.start(),
                            match.end(),
                            "numéro de TVA valide",
                        )
                    )
                elif labelled:
                    found.append(
                        Candidate(
                            raw,
                            _score(0.35, customer),
                            line,
                            match.start(),
                            match.end(),
                            "libellé TVA, clé invalide",
                        )
                    )
    return found


def fr_tva_valid(raw: str) -> str | None:
    return raw if fr_tva.is_valid(raw) else None


def eu_vat_valid(raw: str) -> str | None:
    for length in range(len(raw), 7, -1):
        if eu_vat.is_valid(raw[:length]):
            return raw[:length]
    return None


_LOOSE_SIRET = re.compile(r"(?<![\dA-Za-z])\d(?:[ .]?\d){13}(?!\d)")


def siret_candidates(index: TextIndex) -> list[Candidate]:
    """SIRETs: 3-3-3-5 groups anywhere (if the key is valid), any spacing right after a "SIRET" label.

    The loose spacing is for OCR, which splits digit runs at random ("999999998000 10").
    """
    found: list[Candidate] = []
    for line in index.lines:
        spans: set[tuple[int, int]] = set()
        for label in SIRET_LABEL.finditer(fold(line.text)):
            match = _LOOSE_SIRET.search(line.text, label.end(), label.end() + _LABEL_REACH + 14)
            if match:
                spans.add((match.start(), match.end()))
        for match in _SIRET.finditer(line.text):
            if not any(s <= match.start() < e for s, e in spans):
                spans.add((match.start(), match.end()))
        for start, end in sorted(spans):
            raw = compact(line.text[start:end])
            labelled = _labelled(line, start, end, SIRET_LABEL)
            valid = fr_siret.is_valid(raw)
            if not labelled and not valid:
                continue
            customer = _customer_context(index, line, start)
            if valid:
                score = 0.93 if labelled else 0.55
                found.append(Candidate(raw, _score(score, customer), line, start, end, "SIRET valide"))
            else:
                found.append(
                    Candidate(raw, _score(0.35, customer), line, start, end, "libellé SIRET, clé invalide")
                )
    return found


def siren_candidates(index: TextIndex) -> list[Candidate]:
    found: list[Candidate] = []
    for line in index.lines:
        for match in _SIREN.finditer(line.text):
            raw = compact(match.group())
            labelled = _labelled(line, match.start(), match.end(), SIREN_LABEL, after_too=True)
            if not labelled:
                continue
            customer = _customer_context(index, line, match.start())
            if fr_siren.is_valid(raw):
                found.append(
                    Candidate(
                        raw, _score(0.93, customer), line, match.start(), match.end(), "SIREN/RCS valide"
                    )
                )
            else:
                found.append(
                    Candidate(
                        raw,
                        _score(0.35, customer),
                        line,
                        match.start(),
                        match.end(),
                        "libellé SIREN, clé invalide",
                    )
                )
    return found


def siren_from_vat(vat: str) -> str | None:
    if vat.startswith("FR") and len(vat) == 13 and vat[4:].isdigit():
        return vat[4:]
    return None
