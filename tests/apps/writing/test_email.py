"""E-mail (guide ch. 4.3): triage label with reasons (logged as an AI decision, correctable), 2–3 reply
drafts of which one is chosen, a thread summary (points, decisions, actions), and French refusals."""

import pytest

from etabli.core.models import AIDecision, Override
from etabli.engines.llm import AI_LABEL, TEMPLATE_LABEL
from etabli.engines.writing import WritingError
from etabli.writing import services
from etabli.writing.models import Batch

pytestmark = pytest.mark.django_db

MAIL = """From: Paul Bernard <paul.bernard@exemple.fr>
To: contact@menuiserie-martin.fr
Subject: Re: Devis escalier
Date: Tue, 24 Nov 2026 09:12:00 +0100
Content-Type: text/plain; charset={charset}

Bonjour,

Merci pour votre visite de la semaine dernière. Nous avons décidé de partir sur l'escalier en hêtre avec la rampe en métal.
Pourriez-vous nous envoyer le devis détaillé avant vendredi ? Je vous rappelle jeudi pour fixer la date de pose.

Cordialement,
Paul Bernard

Le lun. 16 nov. 2026 à 18:03, Pierre Martin <pierre.martin@menuiserie-martin.fr> a écrit :
> Bonjour Monsieur Bernard,
> Suite à notre visite, je vous propose deux options : un escalier en hêtre ou en chêne.
> Je prépare le devis dès que vous avez choisi l'essence de bois.
> Pierre Martin
"""


def eml(charset="utf-8") -> bytes:
    return MAIL.format(charset=charset).encode("cp1252" if charset == "windows-1252" else "utf-8")


def analyse(company, raw=None, **kwargs):
    return services.request_email(company=company, raw=raw if raw is not None else eml(), filename="devis.eml",
                                  run="inline", **kwargs)


class TestTemplatePath:
    def test_triage_with_reasons_is_logged_as_an_ai_decision(self, company):
        batch = analyse(company)
        triage = batch.result["triage"]
        assert triage["label"] == "a_traiter" and triage["label_fr"] == "À traiter" and not triage["generated_by_ai"]
        assert 0.5 < triage["confidence"] <= 1 and any("Pourriez-vous" in r for r in triage["reasons"])
        decision = AIDecision.objects.get(pk=triage["decision_id"])
        assert decision.engine == "writing.triage" and decision.output["label"] == "a_traiter"
        assert decision.explanation == triage["reasons"] and decision.confidence == pytest.approx(triage["confidence"], abs=0.01)

    def test_three_replies_in_the_company_voice_and_a_summary(self, company):
        from etabli.core.models import LLMSettings

        LLMSettings.objects.create(company=company, provider="none", address="vous", signature="Pierre Martin\nMenuiserie Martin")
        batch = analyse(company)
        replies = list(batch.drafts.filter(feature="email_reply").order_by("position"))
        assert [r.title for r in replies] == ["Accepter et préparer le devis", "Demander des précisions", "Décliner poliment"]
        assert batch.result["intent"] == "devis"
        for reply in replies:
            assert reply.text.startswith("Bonjour Paul") and "Pierre Martin\nMenuiserie Martin" in reply.text
            assert reply.label == TEMPLATE_LABEL and reply.decision is not None
        summary = batch.drafts.get(feature="thread_summary")
        assert summary.title == "Synthèse : Devis escalier" and summary.metadata["messages"] == 2
        assert any("escalier en hêtre" in d for d in summary.metadata["decisions"])
        assert any(a["due"] == "2026-11-27" for a in summary.metadata["actions"])
        assert 3 <= len(summary.metadata["points"]) <= 5

    def test_an_eml_in_windows_1252_survives_the_background_job(self, company, django_capture_on_commit_callbacks):
        from etabli.core.models import LLMSettings

        LLMSettings.objects.create(company=company, provider="openai-compatible", url="http://127.0.0.1:9")
        with django_capture_on_commit_callbacks(execute=True):  # a model is set: the request runs as a job
            batch = services.request_email(company=company, raw=eml("windows-1252"), filename="devis.eml")
        batch.refresh_from_db()
        assert batch.job_id and batch.status == "done"
        assert "hêtre" in batch.result["email"]["excerpt"] and batch.result["email"]["subject"] == "Re: Devis escalier"
        assert all(not d.generated_by_ai for d in batch.drafts.all())  # the model is down: templates, with the reason
        assert any("indisponible" in reason for reason in batch.result["fallback_reasons"])

    def test_choosing_one_reply_sets_the_others_aside(self, company, owner):
        batch = analyse(company)
        first, second, third = batch.drafts.filter(feature="email_reply").order_by("position")
        services.approve_draft(company=company, draft_id=second.pk, user=owner.user)
        statuses = {d.pk: d.status for d in batch.drafts.all()}
        assert statuses[second.pk] == "approved" and statuses[first.pk] == statuses[third.pk] == "rejected"
        assert AIDecision.objects.get(pk=first.decision_id).override == Override.REJECTED
        assert batch.drafts.get(feature="thread_summary").status == "draft"

    def test_a_person_corrects_the_triage(self, company, owner, owner_client):
        batch = analyse(company)
        response = owner_client.post(f"/redaction/demandes/{batch.pk}/classement/", {"label": "urgent"})
        assert response.status_code == 302
        batch.refresh_from_db()
        assert batch.result["triage"]["corrected_label"] == "urgent"
        decision = AIDecision.objects.get(pk=batch.result["triage"]["decision_id"])
        assert decision.override == Override.EDITED and "Urgent" in decision.override_note
        page = owner_client.get(f"/redaction/demandes/{batch.pk}/").content.decode()
        assert "Classement : Urgent / important" in page and "Corrigé par" in page
        with pytest.raises(WritingError, match="Catégorie inconnue"):
            services.correct_triage(company=company, batch_id=batch.pk, label="spam", user=owner.user)

    def test_a_single_short_message_still_gets_triage_and_replies(self, company):
        batch = analyse(company, raw="Bonjour, êtes-vous ouverts samedi ?")
        assert batch.status == "done" and batch.drafts.filter(feature="email_reply").count() >= 2


