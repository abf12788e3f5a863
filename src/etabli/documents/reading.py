"""Read a stored file in a child process and bring back what the engines found.

See :mod:`etabli.documents.reader_child` for why every reading runs in its own process. A crash, a timeout
or an out-of-memory in the child becomes a :class:`DocumentReadError` with a French message, exactly like a
file the engine refuses: the caller files the document « à vérifier » and the worker carries on.
"""

from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from etabli.engines.extract import InvoiceExtraction
from etabli.engines.ocr import DocumentReadError, ReadResult

#: A scanned page takes 3–10 s on one core; 15 minutes leaves room for long scans on a busy machine.
DEFAULT_TIMEOUT_SECONDS = 900


@dataclass(frozen=True)
class ReadOutcome:
    result: ReadResult
    extraction: InvoiceExtraction


def timeout_seconds() -> int:
    return int(os.environ.get("ETABLI_DOCUMENTS_TIMEOUT", str(DEFAULT_TIMEOUT_SECONDS)))


def read_in_child(path: Path, *, filename: str, ocr: bool = True, timeout: int | None = None) -> ReadOutcome:
    """Read and extract ``path`` in a fresh process; raise :class:`DocumentReadError` on any failure."""
    folder = Path(settings.DATA_DIR) / "tmp" / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="read-", dir=folder) as work:
        request_path, result_path = Path(work) / "request.json", Path(work) / "result.pickle"
        request_path.write_text(
            json.dumps({"path": str(path), "filename": filename, "options": {"ocr": ocr}}), encoding="utf-8"
        )
        limit = timeout or timeout_seconds()
        if _use_fork_server():
            returncode, stderr = _run_forked(request_path, result_path, limit)
        else:
            returncode, stderr = _run_subprocess(request_path, result_path, limit, work)
        if returncode is None:
            raise DocumentReadError(
                "ocr_failed",
                f"La lecture a dépassé {limit} secondes et a été arrêtée (document trop long ou illisible).",
            )
        if returncode != 0 or not result_path.exists():
            raise DocumentReadError("ocr_failed", _crash_message(returncode, stderr))
        with open(result_path, "rb") as handle:
            outcome = pickle.load(handle)
    if outcome[0] == "error":
        _, code, message = outcome
        raise DocumentReadError(code, message)
    _, result, extraction = outcome
    return ReadOutcome(result=result, extraction=extraction)


def _use_fork_server() -> bool:
    import multiprocessing

    return "forkserver" in multiprocessing.get_all_start_methods() and os.environ.get(
        "ETABLI_DOCUMENTS_READER", "forkserver") == "forkserver"


_context = None
_context_lock = threading.Lock()


def _fork_context():
    """A fork server that imported the engines once: each reading is a fresh process forked from it
    (isolation of a subprocess, start-up in milliseconds instead of ~2 s of imports)."""
    global _context
    with _context_lock:
        if _context is None:
            import multiprocessing

            from etabli.documents.reader_child import PRELOAD

            os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # Tesseract: one thread per page (shared machine)
            os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            _context = context
        return _context


def _run_forked(request_path: Path, result_path: Path, limit: int) -> tuple[int | None, bytes]:
    from etabli.documents.reader_child import child_entry

    process = _fork_context().Process(target=child_entry, args=(str(request_path), str(result_path)),
                                      name="etabli-lecture", daemon=False)
    process.start()
    process.join(limit)
    if process.is_alive():
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()
        process.join(10)
        return None, b""
    return process.exitcode, b""


def _run_subprocess(request_path: Path, result_path: Path, limit: int, work: str) -> tuple[int | None, bytes]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "OPENBLAS_NUM_THREADS": "1", "TMPDIR": work}
    process = subprocess.Popen(
        [sys.executable, "-m", "etabli.documents.reader_child", str(request_path), str(result_path)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
        start_new_session=True,  # its own process group: a timeout kills Tesseract/Ghostscript too
    )
    try:
        _, stderr = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()
        process.wait()
        return None, b""
    return process.returncode, stderr or b""


def _crash_message(returncode: int | None, stderr: bytes | None) -> str:
    if returncode is not None and returncode < 0:
        name = signal.Signals(-returncode).name if -returncode in signal.Signals._value2member_map_ else str(-returncode)
        return f"La lecture s'est arrêtée brutalement (signal {name}) : le fichier est probablement endommagé."
    tail = (stderr or b"").decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    if "MemoryError" in tail[0]:
        return "Le document demande trop de mémoire pour être lu."
    return "La lecture a échoué de façon inattendue : le fichier est probablement endommagé."
