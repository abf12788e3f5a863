"""Issuer name, currency and a rough document type — the fields without a fixed pattern.

The issuer is found from how French (and foreign) invoices identify their author, strongest first:
the legal mention "<Nom> SAS au capital de …" (mandatory in France), a "sold by / vendu par" phrase,
a name carrying a legal form near the top of the first page, and the first line of the top-left block
(the letterhead). Customer blocks ("Client", "Facturé à", "Adresse de livraison") are skipped.
"""

from __future__ import annotations

import re
from collections import Counter

from etabli.engines.extract.candidates import Candidate
from etabli.engines.extract.parsing import fold
from etabli.engines.extract.textindex import TextIndex, TextLine
from etabli.engines.extract.vocabulary import (
    CAPITAL_MENTION,
    CUSTOMER_CONTEXT,
    DOCUMENT_TITLE_WORDS,
    LEGAL_FORM_RE,
    SELLER_CONTEXT,
    labels,
)

_NAME_CHARS = r"[A-Za-zÀ-ÖØ-öø-ÿ0-9&'’.\- ]"
_SEGMENT_SPLIT = re.compile(r"\s{3,}|\s[-–—|•]\s|,\s(?=\d)")
_LABELLISH = re.compile(r":\s*$|^\W*$")
_NOT_A_NAME = labels(
    "adresse",
    "address",
    "tel",
    "telephone",
    "phone",
    "fax",
    "email",
    "e-mail",
    "mail",
    "www",
    "http",
    "page",
    "date",
    "siret",
    "siren",
    "tva",
    "vat",
    "iban",
    "bic",
    "rcs",
    "capital",
    "naf",
    "ape",
    "description",
    "quantite",
    "quantity",
    "designation",
    "total",
    "montant",
    "amount",
    "prix",
    "price",
    "rue",
    "avenue",
    "boulevard",
    "cedex",
    "bp",
    "reference",
    "ref",
    "n°",
    "guest",
    "name",
    "nom",
)


def issuer_candidates(index: TextIndex) -> list[Candidate]:
    found: list[Candidate] = []
    found += _from_capital_mention(index)
    found += _from_seller_phrase(index)
    found += _from_legal_form(index)
    found += _from_letterhead(index)
    return found


def _clean_name(text: str) -> str:
    """A name without document-title words ("FACTUUR. Coolblue B.V." → "Coolblue B.V.")."""
    name = re.sub(r"\s+", " ", fold_keep_case(text)).strip(" ,:;-–|•*'\"")
    forms = list(LEGAL_FORM_RE.finditer(name))
    if forms and forms[-1].end() == len(name):
        return name.lstrip(".")  # keep the dot of "B.V." or "Inc."
    return name.strip(".").strip()


def fold_keep_case(text: str) -> str:
    """The text itself (case kept); title words are removed by position through the folded copy."""
    folded = fold(text)
    kept = list(text)
    for match in DOCUMENT_TITLE_WORDS.finditer(folded):
        for position in range(match.start(), match.end()):
            kept[position] = " "
    return "".join(kept)


def _plausible_name(name: str) -> bool:
    letters = sum(1 for char in name if char.isalpha())
    if letters < 2 or len(name) > 70:
        return False
    if sum(1 for char in name if char.isdigit()) > letters / 2:
        return False
    return not _NOT_A_NAME.search(fold(name))


def _from_capital_mention(index: TextIndex) -> list[Candidate]:
    """ "Free SAS au capital de 3 441 812 €" → "Free"; the legal form sits right before the capital."""
    found: list[Candidate] = []
    for line in index.lines:
        folded = fold(line.text)
        for mention in CAPITAL_MENTION.finditer(folded):
            head = line.text[: mention.start()]
            forms = list(LEGAL_FORM_RE.finditer(head))
            if not forms or head[forms[-1].end() :].strip(" ,") != "":
                continue
            form = forms[-1]
            segment_start = _segment_start(head, form.start())
            name = line.text[segment_start : form.end()].strip(" ,-–")
            bare = line.text[segment_start : form.start()].strip(" ,-–")
            if _plausible_name(bare):
                found.append(
                    Candidate(name, 0.88, line, segment_start, form.end(), "mention légale « au capital de »")
                )
    return found


def _segment_start(text: str, end: int) -> int:
    """Start of the name ending at ``end``: after the last separator (" - ", wide gap, "•", ":")."""
    cut = 0
    for match in _SEGMENT_SPLIT.finditer(text[:end]):
        cut = match.end()
    colon = text.rfind(":", 0, end)
    return max(cut, colon + 1)


def _from_seller_phrase(index: TextIndex) -> list[Candidate]:
    found: list[Candidate] = []
    for line in index.lines:
        folded = fold(line.text)
        for match in SELLER_CONTEXT.finditer(folded):
            rest = line.text[match.end() :]
            offset = match.end() + len(rest) - len(rest.lstrip(" :"))
            segment = re.split(r"\s{3,}|\s[-–|•]\s|[,(]\s*$", line.text[offset:])[0]
            form = LEGAL_FORM_RE.search(segment)
            name = segment[: form.end()] if form else " ".join(segment.split()[:4])
            name = _clean_name(name)
            if _plausible_name(name) and name[:1].isupper():
                score = 0.8 if form else 0.6
                found.append(
                    Candidate(name, score, line, offset, offset + len(name), f"« {match.group().strip()} »")
                )
    return found


