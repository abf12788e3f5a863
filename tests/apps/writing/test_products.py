"""Product descriptions in bulk (guide ch. 6.1 C): a CSV upload run as a job with progress, every column kept
at the export, French refusals for bad files, and the model path with its facts check."""

import csv
import io

import pytest

from etabli.core.models import Job
from etabli.engines.llm import AI_LABEL, TEMPLATE_LABEL
from etabli.engines.writing import WritingError
from etabli.writing import selectors, services
from etabli.writing.constants import MAX_PRODUCTS
from etabli.writing.models import Batch

pytestmark = pytest.mark.django_db

CSV = (
    "nom;origine;notes;poids;prix\n"
    "Thé vert Sencha bio;Japon;herbacé, légèrement sucré;100g;12,50\n"
    "Rooibos vanille;Afrique du Sud;doux, vanillé;100 g;8\n"
    ";Chine;fumé;50g;9\n"
).encode("cp1252")


def run_products(company, data=CSV, **kwargs):
    return services.request_products(company=company, data=data, filename="the.csv", run="inline", **kwargs)


def rows(text):
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


class TestTemplatePath:
    def test_the_upload_runs_as_a_job_with_progress(self, company, django_capture_on_commit_callbacks, owner):
        with django_capture_on_commit_callbacks(execute=True):
            batch = services.request_products(company=company, data=CSV, filename="the.csv", user=owner.user)
        batch.refresh_from_db()
        job = Job.objects.get(pk=batch.job_id)
        assert job.kind == "writing.generate" and job.status == "succeeded" and job.created_by == owner.user
        assert (job.progress, job.total) == (3, 3) and job.result["drafts"] == 2
        assert batch.status == "done" and batch.drafts.count() == 2

    def test_each_row_gets_a_labelled_description_and_a_missing_name_is_reported(self, company):
        batch = run_products(company)
        sencha = batch.drafts.get(title="Thé vert Sencha bio")
        assert "Japon" in sencha.text and "herbacé" in sencha.text and "100 g" in sencha.text
        assert "12,50" not in sencha.text  # the price is cited only on request
        assert sencha.label == TEMPLATE_LABEL and sencha.metadata["title_seo"].startswith("Thé vert Sencha bio")
        assert batch.result["row_errors"] == [{"index": 2, "message": "Ligne 3 : nom du produit manquant, rien n'a été rédigé."}]
        with_price = run_products(company, include_price=True).drafts.get(title="Rooibos vanille")
        assert "8\u00a0€" in with_price.text

    def test_export_keeps_every_column_and_the_persons_version(self, company, owner):
        batch = run_products(company)
        sencha = batch.drafts.get(title="Thé vert Sencha bio")
        services.approve_draft(company=company, draft_id=sencha.pk, user=owner.user, text="Un sencha de printemps.")
        exported = rows(selectors.export_products_csv(batch=batch))
        assert list(exported[0])[:5] == ["nom", "origine", "notes", "poids", "prix"]
        assert {"titre_seo", "meta_description", "description", "statut_redaction", "avertissements"} <= set(exported[0])
        assert exported[0]["description"] == "Un sencha de printemps."
        assert exported[0]["statut_redaction"].startswith("Rédigé à partir d'un modèle de texte, validé par")
        assert exported[1]["statut_redaction"] == TEMPLATE_LABEL and exported[1]["prix"] == "8"
        assert exported[2]["description"] == "" and "nom du produit manquant" in exported[2]["statut_redaction"]

    def test_the_csv_export_page_and_sample_file(self, company, owner_client):
        batch = run_products(company)
        response = owner_client.get(f"/redaction/demandes/{batch.pk}/csv/")
        assert response["Content-Type"].startswith("text/csv")
        text = response.content.decode("utf-8-sig")
        assert "Thé vert Sencha bio" in text and "statut_redaction" in text
        sample = b"".join(owner_client.get("/redaction/produits/exemple.csv").streaming_content).decode()
        assert sample.startswith("nom;")
        sample_batch = run_products(company, data=sample.encode())
        assert sample_batch.drafts.count() == 6


class TestRefusals:
    @pytest.mark.parametrize(("data", "message"), [
        (b"", "Le fichier CSV est vide"),
        (b"reference;prix\nA12;10\n", "Colonne(s) obligatoire(s) absente(s) du fichier CSV : « nom »"),
        (b"nom;prix\n", "ne contient aucun produit"),
        (b"nom;prix\nTable;1;2;3\n", "Ligne 2 : 4 valeurs pour 2 colonnes"),
    ])
    def test_bad_files_are_refused_in_french_and_nothing_is_stored(self, company, data, message):
        with pytest.raises(WritingError, match=message.replace("(", r"\(").replace(")", r"\)")):
            run_products(company, data=data)
        assert not Batch.objects.filter(company=company).exists()

    def test_size_and_row_limits(self, company):
        with pytest.raises(WritingError, match="Fichier trop volumineux"):
            run_products(company, data=b"nom\n" + b"x" * (6 * 1024 * 1024))
        many = "nom\n" + "".join(f"Produit {i}\n" for i in range(MAX_PRODUCTS + 1))
        with pytest.raises(WritingError, match="Trop de produits"):
            run_products(company, data=many.encode())

    def test_the_upload_form_shows_the_error_and_keeps_the_page(self, company, owner_client):
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("catalogue.csv", b"reference;prix\nA12;10\n", content_type="text/csv")
        response = owner_client.post("/redaction/produits/", {"file": upload, "style": ""})
        assert response.status_code == 400
        assert "Colonne(s) obligatoire(s) absente(s)" in response.content.decode()


class TestModelPath:
    def test_descriptions_from_the_model_with_an_unsupported_claim_flagged(self, company, use_server):
        server = use_server()
        server.default = lambda payload: (
            "Un rooibos doux et vanillé, 100 % naturel et primé en 2024." if "Rooibos" in payload["messages"][-1]["content"]
            else "Un thé vert du Japon aux notes herbacées, légèrement sucré.")
        batch = run_products(company)
        sencha = batch.drafts.get(title="Thé vert Sencha bio")
        assert sencha.generated_by_ai and sencha.label == AI_LABEL and sencha.text.startswith("Un thé vert du Japon")
        rooibos = batch.drafts.get(title="Rooibos vanille")
        assert rooibos.flagged and not rooibos.generated_by_ai and "primé" in rooibos.rejected_text
        assert any("2024" in w for w in rooibos.grounding_warnings)
        assert len(server.requests) == 2  # the row without a name is not sent
        assert {d.decision.engine for d in batch.drafts.all()} == {"llm:openai-compatible"}
