"""Fixtures: the SmolLM2 model (in-process and behind a real llama.cpp server) and scripted providers."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

from etabli.engines.llm import CallRecord, LLMConfigError, smollm2_gguf_path
from tests.engines.llm.servers import LlamaServer

N_CTX = 1024
N_THREADS = 1  # the test machine has 2 shared cores: one thread avoids llama.cpp's spin-wait contention


def _needs_llama() -> Path:
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python n'est pas installé (extra « llm » : pip install 'etabli[llm]')")
    try:
        return smollm2_gguf_path()
    except LLMConfigError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def smollm2_path() -> Path:
    return _needs_llama()


@pytest.fixture(scope="session")
def llama_provider(smollm2_path: Path) -> Iterator[object]:
    from etabli.engines.llm import LlamaCppProvider

    provider = LlamaCppProvider(smollm2_path, n_ctx=N_CTX, n_threads=N_THREADS)
    yield provider
    provider.close()


@pytest.fixture(scope="session")
def llama_server(smollm2_path: Path) -> Iterator[LlamaServer]:
    if importlib.util.find_spec("fastapi") is None or importlib.util.find_spec("uvicorn") is None:
        pytest.skip("le serveur de llama-cpp-python n'est pas installé (llama-cpp-python[server])")
    server = LlamaServer(smollm2_path, n_ctx=N_CTX, n_threads=N_THREADS)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture
def records() -> list[CallRecord]:
    """Collects the CallRecords an engine emits (stands for the app's AI decision log)."""
    return []
