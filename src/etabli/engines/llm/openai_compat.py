"""OpenAI-compatible HTTP provider: Ollama, llama.cpp's server, vLLM, LM Studio, Mistral's API.

Why one provider for all of them: they share ``/v1/chat/completions`` and ``/v1/models``; the
differences that matter (JSON-schema support, streaming quirks, usage reporting) are handled by
trying the standard form first and degrading gracefully.

Robustness rules (issue 6, "bad input"): every request has a deadline, connection errors and 5xx are
retried with exponential back-off, a server that hangs or answers garbage produces a French error and
never a hang. Response bodies are read in chunks with the deadline checked between them, so a server
that trickles bytes cannot keep a request alive past its deadline.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Iterator
from typing import Any, Self

import httpx

from etabli.engines.llm.base import BaseProvider, GenerationOptions
from etabli.engines.llm.datatypes import Completion, Health, Message, estimate_tokens
from etabli.engines.llm.errors import (
    GenerationCancelled,
    LLMError,
    ProviderResponseError,
    ProviderTimeout,
    ProviderUnavailable,
    StructuredOutputError,
)
from etabli.engines.llm.schema import parse_and_validate, with_correction, with_json_instruction
from etabli.engines.llm.urls import is_local_url, normalise_base_url

DEFAULT_TIMEOUT = 120.0
CONNECT_TIMEOUT = 5.0
HEALTH_TIMEOUT = 5.0
MAX_BODY_BYTES = 20 * 1024 * 1024
SCHEMA_MODES = ("json_schema", "json_object", "prompt")


class _Retryable(Exception):
    """Internal: wraps an error that a new attempt may cure (connection refused, 5xx, 429)."""

    def __init__(self, error: LLMError) -> None:
        super().__init__(str(error))
        self.error = error


class _SchemaModeRejected(Exception):
    """Internal: the server refused or ignored this way of asking for JSON; try the next one."""


class OpenAICompatibleProvider(BaseProvider):
    """Chat completions over HTTP with an OpenAI-compatible server.

    ``model`` may be left empty: the first model listed by ``/v1/models`` is used (llama.cpp's server
    accepts anything, Ollama and vLLM need the exact name).
    """

    name = "openai-compatible"

    def __init__(
        self,
        url: str,
        model: str = "",
        api_key: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = 2,
        backoff: float = 0.5,
        schema_retries: int = 2,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not isinstance(timeout, int | float) or timeout <= 0:
            raise LLMError(f"Délai d'attente invalide : {timeout!r} (un nombre de secondes positif).")
        if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
            raise LLMError(f"Nombre de nouvelles tentatives invalide : {retries!r}.")
        self.base_url = normalise_base_url(url)
        self.model = (model or "").strip()
        self.is_local = is_local_url(self.base_url)
        self.timeout = float(timeout)
        self.retries = retries
        self.backoff = max(0.0, float(backoff))
        self.schema_retries = max(0, schema_retries)
        self._api_key = api_key or None
        self._schema_mode: str | None = None
        self._model_lock = threading.Lock()
        headers = {"Accept": "application/json", "User-Agent": "etabli-llm/1"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        # Proxies from the environment are honoured for remote APIs only: a corporate proxy must not
        # intercept a request meant for a model on this machine.
        self._client = httpx.Client(headers=headers, trust_env=not self.is_local, transport=transport)

    def __repr__(self) -> str:  # never show the API key
        return f"OpenAICompatibleProvider(url={self.base_url!r}, model={self.model!r})"

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- public helpers ------------------------------------------------------------------------------
    def count_tokens(self, text: str) -> int:
        """Estimate: servers share no tokenizer endpoint; real usage from responses is used for budgets."""
        return estimate_tokens(text)

    def list_models(self, timeout: float = HEALTH_TIMEOUT) -> list[str]:
        """Model names from ``GET /v1/models`` (one attempt, short timeout: it backs the settings page)."""
        deadline = time.monotonic() + timeout
        data = self._request_json("GET", "/models", None, deadline, timeout, retries=0)
        items = data.get("data") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise ProviderResponseError(
                self._garbage_message("la liste des modèles n'a pas le format attendu")
            )
        return [str(item["id"]) for item in items if isinstance(item, dict) and "id" in item]

    def health(self) -> Health:
        try:
            models = self.list_models()
        except LLMError as exc:
            return Health(ok=False, detail=str(exc), models=[])
        if not models:
            return Health(ok=False, detail=f"Le serveur {self.base_url} ne propose aucun modèle.", models=[])
        if self.model and not any(m == self.model or m.split(":")[0] == self.model for m in models):
            return Health(
                ok=False,
                detail=f"Serveur joignable, mais le modèle « {self.model} » n'y figure pas "
                f"(disponibles : {', '.join(models[:10])}).",
                models=models,
            )
        where = "sur cette machine" if self.is_local else "hors de cette machine"
        return Health(
            ok=True,
            detail=f"Serveur de langage joignable ({where}) : {len(models)} modèle(s) disponible(s).",
            models=models,
        )

    # -- generation ----------------------------------------------------------------------------------
    def _chat(self, messages: list[Message], options: GenerationOptions) -> Completion:
        if options.json_schema is not None:
            return self._chat_structured(messages, options)
        if options.cancel is not None:
            return self._chat_by_streaming(messages, options)
        deadline = self._deadline(options)
        started = time.perf_counter()
        data = self._request_json(
            "POST",
            "/chat/completions",
            self._payload(messages, options),
            deadline,
            options.timeout,
            cancel=options.cancel,
        )
        return self._completion(data, messages, started)

    def _chat_by_streaming(self, messages: list[Message], options: GenerationOptions) -> Completion:
        """Cancellable ``chat``: a non-streamed response cannot be interrupted, a stream can."""
        started = time.perf_counter()
        text = "".join(self._stream(messages, options))
        if options.cancel is not None:
            options.cancel.raise_if_cancelled()
        return Completion(
            text=text,
            provider=self.name,
            model=self.model or "",
            latency_ms=_ms(started),
            prompt_tokens=sum(estimate_tokens(m.content) for m in messages),
            completion_tokens=estimate_tokens(text),
            finish_reason="stop",
        )

    def _chat_structured(self, messages: list[Message], options: GenerationOptions) -> Completion:
        """JSON output: native schema support first, then ``json_object``, then prompt + validate + retry.

        The first mode that works is remembered for this provider, so later calls go straight to it.
        """
        assert options.json_schema is not None
        deadline = self._deadline(options)
        started = time.perf_counter()
        modes = (self._schema_mode,) if self._schema_mode else SCHEMA_MODES
        usage = [0, 0]
        last_problem = "aucune tentative"
        for mode in modes:
            try:
                completion = self._structured_with_mode(messages, options, mode, deadline, usage)
            except _SchemaModeRejected as exc:
                last_problem = str(exc)
                continue
            self._schema_mode = mode
            return Completion(
                text=completion.text,
                provider=self.name,
                model=completion.model,
                prompt_tokens=usage[0],
                completion_tokens=usage[1],
                latency_ms=_ms(started),
                finish_reason=completion.finish_reason,
                json=completion.json,
            )
        raise StructuredOutputError(
            f"Le modèle n'a pas produit de JSON conforme au schéma demandé ({last_problem})."
        )

    def _structured_with_mode(
        self,
        messages: list[Message],
        options: GenerationOptions,
        mode: str,
        deadline: float,
        usage: list[int],
    ) -> Completion:
        schema = options.json_schema
        assert schema is not None
        conversation = with_json_instruction(messages, schema) if mode == "prompt" else list(messages)
        attempts = 1 + (self.schema_retries if mode == "prompt" else 0)
        problem = ""
        for _ in range(attempts):
            payload = self._payload(conversation, options)
            if mode == "json_schema":
                payload["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {"name": "reponse", "schema": schema, "strict": True},
                }
            elif mode == "json_object":
                payload["response_format"] = {"type": "json_object", "schema": schema}
            try:
                data = self._request_json(
                    "POST", "/chat/completions", payload, deadline, options.timeout, cancel=options.cancel
                )
            except (ProviderResponseError, ProviderUnavailable) as exc:
                refused = getattr(exc, "status_code", None) in (400, 415, 422) or getattr(
                    exc, "rejects_format", False
                )
                if refused and mode != "prompt":
                    raise _SchemaModeRejected(f"format « {mode} » refusé par le serveur") from exc
                raise
            completion = self._completion(data, conversation, time.perf_counter())
            usage[0] += completion.prompt_tokens
            usage[1] += completion.completion_tokens
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
            return dataclasses.replace(completion, json=parsed)
        raise _SchemaModeRejected(problem or f"format « {mode} » sans effet")

    def _stream(self, messages: list[Message], options: GenerationOptions) -> Iterator[str]:
        """Server-sent events from ``stream: true``; closing this generator closes the connection.

        Closing the HTTP connection is what makes llama.cpp, vLLM and Ollama stop generating.
        """
        deadline = self._deadline(options)
        payload = self._payload(messages, options)
        payload["stream"] = True
        response = self._open(
            "POST", "/chat/completions", payload, deadline, options.timeout, cancel=options.cancel
        )
        try:
            content_type = response.headers.get("content-type", "")
            if "text/event-stream" not in content_type:
                # Some servers ignore "stream": answer with one JSON body; deliver it as a single chunk.
                body = self._read_body(response, deadline)
                yield self._completion(self._decode(body), messages, time.perf_counter()).text
                return
            yield from self._events(response, deadline, options)
        except httpx.TimeoutException as exc:
            raise ProviderTimeout(self._timeout_message(options.timeout)) from exc
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise ProviderUnavailable(
                f"La connexion au serveur de langage {self.base_url} a été interrompue pendant la génération."
            ) from exc
        finally:
            response.close()

    def _events(self, response: httpx.Response, deadline: float, options: GenerationOptions) -> Iterator[str]:
        for line in response.iter_lines():
            if options.cancel is not None and options.cancel.cancelled:
                return
            if time.monotonic() > deadline:
                raise ProviderTimeout(self._timeout_message(options.timeout))
            line = line.strip()
            if not line or line.startswith((":", "event:", "id:", "retry:")):
                continue
            if not line.startswith("data:"):
                raise ProviderResponseError(self._garbage_message("flux d'événements illisible"))
            data = line[5:].strip()
            if data == "[DONE]":
                return
            event = self._decode(data.encode("utf-8"))
            if "error" in event:
                raise ProviderResponseError(
                    f"Le serveur de langage signale une erreur : {_error_text(event)}"
                )
            delta = _first_choice(event, self).get("delta") or {}
            if not isinstance(delta, dict):
                raise ProviderResponseError(self._garbage_message("fragment de flux inattendu"))
            piece = delta.get("content")
            if piece:
                yield str(piece)

    # -- HTTP plumbing -------------------------------------------------------------------------------
    def _deadline(self, options: GenerationOptions) -> float:
        return time.monotonic() + (options.timeout or self.timeout)

    def _payload(self, messages: list[Message], options: GenerationOptions) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "model": self._resolved_model(),
            "messages": [m.as_dict() for m in messages],
            "max_tokens": options.max_tokens,
            "temperature": options.temperature,
            "stream": False,
        }
        if options.stop:
            payload["stop"] = list(options.stop)
        return payload

    def _resolved_model(self) -> str:
        with self._model_lock:
            if not self.model:
                models = self.list_models()
                if not models:
                    raise ProviderResponseError(
                        f"Aucun modèle n'est indiqué et le serveur {self.base_url} n'en propose aucun."
                    )
                self.model = models[0]
            return self.model

    def _request_json(
        self,
        method: str,
        path: str,
        payload: dict[str, Any] | None,
        deadline: float,
        timeout: float | None,
        *,
        cancel: Any = None,
        retries: int | None = None,
    ) -> dict[str, Any]:
        response = self._open(method, path, payload, deadline, timeout, cancel=cancel, retries=retries)
        try:
            body = self._read_body(response, deadline)
        except httpx.TimeoutException as exc:
            raise ProviderTimeout(self._timeout_message(timeout)) from exc
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise ProviderUnavailable(
                f"La connexion au serveur de langage {self.base_url} a été interrompue "
                "avant la fin de la réponse."
            ) from exc
        finally:
            response.close()
        return self._decode(body)

    def _open(
        self,
        method: str,
        path: str,
        payload: dict[str, Any] | None,
        deadline: float,
        timeout: float | None,
        *,
        cancel: Any = None,
        retries: int | None = None,
    ) -> httpx.Response:
        """Send the request and return the streamed response once its status is a success.

        Retries with exponential back-off (0.5 s, 1 s, 2 s…) on connection failures, 429 and 5xx, within
        the request's deadline; a timeout is not retried (a hanging server would only hang again).
        """
        last: LLMError | None = None
        retries = self.retries if retries is None else retries
        for attempt in range(retries + 1):
            if cancel is not None:
                cancel.raise_if_cancelled()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise last or ProviderTimeout(self._timeout_message(timeout))
            try:
                return self._open_once(method, path, payload, remaining)
            except _Retryable as exc:
                last = exc.error
            delay = self.backoff * (2**attempt)
            if attempt == retries or time.monotonic() + delay >= deadline:
                break
            if cancel is not None:
                if cancel.wait(delay):
                    raise GenerationCancelled("Génération annulée à la demande de l'utilisateur.")
            else:
                time.sleep(delay)
        assert last is not None
        raise last

    def _open_once(
        self, method: str, path: str, payload: dict[str, Any] | None, remaining: float
    ) -> httpx.Response:
        timeout = httpx.Timeout(remaining, connect=min(CONNECT_TIMEOUT, remaining))
        request = self._client.build_request(method, f"{self.base_url}{path}", json=payload, timeout=timeout)
        try:
            response = self._client.send(request, stream=True)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise _Retryable(
                ProviderUnavailable(
                    f"Le serveur de langage {self.base_url} est injoignable "
                    "(service arrêté ou adresse erronée)."
                )
            ) from exc
        except httpx.TimeoutException as exc:
            raise ProviderTimeout(
                f"Le serveur de langage {self.base_url} n'a pas répondu dans le délai de {remaining:.1f} s."
            ) from exc
        except httpx.RemoteProtocolError as exc:
            if "disconnect" in str(exc).lower():
                raise _Retryable(
                    ProviderUnavailable(
                        f"Le serveur de langage {self.base_url} a fermé la connexion sans répondre."
                    )
                ) from exc
            raise ProviderResponseError(
                self._garbage_message("ce n'est pas une réponse HTTP valide")
            ) from exc
        except (httpx.ReadError, httpx.WriteError) as exc:
            raise _Retryable(
                ProviderUnavailable(f"La connexion au serveur de langage {self.base_url} a été interrompue.")
            ) from exc
        except httpx.HTTPError as exc:
            raise ProviderResponseError(
                f"Échange impossible avec le serveur de langage {self.base_url} : {exc}."
            ) from exc
        if response.status_code < 400:
            return response
        self._raise_for_status(response)
        raise AssertionError("unreachable")

    def _raise_for_status(self, response: httpx.Response) -> None:
        try:
            body = response.read()[:2000].decode("utf-8", "replace")
        except httpx.HTTPError:
            body = ""
        finally:
            response.close()
        detail = _server_message(body)
        status = response.status_code
        if status in (401, 403):
            error: LLMError = ProviderResponseError(
                f"Le serveur de langage {self.base_url} refuse l'accès (clé d'API absente ou invalide)."
            )
        elif status == 404:
            error = ProviderResponseError(
                f"Adresse ou modèle introuvable sur {self.base_url} (erreur 404){detail}."
            )
        elif status == 429:
            error = ProviderUnavailable(
                f"Le serveur de langage {self.base_url} limite les requêtes (erreur 429){detail}."
            )
        elif status >= 500:
            error = ProviderUnavailable(
                f"Le serveur de langage {self.base_url} est en erreur ({status}){detail}."
            )
        else:
            error = ProviderResponseError(
                f"Le serveur de langage {self.base_url} a refusé la demande ({status}){detail}."
            )
        error.status_code = status  # type: ignore[attr-defined]
        # Some servers (llama-cpp-python's) answer 500 to an unknown response_format: that is a
        # refusal of the request's form, not a failing server — retrying would only waste time.
        rejects_format = "response_format" in body or "json_schema" in body
        error.rejects_format = rejects_format  # type: ignore[attr-defined]
        if (status == 429 or status >= 500) and not rejects_format:
            raise _Retryable(error)
        raise error

    def _read_body(self, response: httpx.Response, deadline: float) -> bytes:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise ProviderResponseError(self._garbage_message("réponse démesurément longue"))
            if time.monotonic() > deadline:
                raise ProviderTimeout(
                    f"Le serveur de langage {self.base_url} répond trop lentement : délai dépassé."
                )
        return b"".join(chunks)

    def _decode(self, body: bytes) -> dict[str, Any]:
        try:
            data = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            excerpt = body[:80].decode("utf-8", "replace").strip() or "(vide)"
            raise ProviderResponseError(self._garbage_message(f"réponse illisible « {excerpt} »")) from exc
        if not isinstance(data, dict):
            raise ProviderResponseError(self._garbage_message("la réponse n'est pas un objet JSON"))
        return data

    def _completion(self, data: dict[str, Any], messages: list[Message], started: float) -> Completion:
        if "error" in data:
            raise ProviderResponseError(f"Le serveur de langage signale une erreur : {_error_text(data)}")
        choice = _first_choice(data, self)
        message = choice.get("message")
        if not isinstance(message, dict):
            raise ProviderResponseError(self._garbage_message("réponse sans message"))
        text = message.get("content") or ""
        if not isinstance(text, str):
            raise ProviderResponseError(self._garbage_message("le contenu du message n'est pas du texte"))
        usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
        prompt_tokens = _int(usage.get("prompt_tokens"), sum(estimate_tokens(m.content) for m in messages))
        completion_tokens = _int(usage.get("completion_tokens"), estimate_tokens(text))
        return Completion(
            text=text,
            provider=self.name,
            model=str(data.get("model") or self.model),
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            latency_ms=_ms(started),
            finish_reason=choice.get("finish_reason"),
        )

    def _garbage_message(self, what: str) -> str:
        return f"Le serveur de langage {self.base_url} a renvoyé une réponse inutilisable ({what})."

    def _timeout_message(self, timeout: float | None) -> str:
        return (
            f"Le serveur de langage {self.base_url} n'a pas répondu dans le délai de "
            f"{(timeout or self.timeout):g} s."
        )


def _first_choice(data: dict[str, Any], provider: OpenAICompatibleProvider) -> dict[str, Any]:
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise ProviderResponseError(provider._garbage_message("aucun choix dans la réponse"))
    return choices[0]


def _error_text(data: dict[str, Any]) -> str:
    error = data.get("error")
    if isinstance(error, dict):
        return str(error.get("message") or error)[:300]
    return str(error)[:300]


def _server_message(body: str) -> str:
    """A short excerpt of the server's own error message, to help whoever configures the server."""
    try:
        data = json.loads(body)
    except json.JSONDecodeError:
        text = body.strip()
    else:
        text = (
            _error_text(data)
            if isinstance(data, dict) and "error" in data
            else str(data.get("detail", ""))
            if isinstance(data, dict)
            else ""
        )
    text = " ".join(text.split())[:200]
    return f" : {text}" if text else ""


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else default


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0
