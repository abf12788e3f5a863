"""Pages of the core: Aujourd'hui, review queue, alerts, ROI, AI log, audit log, jobs, company switch."""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib import messages
from django.utils.translation import gettext as _
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from etabli.core import selectors
from etabli.core.context_processors import pending_reviews_count
from etabli.core.forms import AuditFilterForm, CostForm, RejectForm, SnoozeForm, edit_form_for
from etabli.core.middleware import SESSION_COMPANY_KEY
from etabli.core.models import AIDecision, Alert, AuditAction, AutoRule, Job, ReviewItem, ReviewStatus
from etabli.core.registry import get_review_handler, registry, use_case_label
from etabli.core.services import alerts as alert_service
from etabli.core.services import ledger, reviews
from etabli.core.views.base import company_view, get_scoped_or_404, paginate, querystring_without_page

logger = logging.getLogger(__name__)


@company_view("home.view")
def home(request: HttpRequest) -> HttpResponse:
    company = request.company
    today = timezone.localdate()
    roi = selectors.roi_summary(company=company, months=1, today=today)
    cards = []
    for _order, key, permission, build in registry.home_cards:
        if request.membership.can(permission):
            try:
                card = build(company)
            except Exception:  # one module's figure must never take the home page down
                logger.exception("Home card %s failed", key)
                continue
            if card is not None:
                cards.append(card)
    alerts = selectors.active_alerts(company=company)
    return render(
        request,
        "core/home.html",
        {
            "alerts": alerts[:10],
            "alerts_total": alerts.count(),
            "pending_reviews": selectors.pending_reviews(company=company)[:10],
            "pending_total": pending_reviews_count(request),
            "minutes_today": selectors.minutes_saved_on(company=company, day=today),
            "month_hours": roi.total_hours,
            "month_value": roi.total_value,
            "today": today,
            "cards": cards,
        },
    )


@login_required
@require_POST
def switch_company(request: HttpRequest) -> HttpResponse:
    """Make another of the user's companies active; a company they don't belong to is refused."""
    try:
        company_id = int(request.POST.get("company", ""))
    except ValueError:
        company_id = None
    membership = selectors.membership(request.user, company_id) if company_id else None
    if membership is None:
        messages.error(request, _("Vous n'avez pas accès à cette entreprise."))
    else:
        request.session[SESSION_COMPANY_KEY] = membership.company_id
        messages.success(request, _("Entreprise active : %(company)s.") % {"company": membership.company})
    return redirect("core:home")


# --- Review queue --------------------------------------------------------------------------------------------


@company_view("reviews.view")
def review_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("statut", ReviewStatus.PENDING)
    if status not in ReviewStatus.values and status != "tous":
        status = ReviewStatus.PENDING
    kind = request.GET.get("type", "")
    items = selectors.reviews(company=request.company, status=None if status == "tous" else status, kind=kind or None)
    page = paginate(request, items.select_related("decided_by"), 30)
    handlers = {k: h.label for k, h in registry.review_handlers.items()}
    return render(
        request,
        "core/reviews/list.html",
        {
            "page": page,
            "status": status,
            "kind": kind,
            "statuses": ReviewStatus.choices,
            "kinds": [(k, handlers.get(k, k)) for k in selectors.review_kinds(company=request.company)],
            "handler_labels": handlers,
            "qs": querystring_without_page(request),
            "can_approve": request.membership.can("reviews.approve"),
        },
    )


@company_view("reviews.view", scoped_model=ReviewItem)
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_scoped_or_404(ReviewItem.objects.select_related("ai_decision", "decided_by"), request, pk)
    handler = get_review_handler(item.kind)
    form = edit_form_for(handler, item.effective_payload) if handler and item.is_pending else None
    return render(
        request,
        "core/reviews/detail.html",
        {
            "item": item,
            "handler": handler,
            "form": form,
            "reject_form": RejectForm(),
            "can_approve": request.membership.can("reviews.approve")
            and (handler is None or request.membership.can(handler.permission)),
        },
    )


def _after_decision(request: HttpRequest, item: ReviewItem) -> HttpResponse:
    if request.htmx:
        return render(request, "core/reviews/_row.html", {"item": item, "can_approve": True,
                                                          "handler_labels": {item.kind: item.kind}})
    return redirect(request.POST.get("next") or "core:reviews")


