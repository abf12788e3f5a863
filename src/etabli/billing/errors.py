"""The billing app's refusal: a French, user-facing reason, optionally per field.

Services raise it before writing anything (or inside a transaction that is then rolled back), so a refused
action never leaves half-written data. Views show `message`, the API answers 4xx `{"error": …}` with it, the
CLI prints « Erreur : … ».
"""

from __future__ import annotations


class BillingError(ValueError):
    def __init__(
        self,
        message: str,
        *,
        field_errors: dict[str, str] | None = None,
        code: str = "invalid",
        status: int = 422,
    ):
        self.message = message
        self.field_errors = field_errors or {}
        self.code = code
        self.status = status
        super().__init__(message)

    def __str__(self) -> str:
        return self.message
