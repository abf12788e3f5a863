"""Writes of the assistant: knowledge base, conversations, hand-over to a person, measures' raw data.

Hand-over ("L'IA propose, vous décidez" applied to a customer): the conversation goes to the team inbox as a
review item (kind `assistant.handover`, with the escalation reasons and their confidence, and a logged AI
decision), an alert is raised (and an e-mail sent to the people who handle customers), and the customer is
told what happens and when. Accepting the review item = taking over the live chat; refusing it = giving the
conversation back to the assistant, which the customer is told.

Chat messages are not written to the audit log one by one (the conversation is its own log, with authors);
status changes made by people are.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
import time
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from etabli.assistant import answering, hours, importers
from etabli.assistant.answering import (
    AssistantInputError,
    Reply,
    category_label,
    clean_question,
    compose_reply,
)
from etabli.assistant.conf import limits
from etabli.assistant.constants import (
    ACTION_CUSTOMER_ANSWER,
    ACTION_EMPLOYEE_ANSWER,
    ACTION_STATUS_LOOKUP,
    HANDOVER_KIND,
    SUGGESTION_KIND,
    USE_CASE_CUSTOMERS,
    USE_CASE_TEAM,
)
from etabli.assistant.knowledge import FACT_TOPICS, default_questions, hours_answer, topic_title
from etabli.assistant.models import (
    AssistantProfile,
    Audience,
    Channel,
    Conversation,
    ConversationStatus,
    EntryKind,
    EntryOrigin,
    KnowledgeChunk,
    KnowledgeDocument,
    KnowledgeEntry,
    Message,
    Sender,
    Suggestion,
    SuggestionStatus,
)
from etabli.assistant.retrieval import bump_version, profile_for
from etabli.core.context import audit_suspended
from etabli.core.models import Company, Membership, ReviewStatus, Severity
from etabli.core.permissions import PermissionDenied, require
from etabli.core.services import ailog, alerts, ledger, reviews, webhooks
from etabli.engines.escalation import detect_injection
from etabli.engines.search import FrenchAnalyzer, chunk_document

logger = logging.getLogger(__name__)

SUGGESTION_THRESHOLD = 2
MAX_QUESTIONS = 30
_PHONE = re.compile(r"(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


class AssistantError(ValueError):
    """A French, user-facing reason why an assistant operation was refused."""


def use_case_for(audience: str) -> str:
    return USE_CASE_TEAM if audience == Audience.EQUIPE else USE_CASE_CUSTOMERS


# =============================================================================================== knowledge base


def _clean_lines(values, *, limit: int = MAX_QUESTIONS, max_chars: int = 300) -> list[str]:
    seen: list[str] = []
    for value in values or []:
        text = " ".join(str(value).split())
        if text and text not in seen:
            if len(text) > max_chars:
                raise AssistantError(f"Une formulation dépasse {max_chars} caractères : « {text[:40]}… ».")
            seen.append(text)
    if len(seen) > limit:
        raise AssistantError(f"{limit} formulations au plus par entrée.")
    return seen


def clean_links(values) -> list[dict]:
    """[{"label", "url"}] with http(s) URLs only (a "javascript:" link would be a script in the widget)."""
    links = []
    for value in values or []:
        label, url = (value.get("label", ""), value.get("url", "")) if isinstance(value, dict) else ("", str(value))
        url = url.strip()
        if not url:
            continue
        if not re.fullmatch(r"https?://[^\s<>\"']{3,500}", url):
            raise AssistantError(f"Lien refusé : « {url[:60]} » (seules les adresses http:// ou https:// sont acceptées).")
        links.append({"label": " ".join(str(label).split())[:80] or url, "url": url})
    return links[:5]


def _quarantine_reason(*texts: str) -> str:
    """Text that tries to instruct the assistant is kept aside until a person confirms it (prompt injection)."""
    for text in texts:
        result = detect_injection(text or "")
        if result.flagged:
            return "Consigne suspecte (injection) : " + " ".join(result.reasons)
    return ""


@transaction.atomic
def save_entry(
    *, company: Company, user=None, entry: KnowledgeEntry | None = None, audience: str, kind: str = EntryKind.FAQ,
    title: str, questions: list[str], answer: str, links=None, is_active: bool = True, topic: str = "",
    origin: str = EntryOrigin.MANUAL,
) -> KnowledgeEntry:
    """Create or update an entry; suspicious text is saved but kept out of the assistant until confirmed."""
    if audience not in Audience.values:
        raise AssistantError("Public inconnu : « clients » ou « equipe ».")
    if kind not in EntryKind.values:
        raise AssistantError("Type d'entrée inconnu.")
    if entry is not None and entry.company_id != company.pk:
        raise PermissionDenied("assistant.edit", "Cette entrée n'appartient pas à votre entreprise.")
    title = " ".join((title or "").split())
    answer = (answer or "").strip()
    cleaned = _clean_lines(questions)
    if not cleaned and title:
        cleaned = [title]
    if not title and cleaned:
        title = cleaned[0][:160]
    if not cleaned:
        raise AssistantError("Indiquez au moins une formulation de la question.")
    if not answer:
        raise AssistantError("La réponse est vide.")
    if len(answer) > 4000:
        raise AssistantError("La réponse dépasse 4 000 caractères : découpez-la en plusieurs entrées.")
    entry = entry or KnowledgeEntry(company=company, origin=origin)
    entry.audience, entry.kind, entry.topic = audience, kind, topic
    entry.title, entry.questions, entry.answer = title[:160], cleaned, answer
    entry.links = clean_links(links)
    entry.is_active = is_active
    entry.quarantine_reason = _quarantine_reason(title, answer, *cleaned)
    entry.updated_by = user if getattr(user, "is_authenticated", False) else None
    entry.save()
    bump_version(company)
    return entry


@transaction.atomic
def delete_entry(*, entry: KnowledgeEntry) -> None:
    company = entry.company
    entry.delete()
    bump_version(company)


@transaction.atomic
def confirm_entry(*, entry: KnowledgeEntry, user=None) -> KnowledgeEntry:
    """The owner read the flagged text and confirms it is legitimate: the assistant may use it."""
    entry.quarantine_reason = ""
    entry.updated_by = user if getattr(user, "is_authenticated", False) else None
    entry.save(update_fields=["quarantine_reason", "updated_by", "updated_at"])
    bump_version(entry.company)
    return entry


@transaction.atomic
def save_facts(*, company: Company, user=None, opening_hours: dict, hours_note: str = "",
               answers: dict[str, str]) -> AssistantProfile:
    """The practical information: the weekly hours (which also write the hours answer) and one answer per topic."""
    profile = profile_for(company)
    profile.opening_hours = hours.normalise(opening_hours)
    profile.hours_note = (hours_note or "").strip()[:300]
    profile.save(update_fields=["opening_hours", "hours_note", "updated_at"])
    answers = dict(answers)
    answers["horaires"] = hours_answer(hours.describe(profile.opening_hours), profile.hours_note)
    for topic in FACT_TOPICS:
        text = (answers.get(topic) or "").strip()
        existing = KnowledgeEntry.objects.for_company(company).filter(kind=EntryKind.FACT, topic=topic,
                                                                      audience=Audience.CLIENTS).first()
        if not text:
            if existing is not None:
                existing.delete()
            continue
        questions = list(existing.questions) if existing is not None else default_questions(topic)
        save_entry(company=company, user=user, entry=existing, audience=Audience.CLIENTS, kind=EntryKind.FACT,
                   title=topic_title(topic), questions=questions, answer=text, topic=topic,
                   links=existing.links if existing is not None else None)
    bump_version(company)
    return profile


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    quarantined: list[str] = field(default_factory=list)
    layout: str = ""
    rows: int = 0


@transaction.atomic
def import_faq(*, company: Company, user=None, audience: str, data: bytes, answers: bytes | None = None,
               replace: bool = False) -> ImportResult:
    """Load FAQ entries from CSV; all or nothing. Same title in the same audience → updated, not duplicated."""
    try:
        parsed = importers.parse_faq_csv(data, answers)
    except importers.ImportFailed as exc:
        raise AssistantError(str(exc)) from exc
    if not parsed.entries:
        raise AssistantError("Aucune ligne à importer.")
    result = ImportResult(layout=parsed.layout, rows=parsed.rows)
    existing = {e.title: e for e in KnowledgeEntry.objects.for_company(company).filter(audience=audience,
                                                                                       kind=EntryKind.FAQ)}
    if replace:
        KnowledgeEntry.objects.for_company(company).filter(audience=audience, kind=EntryKind.FAQ,
                                                           origin=EntryOrigin.IMPORT).delete()
        existing = {t: e for t, e in existing.items() if e.origin != EntryOrigin.IMPORT}
    for parsed_entry in parsed.entries:
        current = existing.get(parsed_entry.title[:160])
        try:
            saved = save_entry(company=company, user=user, entry=current, audience=audience, kind=EntryKind.FAQ,
                               title=parsed_entry.title, questions=parsed_entry.questions[:MAX_QUESTIONS],
                               answer=parsed_entry.answer, origin=EntryOrigin.IMPORT)
        except AssistantError as exc:
            raise AssistantError(f"« {parsed_entry.title[:60]} » : {exc}") from exc
        if current is None:
            result.created += 1
        else:
            result.updated += 1
        if saved.quarantine_reason:
            result.quarantined.append(saved.title)
    return result


@transaction.atomic
def import_document(*, company: Company, user=None, audience: str, title: str, filename: str, data: bytes,
                    origin: str = EntryOrigin.IMPORT) -> KnowledgeDocument:
    """Extract the text, cut it into titled passages, keep it aside if it contains instructions to the AI."""
    if audience not in Audience.values:
        raise AssistantError("Public inconnu : « clients » ou « equipe ».")
    try:
        file_format = importers.document_format(filename)
        text = importers.extract_text(data, file_format)
    except importers.ImportFailed as exc:
        raise AssistantError(str(exc)) from exc
    title = " ".join((title or "").split())[:200] or filename.rsplit(".", 1)[0][:200]
    chunks = chunk_document(text, title=title)
    if not chunks:
        raise AssistantError("Le document ne contient aucun passage exploitable.")
    document = KnowledgeDocument.objects.create(
        company=company, audience=audience, title=title, filename=filename[:255], file_format=file_format,
        text=text, quarantine_reason=_quarantine_reason(*(c.text for c in chunks)), origin=origin,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    KnowledgeChunk.objects.bulk_create([
        KnowledgeChunk(company=company, document=document, index=c.index, title=c.title[:500], text=c.text)
        for c in chunks
    ])
    bump_version(company)
    return document


@transaction.atomic
def delete_document(*, document: KnowledgeDocument) -> None:
    company = document.company
    document.delete()
    bump_version(company)


@transaction.atomic
def confirm_document(*, document: KnowledgeDocument) -> KnowledgeDocument:
    document.quarantine_reason = ""
    document.save(update_fields=["quarantine_reason"])
    bump_version(document.company)
    return document


@transaction.atomic
def update_profile(*, company: Company, **fields) -> AssistantProfile:
    profile = profile_for(company)
    allowed = {"enabled", "display_name", "welcome_message", "allowed_origins", "team_reply_minutes",
               "notify_by_email", "llm_phrasing", "catalogue_prices", "retention_days"}
    unknown = set(fields) - allowed
    if unknown:
        raise AssistantError(f"Réglages inconnus : {', '.join(sorted(unknown))}.")
    for origin in (fields.get("allowed_origins") or "").splitlines():
        if origin.strip() and not re.fullmatch(r"https?://[A-Za-z0-9.\-]+(:\d+)?/?", origin.strip()):
            raise AssistantError(f"Adresse de site invalide : « {origin.strip()} » (exemple : https://www.mon-site.fr).")
    if "welcome_message" in fields and _quarantine_reason(fields["welcome_message"]):
        raise AssistantError("Le message d'accueil contient une consigne adressée à l'IA : reformulez-le.")
    catalogue_changed = "catalogue_prices" in fields and fields["catalogue_prices"] != profile.catalogue_prices
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean(exclude=["company"])
    profile.save()
    if catalogue_changed:
        bump_version(company)
    return profile


def regenerate_key(*, company: Company) -> AssistantProfile:
    """A new public key: the old widget snippet stops working (e.g. it was copied to an unwanted site)."""
    from etabli.assistant.models import new_public_key

    profile = profile_for(company)
    profile.public_key = new_public_key()
    profile.save(update_fields=["public_key", "updated_at"])
    return profile


# ================================================================================================ conversations


def _add_message(conversation: Conversation, sender: str, text: str, *, now: dt.datetime, **fields) -> Message:
    with audit_suspended():
        return Message.objects.create(company_id=conversation.company_id, conversation=conversation, sender=sender,
                                      text=text, created_at=now, **fields)


def start_conversation(*, company: Company, audience: str = Audience.CLIENTS, channel: str = Channel.WIDGET,
                       user=None, origin: str = "", visitor: str = "",
                       now: dt.datetime | None = None) -> tuple[Conversation, str, list[Message]]:
    """A new conversation and its secret token (kept by the visitor's page only); the first message is the
    disclosure that this is an automated assistant (AI Act art. 50)."""
    now = now or timezone.now()
    profile = profile_for(company)
    token = secrets.token_urlsafe(24)
    with transaction.atomic(), audit_suspended():
        conversation = Conversation.objects.create(
            company=company, audience=audience, channel=channel, token_hash=Conversation.digest(token),
            user=user if getattr(user, "is_authenticated", False) else None, origin=origin[:200], ip_hash=visitor,
            started_at=now, last_message_at=now,
        )
        messages = [_add_message(conversation, Sender.ASSISTANT, answering.disclosure(company, audience), now=now,
                                 kind="disclosure", label=answering.HUMAN_LABEL)]
        if profile.welcome_message and audience == Audience.CLIENTS:
            messages.append(_add_message(conversation, Sender.ASSISTANT, profile.welcome_message, now=now,
                                         kind="welcome", label=answering.HUMAN_LABEL))
    return conversation, token, messages


def _contact_in(text: str) -> str:
    found = _EMAIL.findall(text) + _PHONE.findall(text)
    return ", ".join(dict.fromkeys(found))[:200]


def post_customer_message(*, conversation: Conversation, text: str, visitor: str = "",
                          now: dt.datetime | None = None, llm_engine=None, sync: bool = False) -> list[Message]:
    """Store the visitor's (or employee's) message and the assistant's reply; hand over when needed."""
    started = time.perf_counter()
    now = now or timezone.now()
    cleaned = clean_question(text)
    if conversation.customer_messages >= limits().messages_per_conversation:
        raise AssistantInputError("Cette conversation est très longue : ouvrez-en une nouvelle ou appelez-nous.")
    company = conversation.company
    profile = profile_for(company)
    fresh = Conversation.objects.only("status", "lookup_state").get(pk=conversation.pk)
    reply: Reply | None = None
    if fresh.status in (ConversationStatus.BOT, ConversationStatus.CLOSED):
        reply = compose_reply(company=company, profile=profile, audience=conversation.audience, question=cleaned,
                              lookup_state=fresh.lookup_state, now=now, sync=sync, llm_engine=llm_engine)
    with transaction.atomic():
        conv = Conversation.objects.select_for_update().get(pk=conversation.pk)
        created = [_add_message(conv, Sender.CUSTOMER, cleaned, now=now, ip_hash=visitor)]
        contact = _contact_in(cleaned)
        if conv.status == ConversationStatus.CLOSED:
            conv.status, conv.closed_at = ConversationStatus.BOT, None
            conv.save(update_fields=["status", "closed_at"])
        if conv.status == ConversationStatus.BOT and reply is not None:
            elapsed = int((time.perf_counter() - started) * 1000)
            if reply.hands_over:
                created.append(_hand_over(conv, reply, now=now, elapsed_ms=elapsed))
                if reply.kind == "no_answer":
                    record_unanswered(company=company, audience=conv.audience, question=cleaned, now=now)
            else:
                created.append(_bot_message(conv, reply, now=now, elapsed_ms=elapsed))
                _after_answer(conv, reply, created[-1], now=now)
            if reply.lookup_state is not None:
                conv.lookup_state = reply.lookup_state
        elif conv.status == ConversationStatus.WAITING:
            last = conv.messages.exclude(sender=Sender.CUSTOMER).order_by("-id").first()
            if last is None or last.kind != "waiting_ack":
                created.append(_add_message(
                    conv, Sender.ASSISTANT, now=now, kind="waiting_ack", label=answering.HUMAN_LABEL,
                    text="Votre message est ajouté à votre demande : une personne de l'équipe vous répondra ici.",
                ))
        Conversation.objects.filter(pk=conv.pk).update(
            last_message_at=now, customer_messages=F("customer_messages") + 1, lookup_state=conv.lookup_state,
            **({"contact": contact} if contact else {}),
        )
    conversation.refresh_from_db()
    return created


