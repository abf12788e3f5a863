"""The one exception type of the search engine.

Why a subclass of ValueError: callers (the assistant app, the CLI) catch bad input the same way across
engines, and show the French message to the user as is.
"""

from __future__ import annotations


class SearchError(ValueError):
    """Bad input given to the search engine; the message is French and meant for the user."""
