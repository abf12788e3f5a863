"""Builders for every model of the assistant (the isolation test needs one per model)."""

from __future__ import annotations

from django.utils import timezone

from tests.factories import builder


@builder("assistant.AssistantProfile")
def make_profile(company):
    from etabli.assistant.retrieval import profile_for

    return profile_for(company)


@builder("assistant.KnowledgeEntry")
def make_entry(company, *, audience="clients", title="Horaires", questions=None, answer="Ouvert de 9 h à 18 h."):
    from etabli.assistant.models import KnowledgeEntry

    return KnowledgeEntry.objects.create(company=company, audience=audience, title=title,
                                         questions=questions or ["Quels sont vos horaires ?"], answer=answer)


@builder("assistant.KnowledgeDocument")
def make_document(company, *, audience="equipe"):
    from etabli.assistant.models import KnowledgeChunk, KnowledgeDocument

    document = KnowledgeDocument.objects.create(company=company, audience=audience, title="Procédures",
                                                filename="procedures.md", file_format="md",
                                                text="# Frais\nRemettez la note avant le 5.")
    KnowledgeChunk.objects.create(company=company, document=document, index=0, title="Procédures › Frais",
                                  text="Remettez la note avant le 5.")
    return document


@builder("assistant.KnowledgeChunk")
def make_chunk(company):
    return make_document(company).chunks.get()


@builder("assistant.Conversation")
def make_conversation(company, *, audience="clients", status="waiting"):
    from etabli.assistant.models import Conversation

    return Conversation.objects.create(company=company, audience=audience, status=status,
                                       token_hash=Conversation.digest("jeton"), escalated_at=timezone.now(),
                                       escalation_reasons=["demande_humain"])


@builder("assistant.Message")
def make_message(company):
    from etabli.assistant.models import Message

    conversation = make_conversation(company)
    return Message.objects.create(company=company, conversation=conversation, sender="client", text="Bonjour")


@builder("assistant.Suggestion")
def make_suggestion(company):
    from etabli.assistant.models import Suggestion

    return Suggestion.objects.create(company=company, key="terrass", question="Faites-vous des terrasses ?",
                                     examples=["Faites-vous des terrasses ?"])
