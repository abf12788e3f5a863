"""Lines of a document with the position of every character span, for labels, values and highlights.

Why: a field is found by its *label* ("Total TTC", "Date d'échéance") and its value sits either to the
right on the same visual line or just under the label (a table header). Lines keep, for every word, its
character span in the line's text, so a regular-expression match maps back to a box on the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from etabli.engines.extract.models import Location
from etabli.engines.ocr.layout import COLUMN_GAP_IN_HEIGHTS, group_lines
from etabli.engines.ocr.models import Page, Word


@dataclass(frozen=True)
class TextLine:
    """One visual line: its text, its words and each word's [start, end) span in the text."""

    index: int
    page: int
    text: str
    words: tuple[Word, ...]
    spans: tuple[tuple[int, int], ...]
    page_height: float = 0.0
    page_width: float = 0.0

    @property
    def top(self) -> float:
        return min((w.top for w in self.words), default=0.0)

    @property
    def bottom(self) -> float:
        return max((w.bottom for w in self.words), default=0.0)

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)

    def words_in(self, start: int, end: int) -> list[Word]:
        return [w for w, (s, e) in zip(self.words, self.spans, strict=True) if s < end and e > start]

    def location(self, start: int, end: int) -> Location | None:
        words = self.words_in(start, end)
        if not words:
            return None
        return Location(
            page=self.page,
            x0=round(min(w.x0 for w in words), 2),
            top=round(min(w.top for w in words), 2),
            x1=round(max(w.x1 for w in words), 2),
            bottom=round(max(w.bottom for w in words), 2),
        )

    def ocr_confidence(self, start: int, end: int) -> float | None:
        values = [w.confidence for w in self.words_in(start, end) if w.confidence is not None]
        return min(values) if values else None

    def x_range(self, start: int, end: int) -> tuple[float, float] | None:
        words = self.words_in(start, end)
        if not words:
            return None
        return min(w.x0 for w in words), max(w.x1 for w in words)

    def span_overlapping(self, x0: float, x1: float, slack: float = 4.0) -> tuple[int, int] | None:
        """The character span of the contiguous words whose boxes overlap [x0, x1]."""
        chosen = [
            (s, e)
            for w, (s, e) in zip(self.words, self.spans, strict=True)
            if w.x1 >= x0 - slack and w.x0 <= x1 + slack
        ]
        if not chosen:
            return None
        return chosen[0][0], chosen[-1][1]

    @property
    def relative_top(self) -> float:
        """0 at the top of the page, 1 at the bottom (0.5 when the page size is unknown)."""
        return self.top / self.page_height if self.page_height else 0.5


@dataclass(frozen=True)
class TextIndex:
    lines: tuple[TextLine, ...]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def lines_below(self, line: TextLine, max_lines: int = 2, max_gap_heights: float = 3.0) -> list[TextLine]:
        """Following lines of the same page that sit close under ``line`` (a value under its label)."""
        found: list[TextLine] = []
        for other in self.lines[line.index + 1 : line.index + 1 + max_lines]:
            if other.page != line.page:
                break
            if other.words and line.words and other.top - line.bottom > max_gap_heights * line.height:
                break
            found.append(other)
        return found

    def lines_above(self, line: TextLine, max_lines: int = 8) -> list[TextLine]:
        """Preceding lines of the same page, nearest first (to find a column header)."""
        found: list[TextLine] = []
        for other in reversed(self.lines[max(0, line.index - max_lines) : line.index]):
            if other.page != line.page:
                break
            found.append(other)
        return found


def build_index(pages: Sequence[Page]) -> TextIndex:
    lines: list[TextLine] = []
    for page in pages:
        for words in group_lines(page.words):
            lines.append(_make_line(len(lines), page, words))
    return TextIndex(tuple(lines))


def index_from_text(text: str) -> TextIndex:
    """Lines of plain text without positions (a text file, or tests): locations will be None."""
    lines = [
        TextLine(index=i, page=1, text=raw.rstrip(), words=(), spans=())
        for i, raw in enumerate(text.replace("\f", "\n").splitlines())
    ]
    return TextIndex(tuple(lines))


def _make_line(index: int, page: Page, words: Iterable[Word]) -> TextLine:
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    ordered = list(words)
    position = 0
    previous: Word | None = None
    for word in ordered:
        if previous is not None:
            gap = word.x0 - previous.x1
            separator = (
                "   " if gap > COLUMN_GAP_IN_HEIGHTS * max(previous.bottom - previous.top, 1.0) else " "
            )
            parts.append(separator)
            position += len(separator)
        parts.append(word.text)
        spans.append((position, position + len(word.text)))
        position += len(word.text)
        previous = word
    return TextLine(
        index=index,
        page=page.number,
        text="".join(parts),
        words=tuple(ordered),
        spans=tuple(spans),
        page_height=page.height,
        page_width=page.width,
    )
