"""Invoice number and order reference: the identifier printed right after (or under) its label."""

from __future__ import annotations

import re

from etabli.engines.extract.candidates import Candidate
from etabli.engines.extract.parsing import find_dates, fold
from etabli.engines.extract.textindex import TextIndex, TextLine
from etabli.engines.extract.vocabulary import (
    INVOICE_NUMBER_STRONG,
    INVOICE_NUMBER_TITLE,
    INVOICE_NUMBER_WEAK,
    ORDER_REFERENCE,
)

#: Separators tolerated between a label and its value: "N° :", "# ", "No. ", "n°562044387".
_SEPARATOR = re.compile(
    r"[\s:#.°º\-–]{0,6}(?:(?:n\s?[°º]|no\.|n[uú]m[eé]ro|number|nr\.)[\s:#.°º\-–]{0,4})?", re.IGNORECASE
)
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_/.\-]*[A-Za-z0-9]|[0-9]+")
_AMOUNT_LIKE = re.compile(r"^\d{1,3}(?:[ .,]\d{3})*[.,]\d{2}$")
_PHONE_LIKE = re.compile(r"^(?:\+|00)\d+")


def plausible_identifier(token: str) -> bool:
    """A document number has a digit, 3–40 characters, and is neither a date nor an amount."""
    if not 3 <= len(token) <= 40 or not any(char.isdigit() for char in token):
        return False
    if _AMOUNT_LIKE.match(token) or _PHONE_LIKE.match(token):
        return False
    return not any(m.start == 0 and m.end == len(token) for m in find_dates(token))


def value_after(line: TextLine, position: int) -> tuple[str, int, int] | None:
    """The identifier token starting right after ``position`` (after label separators), if any."""
    separator = _SEPARATOR.match(line.text, position)
    start = separator.end() if separator else position
    token = _TOKEN.match(line.text, start)
    if token is None:
        return None
    value = token.group().rstrip(".-/")
    if not plausible_identifier(value):
        return None
    return value, token.start(), token.start() + len(value)


def value_below(
    index: TextIndex, line: TextLine, start: int, end: int
) -> tuple[TextLine, str, int, int] | None:
    """The identifier printed under a label (a table header cell), aligned with it."""
    x_range = line.x_range(start, end)
    if x_range is None:
        return None
    for below in index.lines_below(line, max_lines=2):
        span = below.span_overlapping(*x_range)
        if span is None:
            continue
        token = _TOKEN.search(below.text, span[0], span[1])
        if token and plausible_identifier(token.group()):
            return below, token.group(), token.start(), token.end()
        return None
    return None


def invoice_number_candidates(index: TextIndex) -> list[Candidate]:
    found: list[Candidate] = []
    for line in index.lines:
        folded = fold(line.text)
        for pattern, score, evidence in (
            (INVOICE_NUMBER_STRONG, 0.9, "libellé « numéro de facture »"),
            (INVOICE_NUMBER_TITLE, 0.75, "titre du document suivi d'un numéro"),
            (INVOICE_NUMBER_WEAK, 0.5, "libellé de référence du document"),
        ):
            for match in pattern.finditer(folded):
                if _inside_longer_label(folded, match):
                    continue
                found.extend(_candidates_for_label(index, line, match, score, evidence))
    return found


def _inside_longer_label(folded: str, match: re.Match[str]) -> bool:
    """ "Facture liée", "facture associée", "N° de facture associée" name *another* invoice."""
    tail = folded[match.end() : match.end() + 14]
    return bool(re.match(r"\s*(?:liee|associee|d'origine|initiale|rectifiee|precedente)", tail))


def _candidates_for_label(
    index: TextIndex, line: TextLine, match: re.Match[str], score: float, evidence: str
) -> list[Candidate]:
    after = value_after(line, match.end())
    if after is not None:
        value, start, end = after
        return [Candidate(value, score, line, start, end, evidence)]
    if score < 0.8 and not INVOICE_NUMBER_WEAK.fullmatch(fold(line.text[match.start() : match.end()])):
        return []  # a bare title word ("Facture") only counts when the number follows on its line
    below = value_below(index, line, match.start(), match.end())
    if below is None:
        return []
    below_line, value, start, end = below
    return [Candidate(value, score * 0.9, below_line, start, end, evidence + " (valeur sous le libellé)")]


def order_reference_candidates(index: TextIndex) -> list[Candidate]:
    found: list[Candidate] = []
    for line in index.lines:
        folded = fold(line.text)
        for match in ORDER_REFERENCE.finditer(folded):
            after = value_after(line, match.end())
            if after is not None:
                value, start, end = after
                found.append(
                    Candidate(value, 0.8, line, start, end, "libellé « commande / votre référence »")
                )
                continue
            below = value_below(index, line, match.start(), match.end())
            if below is not None:
                below_line, value, start, end = below
                found.append(Candidate(value, 0.7, below_line, start, end, "référence sous son libellé"))
    return found
