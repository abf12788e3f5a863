"""One-click validation: the split screen, filing through the review queue, the supplier and its invoice in
billing, the purchase entry (6xx / 44566 / 401), the human-only threshold, auto-mode, corrections."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from etabli.billing import selectors as billing
from etabli.core.models import (
    AIDecision,
    AutoRule,
    Override,
    ReviewItem,
    ReviewStatus,
    TimeSaved,
    WebhookDelivery,
)
from etabli.core.services import reviews, webhooks
from etabli.documents.models import ClassifierState, DocumentSettings, DocumentStatus, EntryStatus
from tests.apps.documents.conftest import read
from tests.apps.documents.factories import make_invoice_pdf, make_pdf
from tests.apps.documents.samples import SAMPLES

pytestmark = pytest.mark.django_db


def _form_values(response) -> dict:
    """What the browser would post: every input of the validation form with its current value."""
    import re

    html = response.content.decode()
    form = html[html.index('id="validate-form"'):html.index("</form>", html.index('id="validate-form"'))]
    values = dict(re.findall(r'<input id="f-[\w]+" name="(\w+)" value="([^"]*)"', form))
    selected = re.search(r'<option value="(\w*)" selected>', form)
    values["doc_type"] = selected.group(1) if selected else ""
    return {k: v.replace("&#x27;", "'").replace("&amp;", "&") for k, v in values.items()}


def test_split_screen_shows_the_document_with_highlights_and_the_fields(owner_client, company):
    document = read(company, make_invoice_pdf(), "facture.pdf")
    response = owner_client.get(reverse("documents:validate", args=[document.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'{reverse("documents:preview", args=[document.pk])}?page=1' in html
    assert 'data-field="total_ttc" data-box="' in html, "where the total was read is highlighted"
    assert 'name="total_ttc" value="420,00"' in html and 'name="invoice_number" value="FA-2026-0042"' in html
    assert "Entrée" in html and "data-autofocus" in html
    preview = owner_client.get(reverse("documents:preview", args=[document.pk]) + "?page=1&largeur=300")
    assert preview.status_code == 200 and preview["Content-Type"] == "image/png"
    assert preview.content.startswith(b"\x89PNG")


def test_validation_files_it_creates_the_supplier_and_invoice_and_proposes_the_entry(owner_client, owner, company,
                                                                                      django_capture_on_commit_callbacks):
    document = read(company, make_invoice_pdf(), "facture.pdf")
    page = owner_client.get(reverse("documents:validate", args=[document.pk]))
    with django_capture_on_commit_callbacks(execute=False):
        response = owner_client.post(reverse("documents:validate", args=[document.pk]), _form_values(page))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.FILED and document.validated_by == owner.user
    review = ReviewItem.objects.get(pk=document.filing_review_id)
    assert review.status == ReviewStatus.ACCEPTED, review.last_error
    supplier = billing.find_partner(company=company, siren="455869719", kind="supplier")
    assert supplier is not None and supplier.id == document.partner_id and supplier.iban.endswith("35264")
    invoice = next(i for i in billing.open_invoices(company=company, kind="supplier") if i.number == "FA-2026-0042")
    assert invoice.total_ttc == Decimal("420.00") and invoice.id == document.supplier_invoice_id
    assert document.entry_status == EntryStatus.PROPOSED
    lines = {line["account"]: line for line in document.accounting_entry["lines"]}
    assert lines["601"]["debit"] == "350.00" and lines["44566"]["debit"] == "70.00"
    assert lines["401"]["credit"] == "420.00" and document.accounting_entry["balanced"]
    entry_review = ReviewItem.objects.get(pk=document.entry_review_id)
    assert entry_review.kind == "documents.entry" and entry_review.status == ReviewStatus.PENDING
    assert TimeSaved.objects.filter(company=company, action="documents.filed").count() == 1
    assert AIDecision.objects.get(pk=document.ai_decision_id).override == Override.ACCEPTED


def test_filed_webhook_is_emitted(company, owner, committed):
    webhooks.create_endpoint(company=company, url="http://127.0.0.1:9/hook", events=["document.filed"])
    document = read(company, make_invoice_pdf(), "facture.pdf")
    committed(reviews.accept, item=document.filing_review, user=owner.user, membership=owner)
    delivery = WebhookDelivery.objects.get(company=company, event="document.filed")
    assert delivery.payload["data"]["id"] == document.pk and delivery.payload["data"]["status"] == "filed"


def test_booking_the_entry_learns_the_suppliers_account(company, owner):
    first = read(company, make_invoice_pdf(number="A-1"), "a.pdf")
    reviews.accept(item=first.filing_review, user=owner.user, membership=owner)
    first.refresh_from_db()
    item = reviews.accept(item=first.entry_review, user=owner.user, membership=owner,
                          edits={"expense_account": "6063", "entry_date": "15/03/2026", "label": "Outillage"})
    assert item.status == ReviewStatus.EDITED
    first.refresh_from_db()
    assert first.entry_status == EntryStatus.BOOKED
    assert {line["account"] for line in first.accounting_entry["lines"]} == {"6063", "44566", "401"}
    assert TimeSaved.objects.filter(company=company, action="documents.entry_booked").count() == 1
    second = read(company, make_invoice_pdf(number="A-2", date="20/03/2026", due="19/04/2026"), "b.pdf")
    reviews.accept(item=second.filing_review, user=owner.user, membership=owner)
    second.refresh_from_db()
    assert second.entry_review.payload["expense_account"] == "6063"
    assert any("utilisé pour ce fournisseur" in reason for reason in second.entry_review.reasons)


def test_a_bad_account_is_refused_in_french(company, owner):
    document = read(company, make_invoice_pdf(), "a.pdf")
    reviews.accept(item=document.filing_review, user=owner.user, membership=owner)
    document.refresh_from_db()
    with pytest.raises(reviews.ReviewError, match="commencer par 6"):
        reviews.accept(item=document.entry_review, user=owner.user, membership=owner,
                       edits={"expense_account": "401", "entry_date": "15/03/2026", "label": "x"})
    document.refresh_from_db()
    assert document.entry_status == EntryStatus.PROPOSED


def test_above_the_amount_a_person_always_validates_even_in_auto_mode(company, owner):
    AutoRule.objects.create(company=company, kind="documents.file", enabled=True, min_confidence=0.5)
    small = read(company, make_invoice_pdf(number="P-1"), "petite.pdf")
    big = read(company, make_invoice_pdf(number="G-1", ht="15 000,00", tva="3 000,00", ttc="18 000,00"), "grosse.pdf")
    assert small.filing_review.status == ReviewStatus.AUTO_ACCEPTED
    small.refresh_from_db()
    assert small.status == DocumentStatus.FILED and small.validated_by is None
    assert TimeSaved.objects.get(company=company, action="documents.filed").automated
    big.refresh_from_db()
    assert big.status == DocumentStatus.TO_VALIDATE
    assert big.filing_review.kind == "documents.file_checked" and big.filing_review.status == ReviewStatus.PENDING
    from etabli.common.formats import format_eur

    assert any(format_eur(Decimal(18000)) in reason and "une personne valide toujours" in reason
               for reason in big.human_required_reasons)
    with pytest.raises(reviews.ReviewError):
        reviews.set_auto_rule(company=company, kind="documents.file_checked", enabled=True, min_confidence=0.9)


def test_the_threshold_is_configurable(company):
    DocumentSettings.objects.update_or_create(company=company, defaults={"human_validation_amount": Decimal(100)})
    document = read(company, make_invoice_pdf(), "facture.pdf")
    assert document.filing_review.kind == "documents.file_checked"


def test_corrected_fields_are_kept_as_human_values_and_sent_to_billing(owner_client, company):
    document = read(company, make_invoice_pdf(ht="1 500,00", tva="300,00", ttc="1 800,00"), "facture.pdf")
    values = _form_values(owner_client.get(reverse("documents:validate", args=[document.pk])))
    values.update({"total_ht": "150,00", "total_tva": "30,00", "total_ttc": "180,00", "next": "liste"})
    response = owner_client.post(reverse("documents:validate", args=[document.pk]), values)
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.filing_review.status == ReviewStatus.EDITED
    assert document.amount_ttc == Decimal("180.00")
    total = document.fields["total_ttc"]
    assert total["source"] == "human" and total["read_value"] == "1800.00" and total["confidence"] == 1.0
    invoice = next(i for i in billing.open_invoices(company=company, kind="supplier") if i.number == "FA-2026-0042")
    assert invoice.total_ttc == Decimal("180.00")


def test_inconsistent_edits_are_refused_and_nothing_is_written(owner_client, company):
    document = read(company, make_invoice_pdf(), "facture.pdf")
    values = _form_values(owner_client.get(reverse("documents:validate", args=[document.pk])))
    values["total_ttc"] = "999,00"
    response = owner_client.post(reverse("documents:validate", args=[document.pk]), values)
    assert response.status_code == 400
    assert "Facture refusée par la facturation" in response.content.decode()
    document.refresh_from_db()
    assert document.status == DocumentStatus.TO_VALIDATE
    assert document.filing_review.status == ReviewStatus.PENDING
    assert billing.find_partner(company=company, siren="455869719") is None, "no half-written supplier"


def test_an_uncertain_type_must_be_chosen_and_the_choice_retrains(owner_client, company, settings):
    DocumentSettings.objects.update_or_create(company=company, defaults={"type_threshold": 0.9999})
    document = read(company, make_pdf(SAMPLES["contrat"]), "scan.pdf")
    assert document.doc_type_uncertain
    values = _form_values(owner_client.get(reverse("documents:validate", args=[document.pk])))
    assert values["doc_type"] == ""
    response = owner_client.post(reverse("documents:validate", args=[document.pk]), values)
    assert response.status_code == 400 and "Type" in response.content.decode()
    values["doc_type"] = "contrat"
    settings.HUEY = {**settings.HUEY, "immediate": False}  # retraining is queued, not run, here
    response = owner_client.post(reverse("documents:validate", args=[document.pk]), values)
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.FILED and document.doc_type == "contrat"
    assert document.doc_type_source == "human"
    assert ClassifierState.objects.get(company=company).retrain_requested_at is not None
    assert AIDecision.objects.get(pk=document.ai_decision_id).override == Override.EDITED


def test_refusing_sends_the_document_to_check(owner_client, company):
    document = read(company, make_invoice_pdf(), "facture.pdf")
    response = owner_client.post(reverse("documents:reject", args=[document.pk]), {"reason": "Pas pour nous"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_ATTENTION and "refusée" in document.status_reason


def test_only_members_allowed_to_approve_may_validate(member_client, company):
    document = read(company, make_invoice_pdf(), "facture.pdf")
    client, _ = member_client("employee")
    assert client.get(reverse("documents:validate", args=[document.pk])).status_code == 403
    assert client.get(reverse("documents:detail", args=[document.pk])).status_code == 200
    client, _ = member_client("accountant")
    assert client.get(reverse("documents:validate", args=[document.pk])).status_code == 200


def test_credit_note_entry_is_reversed(company, owner):
    lines = SAMPLES["avoir"]
    document = read(company, make_pdf(lines), "avoir.pdf")
    assert document.doc_type == "avoir"
    from etabli.documents.services.validation import entry_for

    entry = entry_for(document, "601")
    by_account = {line["account"]: line for line in entry["lines"]}
    assert by_account["401"]["debit"] == "144.00" and by_account["601"]["credit"] == "120.00"
    assert by_account["44566"]["credit"] == "24.00" and entry["balanced"]


def test_next_document_opens_after_validation(owner_client, company):
    first = read(company, make_invoice_pdf(number="N-1"), "a.pdf")
    second = read(company, make_invoice_pdf(number="N-2", date="16/03/2026"), "b.pdf")
    values = _form_values(owner_client.get(reverse("documents:validate", args=[first.pk])))
    values["next"] = "suivant"
    response = owner_client.post(reverse("documents:validate", args=[first.pk]), values)
    assert response["Location"] == reverse("documents:validate", args=[second.pk])


def test_an_einvoice_is_recorded_in_billing_from_its_xml(company, owner):
    """Not retyped: billing imports the Factur-X file itself (lines, VAT, due date as written)."""
    from pathlib import Path

    pdf = (Path(__file__).resolve().parents[3].parent / "shared" / "datasets" / "invoices" / "facturx"
           / "akretion_fixtures" / "invoice_EN16931.pdf")
    if not pdf.exists():
        pytest.skip("jeu de données Factur-X absent (../shared/datasets)")
    document = read(company, pdf.read_bytes(), pdf.name)
    assert document.read_kind == "einvoice_xml" and document.doc_type == "facture_fournisseur"
    item = reviews.accept(item=document.filing_review, user=owner.user, membership=owner)
    document.refresh_from_db()
    assert document.status == DocumentStatus.FILED, item.last_error
    invoice = next((i for i in billing.open_invoices(company=company, kind="supplier")
                    if i.id == document.supplier_invoice_id), None)
    if invoice is not None:  # an already-paid e-invoice is not « open »
        assert invoice.number == document.reference and invoice.total_ttc == document.amount_ttc
    assert document.supplier_invoice_id


def test_an_identifier_refused_by_billing_is_shown_on_its_field(owner_client, company):
    from pathlib import Path

    pdf = Path(__file__).resolve().parents[3].parent / "shared" / "datasets" / "invoices" / "facturx" / "fnfe" / \
        "Facture_FR_BASICWL.pdf"
    if not pdf.exists():
        pytest.skip("jeu de données Factur-X absent (../shared/datasets)")
    document = read(company, pdf.read_bytes(), pdf.name)
    assert "siret_checksum" in {c["name"] for c in document.failed_checks}  # the sample's SIRET key is wrong
    values = _form_values(owner_client.get(reverse("documents:validate", args=[document.pk])))
    response = owner_client.post(reverse("documents:validate", args=[document.pk]), values)
    assert response.status_code == 400
    assert 'id="e-siret"' in response.content.decode() and "clé de contrôle" in response.content.decode()
    values["siret"] = ""
    response = owner_client.post(reverse("documents:validate", args=[document.pk]), values)
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.FILED and document.supplier_invoice_id
