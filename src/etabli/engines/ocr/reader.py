"""Read any incoming file into text with positions: the single entry point of the engine.

Order of preference, from exact to approximate: an e-invoice's XML (Factur-X attachment or XML file),
then a PDF's text layer, then OCR for scans and photos. Every refusal is a :class:`DocumentReadError`
with a stable ``code`` and a French ``message``; nothing is silently skipped.
"""

from __future__ import annotations

import os
from pathlib import Path

from etabli.engines.ocr.einvoice import embedded_einvoice, parse_xml, read_einvoice_xml
from etabli.engines.ocr.errors import EMPTY_FILE, TOO_LARGE, DocumentReadError
from etabli.engines.ocr.images import image_to_pdf, inspect_image
from etabli.engines.ocr.models import Page, ReadOptions, ReadResult
from etabli.engines.ocr.pdf import has_usable_text, open_pdf, read_text_layer
from etabli.engines.ocr.sniff import IMAGE_TYPES, MIME_TYPES, identify
from etabli.engines.ocr.tesseract import ocr_pdf

PAGE_SEPARATOR = "\f"


def read_document(
    source: bytes | str | os.PathLike[str],
    *,
    filename: str | None = None,
    options: ReadOptions | None = None,
) -> ReadResult:
    """Read a file (bytes or a path) into a :class:`ReadResult`.

    ``filename`` is only used to report a disguised file (its content decides the type); for a path it
    defaults to the path's name. Raises :class:`DocumentReadError` for any file that cannot be read.
    """
    options = options or ReadOptions()
    data, filename = _load(source, filename, options)
    file_type = identify(data[:2048], filename)
    if file_type == "xml":
        return _read_xml(data)
    if file_type == "pdf":
        return _read_pdf(data, options)
    if file_type in IMAGE_TYPES:
        return _read_image(data, MIME_TYPES[file_type], options)
    raise AssertionError(f"unhandled file type {file_type}")  # identify() returns only the types above


def _load(
    source: bytes | str | os.PathLike[str], filename: str | None, options: ReadOptions
) -> tuple[bytes, str | None]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        _check_size(len(data), options)
        return data, filename
    path = Path(source)
    _check_size(path.stat().st_size, options)  # before reading: never load a 2 GB upload in memory
    return path.read_bytes(), filename or path.name


def _check_size(size: int, options: ReadOptions) -> None:
    if size == 0:
        raise DocumentReadError(EMPTY_FILE, "Le fichier est vide (0 octet).")
    if size > options.max_bytes:
        raise DocumentReadError(
            TOO_LARGE,
            f"Le fichier pèse {_megabytes(size)} ; la limite est de {_megabytes(options.max_bytes)}.",
        )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")


def _read_xml(data: bytes) -> ReadResult:
    found = read_einvoice_xml(data)
    text = " ".join(part.strip() for part in parse_xml(data).itertext() if part.strip())
    return ReadResult(
        kind="einvoice_xml",
        text=text,
        pages=(),
        page_count=0,
        mime_type=MIME_TYPES["xml"],
        einvoice_xml=data,
        einvoice_format=found,
    )


def _read_pdf(data: bytes, options: ReadOptions) -> ReadResult:
    opened = open_pdf(data, options)
    warnings: list[str] = []
    if opened.was_encrypted:
        warnings.append("PDF protégé sans mot de passe d'ouverture : les restrictions ont été levées.")
    pages = read_text_layer(opened.data)
    attachment = embedded_einvoice(opened.data)
    if attachment is not None:
        xml, found = attachment
        return ReadResult(
            kind="einvoice_xml",
            text=_join(pages),
            pages=tuple(pages),
            page_count=opened.page_count,
            mime_type=MIME_TYPES["pdf"],
            einvoice_xml=xml,
            einvoice_format=found,
            warnings=tuple(warnings),
        )
    to_ocr = [page.number for page in pages if not has_usable_text(page, options.min_chars_per_page)]
    if not to_ocr:
        return ReadResult(
            kind="text_pdf",
            text=_join(pages),
            pages=tuple(pages),
            page_count=opened.page_count,
            mime_type=MIME_TYPES["pdf"],
            warnings=tuple(warnings),
        )
    if not options.ocr:
        warnings.append(f"{len(to_ocr)} page(s) sans texte exploitable : reconnaissance de texte désactivée.")
        return ReadResult(
            kind="text_pdf",
            text=_join(pages),
            pages=tuple(pages),
            page_count=opened.page_count,
            mime_type=MIME_TYPES["pdf"],
            warnings=tuple(warnings),
        )
    output = ocr_pdf(opened.data, options, ocr_pages=to_ocr, text_pages=pages)
    warnings.extend(_pdfa_warning(output.pdfa, options))
    return ReadResult(
        kind="ocr",
        text=_join(output.pages),
        pages=output.pages,
        page_count=opened.page_count,
        mime_type=MIME_TYPES["pdf"],
        searchable_pdf=output.pdf,
        ocr_confidence=output.confidence,
        warnings=tuple(warnings),
    )


def _read_image(data: bytes, mime_type: str, options: ReadOptions) -> ReadResult:
    info = inspect_image(data, options)
    if not options.ocr:
        return ReadResult(
            kind="ocr",
            text="",
            pages=(),
            page_count=info.frames,
            mime_type=mime_type,
            warnings=("Reconnaissance de texte désactivée : l'image n'a pas été lue.",),
        )
    pdf = image_to_pdf(data, info)
    output = ocr_pdf(pdf, options, ocr_pages=list(range(1, info.frames + 1)), text_pages=[])
    return ReadResult(
        kind="ocr",
        text=_join(output.pages),
        pages=output.pages,
        page_count=info.frames,
        mime_type=mime_type,
        searchable_pdf=output.pdf,
        ocr_confidence=output.confidence,
        warnings=tuple(_pdfa_warning(output.pdfa, options)),
    )


def _pdfa_warning(is_pdfa: bool, options: ReadOptions) -> list[str]:
    if options.pdfa and not is_pdfa:
        return ["La copie consultable est un PDF simple : la conversion en PDF/A n'a pas abouti."]
    return []


def _join(pages: list[Page] | tuple[Page, ...]) -> str:
    return PAGE_SEPARATOR.join(page.text for page in pages)
