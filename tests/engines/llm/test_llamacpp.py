"""In-process llama.cpp provider on the real SmolLM2-135M model: plumbing, not wisdom."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from etabli.engines.llm import (
    CallRecord,
    CancelToken,
    InMemoryBudget,
    LLMEngine,
    LLMError,
    ProviderTimeout,
    build_provider,
    config_from_env,
    smollm2_gguf_path,
)

pytestmark = pytest.mark.slow  # a real model: seconds per test on a shared 2-core machine

SCHEMA = {
    "type": "object",
    "properties": {
        "titre": {"type": "string"},
        "points": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 3},
        "urgent": {"type": "boolean"},
    },
    "required": ["titre", "points", "urgent"],
}


def test_smollm2_is_found_inside_its_package(smollm2_path: Path) -> None:
    assert smollm2_gguf_path() == smollm2_path
    assert smollm2_path.suffix == ".gguf" and smollm2_path.stat().st_size > 10_000_000
    config = config_from_env({"ETABLI_LLM_GGUF": "smollm2"})
    provider = build_provider(config)
    assert provider.name == "llama.cpp" and provider.is_local and provider.model_path == smollm2_path


def test_generate_returns_tokens_and_health_is_ok(llama_provider: Any) -> None:
    health = llama_provider.health()
    assert health.ok and health.models == [llama_provider.model]
    result = llama_provider.generate("Say hello.", system="You are brief.", max_tokens=12, temperature=0)
    assert result.text.strip()
    assert 0 < result.completion_tokens <= 12 and result.prompt_tokens > 0
    assert result.provider == "llama.cpp" and result.finish_reason in ("stop", "length")


def test_count_tokens_uses_the_model_tokenizer(llama_provider: Any) -> None:
    text = "Bonjour, votre table en chêne est prête."
    assert llama_provider.count_tokens(text) == len(
        llama_provider.llama.tokenize(text.encode(), add_bos=False)
    )
    assert llama_provider.count_tokens("") == 0


def test_stream_yields_several_chunks_and_closing_releases_the_model(llama_provider: Any) -> None:
    chunks = list(llama_provider.stream("Count from one to ten.", max_tokens=24, temperature=0))
    assert len(chunks) >= 3
    stream = llama_provider.stream("Write a long story about a forest.", max_tokens=200, temperature=0)
    first = [next(stream), next(stream)]
    stream.close()
    assert all(first)
    assert llama_provider.generate("Say yes.", max_tokens=4).text  # the model lock was released


def test_cancel_token_stops_generation_between_tokens(llama_provider: Any) -> None:
    token = CancelToken()
    received = []
    for chunk in llama_provider.stream("Write a long story about a forest.", max_tokens=200, cancel=token):
        received.append(chunk)
        if len(received) == 2:
            token.cancel()
    assert len(received) == 2


def test_timeout_is_enforced_between_tokens(llama_provider: Any) -> None:
    with pytest.raises(ProviderTimeout, match="délai"):
        llama_provider.generate("Write a long story.", max_tokens=200, timeout=0.001)


def test_json_schema_is_enforced_by_grammar(llama_provider: Any) -> None:
    result = llama_provider.generate(
        "Summarise: the client asks for a quote for three oak chairs before Friday.",
        json_schema=SCHEMA,
        max_tokens=120,
        temperature=0,
    )
    data = result.json
    assert isinstance(data["titre"], str) and isinstance(data["urgent"], bool)
    assert 1 <= len(data["points"]) <= 3
    assert json.loads(result.text) == data


def test_too_long_prompt_gives_a_french_error(llama_provider: Any) -> None:
    with pytest.raises(LLMError, match="trop longue"):
        llama_provider.generate("chêne " * 3000, max_tokens=8)


def test_engine_budget_cap_falls_back_with_the_real_model(llama_provider: Any) -> None:
    records: list[CallRecord] = []
    budget = InMemoryBudget(limit_tokens=200)
    engine = LLMEngine(llama_provider, budget=budget, on_call=records.append)
    first = engine.generate("Say hello.", max_tokens=16, temperature=0, feature="essai")
    spent = budget.spent_this_month().tokens
    assert spent == first.prompt_tokens + first.completion_tokens > 0
    result = engine.compose(
        "essai", prompt="Say hello again.", template=lambda: "Bonjour.", facts={}, max_tokens=190
    )
    assert result.text == "Bonjour." and "Budget IA mensuel" in result.fallback_reason
    assert budget.spent_this_month().tokens == spent
    assert [r.ok for r in records] == [True, False]


def test_engine_compose_with_the_real_model_never_offers_an_ungrounded_draft(llama_provider: Any) -> None:
    records: list[CallRecord] = []
    engine = LLMEngine(llama_provider, on_call=records.append)
    facts = {"produit": "Chaise en chêne", "prix": "89 €"}
    result = engine.compose(
        "fiche-produit",
        prompt="Describe the product Chaise en chêne, price 89 €, in one sentence.",
        template=lambda: "Chaise en chêne — 89 €.",
        facts=facts,
        max_tokens=40,
        temperature=0,
    )
    (record,) = records
    assert record.provider == "llama.cpp" and record.completion_tokens > 0
    if result.generated_by_ai:
        assert result.grounding.ok and result.fallback_reason is None
    else:
        assert result.text == "Chaise en chêne — 89 €." and result.rejected_draft
        assert result.grounding.mismatches and result.fallback_reason
