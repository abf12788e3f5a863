"""Invoice field extraction: one function per kind of input, one result type.

``extract_invoice`` takes what the reading engine (``etabli.engines.ocr``) returns: e-invoices are read
from their XML (exact), everything else from positioned words by labels, patterns and arithmetic. No
per-issuer template: see ``vocabulary.py`` for the labels and ``amounts.py`` for the totals solver.
"""

from __future__ import annotations

import os
from dataclasses import replace
from decimal import Decimal

from etabli.engines.extract.amounts import solve_totals, total_candidates
from etabli.engines.extract.candidates import Candidate, best, to_field
from etabli.engines.extract.checks import apply_checks, run_checks
from etabli.engines.extract.dates import date_candidates
from etabli.engines.extract.einvoice import EInvoiceError, read_einvoice_fields
from etabli.engines.extract.identifiers import (
    iban_candidates,
    siren_candidates,
    siren_from_vat,
    siret_candidates,
    vat_candidates,
)
from etabli.engines.extract.models import (
    AMOUNT_FIELDS,
    FIELD_NAMES,
    FieldValue,
    InvoiceExtraction,
    VatRateLine,
)
from etabli.engines.extract.parties import currency_candidate, guess_doc_type, issuer_candidates
from etabli.engines.extract.references import invoice_number_candidates, order_reference_candidates
from etabli.engines.extract.textindex import TextIndex, build_index, index_from_text
from etabli.engines.ocr.models import ReadOptions, ReadResult
from etabli.engines.ocr.reader import read_document

#: Below this score a text candidate is not reported at all (too weak to show as a proposal).
MIN_SCORE = 0.25


def extract_invoice(document: ReadResult) -> InvoiceExtraction:
    """Fields of a read document: exact from an e-invoice's XML, else from its words."""
    index = build_index(document.pages)
    if document.kind == "einvoice_xml" and document.einvoice_xml:
        try:
            return _from_einvoice(document, index)
        except EInvoiceError as error:
            extraction = _from_index(index, document.kind)
            return InvoiceExtraction(
                extraction.fields,
                extraction.vat_breakdown,
                extraction.checks,
                extraction.doc_type,
                extraction.source_kind,
                warnings=(str(error), "Champs lus sur le PDF à défaut du XML."),
            )
    return _from_index(index, document.kind)


def extract_from_text(text: str) -> InvoiceExtraction:
    """Fields of plain text (no positions: locations are None). Lines must be the document's lines."""
    return _from_index(index_from_text(text), "text")


def extract_path(path: str | os.PathLike[str], *, options: ReadOptions | None = None) -> InvoiceExtraction:
    """Read then extract a file (PDF, image or XML); raises ``DocumentReadError`` for unreadable input."""
    return extract_invoice(read_document(path, options=options))


def _from_index(index: TextIndex, kind: str) -> InvoiceExtraction:
    fields: dict[str, FieldValue] = {}

    def put(name: str, candidate: Candidate | None) -> None:
        if candidate is not None and candidate.score >= MIN_SCORE:
            fields[name] = to_field(candidate)

    put("invoice_number", best(invoice_number_candidates(index)))
    order = [
        c
        for c in order_reference_candidates(index)
        if "invoice_number" not in fields or c.value != fields["invoice_number"].value
    ]
    put("order_reference", best(order))
    issue, due = date_candidates(index)
    put("issue_date", best(issue))
    put("due_date", best(due))
    put("currency", currency_candidate(index))
    put("iban", best(iban_candidates(index)))
    vat = best(vat_candidates(index))
    put("vat_number", vat)
    siret = best(siret_candidates(index))
    put("siret", siret)
    put("siren", _choose_siren(index, siret, vat))
    put("issuer_name", best(issuer_candidates(index), key=lambda name: name.casefold()))

    totals = solve_totals(index, total_candidates(index))
    for name, candidate in (("total_ht", totals.ht), ("total_tva", totals.tva), ("total_ttc", totals.ttc)):
        if candidate is not None:
            field = to_field(candidate)
            fields[name] = FieldValue(
                field.value,
                field.confidence,
                "derived" if name in totals.derived else "text",
                field.location,
                field.evidence,
            )
    doc_type = guess_doc_type(index)
    breakdown = totals.breakdown
    if doc_type == "avoir":
        fields, breakdown = _credit_note_magnitudes(fields, breakdown)
    checks = run_checks(fields, breakdown)
    fields = apply_checks(fields, checks)
    return InvoiceExtraction(
        fields=_ordered(fields),
        vat_breakdown=breakdown,
        checks=tuple(checks),
        doc_type=doc_type,  # type: ignore[arg-type]
        source_kind=kind,
    )


