"""The JSON shape of requests and drafts, shared by the API and the CLI's ``--json`` output."""

from __future__ import annotations

from typing import Any

from etabli.writing import selectors
from etabli.writing.models import Batch, Draft


def draft_payload(draft: Draft) -> dict[str, Any]:
    meta = draft.metadata or {}
    payload: dict[str, Any] = {
        "id": draft.pk,
        "feature": draft.feature,
        "title": draft.title,
        "text": draft.current_text,
        "generated_text": draft.text,
        "edited": draft.is_edited,
        "status": draft.status,
        "label": draft.display_label,
        "generated_by_ai": draft.generated_by_ai,
        "provider": draft.provider,
        "model": draft.model,
        "warnings": list(draft.warnings or []),
        "fallback_reason": draft.fallback_reason or None,
        "flagged": draft.flagged,
        "grounding_warnings": list(draft.grounding_warnings or []),
        "rejected_model_text": draft.rejected_text or None,
        "approved_by": draft.approved_by.display_name if draft.approved_by_id else None,
        "approved_at": draft.approved_at.isoformat() if draft.approved_at else None,
        "rejection_reason": draft.rejection_reason or None,
        "ai_decision_id": draft.decision_id,
        "provenance": draft.provenance(),
        "metadata": meta,
    }
    if draft.feature == "post":
        payload.update({
            "theme": meta.get("theme"), "network": meta.get("network"), "hashtags": meta.get("hashtags", []),
            "suggested_slot": meta.get("suggested_slot"), "suggested_at": meta.get("suggested_at"),
            "length": len(draft.current_text), "limit": meta.get("limit"),
        })
    return payload


def batch_payload(batch: Batch, *, with_drafts: bool = True) -> dict[str, Any]:
    job = batch.job
    payload: dict[str, Any] = {
        "id": batch.pk,
        "feature": batch.feature,
        "title": batch.title,
        "status": batch.status,
        "error": batch.error or None,
        "provider": batch.provider or None,
        "model": batch.model or None,
        "inputs": batch.inputs,
        "result": batch.result,
        "job": {"id": job.pk, "status": job.status, "progress": job.progress, "total": job.total,
                "percent": job.percent, "message": job.message} if job is not None else None,
        "created_at": batch.created_at.isoformat() if batch.created_at else None,
    }
    if with_drafts:
        payload["drafts"] = [draft_payload(d) for d in selectors.batch_drafts(batch=batch)]
    return payload
