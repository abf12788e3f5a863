"""Labelling and approval (AI Act art. 50 and 14): a draft stays marked as generated until a person edits
or approves it; the approval is logged (AI decision override, audit entry) and its time saved recorded once."""

from decimal import Decimal

import pytest

from etabli.core.models import AIDecision, AuditEntry, Override, TimeSaved
from etabli.engines.llm import AI_LABEL, TEMPLATE_LABEL
from etabli.engines.writing import WritingError
from etabli.writing import services
from etabli.writing.models import Draft
from tests.apps.writing.factories import make_posts_batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(company, profile):
    return make_posts_batch(company, themes=["conseil"]).drafts.get()


class TestLabels:
    def test_a_new_draft_carries_its_generated_label(self, draft):
        assert draft.needs_label and draft.display_label == TEMPLATE_LABEL
        assert draft.provenance()["genere_par_ia"] is False and not draft.provenance()["relu_par_humain"]

    def test_an_edit_replaces_the_label_but_keeps_the_proposal(self, draft, owner):
        original = draft.text
        edited = services.edit_draft(company=draft.company, draft_id=draft.pk, text=original + "\nÀ samedi !",
                                     user=owner.user)
        assert edited.status == "edited" and edited.text == original and edited.current_text.endswith("À samedi !")
        assert not edited.needs_label and f"modifié par {owner.user.display_name}" in edited.display_label
        assert edited.provenance()["relu_par_humain"] and not edited.provenance()["valide"]

    def test_editing_back_to_the_proposal_is_not_an_edit(self, draft, owner):
        services.edit_draft(company=draft.company, draft_id=draft.pk, text=draft.text + " !", user=owner.user)
        back = services.edit_draft(company=draft.company, draft_id=draft.pk, text=draft.text, user=owner.user)
        assert back.status == "draft" and back.edited_text == "" and back.needs_label

    def test_an_ai_draft_approved_as_is_stays_disclosed(self, company, profile, use_server, owner):
        use_server()
        draft = make_posts_batch(company, themes=["conseil"]).drafts.get()
        assert draft.display_label == AI_LABEL
        approved = services.approve_draft(company=company, draft_id=draft.pk, user=owner.user)
        assert approved.display_label == f"Texte généré par IA, validé par {owner.user.display_name}"
        edited = make_posts_batch(company, themes=["conseil"]).drafts.get()
        approved = services.approve_draft(company=company, draft_id=edited.pk, user=owner.user, text="Mon texte à moi.")
        assert approved.display_label == f"Rédigé avec l'aide de l'IA, relu et modifié par {owner.user.display_name}"


class TestApproval:
    def test_approval_is_logged_audited_and_counted_once(self, draft, owner):
        approved = services.approve_draft(company=draft.company, draft_id=draft.pk, user=owner.user)
        assert approved.status == "approved" and approved.approved_by == owner.user and approved.approved_at
        decision = AIDecision.objects.get(pk=draft.decision_id)
        assert decision.override == Override.ACCEPTED and decision.overridden_by == owner.user
        saved = TimeSaved.objects.get(company=draft.company)
        assert saved.action == "writing.post_approved" and saved.minutes == Decimal(56)
        assert saved.object_ref == f"writing.Draft:{draft.pk}"
        entry = AuditEntry.objects.filter(company=draft.company, action="decision", model="writing.Draft").get()
        assert entry.object_id == str(draft.pk) and "validé" in entry.object_repr
        with pytest.raises(services.DraftConflict, match="déjà validé"):
            services.approve_draft(company=draft.company, draft_id=draft.pk, user=owner.user)
        with pytest.raises(services.DraftConflict):
            services.edit_draft(company=draft.company, draft_id=draft.pk, text="autre", user=owner.user)
        assert TimeSaved.objects.filter(company=draft.company).count() == 1

    def test_approval_with_changes_is_logged_as_edited(self, draft, owner):
        services.approve_draft(company=draft.company, draft_id=draft.pk, user=owner.user, text="Texte relu et corrigé.")
        draft.refresh_from_db()
        assert draft.current_text == "Texte relu et corrigé." and draft.is_edited
        assert AIDecision.objects.get(pk=draft.decision_id).override == Override.EDITED

    def test_rejection_is_logged_and_final(self, draft, owner):
        services.reject_draft(company=draft.company, draft_id=draft.pk, user=owner.user, reason="Hors sujet")
        draft.refresh_from_db()
        assert draft.status == "rejected" and draft.rejection_reason == "Hors sujet" and draft.rejected_by == owner.user
        decision = AIDecision.objects.get(pk=draft.decision_id)
        assert decision.override == Override.REJECTED and decision.override_note == "Hors sujet"
        with pytest.raises(services.DraftConflict, match="rejeté"):
            services.approve_draft(company=draft.company, draft_id=draft.pk, user=owner.user)
        assert not TimeSaved.objects.filter(company=draft.company).exists()

    def test_an_empty_text_cannot_be_saved_or_approved(self, draft, owner):
        for action in (services.edit_draft, services.approve_draft):
            with pytest.raises(WritingError, match="vide"):
                action(company=draft.company, draft_id=draft.pk, text="  \n ", user=owner.user)
        draft.refresh_from_db()
        assert draft.status == "draft" and draft.edited_text == ""

    def test_bulk_approval_skips_flagged_drafts(self, company, profile, use_server, owner):
        use_server().default = lambda payload: (
            "Seulement 10 € !" if "offre du mois" in payload["messages"][-1]["content"] else "Un texte soigné.")
        batch = make_posts_batch(company)
        outcomes = services.approve_drafts(company=company, draft_ids=batch.drafts.values_list("pk", flat=True),
                                           user=owner.user)
        assert [o.ok for o in outcomes] == [True, True, False]
        assert "signalé" in outcomes[2].message
        assert batch.drafts.filter(status="approved").count() == 2


