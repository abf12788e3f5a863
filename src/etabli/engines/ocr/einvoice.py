"""Recognise e-invoices: XML files (CII, UBL, ZUGFeRD 1) and PDFs carrying a Factur-X attachment.

Why first: an e-invoice's XML states every field exactly; reading the picture of it (text layer or OCR)
could only add errors. From September 2026 every French company receives them (french-rules §1).
"""

from __future__ import annotations

from typing import Literal

from lxml import etree

from etabli.engines.ocr.errors import INVALID_XML, UNSUPPORTED_XML, DocumentReadError

EInvoiceFormat = Literal["cii", "ubl", "zugferd1"]

_ROOTS: dict[tuple[str, str], EInvoiceFormat] = {
    ("urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100", "CrossIndustryInvoice"): "cii",
    ("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2", "Invoice"): "ubl",
    ("urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2", "CreditNote"): "ubl",
    ("urn:ferd:CrossIndustryDocument:invoice:1p0", "CrossIndustryDocument"): "zugferd1",
}


def safe_parser() -> etree.XMLParser:
    """An XML parser that never resolves entities, loads a DTD or touches the network (XXE-safe)."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_xml(data: bytes) -> etree._Element:
    """The root element of an XML document, refusing entity declarations (an XML bomb's vehicle)."""
    if b"<!ENTITY" in data:
        raise DocumentReadError(
            INVALID_XML, "Le fichier XML déclare des entités : il a été refusé par précaution."
        )
    try:
        return etree.fromstring(data, parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        raise DocumentReadError(INVALID_XML, "Le fichier XML est mal formé et ne peut pas être lu.") from exc


def einvoice_format(root: etree._Element) -> EInvoiceFormat | None:
    """The e-invoice syntax of an XML root element, or None for any other XML document."""
    qname = etree.QName(root)
    return _ROOTS.get((qname.namespace or "", qname.localname))


def read_einvoice_xml(data: bytes) -> EInvoiceFormat:
    """The format of an XML e-invoice file; other XML (an Order-X order, any document) is refused."""
    root = parse_xml(data)
    found = einvoice_format(root)
    if found is None:
        raise DocumentReadError(
            UNSUPPORTED_XML,
            f"Ce fichier XML (« {etree.QName(root).localname} ») n'est pas une facture électronique "
            "reconnue (Factur-X/CII, UBL ou ZUGFeRD).",
        )
    return found


def embedded_einvoice(pdf: bytes) -> tuple[bytes, EInvoiceFormat] | None:
    """The invoice XML attached to a Factur-X / ZUGFeRD PDF, or None for an ordinary PDF."""
    from facturx import get_xml_from_pdf

    try:
        _name, xml = get_xml_from_pdf(pdf, check_xsd=False)
    except Exception:  # noqa: BLE001 - a damaged attachment must not stop reading the visible PDF
        return None
    if not xml:
        return None
    try:
        found = einvoice_format(parse_xml(xml))
    except DocumentReadError:
        return None
    return (xml, found) if found else None
