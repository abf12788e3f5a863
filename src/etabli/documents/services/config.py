"""Per-company settings of the documents module (created with safe defaults on first use)."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction

from etabli.core.models import Company
from etabli.documents.models import DocumentSettings

EDITABLE = ("human_validation_amount", "type_threshold", "ocr_enabled", "default_expense_account")


def get_settings(company: Company) -> DocumentSettings:
    found = DocumentSettings.objects.filter(company=company).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return DocumentSettings.objects.create(company=company)
    except IntegrityError:  # created concurrently by another request or job
        return DocumentSettings.objects.get(company=company)


class SettingsError(ValueError):
    def __init__(self, message: str, field_errors: dict[str, str] | None = None):
        self.message = message
        self.field_errors = field_errors or {}
        super().__init__(message)


@transaction.atomic
def update_settings(*, company: Company, **values) -> DocumentSettings:
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise SettingsError(f"Réglages inconnus : {', '.join(sorted(unknown))}.")
    row = DocumentSettings.objects.select_for_update().get(pk=get_settings(company).pk)
    errors: dict[str, str] = {}
    if "human_validation_amount" in values:
        amount = Decimal(str(values["human_validation_amount"]))
        if amount < 0:
            errors["human_validation_amount"] = "Le montant ne peut pas être négatif."
        row.human_validation_amount = amount
    if "type_threshold" in values:
        threshold = float(values["type_threshold"])
        if not 0.0 <= threshold <= 1.0:
            errors["type_threshold"] = "Le seuil doit être compris entre 0 et 1."
        row.type_threshold = threshold
    if "ocr_enabled" in values:
        row.ocr_enabled = bool(values["ocr_enabled"])
    if "default_expense_account" in values:
        account = str(values["default_expense_account"]).strip()
        if not (account.isdigit() and account.startswith("6") and 2 <= len(account) <= 8):
            errors["default_expense_account"] = "Un compte de charge commence par 6 (ex. 606, 6226)."
        row.default_expense_account = account
    if errors:
        raise SettingsError("Certains réglages ne sont pas valides.", errors)
    row.save()
    return row
