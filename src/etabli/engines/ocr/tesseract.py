"""OCR through OCRmyPDF + Tesseract: a searchable PDF/A copy and positioned words with confidences.

Settings chosen for throughput on one core (the target is ≥ 10 pages a minute): one job, no image
optimisation (``optimize=0``), pikepdf's fast PDF/A path (Ghostscript only as OCRmyPDF's fallback), the
NumPy deskew of our plugin instead of a second Tesseract pass, and orientation detection (OSD, ≈1.5 s a
page) only when a first pass reads poorly (``rotate_pages="auto"``). Only the pages that need OCR are
rasterised (``pages=`` + ``mode="force"``); pages with a good text layer keep their vector text.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from etabli.engines.ocr._ocrmypdf_plugin import HOCR_FOLDER
from etabli.engines.ocr.errors import OCR_FAILED, DocumentReadError
from etabli.engines.ocr.layout import page_text
from etabli.engines.ocr.models import Page, ReadOptions, Word

PLUGIN = "etabli.engines.ocr._ocrmypdf_plugin"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OcrOutput:
    pdf: bytes
    pages: tuple[Page, ...]
    confidence: float | None
    rotated: bool
    pdfa: bool


def ocr_pdf(
    data: bytes,
    options: ReadOptions,
    *,
    ocr_pages: Sequence[int],
    text_pages: Sequence[Page],
) -> OcrOutput:
    """OCR the given 1-based pages of a PDF; other pages keep the words of ``text_pages``."""
    rotate = options.rotate_pages
    first = _run(data, options, ocr_pages, text_pages, rotate=rotate is True)
    if rotate != "auto" or not _reads_poorly(first, options):
        return first
    log.info(
        "OCR médiocre (confiance %.2f) : nouvel essai avec détection d'orientation", first.confidence or 0
    )
    # The first pass already says the page reads badly upright, so a weaker orientation verdict is enough.
    second = _run(
        data, options, ocr_pages, text_pages, rotate=True, rotate_threshold=options.retry_rotation_threshold
    )
    return second if (second.confidence or 0) > (first.confidence or 0) else first


def _reads_poorly(output: OcrOutput, options: ReadOptions) -> bool:
    ocr_pages = [page for page in output.pages if page.source == "ocr"]
    return any(
        (page.confidence or 0) < options.retry_rotation_below or len(page.words) < 5 for page in ocr_pages
    )


def _run(
    data: bytes,
    options: ReadOptions,
    ocr_pages: Sequence[int],
    text_pages: Sequence[Page],
    *,
    rotate: bool,
    rotate_threshold: float | None = None,
) -> OcrOutput:
    import ocrmypdf  # imported here: loading OCRmyPDF and its plugins costs ~1 s, only scans need it
    from ocrmypdf.exceptions import ExitCodeException

    with tempfile.TemporaryDirectory(prefix="etabli-ocr-") as folder:
        source, target = Path(folder) / "input.pdf", Path(folder) / "output.pdf"
        source.write_bytes(data)
        try:
            ocrmypdf.ocr(
                source,
                target,
                language=list(options.languages),
                jobs=1,
                # "auto": PDF/A when it can be made (pikepdf fast path, else Ghostscript), a plain PDF
                # otherwise instead of failing — Ghostscript 10.0 rejects some producers' fonts.
                output_type="auto" if options.pdfa else "pdf",
                optimize=0,
                deskew=options.deskew,
                rotate_pages=rotate,
                **({"rotate_pages_threshold": rotate_threshold} if rotate_threshold is not None else {}),
                mode="force",
                pages=",".join(str(number) for number in ocr_pages),
                tesseract_timeout=options.ocr_timeout_seconds,
                max_image_mpixels=options.max_image_pixels / 1_000_000,
                invalidate_digital_signatures=True,
                progress_bar=False,
                plugins=[PLUGIN],
            )
        except ExitCodeException as exc:
            raise DocumentReadError(
                OCR_FAILED, f"La reconnaissance de texte a échoué : {_french_reason(exc)}"
            ) from exc
        except Exception as exc:
            log.exception("OCRmyPDF a échoué")
            raise DocumentReadError(
                OCR_FAILED, f"La reconnaissance de texte a échoué : erreur interne ({type(exc).__name__})"
            ) from exc
        if not target.exists():
            raise DocumentReadError(OCR_FAILED, "La reconnaissance de texte n'a produit aucun fichier.")
        pdf_bytes = target.read_bytes()
        pages = _pages_from_output(pdf_bytes, Path(folder) / HOCR_FOLDER, set(ocr_pages), text_pages)
    confidences = [(page.confidence, len(page.text)) for page in pages if page.source == "ocr"]
    total = sum(weight for _, weight in confidences)
    confidence = (
        round(sum((value or 0) * weight for value, weight in confidences) / total, 3) if total else None
    )
    return OcrOutput(
        pdf=pdf_bytes, pages=tuple(pages), confidence=confidence, rotated=rotate, pdfa=_is_pdfa(pdf_bytes)
    )


def _is_pdfa(pdf_bytes: bytes) -> bool:
    import io

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        return bool(pdf.open_metadata().pdfa_status)


def _french_reason(exc: Exception) -> str:
    name = type(exc).__name__
    reasons = {
        "EncryptedPdfError": "le PDF est chiffré",
        "InputFileError": "le fichier d'entrée est invalide",
        "MissingDependencyError": "un composant (Tesseract ou Ghostscript) est absent du serveur",
        "TesseractConfigError": "la configuration de Tesseract est invalide",
        "SubprocessOutputError": "Tesseract ou Ghostscript s'est arrêté en erreur",
        "DpiError": "la résolution de l'image est invalide",
        "UnsupportedImageFormatError": "le format d'image n'est pas pris en charge",
    }
    return reasons.get(name, f"erreur interne ({name})")


def _pages_from_output(
    pdf_bytes: bytes, hocr_folder: Path, ocr_pages: set[int], text_pages: Sequence[Page]
) -> list[Page]:
    sizes = _display_sizes(pdf_bytes)
    pages: list[Page] = []
    for number, (width, height) in enumerate(sizes, start=1):
        hocr = hocr_folder / f"{number:06d}_ocr_hocr.hocr"
        if number in ocr_pages and hocr.exists():
            words, confidence = _words_from_hocr(hocr, number, width, height)
            pages.append(
                Page(number, width, height, words, "ocr", text=page_text(words), confidence=confidence)
            )
        elif number <= len(text_pages) and number not in ocr_pages:
            pages.append(text_pages[number - 1])
        else:  # OCR skipped the page (timeout, blank page): keep it, empty, so numbering stays right
            pages.append(Page(number, width, height, (), "ocr", text="", confidence=0.0))
    return pages


def _display_sizes(pdf_bytes: bytes) -> list[tuple[float, float]]:
    """Width and height in points of each page as displayed (crop box, /Rotate applied)."""
    import io

    sizes: list[tuple[float, float]] = []
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(value) for value in page.cropbox)
            width, height = abs(x1 - x0), abs(y1 - y0)
            if int(page.obj.get("/Rotate", 0)) % 180 == 90:
                width, height = height, width
            sizes.append((width, height))
    return sizes


def _words_from_hocr(path: Path, number: int, width: float, height: float) -> tuple[tuple[Word, ...], float]:
    """Words of one hOCR page scaled from image pixels to display points, and their mean confidence."""
    from ocrmypdf.hocrtransform import HocrParser

    root = HocrParser(path).parse()
    if root.bbox is None or root.bbox.width <= 0 or root.bbox.height <= 0:
        return (), 0.0
    scale_x, scale_y = width / root.bbox.width, height / root.bbox.height
    words: list[Word] = []
    for element in root.words:
        text = (element.text or "").strip()
        if not text or element.bbox is None:
            continue
        box = element.bbox
        words.append(
            Word(
                text=text,
                x0=round(box.left * scale_x, 2),
                top=round(box.top * scale_y, 2),
                x1=round(box.right * scale_x, 2),
                bottom=round(box.bottom * scale_y, 2),
                page=number,
                confidence=None if element.confidence is None else round(float(element.confidence), 3),
            )
        )
    weights = [(word.confidence or 0.0, len(word.text)) for word in words]
    total = sum(weight for _, weight in weights)
    confidence = round(sum(value * weight for value, weight in weights) / total, 3) if total else 0.0
    return tuple(words), confidence
