"""Duplicates are flagged (same issuer + number, same content, same amount/date/issuer) and a person
decides; the same bytes received twice are one document."""

from __future__ import annotations

import pytest
from django.urls import reverse

from etabli.billing import selectors as billing
from etabli.core.models import ReviewStatus
from etabli.documents.models import DocumentStatus
from tests.apps.documents.conftest import read
from tests.apps.documents.factories import make_invoice_pdf, make_pdf, supplier_invoice_lines

pytestmark = pytest.mark.django_db


def test_same_issuer_and_number_is_a_probable_duplicate(company):
    original = read(company, make_invoice_pdf(), "facture.pdf")
    copy = read(company, make_pdf(["DUPLICATA", *supplier_invoice_lines()]), "relance.pdf")
    assert copy.duplicate_of_id == original.pk
    assert any("même numéro (FA-2026-0042)" in reason for reason in copy.duplicate_reasons)
    assert copy.filing_review.kind == "documents.file_checked"
    assert any(reason.startswith("Doublon probable") for reason in copy.human_required_reasons)


def test_same_text_in_another_file_is_a_duplicate(company):
    from reportlab.lib.pagesizes import A4  # noqa: F401 - same lines, another PDF producer run (other bytes)

    first = read(company, make_pdf(["Note de frais", "Repas chantier Vertou", "Montant 42,00"]), "note.pdf")
    second = read(company, make_pdf(["Note de frais", "Repas chantier Vertou", "Montant 42,00"], size=12), "note2.pdf")
    assert first.checksum != second.checksum
    assert second.duplicate_of_id == first.pk
    assert any("Même contenu" in reason for reason in second.duplicate_reasons)


def test_same_amount_date_and_issuer_is_a_duplicate(company):
    first = read(company, make_invoice_pdf(number="F-100"), "a.pdf")
    photo = read(company, make_invoice_pdf(number="F-100B"), "b.pdf")
    assert photo.duplicate_of_id == first.pk
    assert any("même montant" in reason for reason in photo.duplicate_reasons)


def test_different_invoices_of_the_same_supplier_are_not_duplicates(company):
    read(company, make_invoice_pdf(number="F-1"), "a.pdf")
    other = read(company, make_invoice_pdf(number="F-2", date="20/03/2026", due="19/04/2026", ht="100,00",
                                           tva="20,00", ttc="120,00"), "b.pdf")
    assert other.duplicate_of_id is None and other.duplicate_reasons == []


def test_the_owner_sets_a_duplicate_aside_without_recording_it_twice(owner_client, company, owner):
    from etabli.core.services import reviews

    original = read(company, make_invoice_pdf(), "facture.pdf")
    reviews.accept(item=original.filing_review, user=owner.user, membership=owner)
    copy = read(company, make_pdf(["DUPLICATA", *supplier_invoice_lines()]), "relance.pdf")
    page = owner_client.get(reverse("documents:validate", args=[copy.pk])).content.decode()
    assert "Doublon probable" in page and "écarter" in page
    response = owner_client.post(reverse("documents:duplicate", args=[copy.pk]))
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.status == DocumentStatus.FILED and copy.status_reason_code == "duplicate"
    assert copy.filing_review.status == ReviewStatus.REJECTED
    assert "doublon" in [t.tag.name for t in copy.document_tags.all()]
    invoices = [i for i in billing.open_invoices(company=company, kind="supplier") if i.number == "FA-2026-0042"]
    assert len(invoices) == 1


def test_a_duplicate_already_in_billing_is_filed_as_its_proof(company, owner):
    """Billing refuses the same invoice twice; filing the document links it to the invoice already there."""
    from etabli.core.services import reviews

    first = read(company, make_invoice_pdf(), "facture.pdf")
    reviews.accept(item=first.filing_review, user=owner.user, membership=owner)
    first.refresh_from_db()
    copy = read(company, make_pdf(["DUPLICATA", *supplier_invoice_lines()]), "relance.pdf")
    item = reviews.accept(item=copy.filing_review, user=owner.user, membership=owner)
    copy.refresh_from_db()
    assert copy.status == DocumentStatus.FILED
    assert copy.supplier_invoice_id == first.supplier_invoice_id
    assert "déjà enregistrée" in item.result["supplier_invoice_existing"]
