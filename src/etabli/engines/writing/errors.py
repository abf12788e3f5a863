"""The one exception of the writing engine.

Why a class of its own: the platform (views, CLI, API) catches it to show the French message to the user
as it is, and a ``ValueError`` subclass keeps plain callers working (bad input is a value problem).
"""

from __future__ import annotations


class WritingError(ValueError):
    """Bad input for a writing feature; the message is French and meant for the end user."""
