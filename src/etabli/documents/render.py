"""Page images for the validation screen, rendered with pypdfium2 and cached next to the original.

Why images rather than the PDF in the browser: the highlight of where each field was read is drawn over the
image from the word boxes (points, top-left origin), identically for a text PDF, an OCR'd scan or a photo;
and a PNG needs no PDF viewer, no script from a third party (strict CSP).

pdfium is not thread-safe: renders are serialised by a lock (the web server runs threads).
"""

from __future__ import annotations

import io
import threading

from etabli.documents import storage
from etabli.documents.models import Document

_lock = threading.Lock()
WIDTHS = (300, 600, 900, 1200)
DEFAULT_WIDTH = 900


class PreviewUnavailable(Exception):
    """No image can be shown for this page (XML e-invoice, unreadable file, page out of range)."""


def clamp_width(width: int | None) -> int:
    width = width or DEFAULT_WIDTH
    return min(WIDTHS, key=lambda candidate: abs(candidate - width))


def source_name(document: Document) -> str | None:
    """The file to render: the searchable PDF/A copy (scans, photos), else the original PDF."""
    if document.archive_file and storage.exists(document.archive_file.name):
        return document.archive_file.name
    if document.mime_type == "application/pdf" or document.original_filename.lower().endswith(".pdf"):
        return document.file.name if document.file else None
    if (document.mime_type or "").startswith("image/"):
        return document.file.name
    return None


def page_png(document: Document, page: int, width: int | None = None) -> bytes:
    width = clamp_width(width)
    cached = storage.preview_name(document.company_id, document.checksum, page, width)
    if storage.exists(cached):
        return storage.read_bytes(cached)
    name = source_name(document)
    if name is None or document.status == "needs_attention" and not document.page_count:
        raise PreviewUnavailable("Aperçu indisponible pour ce document.")
    data = storage.read_bytes(name)
    png = _render(data, page, width, is_pdf=name.lower().endswith(".pdf") or data[:5] == b"%PDF-")
    storage.save_bytes(cached, png)
    return png


def _render(data: bytes, page: int, width: int, *, is_pdf: bool) -> bytes:
    if not is_pdf:
        return _image(data, width)
    import pypdfium2 as pdfium

    with _lock:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise PreviewUnavailable("Le PDF ne peut pas être affiché.") from exc
        try:
            if not 1 <= page <= len(pdf):
                raise PreviewUnavailable("Cette page n'existe pas.")
            pdf_page = pdf[page - 1]
            scale = width / max(pdf_page.get_width(), 1)
            image = pdf_page.render(scale=scale).to_pil()
            pdf_page.close()
        finally:
            pdf.close()
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _image(data: bytes, width: int) -> bytes:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > 80_000_000:
                raise PreviewUnavailable("Image trop grande pour un aperçu.")
            image.thumbnail((width, width * 3))
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, format="PNG")
            return buffer.getvalue()
    except (OSError, ValueError) as exc:
        raise PreviewUnavailable("L'image ne peut pas être affichée.") from exc
