"""Acceptance (issue 4): a scanned invoice dropped in the browser is read within a minute, then validated in
one key press on the split screen; the supplier invoice lands in billing."""

import pytest
from playwright.sync_api import expect

from etabli.documents.models import Document, DocumentStatus
from tests.apps.documents.factories import make_invoice_pdf
from tests.factories import make_company, make_member, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_drop_a_scanned_invoice_and_validate_it_in_one_key_press(page, tmp_path):
    from tests.engines.ocr.builders import render, to_png

    user = make_user(email="pierre@menuiserie.fr", password="un-mot-de-passe-solide")
    company = make_company("Menuiserie Martin")
    make_member(company, "owner", user=user)
    scan = tmp_path / "facture-scannee.png"
    scan.write_bytes(to_png(render(make_invoice_pdf(), dpi=200, noise=6.0, seed=11)[0]))

    page.goto("/documents/deposer/")
    page.get_by_label("Adresse e-mail").fill("pierre@menuiserie.fr")
    page.get_by_label("Mot de passe").fill("un-mot-de-passe-solide")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/documents/deposer/")
    expect(page.get_by_role("button", name="Déposez vos fichiers ici")).to_be_visible()  # drop zone (JavaScript)

    page.locator("input[type=file]").set_input_files(str(scan))  # what dropping does: one upload per file
    row = page.locator("#upload-list li").first
    row.get_by_role("link", name="Valider").wait_for(timeout=60_000)  # read (OCR) within a minute
    assert "À valider" in row.inner_text()

    row.get_by_role("link", name="Valider").click()
    page.wait_for_url("**/valider/")
    assert page.locator("#f-total_ttc").input_value() == "420,00"
    assert page.locator("#f-invoice_number").input_value() == "FA-2026-0042"
    page.locator("#f-total_ttc").focus()
    box = page.locator('.box[data-field="total_ttc"]')
    assert "active" in box.get_attribute("class"), "the place where the total was read lights up"
    page.locator("#f-invoice_number").press("Enter")  # one key press validates
    page.wait_for_selector("text=Document classé")
    document = Document.objects.get(company=company)
    assert document.status == DocumentStatus.FILED and document.validated_by == user
    assert document.read_kind == "ocr" and document.supplier_invoice_id
