import datetime as dt

import pytest
from django.utils import timezone

from etabli.core.models import ApiToken, Company, ReviewItem, ReviewStatus
from etabli.core.services import alerts, reviews, tokens
from tests.factories import make_member


def propose(company, **kw):
    return reviews.propose(company=company, kind="tests.note", title=kw.pop("title", "Relance"),
                           payload={"text": "Bonjour"}, confidence=0.7, reasons=["r"], **kw)


@pytest.mark.django_db
class TestOpenApi:
    def test_openapi_document_is_public_and_openapi_3(self, client):
        doc = client.get("/api/v1/openapi.json").json()
        assert doc["openapi"].startswith("3.")
        paths = doc["paths"]
        for path in ("/api/v1/me", "/api/v1/reviews", "/api/v1/reviews/{review_id}/accept", "/api/v1/alerts",
                     "/api/v1/ai-decisions", "/api/v1/roi", "/api/v1/audit", "/api/v1/webhooks"):
            assert path in paths, path
        assert "BearerAuth" in str(doc["components"]["securitySchemes"]) or doc["components"]["securitySchemes"]

    def test_openapi_validates_against_the_spec(self, client):
        from openapi_spec_validator import validate

        validate(client.get("/api/v1/openapi.json").json())


@pytest.mark.django_db
class TestAuthentication:
    def test_missing_token_is_a_french_401(self, client):
        body = client.get("/api/v1/me").json()
        assert body == {"error": {"code": "unauthenticated",
                                  "message": "Authentification requise : en-tête « Authorization: Bearer <jeton> »."}}

    def test_unknown_expired_revoked_tokens(self, client, owner):
        issued = tokens.issue_token(user=owner.user, company=owner.company, name="n8n", expires_in_days=1)
        auth = {"HTTP_AUTHORIZATION": f"Bearer {issued.plain}"}
        assert client.get("/api/v1/me", **auth).status_code == 200
        ApiToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        expired = client.get("/api/v1/me", **auth)
        assert expired.status_code == 401 and expired.json()["error"]["code"] == "expired_token"
        assert "a expiré" in expired.json()["error"]["message"]
        ApiToken.objects.filter(pk=issued.token.pk).update(expires_at=None)
        tokens.revoke(token=ApiToken.objects.get(pk=issued.token.pk))
        assert client.get("/api/v1/me", **auth).json()["error"]["code"] == "revoked_token"
        assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer etb_nope").json()["error"]["code"] == "invalid_token"

    def test_token_stops_working_when_access_is_removed(self, client, owner):
        member = make_member(owner.company, "manager")
        issued = tokens.issue_token(user=member.user, company=owner.company, name="x")
        member.is_active = False
        member.save()
        response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {issued.plain}")
        assert response.status_code == 401 and "n'a plus accès" in response.json()["error"]["message"]

    def test_read_only_token_cannot_write(self, client, owner):
        issued = tokens.issue_token(user=owner.user, company=owner.company, name="lecture", read_only=True)
        item = propose(owner.company)
        response = client.post(f"/api/v1/reviews/{item.pk}/accept", data={}, content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {issued.plain}")
        assert response.status_code == 403 and response.json()["error"]["code"] == "read_only_token"
        assert ReviewItem.objects.get(pk=item.pk).status == ReviewStatus.PENDING

    def test_token_issue_rules(self, owner, other_company):
        with pytest.raises(tokens.TokenError, match="pas accès"):
            tokens.issue_token(user=owner.user, company=other_company, name="x")
        with pytest.raises(tokens.TokenError, match="Donnez un nom"):
            tokens.issue_token(user=owner.user, company=owner.company, name=" ")
        issued = tokens.issue_token(user=owner.user, company=owner.company, name="x")
        assert issued.plain.startswith(f"etb_{issued.token.prefix}_")
        assert issued.plain not in issued.token.token_hash


@pytest.mark.django_db
class TestEndpoints:
    def test_me_lists_permissions_of_the_role(self, api_client, owner):
        me = api_client.get("/api/v1/me").json()
        assert me["company_slug"] == owner.company.slug and me["role"] == "owner"
        assert "audit.view" in me["permissions"]

    def test_reviews_are_paginated_and_decided(self, api_client, owner):
        items = [propose(owner.company, title=f"P{i}") for i in range(3)]
        page = api_client.get("/api/v1/reviews?page=1").json()
        assert page["count"] == 3 and len(page["items"]) == 3
        accepted = api_client.post(f"/api/v1/reviews/{items[0].pk}/accept", {"edits": {"text": "Modifié"}})
        assert accepted.status_code == 200 and accepted.json()["status"] == "edited"
        again = api_client.post(f"/api/v1/reviews/{items[0].pk}/accept", {})
        assert again.status_code == 409 and again.json()["error"]["message"] == "Cette proposition a déjà été traitée."
        bad = api_client.post(f"/api/v1/reviews/{items[1].pk}/accept", {"edits": {"amount": "abc"}})
        assert bad.status_code == 400 and "amount" in bad.json()["error"]["details"]
        rejected = api_client.post(f"/api/v1/reviews/{items[1].pk}/reject", {"reason": "non"})
        assert rejected.json()["status"] == "rejected"
        bulk = api_client.post("/api/v1/reviews/bulk-accept", {"ids": [items[2].pk, 999999]}).json()
        assert [(o["item_id"], o["ok"]) for o in bulk] == [(items[2].pk, True), (999999, False)]

    def test_validation_error_is_json_in_the_common_shape(self, api_client):
        response = api_client.post("/api/v1/reviews/bulk-accept", {"ids": "pas une liste"})
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "validation_error" and response.json()["error"]["details"]

    def test_patch_company_refuses_invalid_siren_and_writes_nothing(self, api_client, owner):
        response = api_client.patch("/api/v1/company", {"siren": "123456789", "legal_name": "Changée"})
        assert response.status_code == 400
        assert "SIREN" in str(response.json()["error"]["details"])
        assert Company.objects.get(pk=owner.company.pk).legal_name != "Changée"
        ok = api_client.patch("/api/v1/company", {"siren": "732829320"})
        assert ok.status_code == 200 and ok.json()["siren"] == "732829320"

    def test_wrong_role_gets_a_403(self, client, owner):
        employee = make_member(owner.company, "employee")
        issued = tokens.issue_token(user=employee.user, company=owner.company, name="x")
        response = client.get("/api/v1/audit", HTTP_AUTHORIZATION=f"Bearer {issued.plain}")
        assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"

    def test_alerts_and_webhooks(self, api_client, owner):
        alert = alerts.raise_alert(company=owner.company, source="x", code="c", message="Alerte")
        assert api_client.get("/api/v1/alerts").json()["items"][0]["message"] == "Alerte"
        assert api_client.post(f"/api/v1/alerts/{alert.pk}/dismiss").status_code == 200
        assert api_client.get("/api/v1/alerts").json()["count"] == 0
        created = api_client.post("/api/v1/webhooks", {"url": "https://n8n.local/hook", "events": ["review.created"]})
        assert created.status_code == 201 and len(created.json()["secret"]) > 20
        bad = api_client.post("/api/v1/webhooks", {"url": "https://n8n.local/hook", "events": ["inventé"]})
        assert bad.status_code == 400 and "Événement inconnu" in bad.json()["error"]["message"]
        assert api_client.delete(f"/api/v1/webhooks/{created.json()['id']}").status_code == 204
        assert "review.created" in [e["name"] for e in api_client.get("/api/v1/webhook-events").json()]

    def test_api_writes_are_audited_with_the_token_name(self, api_client, owner):
        item = propose(owner.company)
        api_client.post(f"/api/v1/reviews/{item.pk}/reject", {"reason": "non"})
        from etabli.core.models import AuditEntry

        entry = AuditEntry.objects.filter(model="core.ReviewItem", action="update", object_id=str(item.pk)).first()
        assert entry.channel == "api" and "(jeton tests)" in entry.actor_label
