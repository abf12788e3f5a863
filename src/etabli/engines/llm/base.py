"""The provider interface every model back-end implements.

Why a small interface: features (posts, e-mail replies, summaries, dunning letters) must not care whether
the text comes from Ollama, a llama.cpp server, Mistral's API, an in-process GGUF file or nothing at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from etabli.engines.llm.datatypes import (
    CancelToken,
    Completion,
    Health,
    Message,
    MessageLike,
    prompt_messages,
    to_messages,
)
from etabli.engines.llm.errors import LLMError
from etabli.engines.llm.schema import check_schema

DEFAULT_MAX_TOKENS = 256
DEFAULT_TEMPERATURE = 0.2
MAX_TOKENS_CEILING = 32_768


@dataclass(frozen=True)
class GenerationOptions:
    """The knobs shared by every call, validated once so providers can trust them."""

    max_tokens: int = DEFAULT_MAX_TOKENS
    temperature: float = DEFAULT_TEMPERATURE
    stop: tuple[str, ...] = ()
    json_schema: dict[str, Any] | None = None
    timeout: float | None = None
    cancel: CancelToken | None = None

    @classmethod
    def build(
        cls,
        *,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float = DEFAULT_TEMPERATURE,
        stop: str | Sequence[str] | None = None,
        json_schema: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> GenerationOptions:
        if (
            isinstance(max_tokens, bool)
            or not isinstance(max_tokens, int)
            or not 0 < max_tokens <= MAX_TOKENS_CEILING
        ):
            raise LLMError(
                f"Nombre maximal de jetons invalide : {max_tokens!r} (entre 1 et {MAX_TOKENS_CEILING})."
            )
        if not isinstance(temperature, int | float) or not 0 <= temperature <= 2:
            raise LLMError(f"Température invalide : {temperature!r} (entre 0 et 2).")
        if timeout is not None and (not isinstance(timeout, int | float) or timeout <= 0):
            raise LLMError(f"Délai d'attente invalide : {timeout!r} (un nombre de secondes positif).")
        stops = (stop,) if isinstance(stop, str) else tuple(stop or ())
        if not all(isinstance(s, str) and s for s in stops):
            raise LLMError("Les séquences d'arrêt doivent être des textes non vides.")
        schema = check_schema(json_schema) if json_schema is not None else None
        return cls(max_tokens, float(temperature), stops, schema, timeout, cancel)


@runtime_checkable
class Provider(Protocol):
    """What the engine needs from a model back-end.

    ``is_local`` is True when no data leaves the machine (in-process model or loopback server): the
    settings page warns otherwise.
    """

    name: str
    model: str
    is_local: bool

    def generate(
        self,
        prompt: str,
        *,
        system: str | None = None,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float = DEFAULT_TEMPERATURE,
        stop: str | Sequence[str] | None = None,
        json_schema: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> Completion: ...

    def chat(
        self,
        messages: Iterable[MessageLike],
        *,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float = DEFAULT_TEMPERATURE,
        stop: str | Sequence[str] | None = None,
        json_schema: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> Completion: ...

    def stream(
        self,
        prompt_or_messages: str | Iterable[MessageLike],
        *,
        system: str | None = None,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float = DEFAULT_TEMPERATURE,
        stop: str | Sequence[str] | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> Iterator[str]: ...

    def count_tokens(self, text: str) -> int: ...

    def health(self) -> Health: ...


def normalise_conversation(
    prompt_or_messages: str | Iterable[MessageLike], system: str | None
) -> list[Message]:
    """A prompt string becomes [system?, user]; a message list is validated (``system`` then prepended)."""
    if isinstance(prompt_or_messages, str):
        return prompt_messages(prompt_or_messages, system)
    messages = to_messages(prompt_or_messages)
    return [Message("system", system), *messages] if system else messages


class BaseProvider:
    """Shared plumbing: ``generate`` and ``stream`` are expressed with ``_chat`` and ``_stream``.

    Subclasses implement ``_chat(messages, options)`` and ``_stream(messages, options)``; the public
    methods validate arguments once, so every provider rejects bad input with the same French messages.
    """

    name: str = "base"
    model: str = ""
    is_local: bool = True

    def generate(
        self,
        prompt: str,
        *,
        system: str | None = None,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float = DEFAULT_TEMPERATURE,
        stop: str | Sequence[str] | None = None,
        json_schema: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> Completion:
        options = GenerationOptions.build(
            max_tokens=max_tokens,
            temperature=temperature,
            stop=stop,
            json_schema=json_schema,
            timeout=timeout,
            cancel=cancel,
        )
        return self._chat(prompt_messages(prompt, system), options)

    def chat(
        self,
        messages: Iterable[MessageLike],
        *,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float = DEFAULT_TEMPERATURE,
        stop: str | Sequence[str] | None = None,
        json_schema: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> Completion:
        options = GenerationOptions.build(
            max_tokens=max_tokens,
            temperature=temperature,
            stop=stop,
            json_schema=json_schema,
            timeout=timeout,
            cancel=cancel,
        )
        return self._chat(to_messages(messages), options)

    def stream(
        self,
        prompt_or_messages: str | Iterable[MessageLike],
        *,
        system: str | None = None,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float = DEFAULT_TEMPERATURE,
        stop: str | Sequence[str] | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> Iterator[str]:
        """Yield text chunks as they are produced; closing the iterator or cancelling stops generation.

        Arguments are validated here, eagerly, so a bad call fails at the call site and not at the first
        ``next()``.
        """
        options = GenerationOptions.build(
            max_tokens=max_tokens,
            temperature=temperature,
            stop=stop,
            timeout=timeout,
            cancel=cancel,
        )
        return self._stream(normalise_conversation(prompt_or_messages, system), options)

    # -- to implement -------------------------------------------------------------------------------
    def _chat(self, messages: list[Message], options: GenerationOptions) -> Completion:
        raise NotImplementedError

    def _stream(self, messages: list[Message], options: GenerationOptions) -> Iterator[str]:
        raise NotImplementedError

    def count_tokens(self, text: str) -> int:
        raise NotImplementedError

    def health(self) -> Health:
        raise NotImplementedError
