"""Pages of the writing assistant: forms, profile, progress bar, lists — in French, working without JS."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from etabli.core.models import Job
from etabli.writing import models
from etabli.writing.models import Batch, Event, WritingProfile
from tests.apps.writing.factories import make_posts_batch

pytestmark = pytest.mark.django_db


def test_home_says_which_model_writes_and_links_the_settings(owner_client, company):
    page = owner_client.get("/redaction/").content.decode()
    assert "Sans modèle de langage" in page and "/reglages/ia/" in page
    assert "Le profil de la marque n'est pas encore renseigné" in page
    assert "Assistant de rédaction" in owner_client.get("/").content.decode()  # menu entry


def test_posts_form_generates_and_redirects_to_the_drafts(owner_client, company, profile):
    page = owner_client.get("/redaction/publications/").content.decode()
    assert 'type="date"' in page and "Offre du mois" in page and 'value="facebook"' in page
    response = owner_client.post("/redaction/publications/", {
        "themes": ["conseil", "offre"], "networks": ["facebook", "instagram"], "week_start": "2026-11-30"})
    batch = Batch.objects.get(company=company)
    assert response.status_code == 302 and response["Location"] == f"/redaction/demandes/{batch.pk}/"
    assert batch.drafts.count() == 4
    page = owner_client.get(response["Location"]).content.decode()
    assert "Offre du mois — Instagram" in page and "Valider la sélection" in page


def test_posts_form_errors_are_french_and_keep_the_choices(owner_client, company, profile):
    response = owner_client.post("/redaction/publications/", {"themes": ["evenement"], "networks": ["x"],
                                                              "week_start": "2027-03-01"})
    body = response.content.decode()
    assert response.status_code == 400 and "sans événement à venir" in body
    assert 'value="evenement" ' in body and "checked" in body
    response = owner_client.post("/redaction/publications/", {"networks": ["x"], "week_start": "2027-03-01"})
    assert "Choisissez au moins un thème." in response.content.decode()
    assert not Batch.objects.exists()


def test_profile_page_saves_the_facts_testimonials_and_events(owner_client, company):
    page = owner_client.get("/redaction/profil/").content.decode()
    assert "Le client accepte d&#x27;être cité" in page
    data = {
        "trade": "menuiserie", "city": "Nantes", "products": "escaliers\nparquets", "website": "", "phone": "",
        "hashtags": "#Bois", "tips": "", "behind_the_scenes": "", "networks": "facebook, instagram",
        "offer_title": "Parquet posé", "offer_price": "39,90", "offer_regular_price": "", "offer_start": "2026-12-01",
        "offer_end": "2026-12-31", "offer_conditions": "",
        "temoignages-TOTAL_FORMS": "2", "temoignages-INITIAL_FORMS": "0",
        "temoignages-0-author": "Léa M.", "temoignages-0-city": "Rezé", "temoignages-0-text": "Superbe parquet.",
        "temoignages-0-consent": "on",
        "temoignages-1-author": "", "temoignages-1-text": "",
        "evenements-TOTAL_FORMS": "1", "evenements-INITIAL_FORMS": "0",
        "evenements-0-title": "Salon de l'habitat", "evenements-0-date": "2026-12-12",
    }
    response = owner_client.post("/redaction/profil/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = WritingProfile.objects.get(company=company)
    assert profile.network_list == ("facebook", "instagram") and str(profile.offer_price) == "39.90"
    assert list(models.Testimonial.objects.filter(company=company).values_list("author", "consent")) == [("Léa M.", True)]
    assert Event.objects.get(company=company).date == dt.date(2026, 12, 12)
    data.update({"offer_start": "2027-01-10", "offer_end": "2027-01-01", "temoignages-0-text": "Super.",
                 "temoignages-1-author": "Sans texte"})
    response = owner_client.post("/redaction/profil/", data)
    body = response.content.decode()
    assert response.status_code == 400 and "Indiquez le nom du client et son témoignage" in body
    assert models.Testimonial.objects.get(company=company).text == "Superbe parquet."  # nothing half-saved
    data["temoignages-1-author"] = ""
    response = owner_client.post("/redaction/profil/", data)
    assert "La fin de l&#x27;offre précède son début" in response.content.decode()
    assert WritingProfile.objects.get(company=company).offer_end == dt.date(2026, 12, 31)


def test_a_model_request_runs_in_the_background_with_a_progress_bar(owner_client, company, profile, use_server,
                                                                      django_capture_on_commit_callbacks):
    use_server()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = owner_client.post("/redaction/publications/", {
            "themes": ["conseil"], "networks": ["facebook"], "week_start": "2026-11-30"})
    batch = Batch.objects.get(company=company)
    assert batch.status == "queued" and batch.job_id and len(callbacks) == 1
    page = owner_client.get(response["Location"]).content.decode()
    assert "<progress" in page and f"/redaction/demandes/{batch.pk}/progression/" in page
    partial = owner_client.get(f"/redaction/demandes/{batch.pk}/progression/", HTTP_HX_REQUEST="true")
    assert "hx-trigger=\"every 1s\"" in partial.content.decode()
    callbacks[0]()  # the worker runs the job
    batch.refresh_from_db()
    assert batch.status == "done" and Job.objects.get(pk=batch.job_id).status == "succeeded"
    partial = owner_client.get(f"/redaction/demandes/{batch.pk}/progression/", HTTP_HX_REQUEST="true")
    assert partial.headers.get("HX-Refresh") == "true"
    assert "Brouillon généré par IA" in owner_client.get(f"/redaction/demandes/{batch.pk}/").content.decode()


def test_product_upload_through_the_page(owner_client, company, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("the.csv", "nom;origine\nThé noir;Inde\n".encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post("/redaction/produits/", {"file": upload, "style": "luxe", "include_price": ""})
    batch = Batch.objects.get(company=company)
    assert response["Location"] == f"/redaction/demandes/{batch.pk}/"
    page = owner_client.get(response["Location"]).content.decode()
    assert "Exporter en CSV" in page and "Thé noir" in page and "1 description(s) pour 1 ligne(s)" in page


def test_drafts_list_filters(owner_client, company, profile):
    batch = make_posts_batch(company)
    page = owner_client.get("/redaction/brouillons/?type=post&statut=draft").content.decode()
    assert page.count("/redaction/brouillons/") >= 3 + 1
    assert "Aucun brouillon." in owner_client.get("/redaction/brouillons/?statut=approved").content.decode()
    draft_page = owner_client.get(f"/redaction/brouillons/{batch.drafts.first().pk}/").content.decode()
    assert "Traçabilité" in draft_page and "modèle de texte (sans IA)" in draft_page