def _from_legal_form(index: TextIndex) -> list[Candidate]:
    """A name with a legal form ("Coolblue B.V.") in the top third of page 1, outside customer blocks."""
    found: list[Candidate] = []
    for line in index.lines:
        if line.page != 1 or line.relative_top > 0.35:
            continue
        for form in LEGAL_FORM_RE.finditer(line.text):
            start = _segment_start(line.text, form.start())
            name = _clean_name(line.text[start : form.end()])
            bare = name[: -len(form.group())].strip(" ,") if name.endswith(form.group()) else name
            if not _plausible_name(bare) or _in_customer_block(index, line, start):
                continue
            found.append(Candidate(name, 0.75, line, start, form.end(), "raison sociale en tête de document"))
    return found


def _from_letterhead(index: TextIndex) -> list[Candidate]:
    """The first name-like text of the top-left block of page 1 (the letterhead)."""
    for line in index.lines[:25]:
        if line.page != 1:
            break
        if line.words and line.page_width and line.words[0].x0 > line.page_width * 0.5:
            continue  # right half: the recipient's window or a tagline
        segment = _first_name_segment(line.text)
        if segment is None:
            continue
        if _in_customer_block(index, line, 0):
            continue
        name = _clean_name(segment)
        start = max(0, line.text.find(name.split()[0]))
        evidence = "en-tête (premier bloc en haut à gauche)"
        return [Candidate(name, 0.5, line, start, start + len(name), evidence)]
    return []


def _first_name_segment(text: str) -> str | None:
    """The first column segment of a line that reads as a company name.

    Segments without any capital ("amazon", "ove") are logos read by OCR, not the printed name; a
    segment holding a colon is a label ("Date :").
    """
    for segment in _SEGMENT_SPLIT.split(text):
        name = _clean_name(segment)
        if not name or _LABELLISH.search(name) or ":" in segment:
            return None
        if not any(char.isupper() for char in name):
            continue
        return segment if _plausible_name(name) else None
    return None


def _in_customer_block(index: TextIndex, line: TextLine, start: int) -> bool:
    if CUSTOMER_CONTEXT.search(fold(line.text[:start])):
        return True
    for above in index.lines_above(line, max_lines=4):
        folded = fold(above.text)
        if CUSTOMER_CONTEXT.search(folded) and len(folded) < 70:
            return True
    return False


# --- currency ----------------------------------------------------------------------------------------

_CURRENCY_SIGNS: tuple[tuple[re.Pattern[str], str, float], ...] = (
    (re.compile(r"€|\bEUR\b|\beuros?\b", re.IGNORECASE), "EUR", 1.0),
    (re.compile(r"\bUSD\b|US\s?\$|\bUS dollars?\b", re.IGNORECASE), "USD", 2.0),
    (re.compile(r"(?<![A-Z])\$"), "USD", 1.0),
    (re.compile(r"£|\bGBP\b"), "GBP", 1.0),
    (re.compile(r"₹|\bINR\b|\bRs\.?(?=\s?[\d-])"), "INR", 1.0),
    (re.compile(r"\bCHF\b"), "CHF", 1.0),
    (re.compile(r"\bCAD\b"), "CAD", 1.0),
)


def currency_candidate(index: TextIndex) -> Candidate | None:
    """The currency most often written next to the amounts (ISO code or sign)."""
    votes: Counter[str] = Counter()
    first: dict[str, tuple[TextLine, int, int]] = {}
    for line in index.lines:
        for pattern, code, weight in _CURRENCY_SIGNS:
            for match in pattern.finditer(line.text):
                votes[code] += weight
                first.setdefault(code, (line, match.start(), match.end()))
    if not votes:
        return None
    code, count = votes.most_common(1)[0]
    share = count / sum(votes.values())
    line, start, end = first[code]
    return Candidate(
        code, round(0.5 + 0.45 * share, 3), line, start, end, "symboles et codes de devise du document"
    )


# --- document type -----------------------------------------------------------------------------------

_CREDIT_NOTE = labels(
    r"avoir", r"facture d'avoir", r"credit note", r"note de credit", r"creditnota", r"gutschrift"
)
_QUOTE = labels(
    r"devis", r"quotation", r"quote", r"estimate", r"proposition commerciale", r"offerte", r"angebot"
)
_INVOICE = labels(
    r"factures?", r"invoices?", r"factuur", r"rechnung", r"receipt", r"recu", r"bill", r"note d'honoraires"
)


def guess_doc_type(index: TextIndex) -> str:
    """facture / avoir / devis / autre from the title words of the first page (rules only)."""
    first_page = [line for line in index.lines if line.page == 1][:40]
    starts = [fold(line.text.strip())[:40] for line in first_page]
    if any(_CREDIT_NOTE.match(start) for start in starts) or any(
        re.search(r"credit note|note de credit|facture d'avoir", fold(line.text)) for line in first_page
    ):
        return "avoir"
    if any(_QUOTE.match(start) for start in starts):
        return "devis"
    if any(_INVOICE.search(fold(line.text)) for line in first_page):
        return "facture"
    if any(_QUOTE.search(fold(line.text)) for line in first_page):
        return "devis"
    return "autre"
