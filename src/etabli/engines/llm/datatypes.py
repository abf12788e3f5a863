"""Plain data types shared by providers and the engine.

Why dataclasses and not provider SDK objects: the app logs, stores and displays these; they must not
depend on which server or library produced them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from etabli.engines.llm.errors import GenerationCancelled, LLMError

Role = Literal["system", "user", "assistant"]
_ROLES: frozenset[str] = frozenset({"system", "user", "assistant"})


@dataclass(frozen=True)
class Message:
    """One chat turn: ``role`` is "system", "user" or "assistant" (the convention every server shares)."""

    role: Role
    content: str

    def __post_init__(self) -> None:
        if self.role not in _ROLES:
            raise LLMError(
                f"Rôle de message inconnu : « {self.role} » (attendu : system, user ou assistant)."
            )
        if not isinstance(self.content, str):
            raise LLMError("Le contenu d'un message doit être du texte.")

    def as_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


MessageLike = Message | Mapping[str, str]


def to_messages(messages: Iterable[MessageLike]) -> list[Message]:
    """Accept ``Message`` objects or ``{"role", "content"}`` dicts; reject an empty conversation."""
    result: list[Message] = []
    for item in messages:
        if isinstance(item, Message):
            result.append(item)
        elif isinstance(item, Mapping):
            try:
                result.append(Message(role=item["role"], content=item["content"]))  # type: ignore[arg-type]
            except KeyError as exc:
                raise LLMError(
                    "Chaque message doit avoir un rôle (« role ») et un contenu (« content »)."
                ) from exc
        else:
            raise LLMError("Un message doit être un Message ou un dictionnaire {role, content}.")
    if not result:
        raise LLMError("La conversation est vide : rien à envoyer au modèle.")
    return result


def prompt_messages(prompt: str, system: str | None = None) -> list[Message]:
    """The chat form of a single prompt: an optional system message, then the user's prompt."""
    if not isinstance(prompt, str) or not prompt.strip():
        raise LLMError("La consigne (prompt) est vide : rien à demander au modèle.")
    messages = [Message("system", system)] if system else []
    messages.append(Message("user", prompt))
    return messages


def prompt_digest(messages: Iterable[Message]) -> str:
    """SHA-256 of the conversation, so the decision log can prove which prompt was sent without storing it."""
    canonical = json.dumps([m.as_dict() for m in messages], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def estimate_tokens(text: str) -> int:
    """Rough token count (≈ 4 characters per token for French with BPE tokenizers).

    Why an estimate: HTTP servers expose no common tokenizer endpoint. It is used for budget projections
    only; real usage reported by the server is what gets recorded when available.
    """
    return math.ceil(len(text) / 4) if text else 0


@dataclass(frozen=True)
class Completion:
    """What a provider returns for one generation."""

    text: str
    provider: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    latency_ms: float
    finish_reason: str | None = None
    json: dict[str, Any] | None = None

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class Health:
    """Result of a provider health check; ``detail`` is a French sentence for the settings page."""

    ok: bool
    detail: str
    models: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CallRecord:
    """One line of the AI decision log (DESIGN §2): what was asked of which model, at what cost.

    ``ok`` is False when the call failed or its output was rejected; ``error`` then says why in French.
    ``used_template`` tells that the feature's template text was used instead of the model's.
    """

    provider: str
    model: str
    feature: str
    prompt_digest: str
    prompt_tokens: int
    completion_tokens: int
    latency_ms: float
    ok: bool
    error: str | None = None
    kind: str = "generate"
    cost: Decimal = Decimal("0.00")
    used_template: bool = False
    budget_warning: bool = False
    created_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


class CancelToken:
    """Thread-safe cancellation flag: another thread (a "Stop" button) calls ``cancel()``.

    Providers check it between tokens, so generation stops within one token of the request.
    """

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise GenerationCancelled("Génération annulée à la demande de l'utilisateur.")

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds`` (for back-off), waking early on cancellation; True if cancelled."""
        return self._event.wait(max(0.0, seconds))
