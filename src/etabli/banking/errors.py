"""The banking app's refusal: a French, user-facing reason, optionally per field.

Services raise it before writing anything, or inside a transaction that is then rolled back: a refused import
never leaves half its lines behind. Views show `message`, the API answers 4xx `{"error": …}` with it, the CLI
prints « Erreur : … » and exits 1.
"""

from __future__ import annotations


class BankingError(ValueError):
    def __init__(self, message: str, *, field_errors: dict[str, str] | None = None, code: str = "invalid",
                 status: int = 422, line_number: int | None = None):
        self.message = message
        self.field_errors = field_errors or {}
        self.code = code
        self.status = status
        self.line_number = line_number
        super().__init__(message)

    def __str__(self) -> str:
        return self.message