def _bot_message(conv: Conversation, reply: Reply, *, now: dt.datetime, elapsed_ms: int) -> Message:
    return _add_message(
        conv, Sender.ASSISTANT, reply.text, now=now, route=reply.route, kind=reply.kind,
        confidence=reply.confidence, sources=reply.sources, reasons=reply.reasons, choices=reply.choices,
        generated_by_ai=reply.generated_by_ai, label=reply.label, response_ms=elapsed_ms,
    )


def _after_answer(conv: Conversation, reply: Reply, message: Message, *, now: dt.datetime) -> None:
    """Time saved for an answer given without a person; a status look-up is logged as an AI decision."""
    if reply.kind == "status":
        ailog.log_decision(
            company=conv.company, use_case=USE_CASE_CUSTOMERS, engine=f"{answering.ENGINE_NAME}.suivi",
            engine_version=answering.ENGINE_VERSION, input_data={"question": reply.question},
            input_summary="Suivi de commande vérifié (numéro + second facteur)",
            output={"route": reply.route, "sources": reply.sources}, confidence=1.0, explanation=reply.reasons,
        )
    if not reply.answered:
        return
    if reply.kind == "status":
        action = ACTION_STATUS_LOOKUP
    else:
        action = ACTION_EMPLOYEE_ANSWER if conv.audience == Audience.EQUIPE else ACTION_CUSTOMER_ANSWER
    ledger.record_time_saved(company=conv.company, action_key=action, automated=True,
                             object_ref=f"assistant:message:{message.pk}", occurred_at=now)


