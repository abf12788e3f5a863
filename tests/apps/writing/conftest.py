"""Fixtures of the writing tests: no server LLM unless a test sets one, Menuiserie Martin's profile, and an
OpenAI-compatible HTTP server on loopback that answers what a test scripts (the real HTTP provider talks
to it)."""

from __future__ import annotations

import pytest

from tests.apps.writing.factories import make_profile
from tests.apps.writing.llm_server import ScriptedLLMServer

LLM_ENV = ("ETABLI_LLM_URL", "ETABLI_LLM_MODEL", "ETABLI_LLM_API_KEY", "ETABLI_LLM_GGUF", "ETABLI_LLM_TIMEOUT",
           "ETABLI_LLM_RETRIES")


@pytest.fixture(autouse=True)
def no_server_llm(monkeypatch):
    for name in LLM_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True, scope="module")
def close_models():
    """Free cached providers (an in-process model, HTTP clients) when a module is done."""
    yield
    from etabli.core.services import llm

    for provider in list(llm._providers.values()):
        getattr(provider, "close", lambda: None)()
    llm._providers.clear()


@pytest.fixture
def profile(company):
    return make_profile(company)


@pytest.fixture
def llm_server():
    server = ScriptedLLMServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def use_server(company, llm_server):
    """The company's Réglages → IA pointing to the scripted server (loopback: no consent needed)."""
    from etabli.core.models import LLMSettings

    def _use(**settings):
        LLMSettings.objects.update_or_create(company=company, defaults={
            "provider": "openai-compatible", "url": llm_server.url, "model": "scripted", **settings})
        return llm_server

    return _use
