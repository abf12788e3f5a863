"""Split a long procedure (Markdown or plain text) into overlapping passages that carry their titles.

Why: BM25 favours short passages, and an answer quoted to an employee must be readable on its own.
Each passage keeps the path of headings above it ("Notes de frais › Justificatifs"), which is both
shown as the source and indexed (a question often names the section, not the words of the body).
Headings are Markdown ones (`#`, underlined titles) and, in plain text, short lines in capitals.
Passages are packed paragraph by paragraph up to `max_chars`; a paragraph longer than that is cut
at sentence ends; the last sentences of a passage are repeated at the start of the next one
(`overlap_chars`), so an answer straddling two passages is still found whole in one of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etabli.engines.search.errors import SearchError

_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_SETEXT_UNDERLINE = re.compile(r"^(=+|-+)\s*$")
_LIST_ITEM = re.compile(r"^(?:[-*•]|\d+[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
TITLE_SEPARATOR = " › "


@dataclass(frozen=True)
class Chunk:
    """A passage of a document: its position, the headings above it and its text."""

    index: int
    title: str
    text: str

    @property
    def indexed_text(self) -> str:
        """Title and body together, which is what a search index should see."""
        return f"{self.title}\n{self.text}" if self.title else self.text


@dataclass(frozen=True)
class _Section:
    headings: tuple[str, ...]
    paragraphs: tuple[str, ...]


def chunk_document(
    text: str,
    *,
    title: str = "",
    max_chars: int = 800,
    overlap_chars: int = 150,
) -> list[Chunk]:
    """Cut `text` into passages of at most about `max_chars` characters, titled by their headings."""
    if not isinstance(text, str):
        raise SearchError("Le document à découper doit être du texte.")
    if max_chars < 100:
        raise SearchError("La taille maximale d'un passage doit être d'au moins 100 caractères.")
    if not 0 <= overlap_chars < max_chars // 2:
        raise SearchError(
            "Le chevauchement doit être positif et inférieur à la moitié de la taille d'un passage."
        )
    chunks: list[Chunk] = []
    for section in _sections(text):
        section_title = TITLE_SEPARATOR.join(h for h in (title, *section.headings) if h)
        for body in _pack(section.paragraphs, max_chars, overlap_chars):
            chunks.append(Chunk(len(chunks), section_title, body))
    return chunks


def _sections(text: str) -> list[_Section]:
    """Group paragraphs under the heading path in force where they appear."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    sections: list[_Section] = []
    path: list[tuple[int, str]] = []
    paragraphs: list[str] = []
    current: list[str] = []

    def close_paragraph() -> None:
        if current:
            paragraphs.append(" ".join(" ".join(current).split()))
            current.clear()

    def close_section() -> None:
        close_paragraph()
        if paragraphs:
            sections.append(_Section(tuple(h for _, h in path), tuple(paragraphs)))
            paragraphs.clear()

    for position, line in enumerate(lines):
        stripped = line.strip()
        heading = _heading(stripped, lines[position + 1].strip() if position + 1 < len(lines) else "")
        if heading is not None:
            close_section()
            level, name = heading
            while path and path[-1][0] >= level:
                path.pop()
            path.append((level, name))
        elif _SETEXT_UNDERLINE.match(stripped) and not current:
            continue  # the underline of a heading already taken
        elif not stripped:
            close_paragraph()
        elif _LIST_ITEM.match(stripped):
            close_paragraph()
            paragraphs.append(" ".join(stripped.split()))  # a list item (a step) is a paragraph of its own
        else:
            current.append(stripped)
    close_section()
    return sections


def _heading(line: str, next_line: str) -> tuple[int, str] | None:
    if match := _MARKDOWN_HEADING.match(line):
        return len(match.group(1)), match.group(2).strip()
    if line and _SETEXT_UNDERLINE.match(next_line) and len(line) <= 100:
        return (1 if next_line.startswith("=") else 2), line
    if _is_capitals_title(line):
        return 1, line
    return None


def _is_capitals_title(line: str) -> bool:
    """Plain-text documents often title sections in capitals ("NOTES DE FRAIS")."""
    letters = [c for c in line if c.isalpha()]
    return (
        3 <= len(letters) and len(line) <= 80 and all(c.isupper() for c in letters) and line[-1] not in ".!?"
    )


def _pack(paragraphs: tuple[str, ...], max_chars: int, overlap_chars: int) -> list[str]:
    # Pieces leave room for the overlap, otherwise a full piece would push the overlap out.
    budget = max_chars - overlap_chars - 1 if overlap_chars else max_chars
    pieces = [piece for paragraph in paragraphs for piece in _split_long(paragraph, budget)]
    bodies: list[str] = []
    current: list[str] = []
    for piece in pieces:
        if current and len("\n".join([*current, piece])) > max_chars:
            bodies.append("\n".join(current))
            current = _overlap(current, overlap_chars)
            if len("\n".join([*current, piece])) > max_chars:
                current = []
        current.append(piece)
    if current:
        bodies.append("\n".join(current))
    return bodies


def _split_long(paragraph: str, max_chars: int) -> list[str]:
    """A paragraph longer than a passage is cut at sentence ends (at word boundaries as a last resort)."""
    if len(paragraph) <= max_chars:
        return [paragraph]
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(paragraph):
        for part in _split_words(sentence, max_chars):
            candidate = f"{current} {part}".strip()
            if len(candidate) > max_chars and current:
                pieces.append(current)
                candidate = part
            current = candidate
    if current:
        pieces.append(current)
    return pieces


def _split_words(sentence: str, max_chars: int) -> list[str]:
    if len(sentence) <= max_chars:
        return [sentence]
    parts: list[str] = []
    current = ""
    for word in sentence.split():
        if current and len(current) + 1 + len(word) > max_chars:
            parts.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        parts.append(current)
    return [p[:max_chars] for p in parts]


def _overlap(pieces: list[str], overlap_chars: int) -> list[str]:
    """The last sentences of the previous passage, up to `overlap_chars` characters."""
    if overlap_chars == 0:
        return []
    sentences = [s for piece in pieces for s in _SENTENCE_END.split(piece) if s]
    kept: list[str] = []
    size = 0
    for sentence in reversed(sentences):
        if size + len(sentence) > overlap_chars:
            break
        kept.insert(0, sentence)
        size += len(sentence) + 1
    return [" ".join(kept)] if kept else []
