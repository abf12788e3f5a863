"""API routes, CLI contract `etabli documents extract --json`, pages and settings, isolation of the app's
routes between companies."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.urls import reverse

from etabli.core.services import tokens
from etabli.documents.models import Document, DocumentStatus, MailAccount, WatchedFolder
from tests.apps.documents.conftest import read
from tests.apps.documents.factories import make_invoice_pdf
from tests.factories import make_company, make_scoped

pytestmark = pytest.mark.django_db
FREE = Path(__file__).resolve().parents[3].parent / "shared" / "datasets" / "invoices" / "invoice2data" / "free_fiber.pdf"


def _auth(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_api_upload_list_search_detail_correct_validate(client, owner, api_token, company, committed):
    handle = io.BytesIO(make_invoice_pdf())
    handle.name = "facture.pdf"
    response = committed(client.post, "/api/v1/documents", {"files": [handle]}, **_auth(api_token))
    assert response.status_code == 201, response.content
    created = response.json()[0]
    assert created["created"] is True
    document_id = created["document"]["id"]
    listing = client.get("/api/v1/documents", {"q": "scierie"}, **_auth(api_token)).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == document_id
    detail = client.get(f"/api/v1/documents/{document_id}", **_auth(api_token)).json()
    assert detail["status"] == "to_validate" and detail["doc_type"] == "facture_fournisseur"
    total = next(f for f in detail["fields"] if f["name"] == "total_ttc")
    assert total["value"] == "420.00" and total["location"]["page"] == 1
    patched = client.patch(f"/api/v1/documents/{document_id}", {"tags": ["bois", "chantier Vertou"]},
                           content_type="application/json", **_auth(api_token)).json()
    assert patched["tags"] == ["bois", "chantier Vertou"]
    validated = client.post(f"/api/v1/documents/{document_id}/validate", {"edits": {"order_reference": "BC-12"}},
                            content_type="application/json", **_auth(api_token))
    assert validated.status_code == 200, validated.content
    assert validated.json()["status"] == "filed" and validated.json()["supplier_invoice_id"]
    again = client.post(f"/api/v1/documents/{document_id}/validate", {}, content_type="application/json",
                        **_auth(api_token))
    assert again.status_code == 409 and again.json()["error"]["code"] == "not_pending"
    original = client.get(f"/api/v1/documents/{document_id}/file", **_auth(api_token))
    assert original.status_code == 200 and b"".join(original.streaming_content).startswith(b"%PDF")


def test_api_refuses_bad_input_in_french(client, api_token, company):
    response = client.patch("/api/v1/documents/999999", {"doc_type": "facture"}, content_type="application/json",
                            **_auth(api_token))
    assert response.status_code == 404 and "error" in response.json()
    document = read(company, make_invoice_pdf(), "f.pdf")
    response = client.patch(f"/api/v1/documents/{document.pk}", {"doc_type": "inconnu"},
                            content_type="application/json", **_auth(api_token))
    assert response.status_code == 409 and "Type de document inconnu" in response.json()["error"]["message"]


def test_api_routes_do_not_serve_another_companys_documents(client, api_token, company):
    theirs = make_scoped(Document, make_company("Autre"))
    for method, url in (("get", f"/api/v1/documents/{theirs.pk}"), ("get", f"/api/v1/documents/{theirs.pk}/file"),
                        ("post", f"/api/v1/documents/{theirs.pk}/validate"),
                        ("post", f"/api/v1/documents/{theirs.pk}/reprocess")):
        kwargs = {"data": "{}", "content_type": "application/json"} if method == "post" else {}
        assert getattr(client, method)(url, **kwargs, **_auth(api_token)).status_code == 404
    assert client.get("/api/v1/documents", **_auth(api_token)).json()["count"] == 0


def test_api_extract_reads_without_storing(client, api_token, company):
    handle = io.BytesIO(make_invoice_pdf())
    handle.name = "facture.pdf"
    response = client.post("/api/v1/documents/extract", {"files": [handle]}, **_auth(api_token))
    assert response.status_code == 200
    entry = response.json()[0]
    assert entry["file"] == "facture.pdf" and entry["fields"]["total_ttc"] == 420.0
    assert not Document.objects.exists()


def test_readonly_token_cannot_upload(client, owner, company):
    token = tokens.issue_token(user=owner.user, company=company, name="lecture", read_only=True).plain
    handle = io.BytesIO(make_invoice_pdf())
    handle.name = "facture.pdf"
    assert client.post("/api/v1/documents", {"files": [handle]}, **_auth(token)).status_code == 403


def test_cli_extract_contract_on_free_fiber_and_a_bad_file(run_cli, tmp_path):
    """The acceptance of issue 4, and a file that cannot be read keeps the shape, « Erreur : … », exit 1."""
    if not FREE.exists():
        pytest.skip("jeu de données invoice2data absent (../shared/datasets)")
    bad = tmp_path / "vide.pdf"
    bad.write_bytes(b"")
    result = run_cli("documents", "extract", str(FREE), str(bad), "--json")
    assert result.returncode == 1 and "Erreur :" in result.stderr and "vide" in result.stderr
    entry, failed = json.loads(result.stdout)
    assert list(entry) == ["file", "doc_type", "fields", "confidence", "checks"]
    fields = entry["fields"]
    assert fields["invoice_number"] == "562044387" and fields["issue_date"] == "2015-07-02"
    assert fields["total_ttc"] == 29.99 and fields["vat_number"] == "FR60421938861"
    assert fields["iban"] is None and 0 < entry["confidence"]["total_ttc"] <= 1
    assert failed["error"]["code"] == "empty_file" and failed["fields"]["total_ttc"] is None


def test_pages_render_for_the_owner(owner_client, company):
    document = read(company, make_invoice_pdf(), "facture.pdf")
    for name, args in (("documents:list", []), ("documents:upload", []), ("documents:settings", []),
                       ("documents:detail", [document.pk])):
        response = owner_client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    html = owner_client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert "Vérifier et valider" in html and "Contrôles" in html
    review_page = owner_client.get(reverse("core:review_detail", args=[document.filing_review_id])).content.decode()
    assert reverse("documents:validate", args=[document.pk]) in review_page


def test_settings_page_adds_a_mailbox_a_folder_and_changes_the_threshold(owner_client, company, tmp_path):
    url = reverse("documents:settings")
    response = owner_client.post(url, {"section": "reglages", "human_validation_amount": "2500,00",
                                       "type_threshold": "0,7", "ocr_enabled": "on", "default_expense_account": "606"})
    assert response.status_code == 302
    from etabli.documents.services.config import get_settings

    assert str(get_settings(company).human_validation_amount) == "2500.00"
    response = owner_client.post(url, {"section": "boite", "boite-label": "Factures", "boite-host": "imap.exemple.fr",
                                       "boite-port": "993", "boite-security": "ssl", "boite-username": "factures",
                                       "boite-password": "secret", "boite-folder": "INBOX", "boite-enabled": "on"})
    assert response.status_code == 302
    assert MailAccount.objects.get(company=company).password_encrypted
    response = owner_client.post(url, {"section": "dossier", "dossier-path": str(tmp_path),
                                       "dossier-move_processed": "on"})
    assert response.status_code == 302
    assert WatchedFolder.objects.get(company=company).path == str(tmp_path)
    response = owner_client.post(url, {"section": "dossier", "dossier-path": "/nulle/part"})
    assert response.status_code == 400 and "n&#x27;existe pas" in response.content.decode()


def test_settings_are_for_the_owner_only_by_default(member_client):
    client, _ = member_client("manager")
    assert client.get(reverse("documents:settings")).status_code == 403


def test_correction_page_form(owner_client, company):
    document = read(company, make_invoice_pdf(), "facture.pdf")
    response = owner_client.post(reverse("documents:correct", args=[document.pk]),
                                 {"doc_type": "devis", "title": "Devis scierie", "correspondent_name": "Scierie",
                                  "tags": "bois, atelier"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.doc_type == "devis" and document.doc_type_source == "human"
    assert sorted(t.tag.name for t in document.document_tags.all()) == ["atelier", "bois"]
    assert document.filing_review.payload["doc_type"] == "devis", "the pending proposal shows the correction"


def test_reread_a_quarantined_document(owner_client, company, committed):
    document = read(company, b"%PDF-1.4 casse", "f.pdf")
    assert document.status == DocumentStatus.NEEDS_ATTENTION
    response = committed(owner_client.post, reverse("documents:reread", args=[document.pk]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_ATTENTION and document.attempts == 1
