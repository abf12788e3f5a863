"""Job ads and blog outlines from a short brief: template path, model path, refusals."""

import pytest

from etabli.engines.llm import AI_LABEL, TEMPLATE_LABEL
from etabli.engines.writing import WritingError
from etabli.writing import services
from etabli.writing.models import Batch

pytestmark = pytest.mark.django_db

BRIEF = "Menuisier poseur, CDI, Nantes, 3 ans d'expérience, permis B, 2 300 € brut par mois, début janvier"


class TestJobAd:
    def test_a_complete_ad_from_one_line(self, company):
        batch = services.request_job_ad(company=company, brief=BRIEF, run="inline")
        ad = batch.drafts.get()
        assert ad.feature == "job_ad" and ad.title == "Menuisier poseur (H/F) – CDI – Nantes"
        for part in ("Qui sommes-nous ?", "Vos missions", "Votre profil", "Conditions", "Pour postuler",
                     "Rémunération : 2 300 € brut par mois", "3 ans d'expérience"):
            assert part in ad.text, part
        assert ad.label == TEMPLATE_LABEL and ad.metadata["brief"]["contract"] == "CDI"

    def test_discriminatory_criteria_are_flagged(self, company):
        ad = services.request_job_ad(company=company, brief="Vendeur, CDD, Nantes, jeune et dynamique",
                                     run="inline").drafts.get()
        assert any("Critère discriminatoire possible (l'âge)" in w for w in ad.warnings)

    def test_the_page_refuses_an_empty_brief(self, company, owner_client):
        response = owner_client.post("/redaction/annonce/", {"brief": "  "})
        assert response.status_code == 400 and "Le brief est vide" in response.content.decode()
        with pytest.raises(WritingError, match="Le brief est vide"):
            services.request_job_ad(company=company, brief="", run="inline")
        assert not Batch.objects.filter(company=company).exists()

    def test_the_model_writes_it(self, company, use_server):
        use_server().default = ("Menuisier poseur (H/F)\n\nRejoignez notre équipe à Nantes en CDI : pose de menuiseries "
                                "chez nos clients. Envoyez votre CV.")
        ad = services.request_job_ad(company=company, brief=BRIEF, run="inline").drafts.get()
        assert ad.generated_by_ai and ad.label == AI_LABEL and "Rejoignez notre équipe" in ad.text


class TestBlogOutline:
    def test_an_outline_from_a_brief(self, company, owner_client):
        response = owner_client.post("/redaction/blog/", {
            "brief": "Comment choisir ses fenêtres en bois, 800 mots, public : particuliers, mots-clés : fenêtre bois, double vitrage"})
        batch = Batch.objects.get(company=company)
        assert response["Location"] == f"/redaction/demandes/{batch.pk}/"
        outline = batch.drafts.get()
        assert outline.feature == "blog_outline" and outline.title == "Comment choisir ses fenêtres en bois"
        assert "## Les critères essentiels" in outline.text and "Questions fréquentes" in outline.text
        assert outline.metadata["seo_title"] and len(outline.metadata["sections"]) >= 3
        assert "fenêtre bois" in outline.text

    def test_refusals(self, company):
        with pytest.raises(WritingError, match="Longueur d'article irréaliste"):
            services.request_blog_outline(company=company, brief="Le parquet, 50000 mots", run="inline")

    def test_the_model_writes_it(self, company, use_server):
        use_server().default = "## Pourquoi le bois\n- Chaleur et durabilité\n## Entretien\n- Lasure régulière"
        outline = services.request_blog_outline(company=company, brief="Pourquoi choisir des fenêtres en bois",
                                                run="inline").drafts.get()
        assert outline.generated_by_ai and outline.text.startswith("## Pourquoi le bois")