def request_human(*, conversation: Conversation, now: dt.datetime | None = None) -> list[Message]:
    """The always-visible « Parler à un humain » button: hand over at once, without arguing."""
    now = now or timezone.now()
    with transaction.atomic():
        conv = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if conv.status in (ConversationStatus.WAITING, ConversationStatus.HUMAN):
            return [_add_message(conv, Sender.SYSTEM, now=now, kind="already",
                                 text="Votre demande est déjà transmise : une personne de l'équipe vous répond ici.")]
        if conv.status == ConversationStatus.CLOSED:
            conv.status, conv.closed_at = ConversationStatus.BOT, None
        company = conv.company
        profile = profile_for(company)
        reply = Reply(
            text=answering.handover_text(company=company, profile=profile, audience=conv.audience,
                                         categories=["demande_bouton"], now=now),
            route="escalated", confidence=1.0, kind="handover", escalation=["demande_bouton"],
            reasons=["Le visiteur a choisi « Parler à un humain »."], question="(bouton « Parler à un humain »)",
        )
        message = _hand_over(conv, reply, now=now, elapsed_ms=0)
        Conversation.objects.filter(pk=conv.pk).update(last_message_at=now)
    return [message]


def _transcript(conv: Conversation, limit: int = 12) -> str:
    lines = []
    for message in list(conv.messages.order_by("-id")[:limit])[::-1]:
        who = {"client": "Visiteur", "assistant": "Assistant", "equipe": "Équipe", "systeme": "Info"}[message.sender]
        lines.append(f"{who} : {message.text}")
    return "\n".join(lines)


