"""Real OCR (Tesseract through OCRmyPDF) on rendered scans: text, boxes, confidence, PDF/A copy.

Each OCR run costs a few seconds on one core, so results are computed once per module.
"""

from __future__ import annotations

import io
import shutil

import img2pdf
import pdfplumber
import pikepdf
import pytest
from PIL import Image

from etabli.engines.ocr import ReadResult, read_document
from tests.engines.ocr.builders import INVOICE_LINES, make_pdf, render, to_png

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract absent de cette machine")


def top_half(image: Image.Image) -> Image.Image:
    """The part of the page holding the invoice text: half the OCR time of a full page."""
    return image.crop((0, 0, image.width, int(image.height * 0.45)))


@pytest.fixture(scope="module")
def scanned_png(invoice_pdf: bytes) -> ReadResult:
    image = render(invoice_pdf, dpi=200, rotate=1.2, noise=8)[0]
    return read_document(to_png(image), filename="scan.png")


@pytest.fixture(scope="module")
def mixed_pdf(invoice_pdf: bytes) -> ReadResult:
    """Page 1 has a text layer, page 2 is a scanned image: only page 2 goes through OCR."""
    text_page = make_pdf([[(60, 60, 14, "Bon de livraison BL-778 page texte")]])
    scan = top_half(render(invoice_pdf, dpi=200, noise=6)[0])
    scan_pdf = img2pdf.convert(to_png(scan), layout_fun=img2pdf.get_fixed_dpi_layout_fun((200, 200)))
    merged = pikepdf.new()
    for source in (text_page, scan_pdf):
        with pikepdf.open(io.BytesIO(source)) as part:
            merged.pages.extend(part.pages)
    buffer = io.BytesIO()
    merged.save(buffer)
    return read_document(buffer.getvalue())


def test_scan_is_read_by_ocr(scanned_png: ReadResult) -> None:
    assert scanned_png.kind == "ocr"
    assert scanned_png.page_count == 1
    text = scanned_png.text
    for expected in ("FACTURE", "FA-2026-0042", "Boulangerie", "15/03/2026", "420,00"):
        assert expected in text, expected
    assert scanned_png.ocr_confidence is not None and 0.7 < scanned_png.ocr_confidence <= 1.0


def test_ocr_words_have_boxes_on_the_page(scanned_png: ReadResult) -> None:
    page = scanned_png.pages[0]
    assert page.source == "ocr" and page.words
    # The PNG is 200 dpi: the page is A4 in points, and boxes fall inside it.
    assert page.width == pytest.approx(595, abs=3) and page.height == pytest.approx(842, abs=3)
    for word in page.words:
        assert 0 <= word.x0 < word.x1 <= page.width + 1
        assert 0 <= word.top < word.bottom <= page.height + 1
        assert word.confidence is not None and 0 <= word.confidence <= 1
    number = next(w for w in page.words if "FA-2026-0042" in w.text)
    # Drawn 60 pt from the top in 18 pt type (a 1.2° rotation moves it by a few points).
    assert 45 < number.top < 95


def test_searchable_copy_is_pdfa_with_a_text_layer(scanned_png: ReadResult) -> None:
    pdf_bytes = scanned_png.searchable_pdf
    assert pdf_bytes is not None and pdf_bytes.startswith(b"%PDF")
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        metadata = pdf.open_metadata()
        assert metadata.pdfa_status.startswith("2")  # PDF/A-2
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        assert "Boulangerie" in (pdf.pages[0].extract_text() or "")


def test_mixed_pdf_ocrs_only_the_scanned_page(mixed_pdf: ReadResult) -> None:
    assert mixed_pdf.kind == "ocr" and mixed_pdf.page_count == 2
    first, second = mixed_pdf.pages
    assert first.source == "text" and "BL-778" in first.text
    assert second.source == "ocr" and "FA-2026-0042" in second.text
    assert all(word.page == 2 for word in second.words)


def test_upside_down_scan_is_turned_by_the_retry(invoice_pdf: bytes) -> None:
    """rotate_pages="auto": the first pass reads nonsense, the orientation pass turns the page."""
    image = top_half(render(invoice_pdf, dpi=200, noise=4)[0]).rotate(180)
    result = read_document(to_png(image))
    assert "FA-2026-0042" in result.text
    assert all(expected in result.text for expected in ("Total", "420,00"))
    assert INVOICE_LINES  # the same invoice as the other tests


def test_fields_are_extracted_from_the_scan(scanned_png: ReadResult) -> None:
    """The extraction engine on OCR words: values, boxes on the page, confidence tempered by OCR."""
    from datetime import date
    from decimal import Decimal

    from etabli.engines.extract import extract_invoice

    extraction = extract_invoice(scanned_png)
    assert extraction.value("invoice_number") == "FA-2026-0042"
    assert extraction.value("issue_date") == date(2026, 3, 15)
    assert extraction.value("due_date") == date(2026, 4, 14)
    assert extraction.value("total_ttc") == Decimal("420.00")
    assert extraction.value("vat_number") == "FR44732829320"
    total = extraction.fields["total_ttc"]
    assert total.location is not None and total.location.page == 1
    assert 220 < total.location.top < 275  # "Total TTC" was drawn 240 pt from the top
    assert 0.5 < total.confidence < 1.0
