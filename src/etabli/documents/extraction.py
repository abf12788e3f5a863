"""``etabli documents extract`` and ``POST /api/v1/documents/extract``: read files without storing them.

The JSON of each file is exactly the engine's contract (:func:`etabli.engines.extract.extract_file_contract`):
``{"file", "doc_type", "fields", "confidence", "checks"}`` with missing fields ``null``. A file that cannot be
read gets the same shape with every field ``null`` plus ``"error": {"code", "message"}`` (French message).
"""

from __future__ import annotations

import os
from pathlib import Path

from etabli.engines.extract import CONTRACT_FIELDS, extract_file_contract
from etabli.engines.ocr import DocumentReadError


def extract_contract(path: str | os.PathLike[str]) -> dict:
    try:
        return extract_file_contract(Path(path))
    except DocumentReadError as error:
        return {
            "file": os.fspath(path),
            "doc_type": None,
            "fields": {name: None for name in CONTRACT_FIELDS},
            "confidence": {name: 0.0 for name in CONTRACT_FIELDS},
            "checks": [],
            "error": {"code": error.code, "message": error.message},
        }