def conversation_url(conv: Conversation) -> str:
    return reverse("assistant:conversation", args=[conv.pk])


def _hand_over(conv: Conversation, reply: Reply, *, now: dt.datetime, elapsed_ms: int) -> Message:
    """Inbox item (review queue) + AI decision + alert + webhook + e-mail; the customer's message says when."""
    message = _bot_message(conv, reply, now=now, elapsed_ms=elapsed_ms)
    company = conv.company
    categories = list(dict.fromkeys([*conv.escalation_reasons, *reply.escalation]))
    conv.status = ConversationStatus.WAITING
    conv.escalated_at = now
    conv.escalation_reasons = categories
    conv.escalation_detail = list(reply.reasons)
    conv.lookup_state = {}
    conv.save(update_fields=["status", "escalated_at", "escalation_reasons", "escalation_detail", "lookup_state"])
    decision = ailog.log_decision(
        company=company, use_case=use_case_for(conv.audience), engine=f"{answering.ENGINE_NAME}.escalade",
        engine_version=answering.ENGINE_VERSION, input_data={"question": reply.question},
        input_summary=reply.question[:200], output={"route": "escalated", "categories": reply.escalation},
        confidence=reply.confidence, explanation=reply.reasons,
    )
    labels = [category_label(c) for c in reply.escalation]
    profile = profile_for(company)
    local = timezone.localtime(now)
    opening = hours.next_opening(profile.opening_hours, local)
    due = (opening or local) + dt.timedelta(minutes=profile.team_reply_minutes)
    who = "Un salarié" if conv.audience == Audience.EQUIPE else "Un visiteur"
    item = reviews.propose(
        company=company, kind=HANDOVER_KIND,
        title=f"{who} attend une personne : « {reply.question[:80]} »",
        payload={"conversation_id": conv.pk, "public_id": str(conv.public_id)},
        confidence=min(1.0, max(0.0, reply.confidence)), reasons=[*labels, *reply.reasons],
        summary=_transcript(conv), link_url=conversation_url(conv), dedupe_key=f"assistant-conversation-{conv.pk}",
        ai_decision=decision, due_at=due,
    )
    conv.review_item = item
    conv.save(update_fields=["review_item"])
    severe = {"urgence", "sante_securite", "menace_juridique", "colere_detresse", "probleme_grave"}
    alerts.raise_alert(
        company=company, source="assistant", code=f"assistant-conversation-{conv.pk}",
        severity=Severity.CRITICAL if severe & set(reply.escalation) else Severity.WARNING,
        message=f"{who} attend une personne ({', '.join(labels).lower() or 'demande'}) : « {reply.question[:120]} »",
        detail=_transcript(conv, 6), link_url=conversation_url(conv), link_label="Reprendre la conversation",
    )
    webhooks.emit(company=company, event="assistant.handover", data={
        "conversation": str(conv.public_id), "audience": conv.audience, "reasons": reply.escalation,
        "review_id": item.pk,
    })
    if profile.notify_by_email:
        conv_id = conv.pk
        transaction.on_commit(lambda: notify_team(conversation_id=conv_id))
    return message


