"""The review queue: "L'IA propose, vous décidez".

Modules call `propose()`; a person accepts (possibly after editing), rejects, or bulk-accepts; auto-mode
accepts above a confidence threshold when the owner enabled it for that kind. Accepting runs the handler
registered by the owning app inside a transaction: if it fails, nothing it wrote is kept and the item stays
pending with the French reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from etabli.core.models import AIDecision, AutoRule, Company, Membership, Override, ReviewItem, ReviewStatus
from etabli.core.permissions import PermissionDenied, membership_has_permission
from etabli.core.registry import EditField, ReviewHandler, get_review_handler
from etabli.core.services import ailog, ledger, webhooks


class ReviewError(Exception):
    """A French, user-facing reason why a proposal could not be decided."""

    def __init__(self, message: str, field_errors: dict[str, str] | None = None):
        self.message = message
        self.field_errors = field_errors or {}
        super().__init__(message)


class ReviewApplyError(ReviewError):
    """Raised by a handler's apply() to refuse a proposal (the transaction is rolled back)."""


@dataclass(frozen=True)
class BulkOutcome:
    item_id: int
    ok: bool
    message: str


def handler_for(kind: str) -> ReviewHandler:
    handler = get_review_handler(kind)
    if handler is None:
        raise ReviewError(f"Aucun module ne sait appliquer les propositions de type « {kind} ».")
    return handler


def review_payload(item: ReviewItem) -> dict:
    return {
        "id": item.pk,
        "kind": item.kind,
        "title": item.title,
        "status": item.status,
        "confidence": item.confidence,
        "reasons": item.reasons,
        "link_url": item.link_url,
    }


def propose(
    *,
    company: Company,
    kind: str,
    title: str,
    payload: dict,
    confidence: float | None = None,
    reasons: list[str] | tuple[str, ...] = (),
    summary: str = "",
    link_url: str = "",
    dedupe_key: str = "",
    ai_decision: AIDecision | None = None,
    due_at: dt.datetime | None = None,
) -> ReviewItem:
    """Put a proposal in the queue (or apply it at once if auto-mode covers it). Idempotent per dedupe_key."""
    handler = handler_for(kind)
    if confidence is not None and not 0.0 <= confidence <= 1.0:
        raise ReviewError("La confiance doit être comprise entre 0 et 1.")
    with transaction.atomic():
        if dedupe_key:
            existing = ReviewItem.objects.filter(
                company=company, dedupe_key=dedupe_key, status=ReviewStatus.PENDING
            ).first()
            if existing is not None:
                return existing
        try:
            with transaction.atomic():
                item = ReviewItem.objects.create(
                    company=company, kind=kind, title=title[:255], summary=summary, payload=payload,
                    confidence=confidence, reasons=list(reasons), link_url=link_url, dedupe_key=dedupe_key,
                    ai_decision=ai_decision, due_at=due_at,
                )
        except IntegrityError:
            # A concurrent pass proposed the same thing a moment ago.
            return ReviewItem.objects.get(company=company, dedupe_key=dedupe_key, status=ReviewStatus.PENDING)
        rule = AutoRule.objects.filter(company=company, kind=kind, enabled=True).first()
        if (
            handler.auto_allowed
            and rule is not None
            and confidence is not None
            and confidence >= rule.min_confidence
        ):
            try:
                _apply(item, handler, payload, user=None, status=ReviewStatus.AUTO_ACCEPTED)
            except ReviewApplyError as exc:
                # Auto-mode never forces: a proposal it cannot apply waits for a person.
                item.last_error = exc.message
                item.save(update_fields=["last_error"])
        if item.status == ReviewStatus.PENDING:
            webhooks.emit(company=company, event="review.created", data=review_payload(item))
    return item


def _check_can_decide(membership: Membership | None, item: ReviewItem, handler: ReviewHandler) -> None:
    if membership is None or membership.company_id != item.company_id:
        raise PermissionDenied("reviews.approve", "Cette proposition n'appartient pas à votre entreprise.")
    for permission in {"reviews.approve", handler.permission}:
        if not membership_has_permission(membership, permission):
            raise PermissionDenied(permission, "Votre rôle ne permet pas de valider ce type de proposition.")


