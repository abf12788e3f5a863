"""Find invoice numbers and references inside bank labels, robust to spaces, dashes and truncation.

Why token n-grams instead of a regex per invoice: a customer writes « FA-2026-0042 », « FA 2026 0042 »,
« FA20260042 » or « FACT 2026-0042 »; all become the same compact key once the label's alphanumeric tokens
are joined. Looking up every join of up to 5 consecutive tokens in a dict costs the same whatever the
number of open invoices, so a statement is searched against thousands of invoices in milliseconds.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from etabli.engines.matching.model import OpenItem
from etabli.engines.matching.text import compact, digits_only, tokens

HitKind = Literal["full", "digits", "truncated"]
_STRENGTH = {"full": 3, "digits": 2, "truncated": 1}
MIN_KEY_LENGTH = 4
MAX_WINDOW = 5


@dataclass(frozen=True)
class ReferenceHit:
    kind: HitKind
    #: The invoice number or reference as the owner wrote it (for the reason shown).
    shown: str


class ReferenceIndex:
    """Compact keys of invoice numbers and references → item ids."""

    def __init__(self, items: Iterable[OpenItem]) -> None:
        self.full: dict[str, dict[str | int, str]] = defaultdict(dict)
        self.digits: dict[str, dict[str | int, str]] = defaultdict(dict)
        for item in items:
            for text in (item.number, *item.references):
                self._add(item.id, text)
        self.sorted_full = sorted(self.full)

    def _add(self, item_id: str | int, text: str) -> None:
        key = compact(text)
        if len(key) < MIN_KEY_LENGTH or not any(char.isdigit() for char in key):
            return
        self.full[key][item_id] = text
        digit_key = digits_only(key)
        if digit_key != key and len(digit_key) >= 6:
            self.digits[digit_key][item_id] = text

    def search(self, text: str, label: str = "") -> dict[str | int, ReferenceHit]:
        """Items whose number or reference appears in ``text``; ``label`` is checked for a truncated end."""
        found: dict[str | int, ReferenceHit] = {}
        words = tokens(text)
        for start in range(len(words)):
            joined = ""
            for end in range(start, min(start + MAX_WINDOW, len(words))):
                joined += words[end]
                if len(joined) > 30:
                    break
                self._record(found, self.full.get(joined), "full")
                if joined.isdigit():
                    self._record(found, self.digits.get(joined), "digits")
        if label:
            self._truncated(found, tokens(label))
        return found

    def _truncated(self, found: dict[str | int, ReferenceHit], words: list[str]) -> None:
        """A label cut at 31 characters may end in the first part of the number: « … FA-2026-00 »."""
        joined = ""
        for word in reversed(words[-MAX_WINDOW:]):
            joined = word + joined
            if len(joined) < 6 or not any(char.isdigit() for char in joined):
                continue
            start = bisect.bisect_left(self.sorted_full, joined)
            matches = []
            for key in self.sorted_full[start : start + 4]:
                if not key.startswith(joined):
                    break
                if key != joined and len(joined) >= 0.6 * len(key):
                    matches.append(key)
            if 0 < len(matches) <= 3:
                for key in matches:
                    self._record(found, self.full[key], "truncated")

    @staticmethod
    def _record(
        found: dict[str | int, ReferenceHit], items: dict[str | int, str] | None, kind: HitKind
    ) -> None:
        if not items:
            return
        for item_id, shown in items.items():
            current = found.get(item_id)
            if current is None or _STRENGTH[kind] > _STRENGTH[current.kind]:
                found[item_id] = ReferenceHit(kind=kind, shown=shown)
