"""Writes of the banking app. The names below are what views, the API, the CLI, tasks and other apps use."""

from etabli.banking.errors import BankingError
from etabli.banking.services.accounts import create_account, ensure_settings, update_account, update_settings
from etabli.banking.services.daily import daily_pass
from etabli.banking.services.forecast import run_forecast, run_what_if, structured_change
from etabli.banking.services.imports import ImportReport, confirm_mapping, import_file, remember_mapping
from etabli.banking.services.reconcile import (
    add_rule,
    choose_match,
    delete_rule,
    recategorise,
    reconcile_lines,
    set_category,
)
from etabli.banking.services.spending import run_spending

__all__ = [
    "BankingError",
    "ImportReport",
    "add_rule",
    "choose_match",
    "confirm_mapping",
    "create_account",
    "daily_pass",
    "delete_rule",
    "ensure_settings",
    "import_file",
    "recategorise",
    "reconcile_lines",
    "remember_mapping",
    "run_forecast",
    "run_spending",
    "run_what_if",
    "set_category",
    "structured_change",
    "update_account",
    "update_settings",
]
