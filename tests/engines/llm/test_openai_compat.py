"""OpenAI-compatible provider: protocol handling (mock transport), misbehaving servers (real sockets on
loopback) and a real llama.cpp server running SmolLM2."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from etabli.engines.llm import (
    CallRecord,
    CancelToken,
    LLMEngine,
    OpenAICompatibleProvider,
    ProviderResponseError,
    ProviderTimeout,
    ProviderUnavailable,
    StructuredOutputError,
)
from tests.engines.llm.servers import ForwardingProxy, LlamaServer, free_port, read_request, socket_server

SCHEMA = {
    "type": "object",
    "properties": {"nom": {"type": "string"}, "quantite": {"type": "integer"}},
    "required": ["nom", "quantite"],
}


def completion_body(text: str, **extra: Any) -> dict[str, Any]:
    return {
        "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 11, "completion_tokens": 7},
        **extra,
    }


def mock_provider(
    handler: Callable[[httpx.Request], httpx.Response], **kwargs: Any
) -> OpenAICompatibleProvider:
    kwargs.setdefault("backoff", 0.01)
    return OpenAICompatibleProvider(
        "http://127.0.0.1:9", "m", transport=httpx.MockTransport(handler), **kwargs
    )


def finishes_within(seconds: float, call: Callable[[], Any]) -> Any:
    """Hang detector: run ``call`` in a thread; fail if it is still running after ``seconds``."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"the call hung for more than {seconds} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


# ------------------------------------------------------------------------------------------------
# Protocol handling with a mock transport
# ------------------------------------------------------------------------------------------------
def test_generate_sends_the_openai_request_and_reads_usage() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=completion_body("Bonjour !"))

    provider = mock_provider(handler, api_key="sk-test")
    result = provider.generate("Salut", system="Sois poli.", max_tokens=20, temperature=0, stop=["\n\n"])
    assert (result.text, result.prompt_tokens, result.completion_tokens) == ("Bonjour !", 11, 7)
    request = seen[0]
    assert request.url.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-test"
    body = json.loads(request.content)
    assert body["messages"] == [
        {"role": "system", "content": "Sois poli."},
        {"role": "user", "content": "Salut"},
    ]
    assert (body["max_tokens"], body["temperature"], body["stop"], body["model"]) == (20, 0.0, ["\n\n"], "m")


def test_retries_with_back_off_on_5xx_then_succeeds() -> None:
    statuses = iter([503, 502, 200])
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        status = next(statuses)
        calls.append(status)
        return httpx.Response(status, json=completion_body("ok") if status == 200 else {"error": "surcharge"})

    assert mock_provider(handler, retries=2).generate("x").text == "ok"
    assert calls == [503, 502, 200]


def test_gives_up_after_the_retries_with_a_french_message() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(500, json={"error": {"message": "CUDA out of memory"}})

    with pytest.raises(ProviderUnavailable, match=r"en erreur \(500\) : CUDA out of memory"):
        mock_provider(handler, retries=1).generate("x")
    assert len(calls) == 2


def test_refused_key_is_not_retried() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(401, json={"error": "invalid api key"})

    with pytest.raises(ProviderResponseError, match="clé d'API"):
        mock_provider(handler).generate("x")
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (httpx.Response(200, content=b"<html>Bienvenue sur nginx</html>"), "réponse illisible"),
        (httpx.Response(200, json={"result": "ok"}), "aucun choix"),
        (httpx.Response(200, json=[1, 2]), "pas un objet JSON"),
        (httpx.Response(200, json={"choices": [{"message": {"content": 42}}]}), "pas du texte"),
    ],
)
def test_garbage_answers_give_french_errors(response: httpx.Response, message: str) -> None:
    with pytest.raises(ProviderResponseError, match=message):
        mock_provider(lambda request: response).generate("x")


def sse(*events: str) -> bytes:
    return "".join(f"data: {event}\n\n" for event in events).encode()


def delta(text: str) -> str:
    return json.dumps({"choices": [{"index": 0, "delta": {"content": text}}]})


def test_stream_parses_server_sent_events() -> None:
    body = b": keep-alive\n\n" + sse(
        json.dumps({"choices": [{"delta": {"role": "assistant"}}]}),
        delta("Bon"),
        delta("jour"),
        delta(" !"),
        "[DONE]",
    )

    def handler(request: httpx.Request) -> httpx.Response:
        assert json.loads(request.content)["stream"] is True
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)

    assert list(mock_provider(handler).stream("Salut")) == ["Bon", "jour", " !"]


def test_stream_with_a_garbage_line_or_an_error_event_fails_in_french() -> None:
    garbage = httpx.Response(200, headers={"content-type": "text/event-stream"}, content=b"hello\n\n")
    with pytest.raises(ProviderResponseError, match="flux d'événements illisible"):
        list(mock_provider(lambda r: garbage).stream("x"))
    error = httpx.Response(
        200,
        headers={"content-type": "text/event-stream"},
        content=sse(delta("a"), json.dumps({"error": {"message": "boom"}})),
    )
    with pytest.raises(ProviderResponseError, match="boom"):
        list(mock_provider(lambda r: error).stream("x"))


