"""Configuration from the environment, data-location warnings, and: no network when unconfigured."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from etabli.engines.llm import (
    LLMConfigError,
    LLMEngine,
    OpenAICompatibleProvider,
    ProviderConfig,
    TemplateOnly,
    TemplateProvider,
    build_provider,
    config_from_env,
    data_location,
    data_location_warning,
    is_local_url,
)
from etabli.engines.llm.urls import normalise_base_url


def test_nothing_configured_means_the_template_provider() -> None:
    config = config_from_env({})
    assert config == ProviderConfig(kind="template")
    assert isinstance(build_provider(config), TemplateProvider)
    assert config_from_env({"ETABLI_LLM_URL": "  ", "ETABLI_LLM_GGUF": ""}).kind == "template"


def test_url_model_and_key_from_env_with_the_key_hidden() -> None:
    config = config_from_env(
        {
            "ETABLI_LLM_URL": "http://127.0.0.1:11434",
            "ETABLI_LLM_MODEL": "mistral",
            "ETABLI_LLM_API_KEY": "sk-secret",
            "ETABLI_LLM_TIMEOUT": "30",
            "ETABLI_LLM_RETRIES": "1",
        }
    )
    assert (config.kind, config.model, config.api_key, config.timeout, config.retries) == (
        "openai-compatible",
        "mistral",
        "sk-secret",
        30.0,
        1,
    )
    assert "sk-secret" not in repr(config)
    provider = build_provider(config)
    assert isinstance(provider, OpenAICompatibleProvider)
    assert provider.base_url == "http://127.0.0.1:11434/v1" and provider.is_local
    assert "sk-secret" not in repr(provider)


def test_gguf_wins_over_url_to_keep_data_on_the_machine(tmp_path: Path) -> None:
    config = config_from_env({"ETABLI_LLM_URL": "https://api.mistral.ai/v1", "ETABLI_LLM_GGUF": "/m/x.gguf"})
    assert config.kind == "llama.cpp" and config.gguf_path == "/m/x.gguf" and config.is_local
    with pytest.raises(LLMConfigError, match="introuvable"):
        build_provider(config)
    not_gguf = tmp_path / "modele.bin"
    not_gguf.write_bytes(b"\0")
    with pytest.raises(LLMConfigError, match="GGUF"):
        build_provider(ProviderConfig(kind="llama.cpp", gguf_path=str(not_gguf)))


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ETABLI_LLM_URL": "ftp://serveur"}, "Adresse du serveur de langage invalide"),
        ({"ETABLI_LLM_URL": "localhost:8080"}, "Adresse du serveur de langage invalide"),
        ({"ETABLI_LLM_URL": "http://127.0.0.1", "ETABLI_LLM_TIMEOUT": "vite"}, "ETABLI_LLM_TIMEOUT"),
        ({"ETABLI_LLM_URL": "http://127.0.0.1", "ETABLI_LLM_RETRIES": "-1"}, "ETABLI_LLM_RETRIES"),
    ],
)
def test_bad_settings_raise_french_errors(env: dict[str, str], message: str) -> None:
    with pytest.raises(LLMConfigError, match=message):
        config_from_env(env)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/v1"),
        ("http://localhost:11434/", "http://localhost:11434/v1"),
        ("https://api.mistral.ai/v1", "https://api.mistral.ai/v1"),
        ("http://127.0.0.1:8080/v1/chat/completions", "http://127.0.0.1:8080/v1"),
    ],
)
def test_base_url_normalisation(url: str, expected: str) -> None:
    assert normalise_base_url(url) == expected


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("http://127.0.0.1:8080", "machine"),
        ("http://127.8.9.10", "machine"),
        ("http://localhost:11434", "machine"),
        ("http://[::1]:8000", "machine"),
        ("http://192.168.1.20:11434", "reseau-local"),
        ("http://ollama.local:11434", "reseau-local"),
        ("https://api.mistral.ai/v1", "internet"),
        ("http://8.8.8.8", "internet"),
    ],
)
def test_data_location_from_the_url_alone(url: str, location: str) -> None:
    assert data_location(url) == location
    assert is_local_url(url) is (location == "machine")
    warning = data_location_warning(url)
    assert (warning is None) is (location == "machine")
    if location == "internet":
        assert "quitteront cette machine" in warning and "RGPD" in warning


def test_settings_page_warning_from_the_config() -> None:
    remote = config_from_env(
        {"ETABLI_LLM_URL": "https://api.mistral.ai", "ETABLI_LLM_MODEL": "mistral-small"}
    )
    assert not remote.is_local and "api.mistral.ai" in remote.data_warning
    assert config_from_env({}).data_warning is None


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Any attempt to open a connection or resolve a name is recorded and fails."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("réseau interdit pendant ce test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_no_network_call_of_any_kind_when_no_provider_is_configured(no_network: list[object]) -> None:
    provider = build_provider(config_from_env({}))
    records = []
    engine = LLMEngine(provider, on_call=records.append)
    assert provider.health().ok
    for feature in ("posts", "fiche-produit", "reponse-email", "resume", "offre-emploi", "plan-article"):
        result = engine.compose(
            feature,
            prompt=f"Rédige : {feature}",
            template=lambda f=feature: f"Modèle de texte pour {f}.",
            facts={"entreprise": "Menuiserie Martin"},
        )
        assert result.text == f"Modèle de texte pour {feature}." and not result.generated_by_ai
    with pytest.raises(TemplateOnly):
        engine.generate("Bonjour")
    with pytest.raises(TemplateOnly):
        engine.stream("Bonjour")
    with pytest.raises(TemplateOnly):
        engine.structured("Bonjour", {"type": "object"})
    assert len(records) == 9
    assert no_network == []


def test_building_a_configured_provider_does_not_touch_the_network_either(no_network: list[object]) -> None:
    provider = build_provider(
        config_from_env({"ETABLI_LLM_URL": "https://api.mistral.ai", "ETABLI_LLM_MODEL": "m"})
    )
    assert provider.model == "m"
    assert no_network == []
    assert not provider.health().ok  # the health check is the first network use, and it is refused here
    assert no_network