class TestRefusals:
    def test_an_empty_or_five_megabyte_email_is_refused_in_french(self, company):
        with pytest.raises(WritingError, match="Le courriel est vide"):
            analyse(company, raw="   ")
        with pytest.raises(WritingError, match="Courriel trop volumineux : 5,0 Mo"):
            analyse(company, raw="Bonjour " + "x" * 5_000_000)
        with pytest.raises(WritingError, match="Fichier trop volumineux"):
            analyse(company, raw=b"Subject: gros\n\n" + b"x" * (5 * 1024 * 1024))
        assert not Batch.objects.filter(company=company).exists()

    def test_the_form_says_why_and_does_not_echo_megabytes(self, company, owner_client):
        response = owner_client.post("/redaction/courriel/", {"raw": "Bonjour " + "x" * 5_000_000})
        body = response.content.decode()
        assert response.status_code == 400 and "Courriel trop volumineux" in body and len(body) < 100_000
        response = owner_client.post("/redaction/courriel/", {"raw": ""})
        assert "Collez un courriel ou choisissez un fichier .eml." in response.content.decode()

    def test_an_eml_upload_through_the_page(self, company, owner_client):
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = owner_client.post("/redaction/courriel/", {"file": SimpleUploadedFile("devis.eml", eml())})
        batch = Batch.objects.get(company=company)
        assert response.status_code == 302 and response["Location"] == f"/redaction/demandes/{batch.pk}/"
        page = owner_client.get(response["Location"]).content.decode()
        assert "Classement : À traiter" in page and "Accepter et préparer le devis" in page and "Points clés" in page


class TestModelPath:
    def test_replies_and_summary_written_by_the_model(self, company, use_server):
        server = use_server()
        server.default = lambda payload: ("Bonjour Paul,\n\nMerci pour votre message, nous préparons le devis de "
                                          "l'escalier en hêtre.\n\nBien cordialement,")
        batch = analyse(company)
        replies = batch.drafts.filter(feature="email_reply")
        assert all(r.generated_by_ai and r.label == AI_LABEL for r in replies)
        summary = batch.drafts.get(feature="thread_summary")
        assert summary.generated_by_ai and summary.metadata["decisions"]  # structured facts stay extractive
        assert any("Devis escalier" in prompt for prompt in server.prompts())