class _TrackedStream(httpx.SyncByteStream):
    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks

    def close(self) -> None:
        self.closed = True


def test_closing_the_stream_closes_the_connection() -> None:
    body = _TrackedStream([sse(delta(str(i))) for i in range(50)])
    provider = mock_provider(
        lambda r: httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=body)
    )
    stream = provider.stream("Compte")
    assert [next(stream), next(stream)] == ["0", "1"]
    stream.close()
    assert body.closed


def test_server_ignoring_stream_flag_still_streams_one_chunk() -> None:
    provider = mock_provider(lambda r: httpx.Response(200, json=completion_body("Tout d'un coup.")))
    assert list(provider.stream("x")) == ["Tout d'un coup."]


def test_json_schema_falls_back_to_prompt_and_validation_with_retry() -> None:
    requests: list[dict[str, Any]] = []
    answers = iter(
        [
            httpx.Response(400, json={"error": "unknown response_format json_schema"}),
            httpx.Response(200, json=completion_body("Voici le produit : chaise")),  # json_object ignored
            httpx.Response(200, json=completion_body('{"nom": "chaise"}')),  # prompt mode, invalid
            httpx.Response(200, json=completion_body('```json\n{"nom": "chaise", "quantite": 4}\n```')),
            httpx.Response(200, json=completion_body('{"nom": "table", "quantite": 1}')),
        ]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(json.loads(request.content))
        return next(answers)

    provider = mock_provider(handler)
    result = provider.generate("Un produit", json_schema=SCHEMA)
    assert result.json == {"nom": "chaise", "quantite": 4}
    assert result.prompt_tokens == 33 and result.completion_tokens == 21  # three answered attempts
    assert requests[0]["response_format"]["type"] == "json_schema"
    assert requests[1]["response_format"] == {"type": "json_object", "schema": SCHEMA}
    assert "response_format" not in requests[2] and "schéma JSON" in requests[2]["messages"][0]["content"]
    correction = requests[3]["messages"][-1]["content"]
    assert "quantite" in correction and "n'est pas utilisable" in correction
    assert provider.generate("Un autre", json_schema=SCHEMA).json == {"nom": "table", "quantite": 1}
    assert len(requests) == 5, "the working mode is remembered"


def test_json_that_never_validates_raises_structured_output_error() -> None:
    provider = mock_provider(
        lambda r: httpx.Response(200, json=completion_body("pas de JSON")), schema_retries=1
    )
    with pytest.raises(StructuredOutputError, match="JSON conforme"):
        provider.generate("x", json_schema=SCHEMA)


def test_empty_model_is_taken_from_the_server_list_and_health_reports_missing_models() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/models":
            return httpx.Response(
                200, json={"object": "list", "data": [{"id": "qwen2.5:7b"}, {"id": "mistral"}]}
            )
        assert json.loads(request.content)["model"] == "qwen2.5:7b"
        return httpx.Response(200, json=completion_body("ok"))

    provider = OpenAICompatibleProvider("http://127.0.0.1:9", transport=httpx.MockTransport(handler))
    assert provider.generate("x").text == "ok" and provider.model == "qwen2.5:7b"
    health = OpenAICompatibleProvider(
        "http://127.0.0.1:9", "llama3", transport=httpx.MockTransport(handler)
    ).health()
    assert (
        not health.ok
        and "« llama3 » n'y figure pas" in health.detail
        and health.models == ["qwen2.5:7b", "mistral"]
    )


# ------------------------------------------------------------------------------------------------
# Misbehaving servers on loopback
# ------------------------------------------------------------------------------------------------
def test_server_that_accepts_and_never_answers_times_out() -> None:
    def hang(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        stop.wait(30)

    with socket_server(hang) as server:
        provider = OpenAICompatibleProvider(server.url, "m", timeout=1.0, retries=2, backoff=0.01)
        with pytest.raises(ProviderTimeout, match="n'a pas répondu dans le délai"):
            finishes_within(20, lambda: provider.generate("Bonjour"))
        assert server.connections == 1, "a hanging server is not retried"
        records: list[CallRecord] = []
        result = finishes_within(
            20,
            lambda: LLMEngine(provider, on_call=records.append).compose(
                "posts", prompt="Bonjour", template=lambda: "Texte du modèle.", facts={}
            ),
        )
        assert result.text == "Texte du modèle." and "n'a pas répondu à temps" in result.fallback_reason
        assert records[0].ok is False


def test_server_trickling_its_answer_is_cut_at_the_deadline() -> None:
    def trickle(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
        while not stop.wait(0.2):
            conn.sendall(b" ")

    with socket_server(trickle) as server:
        provider = OpenAICompatibleProvider(server.url, "m", timeout=1.5, retries=0)
        with pytest.raises(ProviderTimeout, match="trop lentement"):
            finishes_within(20, lambda: provider.generate("Bonjour"))


def test_server_speaking_another_protocol_gives_a_french_error() -> None:
    def garbage(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        conn.sendall(b"SSH-2.0-OpenSSH_9.2\r\nProtocol mismatch.\r\n\r\n")
        conn.close()

    with socket_server(garbage) as server:
        provider = OpenAICompatibleProvider(server.url, "m", timeout=5, retries=2)
        with pytest.raises(ProviderResponseError, match="pas une réponse HTTP valide"):
            finishes_within(20, lambda: provider.generate("Bonjour"))
        assert server.connections == 1, "garbage is not retried"
        health = provider.health()
        assert not health.ok and "inutilisable" in health.detail


def test_server_closing_without_answer_is_retried_then_unavailable() -> None:
    def close_at_once(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        conn.close()

    with socket_server(close_at_once) as server:
        provider = OpenAICompatibleProvider(server.url, "m", timeout=5, retries=2, backoff=0.01)
        with pytest.raises(ProviderUnavailable, match="a fermé la connexion sans répondre"):
            finishes_within(20, lambda: provider.generate("Bonjour"))
        assert server.connections == 3


def test_nothing_listening_is_unavailable_after_retries() -> None:
    provider = OpenAICompatibleProvider(
        f"http://127.0.0.1:{free_port()}", "m", timeout=5, retries=1, backoff=0.01
    )
    with pytest.raises(ProviderUnavailable, match="injoignable"):
        provider.generate("Bonjour")
    assert not provider.health().ok


# ------------------------------------------------------------------------------------------------
# A real llama.cpp server running SmolLM2-135M
# ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def server_provider(llama_server: LlamaServer) -> Iterator[OpenAICompatibleProvider]:
    provider = OpenAICompatibleProvider(llama_server.url, llama_server.alias, timeout=60)
    yield provider
    provider.close()


@pytest.mark.slow
def test_real_server_health_generate_and_stream(server_provider: OpenAICompatibleProvider) -> None:
    health = server_provider.health()
    assert health.ok and health.models == ["smollm2"]
    result = server_provider.generate("Say hello to Marie.", max_tokens=16, temperature=0)
    assert result.text.strip() and result.completion_tokens > 0 and result.prompt_tokens > 0
    chunks = list(server_provider.stream("Count from one to ten.", max_tokens=24, temperature=0))
    assert len(chunks) >= 3 and "".join(chunks).strip()


@pytest.mark.slow
def test_real_server_json_schema_is_enforced(server_provider: OpenAICompatibleProvider) -> None:
    result = server_provider.generate(
        "Give one product from a carpenter's shop.", json_schema=SCHEMA, max_tokens=64, temperature=0
    )
    assert isinstance(result.json["nom"], str) and isinstance(result.json["quantite"], int)
    assert json.loads(result.text) == result.json


@pytest.mark.slow
def test_real_server_stream_cancellation_stops_generation(server_provider: OpenAICompatibleProvider) -> None:
    token = CancelToken()
    received = []
    for chunk in server_provider.stream("Write a long story about a forest.", max_tokens=200, cancel=token):
        received.append(chunk)
        if len(received) == 3:
            token.cancel()
    assert len(received) == 3
    assert server_provider.generate("Say yes.", max_tokens=4).text  # the server is free again


@pytest.mark.slow
def test_server_killed_mid_request_falls_back_to_the_template(smollm2_path: Any) -> None:
    server = LlamaServer(smollm2_path, n_ctx=1024, n_threads=1)
    proxy: ForwardingProxy | None = None
    try:
        server.wait_ready()
        proxy = ForwardingProxy(server.port)
        provider = OpenAICompatibleProvider(proxy.url, "smollm2", timeout=60, retries=1, backoff=0.05)
        records: list[CallRecord] = []
        engine = LLMEngine(provider, on_call=records.append)
        outcome: dict[str, Any] = {}
        worker = threading.Thread(
            target=lambda: outcome.setdefault(
                "result",
                engine.compose(
                    "posts",
                    prompt="Write a very long story about a carpenter and his forest, in many chapters.",
                    template=lambda: "Texte du modèle.",
                    facts={},
                    max_tokens=600,
                    temperature=0.0,
                ),
            )
        )
        worker.start()
        assert proxy.request_forwarded.wait(30), "the request never reached the server"
        time.sleep(0.3)
        assert proxy.response_bytes == 0, "the server had already answered: not a mid-request kill"
        server.kill()
        worker.join(30)
        assert not worker.is_alive()
        result = outcome["result"]
        assert result.text == "Texte du modèle." and not result.generated_by_ai
        assert "indisponible" in result.fallback_reason
        assert records[0].ok is False and records[0].used_template
    finally:
        if proxy is not None:
            proxy.close()
        server.stop()
