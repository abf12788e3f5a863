"""Core endpoints of the API: who am I, review queue, alerts, AI log, time saved/ROI, audit, jobs, webhooks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from etabli.core import selectors
from etabli.core.models import AIDecision, Alert, Job, ReviewItem, WebhookEndpoint
from etabli.core.permissions import require
from etabli.core.registry import registry
from etabli.core.services import alerts as alert_service
from etabli.core.services import companies, reviews, webhooks

router = Router(tags=["core"])


def scoped(model, request, pk: int):
    """A row of the token's company, or 404 (same answer whether it exists elsewhere or not)."""
    return get_object_or_404(model, pk=pk, company_id=request.company.pk)


class ApiErrorDetail(Schema):
    code: str
    message: str


class ApiErrorOut(Schema):
    error: ApiErrorDetail


class MeOut(Schema):
    email: str
    name: str
    company: str
    company_slug: str
    role: str
    permissions: list[str]


@router.get("/me", response=MeOut, summary="Utilisateur et entreprise du jeton")
def me(request):
    membership = request.membership
    permissions = [
        f"{spec.key}.{action}"
        for spec in registry.modules.values()
        for action in spec.actions
        if membership.can(f"{spec.key}.{action}")
    ]
    return {
        "email": request.user.email,
        "name": request.user.display_name,
        "company": str(request.company),
        "company_slug": request.company.slug,
        "role": membership.role,
        "permissions": sorted(permissions),
    }


class CompanyOut(Schema):
    slug: str
    legal_name: str
    trade_name: str
    siren: str
    siret: str
    vat_number: str
    naf_code: str
    address_line1: str
    postal_code: str
    city: str
    vat_regime: str
    hourly_cost: Decimal
    require_2fa: bool


class CompanyPatch(Schema):
    legal_name: str | None = None
    trade_name: str | None = None
    siren: str | None = None
    siret: str | None = None
    vat_number: str | None = None
    naf_code: str | None = None
    address_line1: str | None = None
    postal_code: str | None = None
    city: str | None = None
    hourly_cost: Decimal | None = None


@router.get("/company", response=CompanyOut, summary="Fiche de l'entreprise")
def company_detail(request):
    require(request.membership, "settings.view")
    return request.company


@router.patch("/company", response={200: CompanyOut, 400: ApiErrorOut}, summary="Modifier la fiche")
def company_update(request, payload: CompanyPatch):
    require(request.membership, "settings.admin")
    from django.core.exceptions import ValidationError as DjangoValidationError

    from etabli.api import ApiError

    fields = payload.dict(exclude_none=True)
    try:
        return companies.update_company(company=request.company, **fields)
    except DjangoValidationError as exc:
        request.company.refresh_from_db()
        raise ApiError(400, "invalid_company", "Fiche entreprise invalide.", exc.message_dict) from exc


class ReviewOut(Schema):
    id: int
    kind: str
    title: str
    summary: str
    status: str
    confidence: float | None
    reasons: list
    payload: dict
    link_url: str
    created_at: dt.datetime
    decided_at: dt.datetime | None
    last_error: str


class AcceptIn(Schema):
    edits: dict | None = None


class RejectIn(Schema):
    reason: str = ""


class BulkIn(Schema):
    ids: list[int]


class BulkOut(Schema):
    item_id: int
    ok: bool
    message: str


@router.get("/reviews", response=list[ReviewOut], summary="Propositions à valider")
@paginate(PageNumberPagination, page_size=50)
def review_list(request, status: str = "pending", kind: str = ""):
    require(request.membership, "reviews.view")
    return selectors.reviews(company=request.company, status=status or None, kind=kind or None)


@router.get("/reviews/{int:review_id}", response=ReviewOut)
def review_get(request, review_id: int):
    require(request.membership, "reviews.view")
    return scoped(ReviewItem, request, review_id)


def _decide(request, fn, **kwargs):
    from etabli.api import ApiError

    try:
        return fn(user=request.user, membership=request.membership, **kwargs)
    except reviews.ReviewError as exc:
        raise ApiError(409 if not exc.field_errors else 400, "review_refused", exc.message, exc.field_errors or None) from exc


@router.post("/reviews/{int:review_id}/accept", response={200: ReviewOut, 400: ApiErrorOut, 409: ApiErrorOut})
def review_accept(request, review_id: int, payload: AcceptIn):
    item = scoped(ReviewItem, request, review_id)
    return _decide(request, reviews.accept, item=item, edits=payload.edits)


@router.post("/reviews/{int:review_id}/reject", response={200: ReviewOut, 409: ApiErrorOut})
def review_reject(request, review_id: int, payload: RejectIn):
    item = scoped(ReviewItem, request, review_id)
    return _decide(request, reviews.reject, item=item, reason=payload.reason)


@router.post("/reviews/bulk-accept", response=list[BulkOut])
def review_bulk_accept(request, payload: BulkIn):
    require(request.membership, "reviews.approve")
    outcomes = reviews.bulk_accept(company=request.company, item_ids=payload.ids, user=request.user,
                                   membership=request.membership)
    return [o.__dict__ for o in outcomes]


