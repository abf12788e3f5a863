"""Shared by the ``etabli writing …`` commands: French errors, the JSON document, the human summary."""

from __future__ import annotations

from django.core.management.base import CommandError

from etabli.engines.writing import WritingError
from etabli.writing.models import Batch
from etabli.writing.payloads import batch_payload


def run_request(make) -> Batch:
    """Call a service that creates and runs a request; bad input and failures become « Erreur : … »."""
    try:
        batch = make()
    except WritingError as exc:
        raise CommandError(str(exc)) from exc
    batch.refresh_from_db()
    if batch.status == "failed":
        raise CommandError(batch.error or "La rédaction a échoué.")
    return batch


def document(batch: Batch, company) -> dict:
    payload = batch_payload(batch)
    drafts = payload.pop("drafts")
    result = payload.get("result") or {}
    return {
        "company": company.slug,
        "request": payload,
        "provider": batch.provider,
        "model": batch.model,
        "generated_by_ai": any(d["generated_by_ai"] for d in drafts),
        "fallback_reasons": result.get("fallback_reasons", []),
        "budget": result.get("budget_message"),
        "drafts": drafts,
    }


def human(batch: Batch, drafts: list[dict]) -> str:
    lines = [f"{batch.title} — {len(drafts)} brouillon(s), demande n° {batch.pk}"]
    for reason in (batch.result or {}).get("fallback_reasons", []):
        lines.append(f"  Note : {reason}")
    for draft in drafts:
        slot = f" ({draft['suggested_slot']})" if draft.get("suggested_slot") else ""
        lines += ["", f"[{draft['label']}] {draft['title']}{slot}", draft["text"]]
        if draft["flagged"]:
            lines.append("  ⚠ Brouillon de l'IA écarté : " + " ; ".join(draft["grounding_warnings"]))
        for warning in draft["warnings"]:
            lines.append(f"  • {warning}")
    return "\n".join(lines)
