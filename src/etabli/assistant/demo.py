"""Demo loader "assistant": Menuiserie Martin's knowledge base, and a month of conversations run through the
real assistant (so the dashboard shows what the engines actually do on these questions)."""

from __future__ import annotations

import datetime as dt
import random
from typing import TextIO

from django.utils import timezone

from etabli.assistant import demo_content as content
from etabli.assistant import integrations, retrieval, services
from etabli.assistant.knowledge import CatalogueItem, catalogue_answer, catalogue_questions, default_questions
from etabli.assistant.models import (
    Audience,
    Channel,
    Conversation,
    ConversationStatus,
    EntryKind,
    EntryOrigin,
    KnowledgeEntry,
    Message,
    Sender,
)
from etabli.core.models import Membership


def load_demo_assistant(company, dataset, stdout: TextIO | None = None) -> None:
    rng = random.Random(7000 + dataset.seed)
    profile = retrieval.profile_for(company)
    profile.display_name = f"Assistant de {company}"
    profile.welcome_message = content.WELCOME
    profile.public_key = f"demo-{_seeded_key(rng)}"
    profile.team_reply_minutes = 15
    profile.save()
    services.save_facts(company=company, opening_hours=content.OPENING_HOURS, hours_note=content.HOURS_NOTE,
                        answers=content.FACTS)
    for topic, extra in content.EXTRA_FACT_QUESTIONS.items():
        entry = KnowledgeEntry.objects.for_company(company).get(kind=EntryKind.FACT, topic=topic)
        services.save_entry(company=company, entry=entry, audience=entry.audience, kind=entry.kind, title=entry.title,
                            questions=[*default_questions(topic), *extra], answer=entry.answer, topic=topic,
                            origin=EntryOrigin.DEMO)
    KnowledgeEntry.objects.for_company(company).update(origin=EntryOrigin.DEMO)
    for audience, faq in ((Audience.CLIENTS, content.CLIENT_FAQ), (Audience.EQUIPE, content.TEAM_FAQ)):
        for title, questions, answer in faq:
            services.save_entry(company=company, audience=audience, title=title, questions=questions, answer=answer,
                                origin=EntryOrigin.DEMO)
    services.import_document(company=company, audience=Audience.EQUIPE, title=content.TEAM_HANDBOOK_TITLE,
                             filename="livret-accueil.md", data=content.TEAM_HANDBOOK.encode(),
                             origin=EntryOrigin.DEMO)
    services.import_document(company=company, audience=Audience.CLIENTS, title=content.CLIENT_TERMS_TITLE,
                             filename="conditions-generales.md", data=content.CLIENT_TERMS.encode(),
                             origin=EntryOrigin.DEMO)
    if integrations.catalogue(company=company) is None:
        _catalogue_entries(company, dataset)
    retrieval.rebuild_now(company)
    _history(company, dataset, rng)
    # Nothing is written to `stdout`: `etabli demo --json` must print one JSON document only.


def _catalogue_entries(company, dataset) -> None:
    """Without the billing app, the catalogue's prices are written as facts (with it, they are read live)."""
    for product in dataset.products:
        item = CatalogueItem(product.sku, product.name, product.unit, product.unit_price, product.vat_rate)
        services.save_entry(company=company, audience=Audience.CLIENTS, kind=EntryKind.FACT, topic="prix",
                            title=f"Prix : {product.name}", questions=list(catalogue_questions(item)),
                            answer=catalogue_answer(item), origin=EntryOrigin.DEMO)


def _seeded_key(rng: random.Random) -> str:
    alphabet = "abcdefghijkmnopqrstuvwxyz23456789"
    return "".join(rng.choice(alphabet) for _ in range(12))


def _history(company, dataset, rng: random.Random) -> None:
    """Visitors' and employees' questions of the last 30 days, answered by the real pipeline."""
    now = timezone.now()
    today = min(dataset.today, timezone.localdate())
    memberships = {m.user.email: m for m in Membership.objects.filter(company=company).select_related("user")}
    sophie = next((m for m in memberships.values() if m.role == "manager"), None)
    employees = [m.user for m in memberships.values() if m.role == "employee"]
    for days_ago, clock, audience, questions, thumbs in content.HISTORY:
        hour, minute = (int(part) for part in clock.split(":"))
        moment = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(hour, minute)))
        moment = min(moment, now - dt.timedelta(minutes=5))
        is_team = audience == Audience.EQUIPE
        conversation, _token, _messages = services.start_conversation(
            company=company, audience=audience, channel=Channel.INTERNAL if is_team else Channel.WIDGET,
            user=rng.choice(employees) if is_team and employees else None,
            origin="" if is_team else "https://menuiserie-martin.fr", visitor="demo", now=moment,
        )
        for offset, question in enumerate(questions):
            services.post_customer_message(conversation=conversation, text=question, visitor="demo",
                                           now=moment + dt.timedelta(seconds=20 * offset))
        last = conversation.messages.filter(sender=Sender.ASSISTANT).exclude(route="").order_by("-id").first()
        if thumbs is not None and last is not None:
            services.record_feedback(conversation=conversation, message_id=last.pk, value=thumbs)
        conversation.refresh_from_db()
        reply = content.HANDLED.get(days_ago)
        if reply and sophie is not None and conversation.status == ConversationStatus.WAITING:
            services.take_over(conversation=conversation, user=sophie.user, membership=sophie)
            services.staff_reply(conversation=conversation, user=sophie.user, membership=sophie, text=reply)
            services.close_conversation(conversation=conversation, user=sophie.user, membership=sophie)
            _backdate_human_part(conversation, start=conversation.escalated_at or moment, rng=rng)


def _backdate_human_part(conversation: Conversation, *, start: dt.datetime, rng: random.Random) -> None:
    """The team's answer in the demo came minutes after the hand-over, not when the demo was loaded."""
    taken = start + dt.timedelta(minutes=rng.randint(3, 25))
    Conversation.objects.filter(pk=conversation.pk).update(taken_over_at=taken, closed_at=taken + dt.timedelta(minutes=4),
                                                           last_message_at=taken + dt.timedelta(minutes=4))
    later = conversation.messages.filter(sender__in=[Sender.HUMAN, Sender.SYSTEM], created_at__gt=start)
    for index, message in enumerate(later.order_by("id")):
        Message.objects.filter(pk=message.pk).update(created_at=taken + dt.timedelta(minutes=2 * index))
