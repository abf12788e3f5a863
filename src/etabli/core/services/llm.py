"""One way for every module to get a language model: `engine_for(company)`.

It builds the provider from the company's settings (or the server's ETABLI_LLM_* variables), wraps it in the
engine with the company's monthly budget (persisted), logs every call in the AI decision log, and falls back
to the template path when nothing is configured, the model is down or the budget is spent. No network call is
made unless a provider is configured, and a provider outside this machine is used only once the owner has
acknowledged it (data leaving the machine is the owner's decision, never a default).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from etabli.core.models import Company, LLMSettings, LLMUsage, ProviderChoice
from etabli.core.services import ailog
from etabli.engines.llm import (
    BudgetLimit,
    CallRecord,
    LLMEngine,
    Pricing,
    ProviderConfig,
    Spend,
    TemplateProvider,
    LLMError,
    Voice,
    build_provider,
    budget_status,
    config_from_env,
)

REMOTE_NOT_ACKNOWLEDGED = (
    "Le modèle configuré est hors de cette machine et le dirigeant n'a pas confirmé l'envoi des données : "
    "les textes sont produits par les modèles de texte."
)

_providers: dict[tuple, object] = {}
_providers_lock = threading.Lock()


def settings_for(company: Company) -> LLMSettings:
    settings, _ = LLMSettings.objects.get_or_create(company=company)
    return settings


def provider_config(company: Company, settings: LLMSettings | None = None) -> ProviderConfig:
    """The provider configuration that applies to this company (its own, or the server's)."""
    settings = settings or settings_for(company)
    server = config_from_env(os.environ)  # timeouts, retries and context size apply to every provider
    if settings.provider == ProviderChoice.SERVER:
        return server
    if settings.provider == ProviderChoice.OPENAI:
        return ProviderConfig(kind="openai-compatible", url=settings.url or None, model=settings.model,
                              api_key=settings.api_key or None, timeout=server.timeout, retries=server.retries)
    if settings.provider == ProviderChoice.GGUF:
        return ProviderConfig(kind="llama.cpp", gguf_path=settings.gguf_path or None, model=settings.model,
                              timeout=server.timeout, retries=server.retries, n_ctx=server.n_ctx)
    return ProviderConfig(kind="template")


def blocked_reason(company: Company, config: ProviderConfig, settings: LLMSettings | None = None) -> str | None:
    """Why a configured provider must not be used for this company, if it must not."""
    settings = settings or settings_for(company)
    if not config.is_local and not settings.remote_acknowledged:
        return REMOTE_NOT_ACKNOWLEDGED
    return None


def _provider(config: ProviderConfig):
    """Providers are kept per configuration: an in-process model loads once per process."""
    key = (config.kind, config.url, config.model, config.api_key, config.gguf_path, config.n_ctx, config.timeout,
           config.retries)
    with _providers_lock:
        provider = _providers.get(key)
        if provider is None:
            provider = build_provider(config)
            _providers[key] = provider
        return provider


def _month(today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()).replace(day=1)


class CompanyBudget:
    """The engine's Budget protocol, persisted per company and month in LLMUsage."""

    def __init__(self, company: Company, settings: LLMSettings):
        self.company = company
        self.limit = BudgetLimit(tokens=settings.monthly_token_limit, cost=settings.monthly_cost_limit)
        self.warn_ratio = settings.warn_ratio

    def spent_this_month(self) -> Spend:
        usage = LLMUsage.objects.filter(company=self.company, month=_month()).first()
        return Spend(usage.tokens, usage.cost) if usage else Spend()

    def record(self, tokens: int, cost: Decimal) -> None:
        with transaction.atomic():
            usage, _ = LLMUsage.objects.get_or_create(company=self.company, month=_month())
            LLMUsage.objects.filter(pk=usage.pk).update(
                tokens=F("tokens") + int(tokens), cost=F("cost") + Decimal(cost), calls=F("calls") + 1
            )


def _logger(company: Company, use_case: str):
    def on_call(record: CallRecord) -> None:
        ailog.log_decision(
            company=company,
            use_case=use_case,
            engine=f"llm:{record.provider}",
            engine_version=record.model or "",
            input_data=record.prompt_digest,
            input_summary=f"{record.feature} — {record.prompt_tokens} jetons envoyés",
            output={"feature": record.feature, "kind": record.kind, "ok": record.ok, "error": record.error,
                    "prompt_tokens": record.prompt_tokens, "completion_tokens": record.completion_tokens,
                    "cost": str(record.cost), "used_template": record.used_template,
                    "budget_warning": record.budget_warning},
            explanation=[record.error] if record.error else [],
            generated_text=not record.used_template and record.ok,
            latency_ms=int(record.latency_ms),
        )

    return on_call


def engine_for(company: Company, *, use_case: str = "llm") -> LLMEngine:
    """The language-model engine for this company: its provider, budget, logging and template fallback."""
    settings = settings_for(company)
    config = provider_config(company, settings)
    provider = TemplateProvider()
    if not blocked_reason(company, config, settings):
        try:
            provider = _provider(config)
        except LLMError:  # misconfigured (no URL, no GGUF file): the feature still works from templates
            provider = TemplateProvider()
    return LLMEngine(
        provider,
        budget=CompanyBudget(company, settings),
        on_call=_logger(company, use_case),
        pricing=Pricing(settings.input_price_per_million, settings.output_price_per_million),
    )


def voice_for(company: Company) -> Voice:
    settings = settings_for(company)
    words = tuple(w.strip() for w in settings.words_to_avoid.splitlines() if w.strip())
    return Voice(tone=settings.tone or "professionnel", address=settings.address, words_to_avoid=words,
                 signature=settings.signature, company=str(company))


def status(company: Company) -> dict:
    """What the settings page shows: provider, where data goes, health, budget."""
    settings = settings_for(company)
    config = provider_config(company, settings)
    budget = CompanyBudget(company, settings)
    try:
        build_provider(config)
        config_error = None
    except LLMError as exc:
        config_error = str(exc)
    return {
        "config": config,
        "config_error": config_error,
        "is_local": config.is_local,
        "data_warning": config.data_warning,
        "blocked": blocked_reason(company, config, settings),
        "budget": budget_status(budget),
    }


def health(company: Company) -> tuple[bool, str]:
    """Ask the configured provider if it answers (the settings page's "Tester" button)."""
    settings = settings_for(company)
    config = provider_config(company, settings)
    reason = blocked_reason(company, config, settings)
    if reason:
        return False, reason
    try:
        result = _provider(config).health()
    except LLMError as exc:
        return False, str(exc)
    return result.ok, result.detail
