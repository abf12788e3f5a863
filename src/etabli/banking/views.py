"""Banking pages under /banque/ (French paths): overview, statement import and CSV columns, imports and their
balance checks, lines (category, match), accounts, category rules, cash forecast with what-if, spending watch.

Views only parse input, call a service or selector and render; every refusal is a French message.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from etabli.banking import selectors, services
from etabli.banking.constants import category_label
from etabli.banking.errors import BankingError
from etabli.banking.forms import (
    AccountEditForm,
    AccountForm,
    CategoryForm,
    MappingForm,
    MatchForm,
    RuleForm,
    SettingsForm,
    StatementUploadForm,
    WhatIfForm,
    WhatIfTextForm,
)
from etabli.banking.models import (
    BankAccount,
    BankLine,
    CategoryRule,
    ImportStatus,
    LineStatus,
    StatementImport,
)
from etabli.common.formats import format_eur
from etabli.core.views.base import company_view, get_scoped_or_404, paginate, querystring_without_page


def _next(request: HttpRequest, default: str) -> str:
    """The « next » page asked by a form, only if it is a page of this site (no open redirect)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _refused(request: HttpRequest, exc: BankingError, form=None) -> None:
    messages.error(request, exc.message)
    if form is not None:
        for field, error in exc.field_errors.items():
            form.add_error(field if field in form.fields else None, error)


# --- Overview and import --------------------------------------------------------------------------------------------


@company_view("banking.view")
def overview(request: HttpRequest) -> HttpResponse:
    company = request.company
    run = selectors.latest_forecast(company)
    return render(request, "banking/overview.html", {
        "accounts": selectors.account_summaries(company),
        "counts": selectors.line_counts(company),
        "imports": selectors.imports(company)[:8],
        "pending_mappings": selectors.pending_mappings(company),
        "forecast": run.result if run else None,
        "upload_form": StatementUploadForm(company=company),
        "can_edit": request.membership.can("banking.edit"),
    })


@company_view("banking.edit")
def statement_upload(request: HttpRequest) -> HttpResponse:
    form = StatementUploadForm(request.POST or None, request.FILES or None, company=request.company)
    refused = False
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.import_file(company=request.company, data=upload.read(), filename=upload.name,
                                          account=form.cleaned_data["account"], confirm_csv_mapping=True,
                                          user=request.user)
        except BankingError as exc:
            _refused(request, exc, form)
            refused = True
        else:
            if report.status == ImportStatus.AWAITING_MAPPING:
                messages.info(request, report.mapping_message)
                return redirect("banking:import_mapping", pk=report.import_id)
            _report_messages(request, report)
            return redirect("banking:import_detail", pk=report.import_id)
    return render(request, "banking/upload.html", {"form": form}, status=400 if form.errors or refused else 200)


def _report_messages(request: HttpRequest, report) -> None:
    (messages.warning if report.has_gap else messages.success)(request, report.summary())
    for warning in report.warnings:
        messages.warning(request, warning)
    if report.reconciliation:
        rec = report.reconciliation
        messages.info(request, _(
            "Rapprochement : %(auto)s automatiquement, %(proposed)s proposition(s) à valider, %(cat)s catégorisée(s), "
            "%(todo)s à traiter.") % {"auto": rec["auto_matched"], "proposed": rec["proposed"],
                                       "cat": rec["categorised"], "todo": rec["unmatched"]})


@company_view("banking.edit", scoped_model=StatementImport)
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_scoped_or_404(StatementImport.objects.select_related("account"), request, pk)
    if row.status != ImportStatus.AWAITING_MAPPING:
        return redirect("banking:import_detail", pk=row.pk)
    mapping = row.csv_mapping or {}
    if request.method == "POST":
        probe = {key: request.POST.get(key) for key in ("delimiter", "encoding", "header_row")}
        try:
            probe["header_row"] = int(probe.get("header_row") or 0)
        except ValueError:
            probe["header_row"] = 0
        headers, rows = services.imports.preview_rows(row, probe)
        form = MappingForm(request.POST, headers=headers)
        if form.is_valid():
            if request.POST.get("preview"):
                mapping = form.mapping()
            else:
                try:
                    report = services.confirm_mapping(company=request.company, statement_import=row,
                                                      mapping=form.mapping(), user=request.user)
                except BankingError as exc:
                    _refused(request, exc)
                else:
                    _report_messages(request, report)
                    return redirect("banking:import_detail", pk=row.pk)
    else:
        headers, rows = services.imports.preview_rows(row, mapping)
        form = MappingForm(initial=MappingForm.initial_from(mapping), headers=headers)
    headers, rows = services.imports.preview_rows(row, form.mapping() if form.is_bound and form.is_valid() else mapping)
    return render(request, "banking/mapping.html", {"import": row, "form": form, "headers": headers, "rows": rows})


