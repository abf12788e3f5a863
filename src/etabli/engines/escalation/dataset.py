"""Reading labelled messages (JSON Lines: text, sensitive, category, optional split).

Why a loader here: the app trains the classifier at start-up from a labelled file and the benchmark
reads the same format; the reading is explicit (a path in, records out), never hidden in the detector.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from etabli.engines.escalation.errors import EscalationError


@dataclass(frozen=True)
class LabelledMessage:
    """One message of a labelled set."""

    text: str
    sensitive: bool
    category: str
    split: str = ""


def load_messages(path: str | Path) -> list[LabelledMessage]:
    """Read a JSONL file of labelled messages; a malformed line is an error that names its number."""
    messages: list[LabelledMessage] = []
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                text, sensitive, category = record["text"], record["sensitive"], record["category"]
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                raise EscalationError(
                    f"Ligne {number} illisible : il faut text, sensitive et category."
                ) from error
            if not isinstance(text, str) or not text.strip() or not isinstance(sensitive, bool):
                raise EscalationError(
                    f"Ligne {number} : text doit être un texte non vide et sensitive un booléen."
                )
            messages.append(LabelledMessage(text, sensitive, str(category), str(record.get("split", ""))))
    return messages
