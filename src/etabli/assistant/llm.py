"""The language model, when the company has one: through the platform's `engine_for(company)` (provider,
budget, decision log, template fallback), or from the ETABLI_LLM_* variables on an older platform.

Why optional and off by default: the assistant's answers are the company's own words; a model may only
rephrase them (see answering.phrase_with_llm), and only when the owner enabled it in the settings.
"""

from __future__ import annotations

import os

from etabli.assistant.constants import USE_CASE_CUSTOMERS
from etabli.assistant.retrieval import profile_for


def _platform_engine(company):
    try:
        from etabli.core.services.llm import engine_for as platform_engine_for
    except ImportError:
        return None
    return platform_engine_for(company, use_case=USE_CASE_CUSTOMERS)


def _env_engine(company):
    from etabli.core.services import ailog
    from etabli.engines.llm import LLMEngine, LLMError, build_provider, config_from_env

    try:
        provider = build_provider(config_from_env(os.environ))
    except LLMError:
        return None

    def on_call(record) -> None:
        ailog.log_decision(
            company=company, use_case=USE_CASE_CUSTOMERS, engine=f"llm:{record.provider}",
            engine_version=record.model or "", input_data=record.prompt_digest,
            input_summary=f"{record.feature} — {record.prompt_tokens} jetons envoyés",
            output={"ok": record.ok, "error": record.error, "used_template": record.used_template},
            explanation=[record.error] if record.error else [], generated_text=not record.used_template and record.ok,
            latency_ms=int(record.latency_ms),
        )

    return LLMEngine(provider, on_call=on_call)


def engine_for(company):
    """The engine to rephrase answers with, or None (no model, or rephrasing not enabled by the owner)."""
    if not profile_for(company).llm_phrasing:
        return None
    engine = _platform_engine(company) or _env_engine(company)
    if engine is None or engine.uses_template_only:
        return None
    return engine


def llm_status(company) -> dict:
    """For the settings page: is a model configured, and is rephrasing on."""
    engine = _platform_engine(company) or _env_engine(company)
    configured = engine is not None and not engine.uses_template_only
    return {
        "configured": configured,
        "provider": getattr(engine.provider, "name", "") if configured else "",
        "model": getattr(engine.provider, "model", "") if configured else "",
        "enabled": profile_for(company).llm_phrasing,
    }
