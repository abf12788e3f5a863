"""The writing API: requests, drafts and decisions, with the platform's error shape."""

import pytest

from etabli.core.models import AIDecision, TimeSaved
from etabli.engines.llm import TEMPLATE_LABEL
from tests.apps.writing.test_email import eml

pytestmark = pytest.mark.django_db


def test_posts_then_approve_through_the_api(api_client, profile, owner):
    response = api_client.post("/api/v1/writing/posts", {"themes": ["conseil", "offre"], "networks": ["facebook"],
                                                         "week_start": "2026-11-30"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "done" and len(body["drafts"]) == 2
    post = body["drafts"][0]
    assert post["label"] == TEMPLATE_LABEL and post["generated_by_ai"] is False and post["theme"] == "conseil"
    assert post["provenance"]["genere_par_ia"] is False and post["suggested_slot"]
    approved = api_client.post(f"/api/v1/writing/drafts/{post['id']}/approve", {"text": "Texte relu."}).json()
    assert approved["status"] == "approved" and approved["text"] == "Texte relu." and approved["edited"]
    assert approved["label"].startswith("Rédigé à partir d'un modèle de texte, validé par")
    again = api_client.post(f"/api/v1/writing/drafts/{post['id']}/approve", {})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_decided"
    assert TimeSaved.objects.filter(company=owner.company).count() == 1
    assert AIDecision.objects.get(pk=post["ai_decision_id"]).override == "edited"
    listed = api_client.get("/api/v1/writing/drafts?status=approved").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == post["id"]


def test_bad_input_is_a_french_422(api_client, profile):
    response = api_client.post("/api/v1/writing/posts", {"themes": ["horoscope"]})
    assert response.status_code == 422
    assert response.json()["error"] == {"code": "invalid_input", "message": response.json()["error"]["message"]}
    assert "Thème inconnu" in response.json()["error"]["message"]
    assert api_client.post("/api/v1/writing/job-ad", {"brief": ""}).json()["error"]["code"] == "invalid_input"
    assert api_client.post("/api/v1/writing/email", {"raw": ""}).status_code == 422


def test_edit_and_reject(api_client, profile):
    post = api_client.post("/api/v1/writing/posts", {"themes": ["conseil"], "week_start": "2026-11-30"}).json()["drafts"][0]
    edited = api_client.patch(f"/api/v1/writing/drafts/{post['id']}", {"text": "Ma version."}).json()
    assert edited["status"] == "edited" and edited["generated_text"] == post["text"]
    rejected = api_client.post(f"/api/v1/writing/drafts/{post['id']}/reject", {"reason": "Trop long"}).json()
    assert rejected["status"] == "rejected" and rejected["rejection_reason"] == "Trop long"
    assert api_client.patch(f"/api/v1/writing/drafts/{post['id']}", {"text": "x"}).status_code == 409


def test_products_upload_progress_and_csv(client, api_token, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token}"}
    upload = SimpleUploadedFile("the.csv", "nom;origine\nThé vert Sencha;Japon\n".encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/writing/products", {"file": upload, "style": "luxe"}, **auth)
    assert response.status_code == 202 and response.json()["status"] == "queued"
    batch_id = response.json()["id"]
    detail = client.get(f"/api/v1/writing/batches/{batch_id}", **auth).json()
    assert detail["status"] == "done" and detail["job"]["status"] == "succeeded" and detail["job"]["percent"] == 100
    assert detail["drafts"][0]["title"] == "Thé vert Sencha"
    csv_text = client.get(f"/api/v1/writing/batches/{batch_id}/csv", **auth).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("nom;origine;titre_seo")
    bad = SimpleUploadedFile("x.csv", b"ref;prix\n1;2\n", content_type="text/csv")
    response = client.post("/api/v1/writing/products", {"file": bad}, **auth)
    assert response.status_code == 422 and "« nom »" in response.json()["error"]["message"]


def test_email_through_the_api(api_client):
    body = api_client.post("/api/v1/writing/email", {"raw": eml().decode()}).json()
    assert body["result"]["triage"]["label"] == "a_traiter" and body["result"]["triage"]["reasons"]
    assert [d["feature"] for d in body["drafts"]] == ["email_reply"] * 3 + ["thread_summary"]


def test_profile_put_and_get(client, api_token):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token}"}
    profile = {"trade": "menuiserie", "city": "Nantes", "products": ["escaliers", "parquets"],
               "offer_title": "Parquet posé", "offer_price": "39.00", "offer_end": "2026-12-31",
               "testimonials": [{"author": "Léa M.", "text": "Parfait.", "consent": True}],
               "events": [{"title": "Salon", "date": "2026-12-12"}]}
    response = client.put("/api/v1/writing/profile", profile, content_type="application/json", **auth)
    assert response.status_code == 200, response.content
    body = client.get("/api/v1/writing/profile", **auth).json()
    assert body["configured"] and body["products"] == ["escaliers", "parquets"] and body["offer_price"] == "39.00"
    assert body["testimonials"][0]["author"] == "Léa M." and body["events"][0]["date"] == "2026-12-12"
    bad = dict(profile, offer_start="2027-01-10", offer_end="2027-01-01")
    response = client.put("/api/v1/writing/profile", bad, content_type="application/json", **auth)
    assert response.status_code == 422 and "La fin de l'offre précède son début" in response.json()["error"]["message"]
    assert client.get("/api/v1/writing/profile", **auth).json()["offer_end"] == "2026-12-31"


def test_read_only_roles(client, company, profile):
    from etabli.core.services import tokens
    from tests.factories import make_member

    reader = make_member(company, "readonly")
    token = tokens.issue_token(user=reader.user, company=company, name="r").plain
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = client.post("/api/v1/writing/posts", {"themes": ["conseil"]}, content_type="application/json", **auth)
    assert response.status_code == 403
    assert client.get("/api/v1/writing/drafts", **auth).status_code == 200
