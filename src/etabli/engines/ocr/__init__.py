"""Read incoming documents into text with positions: text layers, OCR, e-invoice XML.

Usage::

    from etabli.engines.ocr import read_document, ReadOptions, DocumentReadError

    try:
        result = read_document(path)  # or bytes, with filename= to detect disguised files
    except DocumentReadError as error:
        quarantine(path, reason=error.code, message=error.message)  # message is French
    else:
        result.kind            # "text_pdf" | "ocr" | "einvoice_xml"
        result.pages[0].words  # Word(text, x0, top, x1, bottom, page, confidence) in points
        result.searchable_pdf  # PDF/A bytes when OCR ran

No Django import; the only side effects are temporary files while OCRmyPDF runs.
"""

from etabli.engines.ocr.errors import REASON_CODES, DocumentReadError
from etabli.engines.ocr.layout import group_lines, line_text, page_text
from etabli.engines.ocr.models import Page, ReadOptions, ReadResult, Word
from etabli.engines.ocr.reader import PAGE_SEPARATOR, read_document
from etabli.engines.ocr.sniff import detect_file_type

__all__ = [
    "PAGE_SEPARATOR",
    "REASON_CODES",
    "DocumentReadError",
    "Page",
    "ReadOptions",
    "ReadResult",
    "Word",
    "detect_file_type",
    "group_lines",
    "line_text",
    "page_text",
    "read_document",
]