def clean_edits(handler: ReviewHandler, payload: dict, edits: dict) -> dict:
    """Apply a person's edits to the payload, converting and checking each editable field."""
    fields = {f.name: f for f in handler.edit_fields}
    unknown = sorted(set(edits) - set(fields))
    if unknown:
        raise ReviewError(f"Ces champs ne sont pas modifiables : {', '.join(unknown)}.")
    merged = dict(payload)
    errors: dict[str, str] = {}
    for name, raw in edits.items():
        try:
            merged[name] = _convert(fields[name], raw)
        except ValueError as exc:
            errors[name] = str(exc)
    if errors:
        raise ReviewError("Certains champs modifiés ne sont pas valides.", field_errors=errors)
    return merged


def _convert(field: EditField, raw) -> object:
    text = "" if raw is None else str(raw).strip()
    if not text:
        if field.required:
            raise ValueError(f"« {field.label} » est obligatoire.")
        return None
    if field.kind == "decimal":
        try:
            return str(Decimal(text.replace("\u202f", "").replace(" ", "").replace(",", ".")))
        except InvalidOperation as exc:
            raise ValueError(f"« {field.label} » doit être un montant (ex. 1234,56).") from exc
    if field.kind == "integer":
        try:
            return int(text)
        except ValueError as exc:
            raise ValueError(f"« {field.label} » doit être un nombre entier.") from exc
    if field.kind == "date":
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                continue
        raise ValueError(f"« {field.label} » doit être une date (JJ/MM/AAAA).")
    if field.kind == "choice":
        allowed = {value for value, _ in field.choices}
        if text not in allowed:
            raise ValueError(f"« {field.label} » : valeur non proposée.")
    return text


def _apply(item: ReviewItem, handler: ReviewHandler, payload: dict, *, user, status: str) -> None:
    """Run the handler and record the decision, inside a savepoint: all or nothing."""
    with transaction.atomic():
        result = handler.apply(item, payload, user)
        item.status = status
        item.result = result or {}
        item.last_error = ""
        item.decided_by = user if getattr(user, "is_authenticated", False) else None
        item.decided_at = timezone.now()
        if status == ReviewStatus.EDITED:
            item.edited_payload = payload
        item.save()
        if item.ai_decision_id:
            override = {
                ReviewStatus.ACCEPTED: Override.ACCEPTED,
                ReviewStatus.EDITED: Override.EDITED,
                ReviewStatus.AUTO_ACCEPTED: Override.AUTO,
            }[status]
            ailog.record_override(decision=item.ai_decision, override=override, user=user)
        if handler.time_saved_action:
            ledger.record_time_saved(
                company=item.company,
                action_key=handler.time_saved_action,
                automated=status == ReviewStatus.AUTO_ACCEPTED,
                object_ref=f"review:{item.pk}",
                review_item=item,
            )
        webhooks.emit(company=item.company, event="review.decided", data=review_payload(item))


def accept(
    *, item: ReviewItem, user, membership: Membership | None, edits: dict | None = None
) -> ReviewItem:
    """Accept a proposal (with optional edits). Raises ReviewError with a French message when refused."""
    handler = handler_for(item.kind)
    _check_can_decide(membership, item, handler)
    error: ReviewError | None = None
    with transaction.atomic():
        locked = ReviewItem.objects.select_for_update(of=("self",)).select_related("company", "ai_decision").get(
            pk=item.pk, company_id=item.company_id
        )
        if locked.status != ReviewStatus.PENDING:
            raise ReviewError("Cette proposition a déjà été traitée.")
        payload = clean_edits(handler, locked.payload, edits) if edits else locked.payload
        edited = bool(edits) and payload != locked.payload
        try:
            _apply(locked, handler, payload, user=user, status=ReviewStatus.EDITED if edited else ReviewStatus.ACCEPTED)
        except ReviewApplyError as exc:
            locked.last_error = exc.message
            locked.save(update_fields=["last_error"])
            error = exc
    if error is not None:
        raise error
    return locked


