"""Banking API under /api/v1/banking/…: accounts, statement import (base64 file), lines, categories and matches,
reconciliation, category rules, cash forecast and what-if, spending watch, settings.

Thin: each route checks the permission, fetches the company's row (404 for another company's, before any body
validation — body fields are optional in the schemas for that reason), calls a service or selector, and turns a
`BankingError` into `{"error": {"code", "message", "details"}}` (4xx, nothing half-written).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal
from functools import wraps
from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from etabli.banking import selectors
from etabli.banking.errors import BankingError
from etabli.banking.models import BankAccount, BankLine, CategoryRule, StatementImport
from etabli.core.permissions import require

router = Router(tags=["banking"])


def refusals(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        from etabli.api import ApiError

        try:
            return view(request, *args, **kwargs)
        except BankingError as exc:
            details: dict[str, Any] | None = dict(exc.field_errors) if exc.field_errors else None
            if exc.line_number is not None:
                details = {**(details or {}), "line_number": exc.line_number}
            raise ApiError(exc.status, exc.code, exc.message, details) from exc

    return wrapper


def scoped(model, request, pk: int):
    return get_object_or_404(model, pk=pk, company_id=request.company.pk)


# --- Schemas ---------------------------------------------------------------------------------------------------


class AccountOut(Schema):
    id: int
    name: str
    iban: str
    bic: str
    bank_name: str
    bank_code: str
    branch_code: str
    account_number: str
    rib_key: str
    currency: str
    balance: Decimal | None
    balance_date: dt.date | None
    current_balance: Decimal
    balance_known: bool
    is_active: bool


def account_out(account: BankAccount) -> dict:
    balance, known = selectors.balance_on(account, selectors.today())
    return {**{f: getattr(account, f) for f in ("id", "name", "iban", "bic", "bank_name", "bank_code", "branch_code",
                                                 "account_number", "rib_key", "currency", "balance", "balance_date",
                                                 "is_active")},
            "current_balance": balance, "balance_known": known}


class AccountIn(Schema):
    iban: str = ""
    bic: str = ""
    name: str = ""
    balance: Decimal | None = None
    balance_date: dt.date | None = None


class AccountPatch(Schema):
    name: str | None = None
    bic: str | None = None
    balance: Decimal | None = None
    balance_date: dt.date | None = None
    is_active: bool | None = None


class StatementIn(Schema):
    filename: str = ""
    content_base64: str = ""
    account_id: int | None = None
    account_iban: str = ""
    csv_mapping: dict | None = None
    reconcile: bool = True


class ImportOut(Schema):
    id: int
    created_at: dt.datetime
    filename: str
    source_format: str
    status: str
    account_id: int | None
    lines_total: int
    lines_new: int
    lines_duplicate: int
    matched_auto: int
    proposed: int
    categorised: int
    warnings: list[str]
    statements: list[dict]


def import_out(row: StatementImport) -> dict:
    return {
        "id": row.pk, "created_at": row.created_at, "filename": row.filename, "source_format": row.source_format,
        "status": row.status, "account_id": row.account_id, "lines_total": row.lines_total,
        "lines_new": row.lines_new, "lines_duplicate": row.lines_duplicate, "matched_auto": row.matched_auto,
        "proposed": row.proposed, "categorised": row.categorised, "warnings": row.warnings or [],
        "statements": [{"account_id": s.account_id, "start_date": s.start_date, "end_date": s.end_date,
                        "opening_balance": s.opening_balance, "closing_balance": s.closing_balance,
                        "balance_status": s.balance_status, "balance_message": s.balance_message, "gap": s.gap,
                        "continuity_message": s.continuity_message, "lines_new": s.lines_new,
                        "lines_duplicate": s.lines_duplicate} for s in row.statements.all()],
    }


class MatchOut(Schema):
    invoice_id: int
    invoice_number: str
    invoice_kind: str
    partner_name: str
    amount: Decimal
    payment_id: int | None
    source: str
    confidence: float | None


class LineOut(Schema):
    id: int
    account_id: int
    date: dt.date
    value_date: dt.date | None
    amount: Decimal
    label: str
    reference: str
    counterparty_name: str
    status: str
    category: str
    pcg_account: str
    category_source: str
    category_confidence: float | None
    category_reason: str
    category_confirmed: bool
    matched_partner_name: str
    review_item_id: int | None
    minutes_saved: Decimal


class LineDetailOut(LineOut):
    extra_info: list[str]
    counterparty_iban: str
    matches: list[MatchOut]
    proposal: dict | None


class CategoryIn(Schema):
    category: str = ""
    create_rule: bool = False
    pattern: str = ""


class MatchIn(Schema):
    invoices: list[str] = Field(default_factory=list)


class RuleOut(Schema):
    id: int
    pattern: str
    category: str
    direction: str


class RuleIn(Schema):
    pattern: str = ""
    category: str = ""
    direction: str = "any"


class WhatIfIn(Schema):
    text: str | list[str] = ""
    days: int | None = None


class SettingsOut(Schema):
    cash_threshold: Decimal
    forecast_days: int
    holiday_subdivision: str


class SettingsPatch(Schema):
    cash_threshold: Decimal | None = None
    forecast_days: int | None = None
    holiday_subdivision: str | None = None


# --- Accounts ----------------------------------------------------------------------------------------------------


@router.get("/accounts", response=list[AccountOut], summary="Comptes bancaires et soldes du jour")
def account_list(request):
    require(request.membership, "banking.view")
    return [account_out(a) for a in selectors.accounts(request.company)]


@router.post("/accounts", response={201: AccountOut}, summary="Ajouter un compte (IBAN et clé RIB vérifiés)")
@refusals
def account_create(request, payload: AccountIn):
    require(request.membership, "banking.edit")
    from etabli.banking.services import create_account

    account = create_account(company=request.company, **payload.dict())
    return Status(201, account_out(account))


@router.get("/accounts/{account_id}", response=AccountOut, summary="Un compte")
def account_detail(request, account_id: int):
    require(request.membership, "banking.view")
    return account_out(scoped(BankAccount, request, account_id))


@router.patch("/accounts/{account_id}", response=AccountOut, summary="Renommer, corriger le BIC, indiquer le solde")
@refusals
def account_update(request, account_id: int, payload: AccountPatch):
    require(request.membership, "banking.edit")
    from etabli.banking.services import update_account

    account = scoped(BankAccount, request, account_id)
    return account_out(update_account(account=account, **payload.dict()))


@router.get("/accounts/{account_id}/export", summary="Exporter les opérations (cfonb, csv, lignes)")
@refusals
def account_export(request, account_id: int, format: str = "cfonb", start: dt.date | None = None,
                   end: dt.date | None = None):
    require(request.membership, "banking.export")
    from etabli.banking.services.export import account_cfonb120, engine_lines_csv, lines_csv

    account = scoped(BankAccount, request, account_id)
    if format == "cfonb":
        try:
            body = account_cfonb120(account, start=start, end=end)
        except ValueError as exc:
            raise BankingError(str(exc), code="export_error") from exc
        return _file(body, f"releve-{account.iban[-6:]}.cfonb", "text/plain; charset=iso-8859-1")
    lines = selectors.lines(request.company, account_id=account.pk).filter(
        **({"date__gte": start} if start else {}), **({"date__lte": end} if end else {})).order_by("date", "id")
    if format == "csv":
        return _file(lines_csv(lines.prefetch_related("matches")), f"operations-{account.iban[-6:]}.csv",
                     "text/csv; charset=utf-8")
    if format == "lignes":
        history = [line for line in selectors.forecast_history(request.company, until=end or selectors.today())
                   if line.account == account.name and (start is None or line.date >= start)]
        return _file(engine_lines_csv(history), f"lignes-{account.iban[-6:]}.csv", "text/csv; charset=utf-8")
    raise BankingError("Format d'export inconnu (cfonb, csv ou lignes).", code="invalid_format")


def _file(body: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Statements ---------------------------------------------------------------------------------------------------


@router.post("/statements", response={201: dict}, summary="Importer un relevé (CFONB 120, camt.053, OFX, CSV)")
@refusals
def statement_import(request, payload: StatementIn):
    require(request.membership, "banking.edit")
    from etabli.banking.services import import_file

    try:
        data = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BankingError("Contenu du fichier illisible : envoyez-le encodé en base64 (content_base64).",
                           field_errors={"content_base64": "Base64 invalide."}) from exc
    account = None
    if payload.account_id is not None:
        account = selectors.accounts(request.company).filter(pk=payload.account_id).first()
        if account is None:
            raise BankingError("Compte introuvable dans cette entreprise.", code="not_found", status=404)
    elif payload.account_iban:
        account = selectors.account_for_iban(request.company, payload.account_iban)
        if account is None:
            from etabli.banking.services.accounts import check_iban

            check_iban(payload.account_iban)  # a wrong key is said as such
            raise BankingError("Aucun compte de l'entreprise n'a cet IBAN : ajoutez-le d'abord.", code="not_found",
                               status=404)
    report = import_file(company=request.company, data=data, filename=payload.filename, account=account,
                         csv_mapping=payload.csv_mapping, user=request.user, reconcile=payload.reconcile)
    return Status(201, report.as_dict())


@router.get("/statements", response=list[ImportOut], summary="Relevés importés")
@paginate(PageNumberPagination, page_size=50)
def statement_list(request):
    require(request.membership, "banking.view")
    return [import_out(row) for row in selectors.imports(request.company).prefetch_related("statements")]


@router.get("/statements/{statement_id}", response=ImportOut, summary="Un import et le contrôle de ses soldes")
def statement_detail(request, statement_id: int):
    require(request.membership, "banking.view")
    return import_out(scoped(StatementImport, request, statement_id))


# --- Lines --------------------------------------------------------------------------------------------------------


def line_detail_out(line: BankLine) -> dict:
    from etabli.banking.services.reconcile import pending_item

    item = pending_item(line)
    data = {f: getattr(line, f) for f in LineDetailOut.model_fields if hasattr(line, f)}
    data.update(extra_info=[str(x) for x in line.extra_info or []], matches=selectors.matches_of(line),
                proposal={"id": item.pk, "kind": item.kind, "title": item.title, "confidence": item.confidence,
                          "reasons": item.reasons, "invoices": item.payload.get("invoices"),
                          "alternatives": item.payload.get("alternatives", [])} if item else None)
    return data


@router.get("/lines", response=list[LineOut], summary="Opérations bancaires (filtres : status, account_id, q)")
@paginate(PageNumberPagination, page_size=100)
def line_list(request, status: str = "", account_id: int | None = None, q: str = "", category: str = ""):
    require(request.membership, "banking.view")
    return selectors.lines(request.company, status=status, account_id=account_id, search=q, category=category)


@router.get("/lines/{line_id}", response=LineDetailOut, summary="Une opération, ses rapprochements et sa proposition")
def line_detail(request, line_id: int):
    require(request.membership, "banking.view")
    return line_detail_out(scoped(BankLine, request, line_id))


@router.post("/lines/{line_id}/category", response=LineDetailOut, summary="Choisir la catégorie d'une opération")
@refusals
def line_category(request, line_id: int, payload: CategoryIn):
    require(request.membership, "banking.edit")
    from etabli.banking.services import set_category

    line = scoped(BankLine, request, line_id)
    set_category(company=request.company, line=line, category=payload.category, user=request.user,
                 membership=request.membership, create_rule=payload.create_rule, pattern=payload.pattern)
    line.refresh_from_db()
    return line_detail_out(line)


@router.post("/lines/{line_id}/match", response=LineDetailOut, summary="Rapprocher une opération de facture(s)")
@refusals
def line_match(request, line_id: int, payload: MatchIn):
    require(request.membership, "banking.approve")
    from etabli.banking.services import choose_match

    line = scoped(BankLine, request, line_id)
    choose_match(company=request.company, line=line, numbers=payload.invoices, user=request.user,
                 membership=request.membership)
    line.refresh_from_db()
    return line_detail_out(line)


@router.post("/reconcile", response=dict, summary="Rapprocher maintenant les opérations à traiter")
@refusals
def reconcile(request):
    require(request.membership, "banking.edit")
    from etabli.banking.services import reconcile_lines

    return reconcile_lines(company=request.company).as_dict()


# --- Rules ----------------------------------------------------------------------------------------------------------


@router.get("/rules", response=list[RuleOut], summary="Règles « libellé contient … → catégorie »")
def rule_list(request):
    require(request.membership, "banking.view")
    return list(selectors.category_rules(request.company))


@router.post("/rules", response={201: RuleOut}, summary="Ajouter une règle de catégorie")
@refusals
def rule_create(request, payload: RuleIn):
    require(request.membership, "banking.edit")
    from etabli.banking.services import add_rule

    return Status(201, add_rule(company=request.company, pattern=payload.pattern, category=payload.category,
                                direction=payload.direction, user=request.user))


@router.delete("/rules/{rule_id}", response={204: None}, summary="Supprimer une règle")
def rule_delete(request, rule_id: int):
    require(request.membership, "banking.edit")
    from etabli.banking.services import delete_rule

    delete_rule(rule=scoped(CategoryRule, request, rule_id))
    return Status(204, None)


# --- Forecast, what-if, spending, settings ------------------------------------------------------------------------


@router.get("/forecast", response=dict, summary="Prévision jour par jour, trois scénarios, alertes et causes")
@refusals
def forecast(request, days: int | None = None):
    require(request.membership, "banking.view")
    from etabli.banking.services import run_forecast

    return run_forecast(company=request.company, days=days)


@router.post("/forecast/what-if", response=dict, summary="Et si… (phrase en français) comparé à la prévision")
@refusals
def forecast_what_if(request, payload: WhatIfIn):
    require(request.membership, "banking.view")
    from etabli.banking.services import run_what_if

    texts = payload.text if isinstance(payload.text, list) else [payload.text]
    return run_what_if(company=request.company, changes=texts, days=payload.days)


@router.get("/spending", response=dict, summary="Charges récurrentes et alertes de dépenses")
def spending(request):
    require(request.membership, "banking.view")
    run = selectors.latest_spending(request.company)
    if run is None or run.as_of != selectors.today():
        from etabli.banking.services import run_spending

        return run_spending(company=request.company) or {"recurring": [], "alerts": []}
    return run.result


@router.get("/settings", response=SettingsOut, summary="Seuil d'alerte, horizon, jours fériés")
def settings_get(request):
    require(request.membership, "banking.view")
    return selectors.settings_of(request.company)


@router.patch("/settings", response=SettingsOut, summary="Modifier le seuil d'alerte (dirigeant)")
@refusals
def settings_patch(request, payload: SettingsPatch):
    require(request.membership, "banking.admin")
    from etabli.banking.services import update_settings

    return update_settings(company=request.company, **payload.dict())