def notify_team(*, conversation_id: int) -> int:
    """E-mail the people who may take over conversations (failures are logged, never raised to the visitor)."""
    from django.conf import settings
    from django.core.mail import send_mail

    conv = Conversation.objects.select_related("company").filter(pk=conversation_id).first()
    if conv is None:
        return 0
    recipients = sorted({
        m.user.email for m in Membership.objects.filter(company=conv.company, is_active=True).select_related("user")
        if m.user.email and m.can("assistant.approve")
    })
    if not recipients:
        return 0
    labels = ", ".join(category_label(c) for c in conv.escalation_reasons).lower()
    body = (
        f"Une conversation de l'assistant de {conv.company} attend une personne ({labels}).\n\n"
        f"{_transcript(conv, 8)}\n\nReprendre la conversation : {settings.SITE_URL}{conversation_url(conv)}\n"
    )
    try:
        return send_mail(f"[Établi] Conversation à reprendre — {conv.company}", body, None, recipients)
    except Exception:
        logger.exception("Hand-over e-mail failed for conversation %s", conversation_id)
        return 0


def _check_staff(membership: Membership | None, conv: Conversation) -> None:
    if membership is None or membership.company_id != conv.company_id:
        raise PermissionDenied("assistant.approve", "Cette conversation n'appartient pas à votre entreprise.")
    require(membership, "assistant.approve")


