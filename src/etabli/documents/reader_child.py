"""Child process that reads one file (``etabli.engines.ocr``) and extracts its fields (``etabli.engines.extract``).

Run as ``python -m etabli.documents.reader_child REQUEST.json RESULT.pickle`` by :mod:`etabli.documents.reading`.

Why a separate process for every document:
- OCRmyPDF keeps process-wide state and must not run in several threads of one process; the Huey worker
  runs its tasks in threads, so each OCR gets its own process;
- a file that crashes a native library (a malformed image in libtiff, a PDF that makes a parser loop) kills
  this child, not the worker: the parent sees the exit code and puts the document « à vérifier »;
- memory and time are bounded here (``RLIMIT_AS``, the parent's timeout), so a decompression bomb that slipped
  past the checks cannot take the server down.

No Django import: this module only needs the pure engines.
"""

from __future__ import annotations

import json
import os
import pickle
import sys


def _limit_memory() -> None:
    megabytes = int(os.environ.get("ETABLI_DOCUMENTS_MEMORY_MB", "4096"))
    if megabytes <= 0:
        return
    try:
        import resource

        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not on this platform: the parent's timeout still applies
        pass


def run(request: dict) -> tuple:
    from etabli.engines.extract import extract_invoice
    from etabli.engines.ocr import DocumentReadError, ReadOptions, read_document

    options = ReadOptions(**request.get("options", {}))
    try:
        result = read_document(request["path"], filename=request.get("filename"), options=options)
    except DocumentReadError as error:
        return ("error", error.code, error.message)
    extraction = extract_invoice(result)
    return ("ok", result, extraction)


#: Modules the fork server imports once, so that each reading starts in milliseconds.
PRELOAD = ["etabli.documents.reader_child", "etabli.engines.ocr", "etabli.engines.extract", "pdfplumber", "pikepdf",
           "PIL.Image", "lxml.etree", "facturx", "schwifty", "stdnum.fr.siren"]


def _die_with_parent() -> None:
    """Linux: if the fork server (hence the worker) dies, this reading dies too instead of running orphaned."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def child_entry(request_path: str, result_path: str) -> None:
    """Entry point in a process forked from the fork server: own process group, bounded memory."""
    os.setsid()  # the parent kills the whole group (Tesseract, Ghostscript) on timeout
    _die_with_parent()
    import tempfile

    work = os.path.dirname(request_path)  # removed by the parent whatever happens here
    os.environ["TMPDIR"] = work
    tempfile.tempdir = work
    sys.exit(main(["", request_path, result_path]))


def main(argv: list[str]) -> int:
    request_path, result_path = argv[1], argv[2]
    _limit_memory()
    with open(request_path, encoding="utf-8") as handle:
        request = json.load(handle)
    if "languages" in request.get("options", {}):
        request["options"]["languages"] = tuple(request["options"]["languages"])
    try:
        outcome = run(request)
    except MemoryError:
        outcome = ("error", "too_large", "Le document demande trop de mémoire pour être lu.")
    with open(result_path, "wb") as handle:
        pickle.dump(outcome, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
