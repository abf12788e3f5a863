"""Local AI text engine: providers (OpenAI-compatible HTTP, in-process llama.cpp, template), budget,
decision-log records, grounding guard-rails and French prompts with the company's voice.

Typical use by a feature::

    provider = build_provider(config_from_env(os.environ))          # template when nothing is set
    engine = LLMEngine(provider, budget=company_budget, on_call=log_ai_decision)
    draft = engine.compose(
        "posts", prompt=prompt, system=None, voice=company_voice,
        template=lambda: template_post(inputs), facts=inputs,
    )
    draft.text, draft.label, draft.fallback_reason, draft.grounding.mismatches

No import here touches the network or loads a model; llama-cpp-python is imported on first use only.
"""

from etabli.engines.llm.base import BaseProvider, GenerationOptions, Provider
from etabli.engines.llm.budget import (
    Budget,
    BudgetLimit,
    BudgetStatus,
    InMemoryBudget,
    Pricing,
    Spend,
    budget_status,
)
from etabli.engines.llm.config import ProviderConfig, build_provider, config_from_env
from etabli.engines.llm.datatypes import (
    CallRecord,
    CancelToken,
    Completion,
    Health,
    Message,
    estimate_tokens,
    prompt_digest,
)
from etabli.engines.llm.engine import Composition, LLMEngine, UngroundedDraft
from etabli.engines.llm.errors import (
    BudgetExceeded,
    GenerationCancelled,
    LLMConfigError,
    LLMError,
    ProviderResponseError,
    ProviderTimeout,
    ProviderUnavailable,
    StructuredOutputError,
    TemplateOnly,
)
from etabli.engines.llm.guard import (
    AI_LABEL,
    TEMPLATE_LABEL,
    GroundingReport,
    Mismatch,
    Voice,
    check_grounding,
    draft_label,
    review_label,
)
from etabli.engines.llm.llamacpp import LlamaCppProvider, smollm2_gguf_path
from etabli.engines.llm.openai_compat import OpenAICompatibleProvider
from etabli.engines.llm.prompts import load_prompt, render_prompt, render_text
from etabli.engines.llm.template import NO_MODEL_REASON, TemplateProvider
from etabli.engines.llm.urls import data_location, data_location_warning, is_local_url

__all__ = [
    "AI_LABEL",
    "NO_MODEL_REASON",
    "TEMPLATE_LABEL",
    "BaseProvider",
    "Budget",
    "BudgetExceeded",
    "BudgetLimit",
    "BudgetStatus",
    "CallRecord",
    "CancelToken",
    "Completion",
    "Composition",
    "GenerationCancelled",
    "GenerationOptions",
    "GroundingReport",
    "Health",
    "InMemoryBudget",
    "LLMConfigError",
    "LLMEngine",
    "LLMError",
    "LlamaCppProvider",
    "Message",
    "Mismatch",
    "OpenAICompatibleProvider",
    "Pricing",
    "Provider",
    "ProviderConfig",
    "ProviderResponseError",
    "ProviderTimeout",
    "ProviderUnavailable",
    "Spend",
    "StructuredOutputError",
    "TemplateOnly",
    "TemplateProvider",
    "UngroundedDraft",
    "Voice",
    "budget_status",
    "build_provider",
    "check_grounding",
    "config_from_env",
    "data_location",
    "data_location_warning",
    "draft_label",
    "estimate_tokens",
    "is_local_url",
    "load_prompt",
    "prompt_digest",
    "render_prompt",
    "render_text",
    "review_label",
    "smollm2_gguf_path",
]