def _take_over(conv: Conversation, user, *, now: dt.datetime) -> Message:
    name = (user.first_name or user.display_name) if user is not None else "Une personne"
    conv.status = ConversationStatus.HUMAN
    conv.taken_over_by = user if getattr(user, "is_authenticated", False) else None
    conv.taken_over_at = now
    conv.save(update_fields=["status", "taken_over_by", "taken_over_at"])
    alerts.resolve(company=conv.company, code=f"assistant-conversation-{conv.pk}")
    return _add_message(conv, Sender.SYSTEM, f"{name}, de l'équipe {conv.company}, a rejoint la conversation.",
                        now=now, kind="takeover")


def apply_handover(item, payload: dict, user) -> dict:
    """Review handler: accepting the inbox item = taking over the live chat."""
    conv = Conversation.objects.select_for_update().filter(pk=payload.get("conversation_id"),
                                                           company=item.company).first()
    if conv is None:
        raise reviews.ReviewApplyError("Cette conversation n'existe plus (supprimée après sa durée de conservation).")
    if conv.status != ConversationStatus.HUMAN:
        _take_over(conv, user, now=timezone.now())
    return {"conversation_id": conv.pk, "status": conv.status}


def reject_handover(item, user) -> None:
    """Review handler: no person needed after all; the assistant answers again, and the visitor is told."""
    conv = Conversation.objects.filter(pk=item.payload.get("conversation_id"), company=item.company).first()
    if conv is None:
        return
    if conv.status == ConversationStatus.WAITING:
        conv.status = ConversationStatus.BOT
        conv.save(update_fields=["status"])
        _add_message(conv, Sender.SYSTEM, now=timezone.now(), kind="handback",
                     text="L'équipe a lu votre demande ; l'assistant automatique reste à votre disposition et vous "
                          "pouvez redemander une personne à tout moment.")
    alerts.resolve(company=conv.company, code=f"assistant-conversation-{conv.pk}")


def take_over(*, conversation: Conversation, user, membership: Membership | None) -> Conversation:
    """A person joins the live chat (through the review item when there is one, so the queue stays right)."""
    _check_staff(membership, conversation)
    item = conversation.review_item
    if item is not None and item.status == ReviewStatus.PENDING:
        try:
            reviews.accept(item=item, user=user, membership=membership)
        except reviews.ReviewError as exc:
            raise AssistantError(exc.message) from exc
    else:
        with transaction.atomic():
            conv = Conversation.objects.select_for_update().get(pk=conversation.pk)
            if conv.status != ConversationStatus.HUMAN:
                _take_over(conv, user, now=timezone.now())
    conversation.refresh_from_db()
    return conversation


def staff_reply(*, conversation: Conversation, user, membership: Membership | None, text: str) -> Message:
    _check_staff(membership, conversation)
    body = (text or "").strip()
    if not body:
        raise AssistantError("Le message est vide.")
    if len(body) > 4000:
        raise AssistantError("Message trop long (4 000 caractères au plus).")
    if conversation.status != ConversationStatus.HUMAN:
        take_over(conversation=conversation, user=user, membership=membership)
    now = timezone.now()
    with transaction.atomic():
        message = _add_message(conversation, Sender.HUMAN, body, now=now, author=user)
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
    return message


def hand_back(*, conversation: Conversation, user, membership: Membership | None) -> Conversation:
    """The person leaves; the assistant answers again (the visitor may ask for a person again)."""
    _check_staff(membership, conversation)
    now = timezone.now()
    with transaction.atomic():
        conv = Conversation.objects.select_for_update().get(pk=conversation.pk)
        conv.status = ConversationStatus.BOT
        conv.save(update_fields=["status"])
        _add_message(conv, Sender.SYSTEM, now=now, kind="handback",
                     text="L'assistant automatique reprend la conversation. Vous pouvez redemander une personne à "
                          "tout moment.")
        alerts.resolve(company=conv.company, code=f"assistant-conversation-{conv.pk}")
        _settle_review(conv, user, membership, "Conversation rendue à l'assistant.")
    conversation.refresh_from_db()
    return conversation


