"""Plain results of reading a file: words with their boxes, pages, and the reading options.

Coordinates are PDF points (1/72 inch) with the origin at the top-left corner of the page *as displayed*
(pdfplumber's convention: ``x0, top, x1, bottom``). The same convention holds for text-layer words and for
OCR words, so the validation screen can draw a highlight over the page image without knowing how the
word was read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ReadKind = Literal["text_pdf", "ocr", "einvoice_xml"]
WordSource = Literal["text", "ocr"]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_PAGES = 200
#: Pillow's own default (``Image.MAX_IMAGE_PIXELS``, ~89 Mpx): an A4 page at 600 dpi is ~35 Mpx.
DEFAULT_MAX_IMAGE_PIXELS = 89_478_485


@dataclass(frozen=True)
class Word:
    """One word and where it is on its page (points, top-left origin); OCR words carry a 0–1 confidence."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    page: int
    confidence: float | None = None

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)


@dataclass(frozen=True)
class Page:
    """A page as displayed: its size in points, its words in reading order, and how they were read."""

    number: int
    width: float
    height: float
    words: tuple[Word, ...]
    source: WordSource
    text: str = ""
    confidence: float | None = None


@dataclass(frozen=True)
class ReadResult:
    """Everything the extraction step needs from a file, whatever its kind.

    ``kind`` tells how the text was obtained: the PDF text layer, OCR, or an e-invoice's XML (then
    ``einvoice_xml`` holds the XML bytes and ``pages`` may still carry the PDF's visible text for the
    highlight). ``searchable_pdf`` is the PDF/A copy produced by OCR (None when no OCR was needed).
    """

    kind: ReadKind
    text: str
    pages: tuple[Page, ...]
    page_count: int
    mime_type: str
    einvoice_xml: bytes | None = None
    einvoice_format: str | None = None
    searchable_pdf: bytes | None = None
    ocr_confidence: float | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ReadOptions:
    """Limits and OCR settings; the defaults suit a TPE's scans and photos on one CPU core.

    - ``max_bytes`` / ``max_pages`` / ``max_image_pixels``: refuse oversized input early (a 200 MB upload,
      a decompression bomb) instead of exhausting the worker.
    - ``languages``: Tesseract languages (French first, English for foreign suppliers).
    - ``deskew``: straighten slightly rotated scans (fast projection-profile estimate, see ``deskew.py``).
    - ``rotate_pages``: ``"auto"`` runs Tesseract's orientation detection only when a first OCR pass reads
      poorly (upside-down or sideways scans), ``True`` always, ``False`` never — OSD costs ~1.5 s a page.
    - ``pdfa``: produce a PDF/A-2b searchable copy (pikepdf's fast path, Ghostscript as OCRmyPDF's
      fallback); ``False`` gives a plain searchable PDF.
    - ``min_chars_per_page``: below this many text-layer characters a PDF page is treated as a scan.
    - ``ocr``: set to False to never run OCR (scans then come back with no words and a warning).
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    max_pages: int = DEFAULT_MAX_PAGES
    max_image_pixels: int = DEFAULT_MAX_IMAGE_PIXELS
    languages: tuple[str, ...] = ("fra", "eng")
    deskew: bool = True
    rotate_pages: bool | Literal["auto"] = "auto"
    pdfa: bool = True
    min_chars_per_page: int = 20
    ocr: bool = True
    ocr_timeout_seconds: float = 180.0
    #: Under this mean word confidence (0–1), ``rotate_pages="auto"`` retries with orientation detection.
    retry_rotation_below: float = 0.55
    #: Tesseract OSD confidence needed to turn a page on that retry (OCRmyPDF's own default is 14: too
    #: strict for a sparse page that we already know reads badly upright).
    retry_rotation_threshold: float = 2.0
