"""The editable fields of the documents app's proposals (kept light: loaded when the app starts)."""

from __future__ import annotations

from etabli.core.registry import EditField
from etabli.documents.fields import AMOUNT_FIELDS, FIELD_LABELS
from etabli.documents.models import DOC_TYPE_CHOICES

#: Fields a person may edit before accepting a filing (the validation screen shows them all).
FILING_FIELDS = ("issuer_name", "invoice_number", "issue_date", "due_date", "total_ht", "total_tva", "total_ttc",
                 "siren", "siret", "vat_number", "iban", "order_reference", "currency")

FILING_EDIT_FIELDS = (
    EditField("doc_type", "Type", "choice", choices=tuple(DOC_TYPE_CHOICES)),
    EditField("correspondent_name", "Correspondant", required=False),
    *(EditField(name, FIELD_LABELS[name],
                "decimal" if name in AMOUNT_FIELDS else "date" if name in ("issue_date", "due_date") else "text",
                required=False) for name in FILING_FIELDS),
    EditField("tags", "Étiquettes (séparées par des virgules)", required=False),
)
ENTRY_EDIT_FIELDS = (
    EditField("expense_account", "Compte de charge"),
    EditField("entry_date", "Date de l'écriture", "date"),
    EditField("label", "Libellé"),
)