@company_view("banking.view")
def import_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.imports(request.company).prefetch_related("statements"), 30)
    return render(request, "banking/imports.html", {"page": page})


@company_view("banking.view", scoped_model=StatementImport)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_scoped_or_404(StatementImport.objects.select_related("account"), request, pk)
    lines = BankLine.objects.for_company(request.company).filter(statement__statement_import=row).select_related(
        "account").prefetch_related("matches").order_by("date", "id")
    return render(request, "banking/import_detail.html", {
        "import": row, "statements": row.statements.select_related("account"),
        "page": paginate(request, lines, 100),
    })


# --- Lines ----------------------------------------------------------------------------------------------------------


@company_view("banking.view")
def line_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("statut", "todo")
    if status not in (*LineStatus.values, "todo", ""):
        status = "todo"
    try:
        account_id = int(request.GET.get("compte") or 0) or None
    except ValueError:
        account_id = None
    search = request.GET.get("q", "").strip()
    qs = selectors.lines(request.company, status=status, account_id=account_id, search=search,
                         category=request.GET.get("categorie", "")).prefetch_related("matches")
    return render(request, "banking/lines.html", {
        "page": paginate(request, qs, 50), "status": status, "statuses": LineStatus.choices, "search": search,
        "accounts": selectors.accounts(request.company), "account_id": account_id,
        "counts": selectors.line_counts(request.company), "qs": querystring_without_page(request),
        "can_edit": request.membership.can("banking.edit"),
    })


@company_view("banking.edit")
@require_POST
def lines_confirm(request: HttpRequest) -> HttpResponse:
    """Confirm the categories the AI proposed for the ticked lines (they then teach the classifier)."""
    ids = [int(value) for value in request.POST.getlist("lines") if value.isdigit()]
    rows = BankLine.objects.for_company(request.company).filter(pk__in=ids, status=LineStatus.CATEGORISED)
    count = 0
    for row in rows:
        services.set_category(company=request.company, line=row, category=row.category, user=request.user,
                              membership=request.membership)
        count += 1
    messages.success(request, _("%(count)s catégorie(s) confirmée(s).") % {"count": count})
    return redirect(_next(request, reverse("banking:lines")))


@company_view("banking.view", scoped_model=BankLine)
def line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from etabli.banking.services.reconcile import pending_item

    line = get_scoped_or_404(BankLine.objects.select_related("account", "statement"), request, pk)
    item = pending_item(line)
    candidates = []
    if line.status != LineStatus.MATCHED and item is None:
        candidates = _live_candidates(request.company, line)
    category_form = CategoryForm(initial={"category": line.category, "pattern": services.reconcile.suggested_pattern(line)})
    return render(request, "banking/line_detail.html", {
        "line": line, "matches": selectors.matches_of(line), "item": item, "candidates": candidates,
        "category_form": category_form, "match_form": MatchForm(),
        "category_name": category_label(line.category) if line.category else "",
        "can_edit": request.membership.can("banking.edit"),
        "can_approve": request.membership.can("banking.approve") and request.membership.can("reviews.approve"),
    })


def _live_candidates(company, line: BankLine) -> list[dict]:
    """Candidates computed now for a line without a proposal (the owner can pick one)."""
    from etabli.banking.adapters import open_item, statement_line
    from etabli.banking.services.reconcile import _open_invoices, memory_for
    from etabli.engines.matching import Reconciler

    pending = selectors.proposed_allocations(company)
    items = [i for i in (open_item(v, already_proposed=pending.get(v.id, Decimal(0))) for v in _open_invoices(company)) if i]
    if not items:
        return []
    found = Reconciler(memory=memory_for(company)).candidates_for(statement_line(line), items)
    return [{"numbers": ", ".join(a.number for a in c.allocations), "partner": c.partner_name,
             "confidence": c.confidence, "reasons": c.reasons, "kind": c.kind} for c in found]


