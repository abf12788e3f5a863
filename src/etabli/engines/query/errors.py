"""The one exception type of the search-box parser.

Why a subclass of ValueError: the documents app and the API catch bad input the same way across engines
and show the French message as is.
"""

from __future__ import annotations


class QueryError(ValueError):
    """Bad input given to the query parser; the message is French and meant for the user."""
