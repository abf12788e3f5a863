"""Recognise a file from its first bytes, never from its name.

Why: an upload's name is whatever the sender chose. A program renamed ``facture.pdf`` must be refused
before any parser touches it, and a PDF saved as ``scan.jpg`` should still be read. The name only serves
to detect a mismatch worth reporting (a classic trick in malicious attachments).
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Literal

from etabli.engines.ocr.errors import EXECUTABLE, TYPE_MISMATCH, UNSUPPORTED_TYPE, DocumentReadError

FileType = Literal["pdf", "png", "jpeg", "tiff", "xml"]

MIME_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "tiff": "image/tiff",
    "xml": "application/xml",
}

IMAGE_TYPES = frozenset({"png", "jpeg", "tiff"})

_EXTENSIONS: dict[str, str] = {
    ".pdf": "pdf",
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".jpe": "jpeg",
    ".tif": "tiff",
    ".tiff": "tiff",
    ".xml": "xml",
}

# Signatures of content we refuse, with the French name used in the message.
_REFUSED_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "un programme exécutable Windows"),
    (b"\x7fELF", "un programme exécutable Linux"),
    (b"\xfe\xed\xfa\xce", "un programme exécutable macOS"),
    (b"\xfe\xed\xfa\xcf", "un programme exécutable macOS"),
    (b"\xce\xfa\xed\xfe", "un programme exécutable macOS"),
    (b"\xcf\xfa\xed\xfe", "un programme exécutable macOS"),
    (b"\xca\xfe\xba\xbe", "un programme exécutable macOS ou Java"),
    (b"#!", "un script exécutable"),
)

_OTHER_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "une archive ZIP (ou un document Office)"),
    (b"Rar!", "une archive RAR"),
    (b"7z\xbc\xaf\x27\x1c", "une archive 7-Zip"),
    (b"\x1f\x8b", "une archive gzip"),
    (b"GIF8", "une image GIF"),
    (b"BM", "une image BMP"),
    (b"\xd0\xcf\x11\xe0", "un ancien document Office"),
)

SUPPORTED_HINT = "PDF, PNG, JPEG, TIFF ou facture électronique XML (Factur-X, UBL, CII)"


def detect_file_type(head: bytes) -> FileType | None:
    """The type of a file from its first bytes (≥ 1 KiB is best), or None when it is none we read."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    # The PDF header may follow a little junk (the spec tolerates up to 1024 bytes before it).
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if _looks_like_xml(head):
        return "xml"
    return None


def _looks_like_xml(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<?xml"):
        return True
    # UTF-16 XML declarations start with a BOM and "<\0?\0x".
    if head.startswith((b"\xff\xfe<\x00", b"\xfe\xff\x00<")):
        return True
    return text.startswith((b"<!--", b"<!DOCTYPE")) or (text.startswith(b"<") and text[1:2].isalpha())


def describe_refused_content(head: bytes) -> str | None:
    """A French description of content we never read (programs, archives…), or None."""
    for signature, label in _REFUSED_SIGNATURES + _OTHER_SIGNATURES:
        if head.startswith(signature):
            return label
    return None


def is_executable(head: bytes) -> bool:
    return any(head.startswith(signature) for signature, _ in _REFUSED_SIGNATURES)


def type_from_name(filename: str | None) -> str | None:
    if not filename:
        return None
    return _EXTENSIONS.get(PurePath(filename).suffix.lower())


def identify(head: bytes, filename: str | None) -> FileType:
    """The content type, or a :class:`DocumentReadError` for refused, unknown or disguised content."""
    detected = detect_file_type(head)
    claimed = type_from_name(filename)
    suffix = PurePath(filename).suffix.lower() if filename else ""
    if detected is None:
        description = describe_refused_content(head) or "un format inconnu"
        if claimed is not None:
            raise DocumentReadError(
                TYPE_MISMATCH,
                f"Le fichier « {filename} » porte l'extension {suffix} mais son contenu est "
                f"{description} : il a été refusé par précaution.",
            )
        if is_executable(head):
            raise DocumentReadError(
                EXECUTABLE, f"Le fichier est {description} : il a été refusé par précaution."
            )
        raise DocumentReadError(
            UNSUPPORTED_TYPE,
            f"Format non pris en charge ({description}). Formats acceptés : {SUPPORTED_HINT}.",
        )
    if claimed is not None and claimed != detected and not _harmless_mismatch(claimed, detected):
        raise DocumentReadError(
            TYPE_MISMATCH,
            f"Le fichier « {filename} » porte l'extension {suffix} mais son contenu est de type "
            f"{detected.upper()} : il a été refusé par précaution.",
        )
    return detected


def _harmless_mismatch(claimed: str, detected: str) -> bool:
    """A PNG saved as .jpg is common and harmless: both are images we decode the same safe way."""
    return claimed in IMAGE_TYPES and detected in IMAGE_TYPES