def reject(*, item: ReviewItem, user, membership: Membership | None, reason: str = "") -> ReviewItem:
    handler = handler_for(item.kind)
    _check_can_decide(membership, item, handler)
    with transaction.atomic():
        locked = ReviewItem.objects.select_for_update(of=("self",)).select_related("company", "ai_decision").get(
            pk=item.pk, company_id=item.company_id
        )
        if locked.status != ReviewStatus.PENDING:
            raise ReviewError("Cette proposition a déjà été traitée.")
        if handler.on_reject is not None:
            handler.on_reject(locked, user)
        locked.status = ReviewStatus.REJECTED
        locked.reject_reason = reason[:2000]
        locked.decided_by = user if getattr(user, "is_authenticated", False) else None
        locked.decided_at = timezone.now()
        locked.save()
        if locked.ai_decision_id:
            ailog.record_override(decision=locked.ai_decision, override=Override.REJECTED, user=user, note=reason)
        webhooks.emit(company=locked.company, event="review.decided", data=review_payload(locked))
    return locked


def bulk_accept(
    *, company: Company, item_ids: list[int], user, membership: Membership | None
) -> list[BulkOutcome]:
    """Accept several proposals; each succeeds or fails on its own (one failure never blocks the others)."""
    outcomes: list[BulkOutcome] = []
    items = {i.pk: i for i in ReviewItem.objects.filter(company=company, pk__in=item_ids)}
    for item_id in item_ids:
        item = items.get(item_id)
        if item is None:
            outcomes.append(BulkOutcome(item_id, False, "Proposition introuvable."))
            continue
        try:
            accept(item=item, user=user, membership=membership)
            outcomes.append(BulkOutcome(item_id, True, "Acceptée."))
        except (ReviewError, PermissionDenied) as exc:
            outcomes.append(BulkOutcome(item_id, False, getattr(exc, "message", None) or str(exc)))
    return outcomes


def set_auto_rule(
    *, company: Company, kind: str, enabled: bool, min_confidence: float, user=None
) -> AutoRule:
    handler = handler_for(kind)
    if enabled and not handler.auto_allowed:
        raise ReviewError("Ce type de proposition doit toujours être validé par une personne.")
    if not 0.5 <= min_confidence <= 1.0:
        raise ReviewError("Le seuil de confiance doit être compris entre 50 % et 100 %.")
    rule, _ = AutoRule.objects.update_or_create(
        company=company,
        kind=kind,
        defaults={
            "enabled": enabled,
            "min_confidence": min_confidence,
            "updated_by": user if getattr(user, "is_authenticated", False) else None,
        },
    )
    return rule


def expire(*, item: ReviewItem, reason: str) -> bool:
    """The proposal no longer makes sense (the invoice was paid, the line was matched elsewhere): close it
    without applying it. Returns False when it was already decided (nothing to do)."""
    with transaction.atomic():
        locked = ReviewItem.objects.select_for_update(of=("self",)).get(pk=item.pk, company_id=item.company_id)
        if locked.status != ReviewStatus.PENDING:
            return False
        locked.status = ReviewStatus.EXPIRED
        locked.reject_reason = reason[:2000]
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "reject_reason", "decided_at"])
    return True


def expire_pending(*, company: Company, reason: str, kind: str | None = None, dedupe_prefix: str = "") -> int:
    """Expire every pending proposal of a company matching a kind and/or a dedupe-key prefix."""
    items = ReviewItem.objects.filter(company=company, status=ReviewStatus.PENDING)
    if kind:
        items = items.filter(kind=kind)
    if dedupe_prefix:
        items = items.filter(dedupe_key__startswith=dedupe_prefix)
    return sum(1 for item in items if expire(item=item, reason=reason))
