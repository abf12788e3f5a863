"""An OpenAI-compatible HTTP server on 127.0.0.1 whose answers a test scripts.

Why: the model path of each feature must be tested through the real plumbing — company settings, the
real HTTP provider, budget, AI decision log, grounding check, template fallback — with answers known in
advance (a real small model cannot be made to cite a wrong price on demand). It speaks the subset of the
API the provider uses (``GET /v1/models``, ``POST /v1/chat/completions``), binds to loopback only and
stops with the test.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = str | Callable[[dict[str, Any]], str]

#: A French sentence citing nothing (no number, date or name): it passes every grounding check.
GROUNDED = "Un travail soigné et des conseils honnêtes : parlons ensemble de votre projet."


class ScriptedLLMServer:
    """``answers`` are used in order, then ``default``; each request's JSON body lands in ``requests``."""

    def __init__(self, *answers: Answer, default: Answer = GROUNDED) -> None:
        self.answers: list[Answer] = list(answers)
        self.default: Answer = default
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep the test output clean
                return

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/models"):
                    self._send(200, {"object": "list", "data": [{"id": "scripted", "object": "model"}]})
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                text = server._answer(payload)
                prompt = " ".join(m.get("content", "") for m in payload.get("messages", []))
                self._send(200, {
                    "id": "scripted-1", "object": "chat.completion", "model": payload.get("model") or "scripted",
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                 "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": max(1, len(prompt) // 4), "completion_tokens": max(1, len(text) // 4)},
                })

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()

    def _answer(self, payload: dict[str, Any]) -> str:
        with self._lock:
            self.requests.append(payload)
            answer = self.answers.pop(0) if self.answers else self.default
        return answer(payload) if callable(answer) else answer

    def prompts(self) -> list[str]:
        return [payload["messages"][-1]["content"] for payload in self.requests]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
