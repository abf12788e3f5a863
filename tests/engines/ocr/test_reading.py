"""Reading digital PDFs, e-invoices and helpers (type sniffing, line grouping, deskew) — no OCR here."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from etabli.engines.ocr import PAGE_SEPARATOR, Word, detect_file_type, group_lines, line_text, read_document
from etabli.engines.ocr.deskew import estimate_skew
from tests.engines.ocr.builders import make_pdf

FIXTURES = Path(__file__).resolve().parents[1] / "extract" / "fixtures"
FACTURX = Path(__file__).resolve().parents[4] / "shared" / "datasets" / "invoices" / "facturx"


def test_text_pdf_words_carry_page_and_box(invoice_pdf: bytes) -> None:
    result = read_document(invoice_pdf)
    assert result.kind == "text_pdf"
    assert result.searchable_pdf is None and result.ocr_confidence is None
    page = result.pages[0]
    assert (round(page.width), round(page.height)) == (595, 842)
    word = next(w for w in page.words if w.text == "FA-2026-0042")
    # Drawn at x=60, with its 18 pt line starting 60 pt from the top of the page.
    assert word.page == 1 and 150 < word.x0 < 300 and 55 < word.top < 85 and word.bottom > word.top
    assert "Total TTC 420,00 €" in result.text


def test_pages_are_numbered_and_separated() -> None:
    pdf = make_pdf(
        [[(50, 50, 12, "Première page de la facture")], [(50, 50, 12, "Seconde page, total 12,00 €")]]
    )
    result = read_document(pdf)
    assert result.page_count == 2
    assert [page.number for page in result.pages] == [1, 2]
    assert all(word.page == 2 for word in result.pages[1].words)
    assert result.text.split(PAGE_SEPARATOR)[1].startswith("Seconde page")


def test_path_input_uses_the_file_name(tmp_path: Path, invoice_pdf: bytes) -> None:
    path = tmp_path / "facture.pdf"
    path.write_bytes(invoice_pdf)
    assert read_document(path).kind == "text_pdf"
    disguised = tmp_path / "facture.png"
    disguised.write_bytes(invoice_pdf)
    with pytest.raises(ValueError):
        read_document(disguised)


def test_xml_einvoice_is_returned_as_xml_without_ocr() -> None:
    data = (FIXTURES / "facture_cii_en16931.xml").read_bytes()
    result = read_document(data)
    assert result.kind == "einvoice_xml"
    assert result.einvoice_format == "cii"
    assert result.einvoice_xml == data
    assert result.pages == () and "FA-2026-0042" in result.text


def test_ubl_credit_note_is_recognised() -> None:
    result = read_document(FIXTURES / "avoir_ubl.xml")
    assert (result.kind, result.einvoice_format) == ("einvoice_xml", "ubl")


def test_facturx_pdf_built_here_is_read_from_its_xml(invoice_pdf: bytes) -> None:
    from facturx import generate_from_binary

    xml = (FIXTURES / "facture_cii_en16931.xml").read_bytes()
    facturx_pdf = generate_from_binary(invoice_pdf, xml, check_xsd=False)
    result = read_document(facturx_pdf)
    assert result.kind == "einvoice_xml"
    assert result.einvoice_xml is not None and b"FA-2026-0042" in result.einvoice_xml
    assert result.pages and "Total TTC" in result.text  # visible text kept for highlights and search


@pytest.mark.skipif(
    not FACTURX.exists(), reason="jeu de données partagé absent (../shared/datasets/invoices/facturx)"
)
def test_every_shared_facturx_pdf_is_detected() -> None:
    for path in sorted(FACTURX.glob("*/*.pdf")):
        result = read_document(path)
        assert result.kind == "einvoice_xml", path.name
        assert result.einvoice_format == "cii", path.name


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"\x00\x00junk%PDF-1.4", "pdf"),
        (b"\x89PNG\r\n\x1a\n\x00", "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        (b"II*\x00\x08\x00", "tiff"),
        (b"MM\x00*\x00\x00", "tiff"),
        (b"\xef\xbb\xbf<?xml version='1.0'?>", "xml"),
        (b"  <Invoice xmlns='x'>", "xml"),
        (b"MZ\x90\x00", None),
        (b"plain text", None),
    ],
)
def test_detect_file_type(head: bytes, expected: str | None) -> None:
    assert detect_file_type(head) == expected


def test_group_lines_merges_columns_and_splits_lines() -> None:
    words = [
        Word("Total", 300, 100, 330, 110, 1),
        Word("Date", 50, 101, 75, 111, 1),
        Word("TTC", 335, 100, 355, 110, 1),
        Word("420,00", 450, 100.5, 490, 110.5, 1),
        Word("suivante", 50, 120, 100, 130, 1),
    ]
    lines = group_lines(words)
    assert [[w.text for w in line] for line in lines] == [["Date", "Total", "TTC", "420,00"], ["suivante"]]
    assert line_text(lines[0]) == "Date   Total TTC   420,00"


def _text_image(angle: float) -> Image.Image:
    image = Image.new("L", (1200, 1600), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=28)
    for row in range(25):
        draw.text(
            (80, 80 + row * 55), "Facture Total HT 1 234,56 € TVA 20 % échéance " * 2, fill=0, font=font
        )
    return image.rotate(angle, fillcolor=255)


@pytest.mark.parametrize("angle", [0.0, 1.5, -2.3, 4.0])
def test_deskew_estimate_undoes_the_rotation(angle: float) -> None:
    assert estimate_skew(_text_image(angle)) == pytest.approx(-angle, abs=0.15)


def test_deskew_of_a_blank_page_is_zero() -> None:
    assert estimate_skew(Image.new("L", (800, 1000), 255)) == 0.0


def test_image_without_ocr_reports_pages_only() -> None:
    from etabli.engines.ocr import ReadOptions

    frames = [Image.new("L", (200, 300), 255) for _ in range(3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:])
    result = read_document(buffer.getvalue(), options=ReadOptions(ocr=False))
    assert result.page_count == 3 and result.mime_type == "image/tiff"
    assert result.warnings