@company_view("reviews.approve", scoped_model=ReviewItem)
@require_POST
def review_accept(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_scoped_or_404(ReviewItem, request, pk)
    handler = get_review_handler(item.kind)
    edits = None
    if request.POST.get("with_edits") and handler is not None:
        form = edit_form_for(handler, item.payload, data=request.POST)
        if not form.is_valid():
            return render(request, "core/reviews/detail.html",
                          {"item": item, "handler": handler, "form": form, "reject_form": RejectForm(),
                           "can_approve": True}, status=400)
        edits = {name: request.POST.get(name) for name in form.fields}
    try:
        item = reviews.accept(item=item, user=request.user, membership=request.membership, edits=edits)
        messages.success(request, _("Proposition acceptée : %(title)s") % {"title": item.title})
    except reviews.ReviewError as exc:
        messages.error(request, exc.message)
        if exc.field_errors and handler is not None:
            form = edit_form_for(handler, item.payload, data=request.POST)
            for field, error in exc.field_errors.items():
                form.add_error(field if field in form.fields else None, error)
            return render(request, "core/reviews/detail.html",
                          {"item": item, "handler": handler, "form": form, "reject_form": RejectForm(),
                           "can_approve": True}, status=400)
        item.refresh_from_db()
    return _after_decision(request, item)


@company_view("reviews.approve", scoped_model=ReviewItem)
@require_POST
def review_reject(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_scoped_or_404(ReviewItem, request, pk)
    form = RejectForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        item = reviews.reject(item=item, user=request.user, membership=request.membership, reason=reason)
        messages.success(request, _("Proposition refusée : %(title)s") % {"title": item.title})
    except reviews.ReviewError as exc:
        messages.error(request, exc.message)
    return _after_decision(request, item)


@company_view("reviews.approve")
@require_POST
def review_bulk_accept(request: HttpRequest) -> HttpResponse:
    ids = []
    for raw in request.POST.getlist("items"):
        try:
            ids.append(int(raw))
        except ValueError:
            continue
    if not ids:
        messages.error(request, _("Cochez au moins une proposition."))
        return redirect("core:reviews")
    outcomes = reviews.bulk_accept(company=request.company, item_ids=ids, user=request.user, membership=request.membership)
    accepted = sum(1 for o in outcomes if o.ok)
    if accepted:
        messages.success(request, _("%(count)s proposition(s) acceptée(s).") % {"count": accepted})
    for outcome in outcomes:
        if not outcome.ok:
            messages.error(request, _("Proposition n° %(id)s : %(message)s") % {"id": outcome.item_id, "message": outcome.message})
    return redirect("core:reviews")


@company_view("reviews.view")
def auto_rules(request: HttpRequest) -> HttpResponse:
    rules = {r.kind: r for r in AutoRule.objects.filter(company=request.company)}
    can_admin = request.membership.can("reviews.admin")
    if request.method == "POST":
        if not can_admin:
            messages.error(request, _("Seul le dirigeant peut activer le mode automatique."))
            return redirect("core:auto_rules")
        kind = request.POST.get("kind", "")
        try:
            threshold = float(request.POST.get("min_confidence", "95").replace(",", ".")) / 100
            reviews.set_auto_rule(
                company=request.company, kind=kind, enabled=request.POST.get("enabled") == "on",
                min_confidence=threshold, user=request.user,
            )
            messages.success(request, _("Règle enregistrée."))
        except ValueError:
            messages.error(request, _("Le seuil doit être un pourcentage (ex. 95)."))
        except reviews.ReviewError as exc:
            messages.error(request, exc.message)
        return redirect("core:auto_rules")
    handlers = sorted(registry.review_handlers.values(), key=lambda h: h.label)
    rows = [{"handler": h, "rule": rules.get(h.kind)} for h in handlers]
    return render(request, "core/reviews/rules.html", {"rows": rows, "can_admin": can_admin})


# --- Alerts ------------------------------------------------------------------------------------------------------


@company_view("alerts.view")
def alert_list(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("toutes") == "1"
    items = selectors.alerts(company=request.company, include_closed=show_all) if show_all else selectors.active_alerts(company=request.company)
    snoozed = selectors.alerts(company=request.company).filter(snoozed_until__gt=timezone.now())
    page = paginate(request, items, 50)  # a busy company accumulates hundreds: one page at a time
    return render(request, "core/alerts.html", {"alerts": page.object_list, "page": page,
                                                "qs": querystring_without_page(request), "show_all": show_all,
                                                "snoozed": snoozed, "snooze_form": SnoozeForm()})


@company_view("alerts.edit", scoped_model=Alert)
@require_POST
def alert_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_scoped_or_404(Alert, request, pk)
    alert_service.dismiss(alert=alert, user=request.user)
    if request.htmx:
        return HttpResponse("")
    messages.success(request, _("Alerte ignorée."))
    return redirect(request.POST.get("next") or "core:alerts")


@company_view("alerts.edit", scoped_model=Alert)
@require_POST
def alert_snooze(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_scoped_or_404(Alert, request, pk)
    form = SnoozeForm(request.POST)
    if form.is_valid():
        until = timezone.now() + dt.timedelta(days=form.cleaned_data["days"])
        alert_service.snooze(alert=alert, until=until)
        messages.success(request, _("Alerte reportée de %(days)s jour(s).") % {"days": form.cleaned_data["days"]})
        if request.htmx:
            return HttpResponse("")
    else:
        messages.error(request, _("Durée de report invalide."))
    return redirect(request.POST.get("next") or "core:alerts")


# --- ROI ------------------------------------------------------------------------------------------------------------


@company_view("roi.view")
def roi(request: HttpRequest) -> HttpResponse:
    try:
        months = max(1, min(24, int(request.GET.get("mois", "12"))))
    except ValueError:
        months = 12
    summary = selectors.roi_summary(company=request.company, months=months)
    use_cases = sorted({uc for m in summary.by_month.values() for uc in m})
    chart = {
        "labels": [m.strftime("%m/%Y") for m in summary.months],
        "datasets": [
            {"label": use_case_label(uc), "data": [float(summary.by_month.get(m, {}).get(uc, 0)) for m in summary.months]}
            for uc in use_cases
        ],
    }
    actions = [
        {"action": a, "minutes": ledger.minutes_for(request.company, a.key)}
        for a in sorted(registry.time_saved_actions.values(), key=lambda a: a.label)
    ]
    return render(
        request,
        "core/roi.html",
        {"summary": summary, "months": months, "chart": chart, "actions": actions,
         "cost_form": CostForm(), "can_edit": request.membership.can("roi.edit"),
         "use_cases": sorted(registry.use_cases.items(), key=lambda kv: kv[1])},
    )


@company_view("roi.edit")
@require_POST
def roi_settings(request: HttpRequest) -> HttpResponse:
    from etabli.core.services import roi as roi_service

    form = CostForm(request.POST)
    if form.is_valid():
        try:
            roi_service.set_costs_and_minutes(company=request.company, data=form.cleaned_data, raw=request.POST)
            messages.success(request, _("Paramètres du ROI enregistrés."))
        except ValueError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Valeurs invalides : utilisez des nombres positifs."))
    return redirect("core:roi")


# --- AI log, audit log, jobs ------------------------------------------------------------------------------------


@company_view("ailog.view")
def ailog(request: HttpRequest) -> HttpResponse:
    use_case = request.GET.get("cas", "")
    decisions = selectors.ai_decisions(company=request.company, use_case=use_case)
    return render(request, "core/ailog/list.html", {
        "page": paginate(request, decisions, 50), "use_case": use_case,
        # Labels are lazy translations: translate each once, not at every comparison of the sort.
        "use_cases": sorted(((key, str(label)) for key, label in registry.use_cases.items()), key=lambda kv: kv[1]),
        "qs": querystring_without_page(request),
    })


@company_view("ailog.view", scoped_model=AIDecision)
def ailog_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_scoped_or_404(AIDecision.objects.select_related("overridden_by"), request, pk)
    return render(request, "core/ailog/detail.html", {"decision": decision})


@company_view("audit.view")
def audit(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, company=request.company)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entries(
        company=request.company,
        actor_id=int(filters["actor"]) if filters.get("actor") else None,
        action=filters.get("action", ""),
        model=filters.get("model", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        query=filters.get("q", ""),
    )
    return render(request, "core/audit.html", {"form": form, "page": paginate(request, entries, 50),
                                               "qs": querystring_without_page(request), "actions": AuditAction})


@company_view("home.view", scoped_model=Job)
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_scoped_or_404(Job, request, pk)
    template = "core/jobs/_progress.html" if request.htmx else "core/jobs/detail.html"
    return render(request, template, {"job": job})