class TestPages:
    def test_the_batch_page_shows_labels_and_the_editor(self, draft, owner_client):
        page = owner_client.get(f"/redaction/demandes/{draft.batch_id}/").content.decode()
        assert TEMPLATE_LABEL in page and f'id="text-{draft.pk}"' in page and "Ctrl+Entrée valide" in page
        assert 'data-approve' in page and "Rejeter ce brouillon" in page

    def test_approve_from_the_card_with_htmx_swaps_it(self, draft, owner_client, owner):
        response = owner_client.post(f"/redaction/brouillons/{draft.pk}/", {"action": "approve", "text": draft.text},
                                     HTTP_HX_REQUEST="true")
        body = response.content.decode()
        assert response.status_code == 200 and f'id="draft-{draft.pk}"' in body
        assert f"validé par {owner.user.display_name}" in body and "readonly" in body
        assert Draft.objects.get(pk=draft.pk).status == "approved"

    def test_without_javascript_the_form_posts_and_redirects(self, draft, owner_client):
        response = owner_client.post(f"/redaction/brouillons/{draft.pk}/",
                                     {"action": "save", "text": "Nouveau texte", "next": f"/redaction/demandes/{draft.batch_id}/"})
        assert response.status_code == 302 and response["Location"] == f"/redaction/demandes/{draft.batch_id}/"
        assert Draft.objects.get(pk=draft.pk).edited_text == "Nouveau texte"
        response = owner_client.post(f"/redaction/brouillons/{draft.pk}/",
                                     {"action": "save", "text": "x", "next": "https://ailleurs.example/"})
        assert response["Location"] == f"/redaction/brouillons/{draft.pk}/"

    def test_an_empty_text_shows_a_french_error_and_keeps_the_draft(self, draft, owner_client):
        response = owner_client.post(f"/redaction/brouillons/{draft.pk}/", {"action": "approve", "text": " "})
        assert response.status_code == 400 and "Le texte est vide" in response.content.decode()
        assert Draft.objects.get(pk=draft.pk).status == "draft"

    def test_roles(self, draft, member_client):
        client, _ = member_client("employee")
        assert client.post(f"/redaction/brouillons/{draft.pk}/", {"action": "save", "text": "Version salarié"}).status_code == 302
        assert client.post(f"/redaction/brouillons/{draft.pk}/", {"action": "approve", "text": "x"}).status_code == 403
        client, _ = member_client("readonly")
        assert client.get(f"/redaction/brouillons/{draft.pk}/").status_code == 200
        assert client.post(f"/redaction/brouillons/{draft.pk}/", {"action": "save", "text": "y"}).status_code == 403
        assert client.get("/redaction/publications/").status_code == 403
        assert Draft.objects.get(pk=draft.pk).edited_text == "Version salarié"

    def test_copy_and_download(self, draft, owner_client):
        response = owner_client.get(f"/redaction/brouillons/{draft.pk}/texte/")
        assert response["Content-Disposition"].startswith("attachment")
        assert response.content.decode().endswith(f"[{TEMPLATE_LABEL}]\n")
        export = owner_client.get(f"/redaction/demandes/{draft.batch_id}/texte/").content.decode()
        assert draft.text in export and "Publication conseillée" in export
