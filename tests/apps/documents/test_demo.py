"""The demo loader: the dataset's documents filed with their fields and entries, four new ones to validate
(read by the worker, not during `etabli demo`)."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from etabli.core.demo.dataset import generate
from etabli.core.registry import registry
from etabli.documents.models import Document, DocumentStatus, EntryStatus
from etabli.documents.selectors import DocumentFilters, filter_documents
from etabli.documents.services.processing import pending_for, process_document

pytestmark = pytest.mark.django_db


def test_demo_documents_are_loaded_quickly_and_the_new_ones_are_ready_to_validate(company, owner):
    dataset = generate(seed=1, today=dt.date(2026, 11, 26))
    loaders = {name: loader for _, name, loader in registry.demo_loaders}
    assert "documents" in loaders
    if "facturation" in loaders:
        loaders["facturation"](company=company, dataset=dataset, stdout=None)
    started = time.monotonic()
    loaders["documents"](company=company, dataset=dataset, stdout=None)
    elapsed = time.monotonic() - started
    filed = Document.objects.filter(company=company, status=DocumentStatus.FILED)
    assert filed.count() == len(dataset.documents)
    assert filed.filter(doc_type="facture_fournisseur", entry_status=EntryStatus.BOOKED).count() == 60
    waiting = pending_for(company)
    assert len(waiting) == 4
    assert elapsed < 60, "the demo must stay fast (no reading during the load)"
    lease = filed.get(doc_type="contrat", reference="BAIL-2019")
    assert set(filter_documents(company, DocumentFilters(text="bail commercial")).values_list("pk", flat=True)) >= {
        lease.pk}
    for pk in waiting:
        process_document(pk)
    new = {d.original_filename: d for d in Document.objects.filter(pk__in=waiting)}
    assert all(d.status == DocumentStatus.TO_VALIDATE for d in new.values()), [
        (d.original_filename, d.status_reason) for d in new.values()]
    assert new["BL-SCI-2611-77.pdf"].doc_type == "bon_de_livraison"
    big = new["facture_negoce_NEG2611-0031.pdf"]
    assert big.filing_review.kind == "documents.file_checked" and big.partner_id
    duplicate = next(d for name, d in new.items() if name.endswith("-duplicata.pdf"))
    assert duplicate.duplicate_of_id is not None
    small = new["QUI-2611-0118.pdf"]
    assert small.filing_review.kind == "documents.file" and small.correspondent_match in ("siren", "vat_number",
                                                                                         "siret")
