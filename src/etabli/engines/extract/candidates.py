"""A value found in the text, with the evidence that makes it likely, and how candidates are combined."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from etabli.engines.extract.models import FieldValue, Location
from etabli.engines.extract.textindex import TextLine


@dataclass(frozen=True)
class Candidate:
    """A possible value of a field: ``score`` (0–1) says how strongly the layout supports it."""

    value: Any
    score: float
    line: TextLine | None
    start: int
    end: int
    evidence: str

    @property
    def location(self) -> Location | None:
        return None if self.line is None else self.line.location(self.start, self.end)

    @property
    def ocr_confidence(self) -> float | None:
        return None if self.line is None else self.line.ocr_confidence(self.start, self.end)

    def rescored(self, score: float, evidence: str | None = None) -> Candidate:
        return Candidate(self.value, score, self.line, self.start, self.end, evidence or self.evidence)


def best(candidates: Iterable[Candidate], key: Callable[[Any], Any] | None = None) -> Candidate | None:
    """The strongest candidate once repeated values pool their evidence.

    A value printed several times with a label (the invoice number in the header and on every page) is
    more certain than one printed once: each repetition adds a little to the best score of that value.
    Ties go to the earliest occurrence in the document.
    """
    groups: dict[Any, list[Candidate]] = {}
    for candidate in candidates:
        groups.setdefault(key(candidate.value) if key else candidate.value, []).append(candidate)
    if not groups:
        return None
    pooled: list[tuple[float, int, Candidate]] = []
    for members in groups.values():
        members.sort(key=lambda c: (-c.score, c.line.index if c.line else 0))
        top = members[0]
        bonus = min(0.08, 0.03 * (len(members) - 1))
        order = min(c.line.index if c.line else 0 for c in members)
        pooled.append((min(0.98, top.score + bonus), -order, top))
    pooled.sort(key=lambda item: (item[0], item[1]), reverse=True)
    score, _, chosen = pooled[0]
    return chosen.rescored(score)


def to_field(candidate: Candidate, *, source: str = "text") -> FieldValue:
    """A field value whose confidence also reflects how sure OCR was of the characters read."""
    confidence = candidate.score
    ocr = candidate.ocr_confidence
    if ocr is not None:
        confidence *= 0.6 + 0.4 * ocr
    return FieldValue(
        value=candidate.value,
        confidence=round(max(0.0, min(1.0, confidence)), 3),
        source=source,  # type: ignore[arg-type]
        location=candidate.location,
        evidence=candidate.evidence,
    )
