"""Hand-over to a person and live take-over, the team inbox, satisfaction and unanswered questions."""

import pytest
from django.core import mail

from etabli.assistant import services
from etabli.assistant.models import Conversation, ConversationStatus, KnowledgeEntry, Suggestion
from etabli.core.models import AIDecision, Alert, ReviewItem, ReviewStatus
from etabli.core.services import reviews
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def hand_over(public, message="Je veux parler à quelqu'un, c'est urgent"):
    public.start()
    data = public.send(message).json()
    return Conversation.objects.get(public_id=public.conversation), data


def test_hand_over_creates_an_inbox_item_an_alert_and_an_email(public, company, owner,
                                                               django_capture_on_commit_callbacks):
    manager = make_member(company, "manager")
    make_member(company, "employee")
    with django_capture_on_commit_callbacks(execute=True):
        conversation, data = hand_over(public)
    reply = data["messages"][-1]
    assert reply["route"] == "escalated" and reply["text"].startswith("Je vous transfère immédiatement")
    assert "va vous répondre ici" in reply["text"]  # the team is there (test hours): it says so
    assert data["status"] == "waiting" and data["waiting_for_person"] is True
    assert conversation.status == ConversationStatus.WAITING
    assert set(conversation.escalation_reasons) == {"demande_humain", "urgence"}
    item = ReviewItem.objects.get(company=company, kind="assistant.handover")
    assert item.status == ReviewStatus.PENDING and conversation.review_item_id == item.pk
    assert item.confidence >= 0.5 and "Demande à parler à une personne" in item.reasons
    assert "Je veux parler à quelqu'un" in item.summary and item.link_url.endswith(f"/{conversation.pk}/")
    assert item.ai_decision is not None and item.ai_decision.engine == "etabli.assistant.escalade"
    alert = Alert.objects.get(company=company, code=f"assistant-conversation-{conversation.pk}")
    assert alert.severity == "critical"  # urgency
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {owner.user.email, manager.user.email}  # not the employee
    assert "Je veux parler à quelqu'un" in mail.outbox[0].body


def test_messages_while_waiting_are_acknowledged_once(public):
    _conversation, _ = hand_over(public)
    first = public.send("Vous êtes là ?").json()["messages"]
    second = public.send("Allô ?").json()["messages"]
    assert [m["sender"] for m in first] == ["client", "assistant"] and "ajouté à votre demande" in first[1]["text"]
    assert [m["sender"] for m in second] == ["client"]
    assert ReviewItem.objects.filter(kind="assistant.handover").count() == 1


def test_a_send_returns_what_the_team_posted_meanwhile(public, owner):
    """The page's cursor must not jump past a team message posted while the visitor's message was in flight."""
    owner.user.first_name = "Sophie"
    owner.user.save()
    conversation, data = hand_over(public)
    seen = data["messages"][-1]["id"]
    services.take_over(conversation=conversation, user=owner.user, membership=owner)
    body = {"conversation": public.conversation, "token": public.token, "text": "Merci", "after": seen}
    messages = public.post("messages/", body).json()["messages"]
    assert [m["sender"] for m in messages] == ["systeme", "client"]
    assert "Sophie, de l'équipe" in messages[0]["text"] and messages[1]["text"] == "Merci"
    without_cursor = public.send("Encore là ?").json()["messages"]  # old pages: only what was created
    assert [m["sender"] for m in without_cursor] == ["client"]
    human = public.post("humain/", {"conversation": public.conversation, "token": public.token,
                                    "after": messages[-1]["id"]}).json()["messages"]
    assert [m["text"] for m in human][0] == "Encore là ?" and "déjà transmise" in human[-1]["text"]