def close_conversation(*, conversation: Conversation, user, membership: Membership | None) -> Conversation:
    _check_staff(membership, conversation)
    now = timezone.now()
    with transaction.atomic():
        conv = Conversation.objects.select_for_update().get(pk=conversation.pk)
        conv.status, conv.closed_at = ConversationStatus.CLOSED, now
        conv.save(update_fields=["status", "closed_at"])
        _add_message(conv, Sender.SYSTEM, now=now, kind="closed",
                     text="Conversation close par l'équipe. Merci ! Vous pouvez écrire à nouveau à tout moment.")
        alerts.resolve(company=conv.company, code=f"assistant-conversation-{conv.pk}")
        _settle_review(conv, user, membership, "Conversation close sans reprise.")
    conversation.refresh_from_db()
    return conversation


def _settle_review(conv: Conversation, user, membership, reason: str) -> None:
    item = conv.review_item
    if item is not None and item.status == ReviewStatus.PENDING:
        try:
            reviews.reject(item=item, user=user, membership=membership, reason=reason)
        except (reviews.ReviewError, PermissionDenied):
            logger.info("Review item %s left pending: %s", item.pk, reason)


def end_internal_conversation(*, conversation: Conversation, user) -> None:
    """An employee starts afresh: their previous internal conversation is closed (kept for the measures)."""
    if conversation.channel != Channel.INTERNAL or conversation.user_id != getattr(user, "pk", None):
        raise PermissionDenied("assistant.view", "Cette conversation n'est pas la vôtre.")
    with audit_suspended():
        Conversation.objects.filter(pk=conversation.pk).update(status=ConversationStatus.CLOSED,
                                                               closed_at=timezone.now())


def record_feedback(*, conversation: Conversation, message_id: int, value: int) -> Message:
    """Satisfaction thumbs on an assistant answer; a thumbs-down makes the question a suggestion to improve."""
    if value not in (-1, 0, 1):
        raise AssistantError("Avis invalide.")
    message = conversation.messages.filter(pk=message_id, sender=Sender.ASSISTANT).first()
    if message is None:
        raise AssistantError("Message introuvable dans cette conversation.")
    with audit_suspended():
        Message.objects.filter(pk=message.pk).update(feedback=value or None)
    message.feedback = value or None
    if value == -1:
        question = conversation.messages.filter(sender=Sender.CUSTOMER, id__lt=message.pk).order_by("-id").first()
        if question is not None:
            record_unanswered(company=conversation.company, audience=conversation.audience, question=question.text,
                              reason="reponse_inutile")
    return message


# ================================================================================================== suggestions

_analyzer = FrenchAnalyzer()


def suggestion_key(question: str) -> str:
    return " ".join(sorted(set(_analyzer.analyze(question))))[:300]


def record_unanswered(*, company: Company, audience: str, question: str, reason: str = "sans_reponse",
                      now: dt.datetime | None = None) -> Suggestion | None:
    """Group the questions the assistant could not answer; from the 2nd time, propose a new FAQ entry."""
    from rapidfuzz import fuzz

    now = now or timezone.now()
    key = suggestion_key(question)
    if not key:
        return None
    with transaction.atomic(), audit_suspended():
        candidates = Suggestion.objects.for_company(company).filter(audience=audience, status=SuggestionStatus.OPEN)
        match = next((s for s in candidates if s.key == key), None) or next(
            (s for s in candidates if fuzz.token_set_ratio(s.key, key) >= 85), None)
        if match is None:
            match = Suggestion.objects.create(company=company, audience=audience, key=key, question=question[:500],
                                              examples=[question[:300]], reason=reason, first_seen=now, last_seen=now)
        else:
            examples = list(match.examples)
            if question[:300] not in examples and len(examples) < 10:
                examples.append(question[:300])
            Suggestion.objects.filter(pk=match.pk).update(occurrences=F("occurrences") + 1, examples=examples,
                                                          last_seen=now)
            match.refresh_from_db()
    if match.occurrences >= SUGGESTION_THRESHOLD and (
        match.review_item is None or match.review_item.status != ReviewStatus.PENDING
    ):
        _propose_suggestion(match)
    return match


