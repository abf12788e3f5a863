"""Text normalisation shared by the classifier and the search-box parser.

Why a length-preserving fold: rules and query patterns are written without accents and in lower case
(« releve », « echeance ») because OCR and owners drop accents at random; keeping one character per
character lets a match found in the folded text be cut from the original text (to quote it back, or to
hand the untouched words to full-text search).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_SPACES = {"\u00a0", "\u202f", "\u2007", "\u2009", "\t", "\r", "\f", "\v"}
_APOSTROPHES = {"’", "ʼ", "`", "´", "‘"}
_DASHES = {"–", "—", "‑", "−"}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _SPACES:
        return " "
    if char in _APOSTROPHES:
        return "'"
    if char in _DASHES:
        return "-"
    lowered = char.lower()
    if len(lowered) != 1:
        return char
    decomposed = unicodedata.normalize("NFKD", lowered)
    base = "".join(part for part in decomposed if not unicodedata.combining(part))
    return base if len(base) == 1 else lowered


def fold_same_length(text: str) -> str:
    """Lower case, no accents, typographic apostrophes/dashes/spaces made plain; one char in, one out.

    « Relevé de COMPTE – Mars » → « releve de compte - mars ». Ligatures (œ) are kept as they are
    rather than expanded, so that positions stay aligned with the original text.
    """
    return "".join(_fold_char(char) for char in text)


def fold(text: str) -> str:
    """Folded text with runs of spaces collapsed on each line (lines are kept: rules look at them)."""
    lines = (" ".join(line.split()) for line in fold_same_length(text).split("\n"))
    return "\n".join(line for line in lines if line)