def test_take_over_reply_hand_back_and_close(public, company, owner, owner_client):
    owner.user.first_name = "Sophie"
    owner.user.save()
    conversation, _ = hand_over(public)
    after = public.poll().json()["messages"][-1]["id"]
    response = owner_client.post(f"/assistant/conversations/{conversation.pk}/prendre/")
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.HUMAN and conversation.taken_over_by == owner.user
    assert conversation.review_item.status == ReviewStatus.ACCEPTED
    assert not Alert.objects.filter(code=f"assistant-conversation-{conversation.pk}", resolved_at__isnull=True).exists()
    joined = public.poll(after).json()
    assert joined["status"] == "human"
    assert joined["messages"][0]["sender"] == "systeme" and "Sophie" in joined["messages"][0]["text"]
    owner_client.post(f"/assistant/conversations/{conversation.pk}/repondre/", {"text": "Bonjour, je vous rappelle."})
    from_team = public.poll(joined["messages"][-1]["id"]).json()["messages"]
    assert from_team[0]["sender"] == "equipe" and from_team[0]["author"] == "Sophie"
    assert from_team[0]["text"] == "Bonjour, je vous rappelle."
    visitor = public.send("Merci, mon numéro est le 06 12 34 56 78").json()["messages"]
    assert [m["sender"] for m in visitor] == ["client"]  # the assistant keeps quiet while a person answers
    conversation.refresh_from_db()
    assert conversation.contact == "06 12 34 56 78"
    owner_client.post(f"/assistant/conversations/{conversation.pk}/rendre/")
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.BOT
    assert public.send("Quelle est votre adresse ?").json()["messages"][-1]["route"] == "answered"
    owner_client.post(f"/assistant/conversations/{conversation.pk}/clore/")
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.CLOSED and conversation.closed_at is not None


