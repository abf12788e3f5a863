"""The one exception type of the escalation engine (a ValueError, with a French message)."""

from __future__ import annotations


class EscalationError(ValueError):
    """Bad input given to the escalation engine; the message is French and meant for the user."""
