"""Reading and understanding: every document type, e-invoices from their XML, scans through OCR with a
searchable PDF/A copy, the checks and their effect, and the « je ne sais pas » threshold."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from etabli.core.models import AIDecision, ReviewItem
from etabli.documents import storage
from etabli.documents.models import DocumentStatus
from tests.apps.documents.conftest import read
from tests.apps.documents.factories import make_invoice_pdf, make_pdf
from tests.apps.documents.samples import SAMPLES

pytestmark = pytest.mark.django_db
DATASETS = Path(__file__).resolve().parents[3].parent / "shared" / "datasets" / "invoices"


@pytest.mark.parametrize("doc_type", sorted(SAMPLES))
def test_each_document_type_is_recognised(our_company, doc_type):
    document = read(our_company, make_pdf(SAMPLES[doc_type]), f"piece-{len(doc_type)}.pdf")
    assert document.status == DocumentStatus.TO_VALIDATE, document.status_reason
    assert document.doc_type == doc_type
    assert not document.doc_type_uncertain
    assert document.doc_type_reasons, "a type always comes with its reasons in French"
    assert document.read_kind == "text_pdf" and document.page_count == 1
    decision = AIDecision.objects.get(pk=document.ai_decision_id)
    assert decision.engine == "etabli.engines.classify" and decision.output["doc_type"] == doc_type
    review = ReviewItem.objects.get(pk=document.filing_review_id)
    assert review.kind.startswith("documents.file") and review.payload["doc_type"] == doc_type


def test_supplier_invoice_fields_with_confidence_location_and_passing_checks(company):
    document = read(company, make_invoice_pdf(), "facture-scierie.pdf")
    assert document.field_value("invoice_number") == "FA-2026-0042"
    assert document.field_value("issue_date") == "2026-03-15"
    assert document.amount_ttc == Decimal("420.00") and document.amount_ht == Decimal("350.00")
    assert document.issuer_siren == "455869719" and document.reference == "FA-2026-0042"
    total = document.fields["total_ttc"]
    assert 0.6 < total["confidence"] <= 1 and total["location"]["page"] == 1
    assert {"totals_consistent", "siren_checksum", "vat_number_key", "iban_checksum", "due_after_issue"} <= {
        c["name"] for c in document.checks}
    assert all(c["ok"] for c in document.checks)
    assert document.human_required_reasons == []
    assert document.pages.get(number=1).words, "word boxes are kept for the highlight"
    assert document.correspondent_name.startswith("Scierie du Val de Loire") and document.correspondent_match == "new"
    assert ReviewItem.objects.get(pk=document.filing_review_id).kind == "documents.file"


@pytest.mark.parametrize("changes, check, field", [
    ({"ttc": "430,00"}, "totals_consistent", "total_ttc"),
    ({"siren": "455869718", "vat": "FR58455869718"}, "siren_checksum", "siren"),
    ({"vat": "FR12455869719"}, "vat_number_key", "vat_number"),
    ({"iban": "FR7614445732238089479035265"}, "iban_checksum", "iban"),
    ({"due": "01/03/2026"}, "due_after_issue", "due_date"),
])
def test_a_failed_check_is_shown_lowers_confidence_and_requires_a_person(company, changes, check, field):
    good = read(company, make_invoice_pdf(number="REF-1"), "bonne.pdf")
    bad = read(company, make_invoice_pdf(number="REF-2", **changes), "mauvaise.pdf")
    failed = [c for c in bad.checks if not c["ok"]]
    assert check in {c["name"] for c in failed}
    message = next(c["message"] for c in failed if c["name"] == check)
    assert any(message in reason for reason in bad.human_required_reasons)
    assert bad.field_confidence(field) < good.field_confidence(field)
    review = ReviewItem.objects.get(pk=bad.filing_review_id)
    assert review.kind == "documents.file_checked"
    assert any(message in reason for reason in review.reasons)


def test_facturx_invoice_is_read_from_its_xml_exactly(company):
    source = DATASETS / "facturx" / "fnfe"
    pdf = next(iter(sorted(source.rglob("*.pdf"))), None)
    if pdf is None:
        pytest.skip("jeu de données Factur-X absent (../shared/datasets)")
    document = read(company, pdf.read_bytes(), pdf.name)
    assert document.read_kind == "einvoice_xml", document.status_reason
    xml_fields = [f for f in document.fields.values() if f["source"] == "xml"]
    assert xml_fields and all(f["confidence"] == 1.0 for f in xml_fields)
    assert document.amount_ttc is not None and document.reference


def test_scanned_invoice_is_read_by_ocr_and_keeps_a_searchable_pdfa_copy(company):
    from tests.engines.ocr.builders import render, to_png

    scan = to_png(render(make_invoice_pdf(), dpi=200, noise=6.0, seed=3)[0])
    document = read(company, scan, "photo-facture.png")
    assert document.status == DocumentStatus.TO_VALIDATE, document.status_reason
    assert document.read_kind == "ocr" and 0 < document.ocr_confidence <= 1
    assert document.archive_file.name.endswith(".pdf")
    copy = storage.read_bytes(document.archive_file.name)
    assert copy.startswith(b"%PDF")
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert pdf.open_metadata().pdfa_status, "the searchable copy is PDF/A"
    assert document.doc_type == "facture_fournisseur"
    assert document.amount_ttc == Decimal("420.00")
    assert "FA-2026-0042" in document.content
    assert storage.read_bytes(document.file.name) == scan, "the original is kept untouched"


def test_under_the_threshold_the_classifier_says_it_does_not_know(company):
    from etabli.documents.services.config import update_settings

    update_settings(company=company, type_threshold=0.999)
    document = read(company, make_pdf(["Bonjour,", "Voici les éléments demandés la semaine dernière.",
                                       "Cordialement,", "Paul"]), "message.pdf")
    assert document.doc_type_uncertain
    review = ReviewItem.objects.get(pk=document.filing_review_id)
    assert review.kind == "documents.file_checked" and review.payload["doc_type"] == ""
    assert any("ne sait pas" in reason for reason in document.human_required_reasons)


def test_without_ocr_a_scan_is_kept_and_a_person_types_the_fields(company):
    """Degraded mode: OCR switched off (or Tesseract missing), the scan is stored and proposed for manual
    typing, and the page says why."""
    from etabli.documents.services.config import update_settings
    from tests.engines.ocr.builders import render, to_png

    update_settings(company=company, ocr_enabled=False)
    scan = to_png(render(make_invoice_pdf(), dpi=150, noise=4.0, seed=2)[0])
    document = read(company, scan, "photo.png")
    assert document.status == DocumentStatus.TO_VALIDATE
    assert document.content == "" and document.archive_file.name == ""
    assert any("Aucun texte n'a pu être lu" in reason for reason in document.human_required_reasons)
    assert any("désactivée" in warning for warning in document.warnings)
    assert ReviewItem.objects.get(pk=document.filing_review_id).kind == "documents.file_checked"
