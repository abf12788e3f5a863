"""Issue and due dates: every date of the document, classified by the label nearest before it.

Why "nearest label wins, then precedence": a line such as "Order Date: 15-10-2015" contains both the
generic word "date" and the word "order"; the phrase right before the value decides, and among labels
ending close to the value a specific one (due, issue, order…) beats the generic "date".
"""

from __future__ import annotations

import re

from etabli.engines.extract.candidates import Candidate
from etabli.engines.extract.parsing import DateMatch, find_amounts, find_dates, fold, prefers_month_first
from etabli.engines.extract.textindex import TextIndex, TextLine
from etabli.engines.extract.vocabulary import (
    DUE_DATE,
    INVOICE_NUMBER_STRONG,
    INVOICE_NUMBER_TITLE,
    ISSUE_DATE_STRONG,
    ISSUE_DATE_WEAK,
    OTHER_DATE,
    labels,
)

#: Label classes by precedence (first wins among labels ending close to the value).
_RELATED_DOCUMENT = labels(
    r"(?:facture|invoice|avoir) (?:associee|liee|d'origine|initiale|rectifiee|precedente|related|original)"
)
_CLASSES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("other", _RELATED_DOCUMENT),
    ("due", DUE_DATE),
    ("issue", ISSUE_DATE_STRONG),
    ("other", OTHER_DATE),
    ("invoice_number", INVOICE_NUMBER_STRONG),
    ("invoice_title", INVOICE_NUMBER_TITLE),
    ("weak", ISSUE_DATE_WEAK),
)
_SCORES = {"due": 0.9, "issue": 0.92, "invoice_number": 0.85, "invoice_title": 0.7, "weak": 0.65}
#: Labels ending within this many characters of the nearest one compete by precedence.
_NEAR = 14
_PHRASE_CHARS = 45


def date_candidates(index: TextIndex) -> tuple[list[Candidate], list[Candidate]]:
    """Candidates for the issue date and for the due date (values are ``datetime.date``)."""
    matches = [(line, match) for line in index.lines for match in find_dates(line.text)]
    month_first = prefers_month_first([match for _, match in matches])
    issue: list[Candidate] = []
    due: list[Candidate] = []
    for line, match in matches:
        value = match.resolve(month_first)
        if value is None:
            continue
        label = _label_before(line, match) or _header_above(index, line, match)
        if label is None:
            if line.page == 1 and line.relative_top < 0.45:
                issue.append(
                    Candidate(value, 0.3, line, match.start, match.end, "première date sans libellé")
                )
            continue
        kind, evidence = label
        candidate = Candidate(value, _SCORES.get(kind, 0.0), line, match.start, match.end, evidence)
        if kind == "due":
            due.append(candidate)
        elif kind in ("issue", "invoice_number", "invoice_title", "weak"):
            issue.append(candidate)
    return issue, due


def _label_before(line: TextLine, match: DateMatch) -> tuple[str, str] | None:
    phrase_start = _previous_value_end(line, match.start)
    phrase = fold(line.text[max(phrase_start, match.start - _PHRASE_CHARS) : match.start])
    return classify_phrase(phrase)


def _previous_value_end(line: TextLine, position: int) -> int:
    """End of the last date or money amount before ``position``: the label phrase starts after it."""
    ends = [m.end for m in find_dates(line.text) if m.end <= position]
    ends += [a.end for a in find_amounts(line.text[:position]) if a.plausible_total]
    return max(ends, default=0)


def classify_phrase(phrase: str) -> tuple[str, str] | None:
    """The class of the label phrase right before a date, or None when it has no label."""
    found: list[tuple[int, int, str, str]] = []
    for precedence, (kind, pattern) in enumerate(_CLASSES):
        for match in pattern.finditer(phrase):
            found.append((match.end(), precedence, kind, match.group()))
    if not found:
        return None
    nearest = max(end for end, *_ in found)
    close = [item for item in found if item[0] >= nearest - _NEAR]
    _, _, kind, text = min(close, key=lambda item: item[1])
    return kind, f"libellé « {text.strip()} »"


def _header_above(index: TextIndex, line: TextLine, match: DateMatch) -> tuple[str, str] | None:
    """The label of the column a date sits in, when the label is printed above the value."""
    x_range = line.x_range(match.start, match.end)
    if x_range is None:
        return None
    for above in index.lines_above(line, max_lines=2):
        span = above.span_overlapping(*x_range)
        if span is None:
            continue
        found = classify_phrase(fold(above.text[span[0] : span[1]]))
        if found is not None:
            kind, evidence = found
            return kind, evidence + " (au-dessus de la valeur)"
    return None