@company_view("banking.edit", scoped_model=BankLine)
@require_POST
def line_category(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_scoped_or_404(BankLine, request, pk)
    form = CategoryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une catégorie de la liste."))
        return redirect("banking:line_detail", pk=line.pk)
    try:
        services.set_category(company=request.company, line=line, category=form.cleaned_data["category"],
                              user=request.user, membership=request.membership,
                              create_rule=form.cleaned_data["create_rule"], pattern=form.cleaned_data["pattern"])
        messages.success(request, _("Catégorie enregistrée : %(label)s.") % {"label": category_label(form.cleaned_data["category"])})
    except BankingError as exc:
        messages.error(request, exc.message)
    return redirect(_next(request, reverse("banking:line_detail", args=[line.pk])))


@company_view("banking.approve", scoped_model=BankLine)
@require_POST
def line_match(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_scoped_or_404(BankLine, request, pk)
    form = MatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez le ou les numéros de facture."))
        return redirect("banking:line_detail", pk=line.pk)
    try:
        item = services.choose_match(company=request.company, line=line,
                                     numbers=form.cleaned_data["invoices"].split(","), user=request.user,
                                     membership=request.membership)
        messages.success(request, _("Rapprochement enregistré : %(title)s") % {"title": item.title})
    except BankingError as exc:
        messages.error(request, exc.message)
    return redirect("banking:line_detail", pk=line.pk)


@company_view("banking.edit")
@require_POST
def reconcile_now(request: HttpRequest) -> HttpResponse:
    outcome = services.reconcile_lines(company=request.company)
    messages.success(request, outcome.summary())
    return redirect(_next(request, reverse("banking:overview")))


# --- Accounts --------------------------------------------------------------------------------------------------------


@company_view("banking.view")
def account_list(request: HttpRequest) -> HttpResponse:
    form = AccountForm(request.POST or None)
    if request.method == "POST":
        if not request.membership.can("banking.edit"):
            messages.error(request, _("Votre rôle ne permet pas d'ajouter un compte."))
            return redirect("banking:accounts")
        if form.is_valid():
            try:
                account = services.create_account(company=request.company, **form.cleaned_data)
            except BankingError as exc:
                _refused(request, exc, form)
            else:
                messages.success(request, _("Compte ajouté : %(name)s (%(iban)s).") % {"name": account.name,
                                                                                         "iban": account.iban_display})
                return redirect("banking:accounts")
    return render(request, "banking/accounts.html", {"accounts": selectors.account_summaries(request.company),
                                                     "form": form, "can_edit": request.membership.can("banking.edit")},
                  status=400 if form.errors else 200)


@company_view("banking.view", scoped_model=BankAccount)
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_scoped_or_404(BankAccount, request, pk)
    initial = {"name": account.name, "bic": account.bic, "balance": account.balance,
               "balance_date": account.balance_date, "is_active": account.is_active}
    form = AccountEditForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not request.membership.can("banking.edit"):
            messages.error(request, _("Votre rôle ne permet pas de modifier un compte."))
            return redirect("banking:account_detail", pk=account.pk)
        if form.is_valid():
            try:
                services.update_account(account=account, **form.cleaned_data)
            except BankingError as exc:
                _refused(request, exc, form)
            else:
                messages.success(request, _("Compte enregistré."))
                return redirect("banking:account_detail", pk=account.pk)
    from etabli.banking.services.accounts import check_bic

    warning = ""
    if account.bic:
        try:
            warning = check_bic(account.bic, account.iban)[1]
        except BankingError as exc:
            warning = exc.message
    balance, known = selectors.balance_on(account, selectors.today())
    return render(request, "banking/account_detail.html", {
        "account": account, "form": form, "balance": balance, "balance_known": known, "bic_warning": warning,
        "can_edit": request.membership.can("banking.edit"), "can_export": request.membership.can("banking.export"),
    }, status=400 if form.errors else 200)


@company_view("banking.export", scoped_model=BankAccount)
def account_export(request: HttpRequest, pk: int) -> HttpResponse:
    from etabli.banking.services.export import account_cfonb120, lines_csv

    account = get_scoped_or_404(BankAccount, request, pk)
    kind = request.GET.get("format", "cfonb")
    if kind == "csv":
        lines = selectors.lines(request.company, account_id=account.pk).order_by("date", "id").prefetch_related("matches")
        body, name, content_type = lines_csv(lines), f"operations-{account.iban[-6:]}.csv", "text/csv; charset=utf-8"
    else:
        try:
            body = account_cfonb120(account)
        except ValueError as exc:
            messages.error(request, str(exc))
            return redirect("banking:account_detail", pk=account.pk)
        name, content_type = f"releve-{account.iban[-6:]}.cfonb", "text/plain; charset=iso-8859-1"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Rules ----------------------------------------------------------------------------------------------------------


@company_view("banking.view")
def rule_list(request: HttpRequest) -> HttpResponse:
    form = RuleForm(request.POST or None)
    if request.method == "POST":
        if not request.membership.can("banking.edit"):
            messages.error(request, _("Votre rôle ne permet pas de modifier les règles."))
            return redirect("banking:rules")
        if form.is_valid():
            try:
                services.add_rule(company=request.company, user=request.user, **form.cleaned_data)
            except BankingError as exc:
                _refused(request, exc, form)
            else:
                changed = services.recategorise(company=request.company)
                messages.success(request, _("Règle enregistrée ; %(n)s opération(s) reclassée(s).") % {"n": changed})
                return redirect("banking:rules")
    from etabli.banking.services.reconcile import categorizer_for

    learned = categorizer_for(request.company).learned_rules
    rules = [{"rule": r, "label": category_label(r.category)} for r in selectors.category_rules(request.company)]
    return render(request, "banking/rules.html", {
        "rules": rules, "form": form, "can_edit": request.membership.can("banking.edit"),
        "learned": [{"pattern": r.pattern, "label": category_label(r.category), "category": r.category,
                     "direction": r.direction, "support": r.support} for r in learned[:30]],
    }, status=400 if form.errors else 200)


@company_view("banking.edit", scoped_model=CategoryRule)
@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_scoped_or_404(CategoryRule, request, pk)
    services.delete_rule(rule=rule)
    changed = services.recategorise(company=request.company)
    messages.success(request, _("Règle supprimée ; %(n)s opération(s) reclassée(s).") % {"n": changed})
    return redirect("banking:rules")


# --- Forecast ---------------------------------------------------------------------------------------------------------


def _chart(series: list[dict], threshold: str, variant: list[dict] | None = None) -> dict:
    labels = [dt.date.fromisoformat(d["date"]).strftime("%d/%m") for d in series]

    def values(rows, key):
        return [float(row[key]) for row in rows]

    datasets = [
        {"label": "Optimiste", "data": values(series, "optimistic"), "borderColor": "rgba(26,127,55,.6)",
         "backgroundColor": "rgba(29,95,167,.15)", "pointRadius": 0, "borderWidth": 1, "fill": False},
        {"label": "Pessimiste", "data": values(series, "pessimistic"), "borderColor": "rgba(180,35,24,.6)",
         "backgroundColor": "rgba(29,95,167,.15)", "pointRadius": 0, "borderWidth": 1, "fill": "-1"},
        {"label": "Réaliste", "data": values(series, "realistic"), "borderColor": "#1d5fa7", "pointRadius": 0,
         "borderWidth": 2, "fill": False},
        {"label": "Seuil d'alerte", "data": [float(threshold)] * len(series), "borderColor": "#9a6700",
         "borderDash": [6, 4], "pointRadius": 0, "borderWidth": 1, "fill": False},
    ]
    if variant is not None:
        datasets = [d for d in datasets if d["label"] != "Seuil d'alerte"]
        datasets[2]["label"] = "Réaliste (prévision actuelle)"
        datasets[0]["label"], datasets[1]["label"] = "Optimiste (simulation)", "Pessimiste (simulation)"
        datasets[0]["data"], datasets[1]["data"] = values(variant, "optimistic"), values(variant, "pessimistic")
        datasets.append({"label": "Réaliste (simulation)", "data": values(variant, "realistic"), "borderColor": "#7b2cbf",
                         "pointRadius": 0, "borderWidth": 2, "fill": False})
    return {"labels": labels, "datasets": datasets}


def current_forecast(request: HttpRequest) -> tuple[dict | None, str]:
    """The stored forecast when still valid (same day, same data, same settings), else a fresh one."""
    company = request.company
    settings_row = selectors.settings_of(company)
    run = selectors.latest_forecast(company)
    fresh = (run is not None and run.as_of == selectors.today() and run.fingerprint == selectors.data_fingerprint(company)
             and run.horizon_days == settings_row.forecast_days and run.threshold == settings_row.cash_threshold)
    if fresh:
        return run.result, ""
    try:
        return services.run_forecast(company=company), ""
    except BankingError as exc:
        return None, exc.message


@company_view("banking.view")
def forecast(request: HttpRequest) -> HttpResponse:
    payload, error = current_forecast(request)
    return _render_forecast(request, payload, error)


def _render_forecast(request, payload, error="", whatif=None, text_form=None, form=None, status=200) -> HttpResponse:
    settings_row = selectors.settings_of(request.company)
    context = {
        "forecast": payload, "error": error, "whatif": whatif,
        "text_form": text_form or WhatIfTextForm(), "whatif_form": form or WhatIfForm(),
        "settings_form": SettingsForm(initial={"cash_threshold": settings_row.cash_threshold,
                                               "holiday_subdivision": settings_row.holiday_subdivision}),
        "can_admin": request.membership.can("banking.admin"),
    }
    if payload:
        context["chart"] = _chart(payload["series"], payload["threshold"])
        context["alerts_by_scenario"] = payload["alerts"]
        upcoming = [f for f in payload["flows"] if f["kind"] != "recurring"][:40]
        context["upcoming"] = upcoming
    if whatif:
        context["whatif_chart"] = _chart(whatif["baseline"], whatif["threshold"], whatif["variant"])
    return render(request, "banking/forecast.html", context, status=status)


@company_view("banking.view")
@require_POST
def forecast_what_if(request: HttpRequest) -> HttpResponse:
    payload, error = current_forecast(request)
    text_form, form = WhatIfTextForm(), WhatIfForm()
    changes = []
    if request.POST.get("mode") == "form":
        form = WhatIfForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                changes = [services.structured_change(
                    action=data["action"], label=data["label"], amount=data["amount"], day=data["day"],
                    target=data["label"], monthly=data["monthly"], until=data["until"], direction=int(data["direction"]))]
            except BankingError as exc:
                form.add_error(None, exc.message)
    else:
        text_form = WhatIfTextForm(request.POST)
        if text_form.is_valid():
            changes = [text_form.cleaned_data["text"]]
    whatif = None
    if changes:
        try:
            whatif = services.run_what_if(company=request.company, changes=changes)
        except BankingError as exc:
            (form if request.POST.get("mode") == "form" else text_form).add_error(None, exc.message)
    status = 200 if whatif else 400
    return _render_forecast(request, payload, error, whatif=whatif, text_form=text_form, form=form, status=status)


@company_view("banking.view")
@require_POST
def forecast_refresh(request: HttpRequest) -> HttpResponse:
    try:
        result = services.run_forecast(company=request.company)
        messages.success(request, _("Prévision recalculée : %(n)s alerte(s).") % {"n": len(result["alerts"])})
    except BankingError as exc:
        messages.error(request, exc.message)
    return redirect("banking:forecast")


@company_view("banking.admin")
@require_POST
def forecast_settings(request: HttpRequest) -> HttpResponse:
    form = SettingsForm(request.POST)
    if form.is_valid():
        try:
            services.update_settings(company=request.company, **form.cleaned_data)
            services.run_forecast(company=request.company)
            messages.success(request, _("Seuil d'alerte enregistré : %(v)s.") % {
                "v": format_eur(form.cleaned_data["cash_threshold"], 0)})
        except BankingError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Seuil invalide : indiquez un montant en euros (ex. 10 000)."))
    return redirect("banking:forecast")


# --- Spending ---------------------------------------------------------------------------------------------------------


@company_view("banking.view")
def spending(request: HttpRequest) -> HttpResponse:
    run = selectors.latest_spending(request.company)
    if run is None or run.as_of != selectors.today() or run.fingerprint != selectors.data_fingerprint(request.company):
        payload = services.run_spending(company=request.company)
    else:
        payload = run.result
    months = []
    today = selectors.today().replace(day=1)
    for back in range(11, -1, -1):
        month = today.month - back
        year = today.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        months.append(f"{year:04d}-{month:02d}")
    table = [{"label": category_label(row["category"]), "values": [row["months"].get(m) for m in months],
              "total": row["total"]} for row in selectors.monthly_categories(request.company)]
    recurring = (payload or {}).get("recurring", [])
    return render(request, "banking/spending.html", {
        "report": payload, "recurring": [r for r in recurring if Decimal(r["typical_amount"]) < 0],
        "income": [r for r in recurring if Decimal(r["typical_amount"]) > 0],
        "months": [dt.date.fromisoformat(m + "-01") for m in months], "table": table,
    })
