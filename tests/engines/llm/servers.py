"""Test servers on 127.0.0.1: a real llama.cpp server, and misbehaving sockets (hang, garbage, trickle).

Everything here binds to loopback only, is bounded in time and stops on teardown.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


class LlamaServer:
    """``python -m llama_cpp.server`` with a GGUF model, started and waited for; killed on ``stop``."""

    def __init__(
        self, model_path: Path, *, n_ctx: int = 1024, n_threads: int = 1, alias: str = "smollm2"
    ) -> None:
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        self.alias = alias
        # Kept open for the life of the server process (closed in stop()).
        self._log = tempfile.NamedTemporaryFile(prefix="llama-server-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(model_path),
                "--model_alias",
                alias,
                "--host",
                LOOPBACK,
                "--port",
                str(self.port),
                "--n_ctx",
                str(n_ctx),
                "--n_threads",
                str(n_threads),
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"llama.cpp server exited early:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/v1/models", timeout=1.0, trust_env=False).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"llama.cpp server not ready after {timeout:.0f} s:\n{self.log()}")

    def log(self) -> str:
        return Path(self._log.name).read_text(errors="replace")[-3000:]

    def kill(self) -> None:
        """SIGKILL, as a crash would: no graceful close of open connections."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()
        with contextlib.suppress(OSError):
            os.unlink(self._log.name)


class SocketServer:
    """A raw TCP server on loopback whose per-connection behaviour is a function (conn, stop_event).

    Used to play servers that hang, answer garbage or trickle bytes — what a real HTTP library would
    never do on purpose.
    """

    def __init__(self, handler: Callable[[socket.socket, threading.Event], None]) -> None:
        self._handler = handler
        self._stop = threading.Event()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((LOOPBACK, 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self.url = f"http://{LOOPBACK}:{self.port}"
        self.connections = 0
        self._conns: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            self._conns.append(conn)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError):
            self._handler(conn, self._stop)

    def close(self) -> None:
        self._stop.set()
        for conn in self._conns:
            with contextlib.suppress(OSError):
                conn.close()
        self._sock.close()
        self._thread.join(timeout=2)


def read_request(conn: socket.socket) -> bytes:
    """Read one HTTP request (headers + Content-Length body) so the client is waiting for the answer."""
    conn.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


class ForwardingProxy:
    """TCP proxy in front of a server; ``request_forwarded`` is set once request bytes went upstream.

    It lets a test kill the real server while a request is provably in flight, and
    ``response_bytes`` proves that no answer had come back yet.
    """

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.request_forwarded = threading.Event()
        self.response_bytes = 0
        self._server = SocketServer(self._handle)
        self.url = self._server.url

    def _handle(self, client: socket.socket, stop: threading.Event) -> None:
        try:
            upstream = socket.create_connection((LOOPBACK, self.upstream_port), timeout=2)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)

        def pump_up() -> None:
            with contextlib.suppress(OSError):
                while chunk := client.recv(65536):
                    upstream.sendall(chunk)
                    self.request_forwarded.set()

        threading.Thread(target=pump_up, daemon=True).start()
        with contextlib.suppress(OSError):
            while chunk := upstream.recv(65536):
                self.response_bytes += len(chunk)
                client.sendall(chunk)
        for sock in (client, upstream):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def close(self) -> None:
        self._server.close()


@contextlib.contextmanager
def socket_server(handler: Callable[[socket.socket, threading.Event], None]) -> Iterator[SocketServer]:
    server = SocketServer(handler)
    try:
        yield server
    finally:
        server.close()
