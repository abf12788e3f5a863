"""Group positioned words into lines and text, the same way for text layers and OCR output.

Why our own grouping: pdfplumber and Tesseract each have their own idea of a "line"; the extraction step
reasons on "the label and the value on the same visual line" and "the value under its column header",
so both sources must be cut into lines by one rule. A line here is every word whose vertical extent
overlaps the line's by at least half its height — two columns at the same height form one line, which is
what we want ("Date de facture 05/11/2017   Contact commercial").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from statistics import median

from etabli.engines.ocr.models import Word

#: A horizontal gap wider than this many line heights is written as three spaces (a column break).
COLUMN_GAP_IN_HEIGHTS = 2.0


def group_lines(words: Iterable[Word]) -> list[list[Word]]:
    """Words of one page grouped into visual lines, lines top to bottom, words left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (round(w.top, 1), w.x0)):
        height = max(word.bottom - word.top, 0.1)
        best_index, best_ratio = -1, 0.0
        # Words come sorted by top, so only the last few lines can still overlap this word.
        for index in range(max(0, len(lines) - 4), len(lines)):
            top, bottom = _core_band(lines[index])
            overlap = min(bottom, word.bottom) - max(top, word.top)
            ratio = overlap / min(height, max(bottom - top, 0.1))
            if ratio > best_ratio:
                best_index, best_ratio = index, ratio
        if best_index >= 0 and best_ratio >= 0.5:
            lines[best_index].append(word)
        else:
            lines.append([word])
    ordered = [sorted(line, key=lambda w: w.x0) for line in lines]
    ordered.sort(key=lambda line: (median(w.top for w in line), line[0].x0))
    return ordered


def _core_band(line: Sequence[Word]) -> tuple[float, float]:
    """The median top and bottom of a line: one tall word (a logo letter) does not stretch it."""
    return median(w.top for w in line), median(w.bottom for w in line)


def line_text(line: Sequence[Word]) -> str:
    """The words of a line joined by one space, or three where a wide gap separates two columns."""
    parts: list[str] = []
    previous: Word | None = None
    for word in line:
        if previous is not None:
            height = max(previous.bottom - previous.top, 1.0)
            gap = word.x0 - previous.x1
            parts.append("   " if gap > COLUMN_GAP_IN_HEIGHTS * height else " ")
        parts.append(word.text)
        previous = word
    return "".join(parts)


def page_text(words: Iterable[Word]) -> str:
    return "\n".join(line_text(line) for line in group_lines(words))
