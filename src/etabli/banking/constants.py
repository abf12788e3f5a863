"""Names shared by the banking app: review kinds, use cases, time-saved actions, category labels.

Categories and their PCG accounts come from the matching engine (`etabli.engines.matching.CATEGORIES`, imported
lazily: the engine pulls scikit-learn, which must not slow down every `etabli` command at start-up); the short
labels below are what the forecast and the spending watch show (« Salaires du 27/12 »).
"""

from __future__ import annotations

MODULE = "banking"
SOURCE = "banque"  # source of the core alerts raised by this module

REVIEW_MATCH = "banking.match"
#: Several invoices fit almost equally well: a person always chooses (never auto-applied).
REVIEW_MATCH_CHOICE = "banking.match_choice"

USE_CASE_RECONCILIATION = "banking.reconciliation"
USE_CASE_FORECAST = "banking.forecast"
USE_CASE_SPENDING = "banking.spending"

ACTION_MATCH_AUTO = "banking.match_auto"
ACTION_MATCH_VALIDATED = "banking.match_validated"
ACTION_MATCH_EXTRA_INVOICE = "banking.match_extra_invoice"
ACTION_LINE_CATEGORISED = "banking.line_categorised"

EVENT_STATEMENT_IMPORTED = "bank.statement_imported"
EVENT_CASH_ALERT = "cash.alert"

MATCHING_ENGINE = "etabli.engines.matching.Reconciler"
CATEGORY_ENGINE = "etabli.engines.matching.Categorizer"
FORECAST_ENGINE = "etabli.engines.forecast.CashForecaster"
SPENDING_ENGINE = "etabli.engines.spending.analyse_spending"
ENGINE_VERSION = "1"

#: Category assumed to be a transfer between the company's own accounts (not spending, not activity).
INTERNAL_TRANSFER = "virement_interne"

SHORT_LABELS = {
    "energie": "Énergie",
    "carburant": "Carburant",
    "fournitures": "Fournitures",
    "credit_bail": "Crédit-bail et location",
    "loyer": "Loyer",
    "assurance": "Assurances",
    "honoraires": "Honoraires",
    "publicite": "Publicité",
    "deplacements": "Déplacements",
    "receptions": "Réceptions",
    "affranchissement": "Affranchissement",
    "telecom": "Téléphone et internet",
    "frais_bancaires": "Frais bancaires",
    "impots_taxes": "Impôts et taxes",
    "salaires_bruts": "Salaires",
    "logiciels": "Logiciels",
    "interets": "Intérêts et agios",
    "emprunt": "Emprunt",
    "salaires": "Salaires",
    "charges_sociales": "Cotisations sociales",
    "retraite_prevoyance": "Retraite et prévoyance",
    "impot_societes": "Impôt sur les sociétés",
    "tva": "TVA",
    "associes": "Compte courant d'associé",
    "virement_interne": "Virement interne",
}

#: PCG accounts of a line settled against an invoice.
CUSTOMER_ACCOUNT = "411"
SUPPLIER_ACCOUNT = "401"


def categories() -> dict:
    from etabli.engines.matching.categorize import CATEGORIES

    return CATEGORIES


def category_choices() -> list[tuple[str, str]]:
    """(code, « Libellé (compte) ») sorted by label, for forms."""
    CATEGORIES = categories()
    return sorted(((code, f"{c.label} ({c.pcg_account})") for code, c in CATEGORIES.items()), key=lambda kv: kv[1])


def category_label(code: str) -> str:
    category = categories().get(code)
    return category.label if category else code


def short_label(code: str) -> str:
    return SHORT_LABELS.get(code, category_label(code)) if code else ""
