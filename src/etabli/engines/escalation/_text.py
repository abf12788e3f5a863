"""Normalisation that remembers where each character came from.

Why offsets: the rules match on a folded, lower-case form ("ce n'est pas urgent"), but the reasons
shown to the owner quote the customer's own words ("« URGENT » …"); each normalised character keeps the
index of the original character it came from.
"""

from __future__ import annotations

import unicodedata

_APOSTROPHES = {"’": "'", "ʼ": "'", "`": "'", "´": "'", "‘": "'"}
_DASHES = {"-", "‐", "‑", "‒", "–", "—"}


def fold_char(char: str) -> str:
    """ "É" → "e", "œ" → "oe", typographic apostrophes → "'"."""
    if char in _APOSTROPHES:
        return "'"
    lowered = char.lower()
    if lowered == "œ":
        return "oe"
    if lowered == "æ":
        return "ae"
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Folded lower-case text where dashes between letters become spaces ("passez-moi" → "passez moi"),
    and for each output character the index of its source character."""
    out: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        between_letters = (
            0 < index < len(text) - 1 and text[index - 1].isalnum() and text[index + 1].isalnum()
        )
        if char.isspace() or (char in _DASHES and between_letters):
            folded = " "
        else:
            folded = fold_char(char)
        for piece in folded:
            out.append(piece)
            offsets.append(index)
    return "".join(out), offsets


def normalize(text: str) -> str:
    """The folded form alone."""
    return normalize_with_offsets(text)[0]


def original_span(text: str, offsets: list[int], start: int, end: int) -> str:
    """The original characters behind the normalised span [start, end)."""
    if start >= end or not offsets:
        return ""
    return text[offsets[start] : offsets[end - 1] + 1]