def _propose_suggestion(suggestion: Suggestion) -> None:
    confidence = 1 - 0.5 ** suggestion.occurrences
    why = ("posée sans réponse" if suggestion.reason == "sans_reponse" else "dont la réponse a été jugée inutile")
    reasons = [(f"Question {why} {suggestion.occurrences} fois (dernière le "
               f"{timezone.localtime(suggestion.last_seen):%d/%m/%Y})."),
               "Exemples : " + " / ".join(f"« {e} »" for e in suggestion.examples[:3])]
    decision = ailog.log_decision(
        company=suggestion.company, use_case=use_case_for(suggestion.audience),
        engine=f"{answering.ENGINE_NAME}.suggestions", engine_version=answering.ENGINE_VERSION,
        input_data={"key": suggestion.key}, input_summary=suggestion.question[:200],
        output={"suggestion": suggestion.pk}, confidence=confidence, explanation=reasons,
    )
    item = reviews.propose(
        company=suggestion.company, kind=SUGGESTION_KIND,
        title=f"Ajouter à la base de connaissances : « {suggestion.question[:90]} »",
        payload={"suggestion_id": suggestion.pk, "question": suggestion.question, "answer": "",
                 "audience": suggestion.audience},
        confidence=confidence, reasons=reasons, link_url=reverse("assistant:suggestions"),
        dedupe_key=f"assistant-suggestion-{suggestion.pk}", ai_decision=decision,
    )
    Suggestion.objects.filter(pk=suggestion.pk).update(review_item=item)


def apply_suggestion(item, payload: dict, user) -> dict:
    """Review handler: the owner wrote the answer; the entry is created and the suggestion closed."""
    answer = (payload.get("answer") or "").strip()
    if not answer:
        raise reviews.ReviewApplyError("Écrivez la réponse de l'entreprise (« Modifier puis accepter ») avant d'accepter.")
    suggestion = Suggestion.objects.filter(pk=payload.get("suggestion_id"), company=item.company).first()
    audience = payload.get("audience") or (suggestion.audience if suggestion else Audience.CLIENTS)
    questions = [payload.get("question") or ""] + (list(suggestion.examples) if suggestion else [])
    try:
        entry = save_entry(company=item.company, user=user, audience=audience, title=payload.get("question", ""),
                           questions=questions, answer=answer, origin=EntryOrigin.SUGGESTION)
    except AssistantError as exc:
        raise reviews.ReviewApplyError(str(exc)) from exc
    if suggestion is not None:
        suggestion.status, suggestion.entry = SuggestionStatus.ADDED, entry
        suggestion.save(update_fields=["status", "entry"])
    return {"entry_id": entry.pk}


def reject_suggestion(item, user) -> None:
    Suggestion.objects.filter(pk=item.payload.get("suggestion_id"), company=item.company).update(
        status=SuggestionStatus.DISMISSED)


@transaction.atomic
def dismiss_suggestion(*, suggestion: Suggestion, user=None, membership=None) -> None:
    suggestion.status = SuggestionStatus.DISMISSED
    suggestion.save(update_fields=["status"])
    item = suggestion.review_item
    if item is not None and item.status == ReviewStatus.PENDING and membership is not None:
        try:
            reviews.reject(item=item, user=user, membership=membership, reason="Écartée depuis la liste.")
        except (reviews.ReviewError, PermissionDenied):
            pass


@transaction.atomic
def answer_suggestion(*, suggestion: Suggestion, user, membership, answer: str, title: str = "") -> KnowledgeEntry:
    """From the suggestions page: write the answer, the entry is created (and the review item accepted)."""
    item = suggestion.review_item
    if item is not None and item.status == ReviewStatus.PENDING and membership is not None and membership.can(
            "reviews.approve"):
        try:
            accepted = reviews.accept(item=item, user=user, membership=membership,
                                      edits={"question": title or suggestion.question, "answer": answer})
        except reviews.ReviewError as exc:
            raise AssistantError(exc.message) from exc
        return KnowledgeEntry.objects.get(pk=accepted.result["entry_id"], company=suggestion.company)
    entry = save_entry(company=suggestion.company, user=user, audience=suggestion.audience,
                       title=title or suggestion.question, questions=[suggestion.question, *suggestion.examples],
                       answer=answer, origin=EntryOrigin.SUGGESTION)
    suggestion.status, suggestion.entry = SuggestionStatus.ADDED, entry
    suggestion.save(update_fields=["status", "entry"])
    return entry


# ==================================================================================================== retention


def purge_old_conversations(*, company: Company, now: dt.datetime | None = None) -> int:
    """Delete conversations older than the company's retention (RGPD); the count goes to the audit log."""
    from etabli.core.services import audit

    now = now or timezone.now()
    profile = profile_for(company)
    limit = now - dt.timedelta(days=max(profile.retention_days, 183))  # AI Act: keep the logs ≥ 6 months
    old = Conversation.objects.for_company(company).filter(last_message_at__lt=limit).exclude(
        status__in=[ConversationStatus.WAITING, ConversationStatus.HUMAN])
    with audit_suspended():
        count, _ = old.delete()
    if count:
        audit.record(action="delete", company=company, model="assistant.Conversation",
                     object_repr=f"{count} lignes de conversations de plus de {profile.retention_days} jours supprimées",
                     force=True)
    return count
