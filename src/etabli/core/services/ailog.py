"""Log every AI decision: engine, version, input digest, output, confidence, explanation, human override."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from etabli.core.models import AIDecision, Company, Override
from etabli.core.services.audit import json_value


def input_digest(value: Any) -> str:
    """SHA-256 of the canonical JSON of an engine input: proves what was decided on without storing it."""
    if isinstance(value, bytes):
        data = value
    else:
        data = json.dumps(value, sort_keys=True, default=json_value, ensure_ascii=False).encode()
    return hashlib.sha256(data).hexdigest()


def log_decision(
    *,
    company: Company,
    use_case: str,
    engine: str,
    engine_version: str = "",
    input_data: Any = None,
    input_summary: str = "",
    output: Any = None,
    confidence: float | None = None,
    explanation: list[str] | str | None = None,
    generated_text: bool = False,
    latency_ms: int | None = None,
    override: str = Override.NONE,
) -> AIDecision:
    if isinstance(explanation, str):
        explanation = [explanation]
    if confidence is not None and not 0.0 <= float(confidence) <= 1.0:
        raise ValueError("La confiance doit être comprise entre 0 et 1.")
    return AIDecision.objects.create(
        company=company,
        use_case=use_case,
        engine=engine,
        engine_version=engine_version,
        input_digest=input_digest(input_data),
        input_summary=input_summary[:500],
        output=json.loads(json.dumps(output if output is not None else {}, default=json_value)),
        confidence=confidence,
        explanation=list(explanation or []),
        generated_text=generated_text,
        latency_ms=latency_ms,
        override=override,
    )


@transaction.atomic
def record_override(*, decision: AIDecision, override: str, user=None, note: str = "") -> AIDecision:
    """What a person (or auto-mode) did with the decision: accepted, edited, rejected, applied automatically."""
    decision.override = override
    decision.overridden_by = user if getattr(user, "is_authenticated", False) else None
    decision.overridden_at = timezone.now()
    decision.override_note = note[:2000]
    decision.save(update_fields=["override", "overridden_by", "overridden_at", "override_note"])
    return decision