def _credit_note_magnitudes(
    fields: dict[str, FieldValue], breakdown: tuple[VatRateLine, ...]
) -> tuple[dict[str, FieldValue], tuple[VatRateLine, ...]]:
    """Credit notes carry positive totals, the sign being the document type (the EN 16931 convention).

    Printed credit notes often show "-233,47 €"; the XML of the same credit note says 233.47 with type
    code 381. Both paths must give the same figures to the accounting entry, which reverses by type.
    (OCR often drops a minus sign, so every amount is made positive, not only the negative ones.)
    """
    flipped = dict(fields)
    for name in AMOUNT_FIELDS:
        if name in flipped and isinstance(flipped[name].value, Decimal):
            flipped[name] = replace(flipped[name], value=abs(flipped[name].value))
    rows = tuple(
        VatRateLine(
            r.rate, None if r.base is None else abs(r.base), None if r.vat is None else abs(r.vat), r.location
        )
        for r in breakdown
    )
    return flipped, rows


def _choose_siren(index: TextIndex, siret: Candidate | None, vat: Candidate | None) -> Candidate | None:
    """The issuer's SIREN: printed with its label, else the first 9 digits of the SIRET or of the VAT number."""
    found = siren_candidates(index)
    if siret is not None and siret.score >= 0.5:
        found.append(
            Candidate(
                siret.value[:9],
                siret.score * 0.95,
                siret.line,
                siret.start,
                siret.end,
                "9 premiers chiffres du SIRET",
            )
        )
    if vat is not None and vat.score >= 0.5:
        from_vat = siren_from_vat(str(vat.value))
        if from_vat:
            found.append(
                Candidate(
                    from_vat, vat.score * 0.9, vat.line, vat.start, vat.end, "SIREN contenu dans le n° de TVA"
                )
            )
    return best(found)


def _from_einvoice(document: ReadResult, index: TextIndex) -> InvoiceExtraction:
    assert document.einvoice_xml is not None
    fields, breakdown, doc_type = read_einvoice_fields(document.einvoice_xml, document.einvoice_format)
    if index.lines:
        from_page = _from_index(index, "text_pdf")
        fields = _complete_from_page(fields, from_page.fields)
        breakdown = breakdown or from_page.vat_breakdown
    checks = run_checks(fields, breakdown)
    return InvoiceExtraction(
        fields=_ordered(apply_checks(fields, checks)),
        vat_breakdown=breakdown,
        checks=tuple(checks),
        doc_type=doc_type,  # type: ignore[arg-type]
        source_kind=document.kind,
    )


def _complete_from_page(
    xml_fields: dict[str, FieldValue], text_fields: dict[str, FieldValue]
) -> dict[str, FieldValue]:
    """XML values stay authoritative; the visible PDF adds highlight boxes and the fields the XML lacks.

    A MINIMUM-profile Factur-X carries no due date nor IBAN although its PDF prints them: those are
    taken from the page, with the confidence of text reading and ``source="text"``.
    """
    merged = dict(xml_fields)
    for name, field in xml_fields.items():
        seen = text_fields.get(name)
        if seen is not None and seen.location is not None and _same(seen.value, field.value):
            merged[name] = FieldValue(
                field.value, field.confidence, field.source, seen.location, field.evidence
            )
    for name, seen in text_fields.items():
        if name not in merged:
            merged[name] = seen
    return merged


def _same(a: object, b: object) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.replace(" ", "").casefold() == b.replace(" ", "").casefold()
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b
    return a == b


def _ordered(fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    return {name: fields[name] for name in FIELD_NAMES if name in fields}
