"""Bank accounts and the module's settings.

Why the statements engine validates IBANs: schwifty with `validate_bban=True` checks the French RIB key that the
two IBAN check digits do not cover (a mistyped RIB converted to an IBAN keeps valid check digits); the engine
turns schwifty's exceptions into French sentences.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from etabli.banking.errors import BankingError
from etabli.banking.models import BankAccount, BankingSettings
from etabli.common.money import round_cents, to_decimal
from etabli.core.models import Company
from etabli.engines.statements import StatementError, validate_bic, validate_iban

HOLIDAY_SUBDIVISIONS = {"": "France métropolitaine", "57": "Moselle", "6AE": "Alsace (Bas-Rhin, Haut-Rhin)",
                        "971": "Guadeloupe", "972": "Martinique", "973": "Guyane", "974": "La Réunion",
                        "976": "Mayotte"}


def check_iban(value: str):
    """The engine's IbanInfo, or BankingError with the French reason (clé RIB, longueur, pays…)."""
    try:
        return validate_iban(value)
    except StatementError as exc:
        raise BankingError(str(exc), field_errors={"iban": str(exc)}, code="invalid_iban") from exc


def check_bic(value: str, iban: str) -> tuple[str, str]:
    """(compact BIC, warning) — the warning says when the BIC is not the one registered for the bank code."""
    if not (value or "").strip():
        return "", ""
    try:
        bic = validate_bic(value, iban=iban)
    except StatementError as exc:
        raise BankingError(str(exc), field_errors={"bic": str(exc)}, code="invalid_bic") from exc
    known = check_iban(iban).bic
    warning = ""
    if known and known[:8] != bic[:8]:
        warning = (f"Le BIC {bic} ne correspond pas à celui enregistré pour le code banque de l'IBAN ({known}) : "
                   "vérifiez-le sur votre RIB.")
    return bic, warning


def default_name(company: Company, info) -> str:
    base = "Compte"
    name = f"{base} …{info.iban[-4:]}"
    n = 2
    while BankAccount.objects.for_company(company).filter(name=name).exists():
        name = f"{base} …{info.iban[-4:]} ({n})"
        n += 1
    return name


def _money(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return round_cents(to_decimal(value))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise BankingError(f"Montant invalide : « {value} ».", field_errors={field: "Montant invalide."}) from exc


def create_account(*, company: Company, iban: str, bic: str = "", name: str = "", balance=None,
                   balance_date: dt.date | None = None) -> BankAccount:
    info = check_iban(iban)
    bic_value, _warning = check_bic(bic, info.iban)
    balance_value = _money(balance, "balance")
    if (balance_value is None) != (balance_date is None):
        raise BankingError("Indiquez le solde et sa date ensemble (ou ni l'un ni l'autre).",
                           field_errors={"balance_date": "À renseigner avec le solde."})
    if BankAccount.objects.for_company(company).filter(iban=info.iban).exists():
        raise BankingError(f"Le compte {info.formatted} existe déjà.", field_errors={"iban": "Déjà enregistré."},
                           code="duplicate", status=409)
    name = (name or "").strip()[:80] or default_name(company, info)
    if BankAccount.objects.for_company(company).filter(name=name).exists():
        raise BankingError(f"Un compte s'appelle déjà « {name} ».", field_errors={"name": "Déjà utilisé."},
                           code="duplicate", status=409)
    try:
        with transaction.atomic():
            return BankAccount.objects.create(
                company=company, name=name, iban=info.iban, bic=bic_value or info.bic, bank_name=info.bank_name[:120],
                bank_code=info.bank_code, branch_code=info.branch_code, account_number=info.account_code,
                rib_key=info.iban[-2:] if info.country_code == "FR" else "", balance=balance_value,
                balance_date=balance_date,
            )
    except IntegrityError as exc:
        raise BankingError("Ce compte vient d'être créé par ailleurs.", code="duplicate", status=409) from exc


def update_account(*, account: BankAccount, name: str | None = None, bic: str | None = None,
                   balance=None, balance_date: dt.date | None = None, is_active: bool | None = None) -> BankAccount:
    """Rename, correct the BIC, or set the balance the bank shows on a date (the new anchor)."""
    if name is not None:
        name = name.strip()[:80]
        if not name:
            raise BankingError("Le nom du compte est obligatoire.", field_errors={"name": "Obligatoire."})
        if BankAccount.objects.for_company(account.company_id).filter(name=name).exclude(pk=account.pk).exists():
            raise BankingError(f"Un compte s'appelle déjà « {name} ».", field_errors={"name": "Déjà utilisé."})
        account.name = name
    if bic is not None:
        account.bic = check_bic(bic, account.iban)[0]
    balance_value = _money(balance, "balance")
    if balance_value is not None or balance_date is not None:
        if balance_value is None or balance_date is None:
            raise BankingError("Indiquez le solde et sa date ensemble.",
                               field_errors={"balance_date": "À renseigner avec le solde."})
        account.balance, account.balance_date = balance_value, balance_date
    if is_active is not None:
        account.is_active = is_active
    account.save()
    return account


def ensure_settings(company: Company) -> BankingSettings:
    settings_row = BankingSettings.objects.for_company(company).first()
    if settings_row is None:
        try:
            with transaction.atomic():
                settings_row = BankingSettings.objects.create(company=company)
        except IntegrityError:
            settings_row = BankingSettings.objects.for_company(company).get()
    return settings_row


def update_settings(*, company: Company, cash_threshold=None, forecast_days: int | None = None,
                    holiday_subdivision: str | None = None) -> BankingSettings:
    row = ensure_settings(company)
    threshold = _money(cash_threshold, "cash_threshold")
    if threshold is not None:
        row.cash_threshold = threshold
    if forecast_days is not None:
        if not 7 <= int(forecast_days) <= 366:
            raise BankingError("L'horizon de prévision doit être compris entre 7 et 366 jours.",
                               field_errors={"forecast_days": "Entre 7 et 366."})
        row.forecast_days = int(forecast_days)
    if holiday_subdivision is not None:
        if holiday_subdivision not in HOLIDAY_SUBDIVISIONS:
            raise BankingError("Zone de jours fériés inconnue.", field_errors={"holiday_subdivision": "Inconnue."})
        row.holiday_subdivision = holiday_subdivision
    row.save()
    return row