class AlertOut(Schema):
    id: int
    source: str
    code: str
    severity: str
    message: str
    detail: str
    due_date: dt.date | None
    link_url: str
    created_at: dt.datetime
    snoozed_until: dt.datetime | None


@router.get("/alerts", response=list[AlertOut], summary="Alertes actives")
@paginate(PageNumberPagination, page_size=50)
def alert_list(request):
    require(request.membership, "alerts.view")
    return selectors.active_alerts(company=request.company)


@router.post("/alerts/{int:alert_id}/dismiss", response=AlertOut)
def alert_dismiss(request, alert_id: int):
    require(request.membership, "alerts.edit")
    return alert_service.dismiss(alert=scoped(Alert, request, alert_id), user=request.user)


class DecisionOut(Schema):
    id: int
    use_case: str
    engine: str
    engine_version: str
    input_digest: str
    output: dict
    confidence: float | None
    explanation: list
    generated_text: bool
    override: str
    created_at: dt.datetime


@router.get("/ai-decisions", response=list[DecisionOut], summary="Journal des décisions IA")
@paginate(PageNumberPagination, page_size=50)
def decision_list(request, use_case: str = ""):
    require(request.membership, "ailog.view")
    return selectors.ai_decisions(company=request.company, use_case=use_case)


@router.get("/ai-decisions/{int:decision_id}", response=DecisionOut)
def decision_get(request, decision_id: int):
    require(request.membership, "ailog.view")
    return scoped(AIDecision, request, decision_id)


class RoiRowOut(Schema):
    use_case: str
    label: str
    hours: Decimal
    value: Decimal
    cost: Decimal
    occurrences: int
    roi_percent: Decimal | None
    verdict: str


class RoiOut(Schema):
    months: int
    hourly_cost: Decimal
    total_hours: Decimal
    total_value: Decimal
    total_cost: Decimal
    rows: list[RoiRowOut]


@router.get("/roi", response=RoiOut, summary="Temps gagné et ROI par cas d'usage")
def roi(request, months: int = 12):
    require(request.membership, "roi.view")
    months = max(1, min(24, months))
    summary = selectors.roi_summary(company=request.company, months=months)
    return {
        "months": months,
        "hourly_cost": request.company.hourly_cost,
        "total_hours": summary.total_hours,
        "total_value": summary.total_value,
        "total_cost": summary.total_cost,
        "rows": [
            {**r.__dict__, "roi_percent": r.roi_percent} for r in summary.rows
        ],
    }


class AuditOut(Schema):
    id: int
    actor_label: str
    channel: str
    action: str
    model: str
    object_id: str
    object_repr: str
    changes: dict
    created_at: dt.datetime


@router.get("/audit", response=list[AuditOut], summary="Journal d'audit (dirigeant)")
@paginate(PageNumberPagination, page_size=100)
def audit_list(request, action: str = "", model: str = ""):
    require(request.membership, "audit.view")
    return selectors.audit_entries(company=request.company, action=action, model=model)


class JobOut(Schema):
    id: int
    kind: str
    label: str
    status: str
    progress: int
    total: int
    percent: int
    message: str
    result: dict | None
    error: str


@router.get("/jobs/{int:job_id}", response=JobOut, summary="Avancement d'une tâche")
def job_get(request, job_id: int):
    return scoped(Job, request, job_id)


class WebhookIn(Schema):
    url: str
    events: list[str] = []


class WebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    is_active: bool
    created_at: dt.datetime


class WebhookCreatedOut(WebhookOut):
    secret: str


@router.get("/webhooks", response=list[WebhookOut])
def webhook_list(request):
    require(request.membership, "api.admin")
    return WebhookEndpoint.objects.filter(company=request.company)


@router.post("/webhooks", response={201: WebhookCreatedOut, 400: ApiErrorOut},
             summary="Ajouter un webhook (le secret n'est renvoyé qu'à la création)")
def webhook_create(request, payload: WebhookIn):
    require(request.membership, "api.admin")
    from etabli.api import ApiError

    try:
        endpoint = webhooks.create_endpoint(company=request.company, url=payload.url, events=payload.events)
    except webhooks.WebhookError as exc:
        raise ApiError(400, "invalid_webhook", str(exc)) from exc
    return Status(201, endpoint)


@router.delete("/webhooks/{int:webhook_id}", response={204: None})
def webhook_delete(request, webhook_id: int):
    require(request.membership, "api.admin")
    scoped(WebhookEndpoint, request, webhook_id).delete()
    return Status(204, None)


class EventOut(Schema):
    name: str
    description: str


@router.get("/webhook-events", response=list[EventOut], summary="Événements disponibles")
def webhook_events(request):
    return [{"name": e.name, "description": e.description} for e in registry.webhook_events.values()]


__all__ = ["router", "Http404"]
