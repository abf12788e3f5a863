"""Open a PDF safely and read its text layer as positioned words.

Why pikepdf first: it tells an encrypted file (password needed) from a damaged one, repairs the many
slightly broken PDFs that office software produces, and removes owner-only restrictions (a "protected"
invoice that opens without a password is still an invoice). pdfplumber then gives word boxes.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pdfplumber
import pikepdf

from etabli.engines.ocr.errors import CORRUPT_PDF, ENCRYPTED_PDF, TOO_MANY_PAGES, DocumentReadError
from etabli.engines.ocr.layout import page_text
from etabli.engines.ocr.models import Page, ReadOptions, Word

#: Text extracted as "(cid:12)" means a font without a Unicode map: the text layer is unusable.
_CID = re.compile(r"\(cid:\d+\)")
#: A word narrower than this fraction of the page height is fine; the tolerances are pdfplumber's.
X_TOLERANCE = 2.0
Y_TOLERANCE = 3.0


@dataclass(frozen=True)
class OpenedPdf:
    """A PDF that opens without a password: its bytes (decrypted if needed) and its page count."""

    data: bytes
    page_count: int
    was_encrypted: bool


def open_pdf(data: bytes, options: ReadOptions) -> OpenedPdf:
    """Validate a PDF; raise a :class:`DocumentReadError` if it is encrypted, damaged or too long."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            page_count = len(pdf.pages)
            was_encrypted = pdf.is_encrypted
            if page_count > options.max_pages:
                raise DocumentReadError(
                    TOO_MANY_PAGES,
                    f"Le PDF contient {page_count} pages ; la limite est de {options.max_pages}.",
                )
            if was_encrypted:
                buffer = io.BytesIO()
                pdf.save(buffer)  # saving without ``encryption=`` writes a decrypted copy
                data = buffer.getvalue()
    except pikepdf.PasswordError as exc:
        raise DocumentReadError(
            ENCRYPTED_PDF,
            "Le PDF est protégé par un mot de passe : il ne peut pas être lu. Demandez une version "
            "non protégée à l'expéditeur.",
        ) from exc
    except DocumentReadError:
        raise
    except (pikepdf.PdfError, OSError, ValueError, RuntimeError) as exc:
        raise DocumentReadError(CORRUPT_PDF, "Le PDF est endommagé et ne peut pas être lu.") from exc
    if page_count == 0:
        raise DocumentReadError(CORRUPT_PDF, "Le PDF ne contient aucune page lisible.")
    return OpenedPdf(data=data, page_count=page_count, was_encrypted=was_encrypted)


def read_text_layer(data: bytes) -> list[Page]:
    """Every page with the words of its text layer (possibly none: a scan)."""
    pages: list[Page] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, plumber_page in enumerate(pdf.pages, start=1):
                words = tuple(
                    Word(
                        text=item["text"],
                        x0=float(item["x0"]),
                        top=float(item["top"]),
                        x1=float(item["x1"]),
                        bottom=float(item["bottom"]),
                        page=number,
                    )
                    for item in plumber_page.extract_words(
                        x_tolerance=X_TOLERANCE, y_tolerance=Y_TOLERANCE, keep_blank_chars=False
                    )
                    if item["text"].strip()
                )
                pages.append(
                    Page(
                        number=number,
                        width=float(plumber_page.width),
                        height=float(plumber_page.height),
                        words=words,
                        source="text",
                        text=page_text(words),
                    )
                )
                plumber_page.close()
    except Exception as exc:
        raise DocumentReadError(CORRUPT_PDF, "Le PDF est endommagé et ne peut pas être lu.") from exc
    return pages


def has_usable_text(page: Page, min_chars: int) -> bool:
    """True when the text layer is worth reading: enough characters and not undecodable glyph ids."""
    text = page.text
    if len(_CID.findall(text)) * 8 > max(len(text), 1) / 4:
        return False
    return sum(1 for char in text if char.isalnum()) >= min_chars