def test_live_chat_page_polls_new_messages(public, owner_client):
    conversation, _ = hand_over(public)
    page = owner_client.get(f"/assistant/conversations/{conversation.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Prendre la main" in html and "Demande à parler à une personne" in html
    last = conversation.messages.order_by("-id").first().pk
    assert owner_client.get(f"/assistant/conversations/{conversation.pk}/messages/?after={last}").status_code == 204
    public.send("Je suis toujours là")
    fresh = owner_client.get(f"/assistant/conversations/{conversation.pk}/messages/?after={last}")
    assert fresh.status_code == 200 and "Je suis toujours là" in fresh.content.decode()


def test_refusing_the_inbox_item_gives_the_conversation_back_and_says_so(public, company, owner):
    conversation, _ = hand_over(public, "Je voudrais parler à un conseiller")
    reviews.reject(item=conversation.review_item, user=owner.user, membership=owner, reason="Question simple")
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.BOT
    last = public.poll().json()["messages"][-1]
    assert last["sender"] == "systeme" and "redemander une personne" in last["text"]


def test_the_human_button_hands_over_once(public, company):
    public.start()
    first = public.human().json()
    assert first["status"] == "waiting" and first["messages"][0]["text"].startswith("Je vous transfère")
    again = public.human().json()
    assert "déjà transmise" in again["messages"][0]["text"]
    assert ReviewItem.objects.filter(company=company, kind="assistant.handover").count() == 1
    conversation = Conversation.objects.get(public_id=public.conversation)
    assert conversation.escalation_reasons == ["demande_bouton"]


def test_only_people_allowed_may_take_over(public, member_client):
    conversation, _ = hand_over(public)
    client, _employee = member_client("employee")
    assert client.post(f"/assistant/conversations/{conversation.pk}/prendre/").status_code == 403
    assert client.get("/assistant/conversations/").status_code == 403
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.WAITING


def test_satisfaction_thumbs_and_useless_answers_become_suggestions(public, company):
    public.start()
    answer = public.send("Quelle est votre adresse ?").json()["messages"][-1]
    assert public.post("avis/", {"conversation": public.conversation, "token": public.token,
                                 "message": answer["id"], "value": 1}).status_code == 200
    other = public.send("Avez-vous un parking ?").json()["messages"][-1]
    public.post("avis/", {"conversation": public.conversation, "token": public.token, "message": other["id"],
                          "value": -1})
    suggestion = Suggestion.objects.get(company=company)
    assert suggestion.reason == "reponse_inutile" and suggestion.question == "Avez-vous un parking ?"
    assert public.post("avis/", {"conversation": public.conversation, "token": public.token, "message": 999999,
                                 "value": 1}).status_code == 422


def test_unanswered_questions_become_a_proposed_faq_entry(client, kb, company, owner):
    from tests.apps.assistant.conftest import PublicClient

    for text in ("Faites-vous des terrasses en bois exotique ?", "faites vous des terrasses en bois exotique"):
        visitor = PublicClient(client, kb.public_key)
        visitor.start()
        visitor.send(text)
    suggestion = Suggestion.objects.get(company=company)
    assert suggestion.occurrences == 2 and len(suggestion.examples) == 2
    item = ReviewItem.objects.get(company=company, kind="assistant.faq_suggestion")
    assert item.confidence == 0.75 and "2 fois" in item.reasons[0]
    with pytest.raises(reviews.ReviewApplyError):
        reviews.accept(item=item, user=owner.user, membership=owner)  # no answer written yet
    reviews.accept(item=item, user=owner.user, membership=owner,
                   edits={"question": "Faites-vous des terrasses ?", "answer": "Non, nous ne posons pas de terrasses."})
    entry = KnowledgeEntry.objects.get(company=company, title="Faites-vous des terrasses ?")
    assert "faites vous des terrasses en bois exotique" in entry.questions
    suggestion.refresh_from_db()
    assert suggestion.status == "added" and suggestion.entry == entry


def test_escalation_decisions_are_logged(public, company):
    hand_over(public)
    decision = AIDecision.objects.get(company=company, engine="etabli.assistant.escalade")
    assert decision.confidence >= 0.5 and decision.explanation
    assert decision.output["categories"]


def test_api_conversation_channel_and_team_actions(api_client, kb, company):
    started = api_client.post("/api/v1/assistant/conversations", {"audience": "clients"})
    assert started.status_code == 201
    conversation_id = started.json()["conversation"]["id"]
    assert "assistant automatique" in started.json()["messages"][0]["text"]
    sent = api_client.post("/api/v1/assistant/conversations/messages",
                           {"conversation": conversation_id, "text": "Je veux parler à un humain"})
    assert sent.json()["conversation"]["status"] == "waiting"
    inbox = api_client.get("/api/v1/assistant/conversations?status=attente").json()
    assert [c["id"] for c in inbox["items"]] == [conversation_id]
    taken = api_client.post("/api/v1/assistant/conversations/takeover", {"conversation": conversation_id})
    assert taken.json()["conversation"]["status"] == "human"
    replied = api_client.post("/api/v1/assistant/conversations/reply",
                              {"conversation": conversation_id, "text": "Bonjour, ici l'équipe."})
    assert replied.json()["messages"][-1]["sender"] == "equipe"


def test_review_page_links_to_the_live_chat(public, owner_client):
    conversation, _ = hand_over(public)
    page = owner_client.get(f"/validation/{conversation.review_item_id}/").content.decode()
    assert "Ouvrir la conversation en direct" in page and f"/assistant/conversations/{conversation.pk}/" in page
    assert "Je veux parler à quelqu" in page  # the transcript is in the summary


def test_old_conversations_are_purged_but_never_under_six_months(public, company):
    import datetime as dt

    from django.utils import timezone

    public.start()
    public.send("Quelle est votre adresse ?")
    waiting, _ = hand_over(public.__class__(public.client, public.key))
    old = timezone.now() - dt.timedelta(days=400)
    Conversation.objects.filter(company=company).update(last_message_at=old)
    services.update_profile(company=company, retention_days=30)  # below the AI Act's 6 months: 183 days apply
    assert services.purge_old_conversations(company=company, now=timezone.now() - dt.timedelta(days=250)) == 0
    assert services.purge_old_conversations(company=company) > 0
    assert list(Conversation.objects.filter(company=company)) == [waiting]  # a person still has to answer it
