"""A provider that plays a script of answers: the engine's logic tested without a model.

It implements the real provider interface (through BaseProvider, so argument validation is the real
one) and records what it was asked.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from etabli.engines.llm import BaseProvider, Completion, GenerationOptions, Health, Message, estimate_tokens

Answer = str | dict[str, Any] | Exception


class ScriptedProvider(BaseProvider):
    name = "scripted"
    model = "scripted-1"
    is_local = True

    def __init__(
        self, *answers: Answer, prompt_tokens: int | None = None, completion_tokens: int | None = None
    ):
        self.answers = list(answers)
        self.calls: list[tuple[list[Message], GenerationOptions]] = []
        self.prompt_tokens = prompt_tokens
        self.completion_tokens = completion_tokens

    def _next(self) -> Answer:
        if not self.answers:
            raise AssertionError("ScriptedProvider called more often than scripted")
        return self.answers.pop(0)

    def _chat(self, messages: list[Message], options: GenerationOptions) -> Completion:
        self.calls.append((messages, options))
        answer = self._next()
        if isinstance(answer, Exception):
            raise answer
        data = answer if isinstance(answer, dict) else None
        text = json.dumps(answer, ensure_ascii=False) if data is not None else answer
        return Completion(
            text=text,
            provider=self.name,
            model=self.model,
            prompt_tokens=self.prompt_tokens
            if self.prompt_tokens is not None
            else sum(estimate_tokens(m.content) for m in messages),
            completion_tokens=self.completion_tokens
            if self.completion_tokens is not None
            else estimate_tokens(text),
            latency_ms=1.0,
            finish_reason="stop",
            json=data if options.json_schema is not None else None,
        )

    def _stream(self, messages: list[Message], options: GenerationOptions) -> Iterator[str]:
        self.calls.append((messages, options))
        answer = self._next()
        if isinstance(answer, Exception):
            raise answer
        for word in str(answer).split(" "):
            if options.cancel is not None and options.cancel.cancelled:
                return
            yield word + " "

    def count_tokens(self, text: str) -> int:
        return estimate_tokens(text)

    def health(self) -> Health:
        return Health(ok=True, detail="Fournisseur de test.", models=[self.model])
