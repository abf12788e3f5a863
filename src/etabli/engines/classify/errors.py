"""The one exception type of the classification engine.

Why a subclass of ValueError: the documents app and the CLI catch bad input the same way across engines
and show the French message to the owner as is.
"""

from __future__ import annotations


class ClassifyError(ValueError):
    """Bad input given to the classification engine; the message is French and meant for the user."""
