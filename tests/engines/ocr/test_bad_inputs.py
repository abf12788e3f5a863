"""Every refused input gives a DocumentReadError (a ValueError) with a stable code and a French message."""

from __future__ import annotations

import io
import struct
import zlib

import pikepdf
import pytest
from PIL import Image

from etabli.engines.ocr import DocumentReadError, ReadOptions, read_document
from etabli.engines.ocr.errors import REASON_CODES
from tests.engines.ocr.builders import make_pdf


def read_error(data: bytes, **kwargs: object) -> DocumentReadError:
    with pytest.raises(DocumentReadError) as caught:
        read_document(data, **kwargs)  # type: ignore[arg-type]
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.code in REASON_CODES
    assert error.message == str(error) and len(error.message) > 15
    return error


def png_header_only(width: int, height: int) -> bytes:
    """A valid-looking PNG that claims a huge size but holds almost no data (a decompression bomb)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_empty_file() -> None:
    error = read_error(b"")
    assert error.code == "empty_file"
    assert "vide" in error.message


def test_oversized_file_is_refused_before_reading(tmp_path) -> None:
    path = tmp_path / "enorme.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"0" * 4096)
    with pytest.raises(DocumentReadError) as caught:
        read_document(path, options=ReadOptions(max_bytes=1024))
    assert caught.value.code == "too_large"
    assert "limite" in caught.value.message and "Mo" in caught.value.message


def test_executable_renamed_pdf_is_a_type_mismatch() -> None:
    program = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"
    error = read_error(program, filename="facture.pdf")
    assert error.code == "type_mismatch"
    assert ".pdf" in error.message and "exécutable" in error.message


def test_executable_without_a_name_is_refused() -> None:
    error = read_error(b"\x7fELF\x02\x01\x01" + b"\x00" * 100)
    assert error.code == "executable"


def test_pdf_named_jpg_is_refused_but_png_named_jpg_is_read(invoice_pdf: bytes) -> None:
    assert read_error(invoice_pdf, filename="photo.jpg").code == "type_mismatch"
    image = Image.new("L", (10, 10), 255)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    result = read_document(buffer.getvalue(), filename="photo.jpg", options=ReadOptions(ocr=False))
    assert result.mime_type == "image/png"


def test_unknown_format() -> None:
    error = read_error(b"PK\x03\x04" + b"\x00" * 50)
    assert error.code == "unsupported_type"
    assert "ZIP" in error.message


def test_password_protected_pdf(invoice_pdf: bytes) -> None:
    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(invoice_pdf)) as pdf:
        pdf.save(buffer, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    error = read_error(buffer.getvalue())
    assert error.code == "encrypted_pdf"
    assert "mot de passe" in error.message


def test_owner_restricted_pdf_is_read_with_a_warning(invoice_pdf: bytes) -> None:
    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(invoice_pdf)) as pdf:
        pdf.save(
            buffer,
            encryption=pikepdf.Encryption(user="", owner="owner", allow=pikepdf.Permissions(extract=False)),
        )
    result = read_document(buffer.getvalue())
    assert result.kind == "text_pdf"
    assert "FA-2026-0042" in result.text
    assert any("restrictions" in warning for warning in result.warnings)


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\nthis is not a pdf body at all\n",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n",
    ],
    ids=["garbage-body", "no-pages"],
)
def test_corrupt_pdf(data: bytes) -> None:
    error = read_error(data)
    assert error.code == "corrupt_pdf"
    assert "PDF" in error.message


def test_truncated_pdf_is_corrupt_or_repaired(invoice_pdf: bytes) -> None:
    """A PDF cut in the middle is either repaired (qpdf rebuilds it) or refused, never half-read silently."""
    cut = invoice_pdf[: len(invoice_pdf) // 3]
    try:
        result = read_document(cut, options=ReadOptions(ocr=False))
    except DocumentReadError as error:
        assert error.code == "corrupt_pdf"
    else:
        assert result.page_count >= 1


def test_too_many_pages() -> None:
    pdf = make_pdf([[(50, 50, 12, f"Page {n}")] for n in range(4)])
    error = read_error(pdf, options=ReadOptions(max_pages=3))
    assert error.code == "too_many_pages"


def test_decompression_bomb_png() -> None:
    error = read_error(png_header_only(60_000, 60_000))
    assert error.code == "decompression_bomb"
    assert "bombe" in error.message


def test_configured_pixel_limit_is_enforced() -> None:
    image = Image.new("L", (400, 400), 255)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    error = read_error(buffer.getvalue(), options=ReadOptions(max_image_pixels=100_000))
    assert error.code == "decompression_bomb"


def test_truncated_image() -> None:
    image = Image.new("RGB", (300, 300), (255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    error = read_error(buffer.getvalue()[:200])
    assert error.code == "corrupt_image"


def test_malformed_xml() -> None:
    error = read_error(b"<?xml version='1.0'?><Invoice><unclosed></Invoice>")
    assert error.code == "invalid_xml"


def test_xml_with_entities_is_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxx">]><a>&x;&x;</a>'
    error = read_error(bomb)
    assert error.code == "invalid_xml"
    assert "entités" in error.message


def test_xml_that_is_not_an_invoice() -> None:
    error = read_error(b"<?xml version='1.0'?><note><to>Tove</to></note>")
    assert error.code == "unsupported_xml"
    assert "facture électronique" in error.message
