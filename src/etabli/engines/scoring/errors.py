"""The scoring engine's one exception type.

Why a subclass of ValueError: callers (the billing app, the CLI) catch bad input the ordinary way, and the
French message can be shown to the owner as it is.
"""

from __future__ import annotations


class ScoringError(ValueError):
    """Bad input to the scoring engine; the message is in French and names what is wrong."""
