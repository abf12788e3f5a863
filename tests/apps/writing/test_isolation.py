"""Company isolation of the writing assistant: pages, API routes, services, selectors and the background job
never read or write another company's profile, requests or drafts."""

import pytest

from etabli.core.models import Job
from etabli.core.services import jobs, tokens
from etabli.writing import selectors, services
from etabli.writing.models import Batch, Draft
from tests.apps.writing.factories import make_posts_batch, make_profile
from tests.factories import make_company, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs():
    company = make_company("Concurrente")
    make_profile(company, offer_title="Offre secrète", offer_price=1)
    return make_posts_batch(company)


def test_pages_answer_404_for_another_companys_request_or_draft(owner_client, theirs):
    draft = theirs.drafts.first()
    for url in (f"/redaction/demandes/{theirs.pk}/", f"/redaction/demandes/{theirs.pk}/progression/",
                f"/redaction/demandes/{theirs.pk}/texte/", f"/redaction/brouillons/{draft.pk}/",
                f"/redaction/brouillons/{draft.pk}/texte/"):
        assert owner_client.get(url).status_code == 404, url
    for url, data in ((f"/redaction/brouillons/{draft.pk}/", {"action": "approve", "text": "pris"}),
                      (f"/redaction/demandes/{theirs.pk}/valider/", {"drafts": [draft.pk]}),
                      (f"/redaction/demandes/{theirs.pk}/classement/", {"label": "urgent"})):
        assert owner_client.post(url, data).status_code == 404, url
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.edited_text == ""


def test_lists_and_profile_show_only_the_companys_rows(company, owner_client, theirs):
    make_posts_batch(company)
    home = owner_client.get("/redaction/").content.decode()
    assert f"/redaction/demandes/{theirs.pk}/" not in home and "/redaction/demandes/" in home
    listing = owner_client.get("/redaction/brouillons/").content.decode()
    assert f"/redaction/brouillons/{theirs.drafts.first().pk}/" not in listing
    assert "Offre secrète" not in owner_client.get("/redaction/profil/").content.decode()
    assert selectors.drafts(company=company).count() == 3


def test_api_routes_answer_404(company, owner, client, theirs):
    token = tokens.issue_token(user=owner.user, company=company, name="t").plain
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    draft = theirs.drafts.first()
    for url in (f"/api/v1/writing/batches/{theirs.pk}", f"/api/v1/writing/batches/{theirs.pk}/csv",
                f"/api/v1/writing/drafts/{draft.pk}"):
        assert client.get(url, **auth).status_code == 404, url
    for url in (f"/api/v1/writing/drafts/{draft.pk}/approve", f"/api/v1/writing/drafts/{draft.pk}/reject"):
        assert client.post(url, "{}", content_type="application/json", **auth).status_code == 404, url
    assert client.patch(f"/api/v1/writing/drafts/{draft.pk}", '{"text": "x"}', content_type="application/json",
                        **auth).status_code == 404
    assert client.get("/api/v1/writing/profile", **auth).json() == {"configured": False}
    assert client.get("/api/v1/writing/drafts", **auth).json()["count"] == 0


def test_services_refuse_another_companys_ids(company, owner, theirs):
    draft = theirs.drafts.first()
    with pytest.raises(Draft.DoesNotExist):
        services.approve_draft(company=company, draft_id=draft.pk, user=owner.user)
    with pytest.raises(Draft.DoesNotExist):
        services.edit_draft(company=company, draft_id=draft.pk, text="x", user=owner.user)
    with pytest.raises(Batch.DoesNotExist):
        selectors.batch(company=company, batch_id=theirs.pk)
    assert services.approve_drafts(company=company, draft_ids=[draft.pk], user=owner.user)[0].ok is False
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_generation_job_only_runs_its_companys_request(company, theirs):
    job = Job.objects.create(company=company, kind="writing.generate", label="x", params={"batch_id": theirs.pk})
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "introuvable" in job.error
    theirs.refresh_from_db()
    assert theirs.job_id is None


def test_a_member_of_another_company_cannot_switch_in(client, theirs):
    stranger = make_member(make_company("Tierce"), "owner")
    client.force_login(stranger.user)
    assert client.get(f"/redaction/demandes/{theirs.pk}/").status_code == 404
