"""The one exception of the reading engine, with a machine-readable reason and a French message.

Why a code as well as a message: the documents app files an unreadable upload in the "à vérifier" state
and keeps it in quarantine; it needs a stable reason to group, count and explain such files, while the
owner needs a sentence in French. Every bad input the engine knows about has its own code below.
"""

from __future__ import annotations

from typing import Final

EMPTY_FILE: Final = "empty_file"
TOO_LARGE: Final = "too_large"
TYPE_MISMATCH: Final = "type_mismatch"
UNSUPPORTED_TYPE: Final = "unsupported_type"
EXECUTABLE: Final = "executable"
ENCRYPTED_PDF: Final = "encrypted_pdf"
CORRUPT_PDF: Final = "corrupt_pdf"
CORRUPT_IMAGE: Final = "corrupt_image"
DECOMPRESSION_BOMB: Final = "decompression_bomb"
INVALID_XML: Final = "invalid_xml"
UNSUPPORTED_XML: Final = "unsupported_xml"
OCR_FAILED: Final = "ocr_failed"
TOO_MANY_PAGES: Final = "too_many_pages"

#: Every reason code the engine may raise, for callers that want to validate or translate them.
REASON_CODES: Final = frozenset(
    {
        EMPTY_FILE,
        TOO_LARGE,
        TYPE_MISMATCH,
        UNSUPPORTED_TYPE,
        EXECUTABLE,
        ENCRYPTED_PDF,
        CORRUPT_PDF,
        CORRUPT_IMAGE,
        DECOMPRESSION_BOMB,
        INVALID_XML,
        UNSUPPORTED_XML,
        OCR_FAILED,
        TOO_MANY_PAGES,
    }
)


class DocumentReadError(ValueError):
    """A file that cannot be read into text; ``code`` is stable, ``message`` is for the owner (French)."""

    def __init__(self, code: str, message: str) -> None:
        if code not in REASON_CODES:
            raise AssertionError(f"unknown reason code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"DocumentReadError(code={self.code!r}, message={self.message!r})"
