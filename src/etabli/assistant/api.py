"""API of the assistant under /api/v1/assistant (bearer token of a member; company = the token's company).

Routes take ids in the query string or the body (never in the path), and every object is looked up within the
token's company: another company's conversation is a 404, the same answer as a missing one.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from etabli.assistant import selectors, services
from etabli.assistant.answering import AssistantInputError, compose_reply
from etabli.assistant.models import Audience, Channel, Conversation, Message
from etabli.assistant.ratelimit import RateLimited
from etabli.assistant.retrieval import profile_for
from etabli.core.permissions import require

router = Router(tags=["assistant"])


def ApiError(status: int, code: str, message: str):
    """The platform's ApiError, imported late: importing etabli.api while the apps register would mount the
    API routers before this one is registered."""
    from etabli.api import ApiError as PlatformApiError

    return PlatformApiError(status, code, message)


class AskIn(Schema):
    question: str
    audience: str = Audience.CLIENTS


class SourceOut(Schema):
    type: str
    id: str | int
    title: str
    chunk: int | None = None


class AskOut(Schema):
    answer: str
    sources: list[SourceOut]
    confidence: float
    route: str
    reasons: list[str]


def _audience(value: str) -> str:
    if value not in Audience.values:
        raise ApiError(422, "invalid_audience", "Public inconnu : « clients » ou « equipe ».")
    return value


@router.post("/ask", response=AskOut, summary="Poser une question (sans conversation ni enregistrement)")
def ask(request, payload: AskIn):
    require(request.membership, "assistant.view")
    try:
        reply = compose_reply(company=request.company, profile=profile_for(request.company),
                              audience=_audience(payload.audience), question=payload.question)
    except AssistantInputError as exc:
        raise ApiError(422, "invalid_question", str(exc)) from exc
    return reply.public_dict()


class EntryOut(Schema):
    id: int
    audience: str
    kind: str
    topic: str
    title: str
    questions: list[str]
    answer: str
    links: list[dict]
    is_active: bool
    quarantine_reason: str


class EntryIn(Schema):
    audience: str = Audience.CLIENTS
    kind: str = "faq"
    title: str = ""
    questions: list[str]
    answer: str
    links: list[dict] = []
    is_active: bool = True


@router.get("/entries", response=list[EntryOut], summary="Entrées de la base de connaissances")
@paginate(PageNumberPagination, page_size=50)
def entry_list(request, audience: str = "", kind: str = ""):
    require(request.membership, "assistant.view")
    return selectors.entries(company=request.company, audience=audience, kind=kind)


@router.post("/entries", response={201: EntryOut}, summary="Ajouter une entrée")
def entry_create(request, payload: EntryIn):
    require(request.membership, "assistant.edit")
    try:
        entry = services.save_entry(company=request.company, user=request.user, audience=_audience(payload.audience),
                                    kind=payload.kind, title=payload.title, questions=payload.questions,
                                    answer=payload.answer, links=payload.links, is_active=payload.is_active)
    except services.AssistantError as exc:
        raise ApiError(422, "invalid_entry", str(exc)) from exc
    return Status(201, entry)


class MessageOut(Schema):
    id: int
    sender: str
    author: str | None
    text: str
    route: str
    kind: str
    confidence: float | None
    sources: list[dict]
    reasons: list[str]
    choices: list[str]
    label: str
    created_at: str

    @staticmethod
    def resolve_author(obj: Message) -> str | None:
        return (obj.author.first_name or obj.author.display_name) if obj.author_id else None

    @staticmethod
    def resolve_created_at(obj: Message) -> str:
        return obj.created_at.isoformat()


class ConversationOut(Schema):
    id: int
    public_id: str
    audience: str
    channel: str
    status: str
    escalation_reasons: list[str]
    contact: str
    started_at: str
    last_message_at: str

    @staticmethod
    def resolve_public_id(obj: Conversation) -> str:
        return str(obj.public_id)

    @staticmethod
    def resolve_started_at(obj: Conversation) -> str:
        return obj.started_at.isoformat()

    @staticmethod
    def resolve_last_message_at(obj: Conversation) -> str:
        return obj.last_message_at.isoformat()


class ConversationStartIn(Schema):
    audience: str = Audience.CLIENTS


class ChatOut(Schema):
    conversation: ConversationOut
    messages: list[MessageOut]


class ChatMessageIn(Schema):
    conversation: int
    text: str


class ConversationRef(Schema):
    conversation: int


class ReplyIn(Schema):
    conversation: int
    text: str


def _conversation(request, conversation_id: int) -> Conversation:
    return get_object_or_404(Conversation, pk=conversation_id, company_id=request.company.pk)


def _own_api_conversation(request, conversation_id: int) -> Conversation:
    conv = _conversation(request, conversation_id)
    if conv.channel != Channel.API or conv.user_id != request.user.pk:
        raise ApiError(404, "not_found", "Objet introuvable dans cette entreprise.")
    return conv


@router.post("/conversations", response={201: ChatOut}, summary="Ouvrir une conversation (canal API)")
def conversation_start(request, payload: ConversationStartIn):
    require(request.membership, "assistant.view")
    conv, _token, messages = services.start_conversation(company=request.company, audience=_audience(payload.audience),
                                                         channel=Channel.API, user=request.user)
    return Status(201, {"conversation": conv, "messages": messages})


@router.post("/conversations/messages", response=ChatOut, summary="Envoyer un message dans sa conversation")
def conversation_post(request, payload: ChatMessageIn):
    require(request.membership, "assistant.view")
    conv = _own_api_conversation(request, payload.conversation)
    try:
        messages = services.post_customer_message(conversation=conv, text=payload.text)
    except AssistantInputError as exc:
        raise ApiError(422, "invalid_message", str(exc)) from exc
    except RateLimited as exc:
        raise ApiError(429, "rate_limited", exc.message) from exc
    conv.refresh_from_db()
    return {"conversation": conv, "messages": messages}


@router.get("/conversations", response=list[ConversationOut], summary="Boîte de l'équipe")
@paginate(PageNumberPagination, page_size=50)
def conversation_list(request, status: str = "", audience: str = ""):
    require(request.membership, "assistant.approve")
    return selectors.inbox(company=request.company, status=status, audience=audience)


@router.get("/conversations/messages", response=ChatOut, summary="Messages d'une conversation")
def conversation_messages(request, conversation: int, after: int = 0):
    conv = _conversation(request, conversation)
    if not (request.membership.can("assistant.approve") or (conv.channel == Channel.API and conv.user_id == request.user.pk)):
        raise ApiError(404, "not_found", "Objet introuvable dans cette entreprise.")
    return {"conversation": conv, "messages": selectors.messages_after(conversation=conv, after_id=after)}


def _staff_action(request, conversation_id: int, action) -> dict:
    require(request.membership, "assistant.approve")
    conv = _conversation(request, conversation_id)
    try:
        action(conv)
    except services.AssistantError as exc:
        raise ApiError(409, "conflict", str(exc)) from exc
    conv.refresh_from_db()
    return {"conversation": conv, "messages": selectors.messages_after(conversation=conv)}


@router.post("/conversations/takeover", response=ChatOut, summary="Prendre la main sur une conversation")
def conversation_takeover(request, payload: ConversationRef):
    return _staff_action(request, payload.conversation, lambda c: services.take_over(
        conversation=c, user=request.user, membership=request.membership))


@router.post("/conversations/reply", response=ChatOut, summary="Répondre au visiteur")
def conversation_reply(request, payload: ReplyIn):
    if not payload.text.strip() or len(payload.text) > 4000:
        raise ApiError(422, "invalid_message", "Le message est vide ou dépasse 4 000 caractères.")
    return _staff_action(request, payload.conversation, lambda c: services.staff_reply(
        conversation=c, user=request.user, membership=request.membership, text=payload.text))


@router.post("/conversations/handback", response=ChatOut, summary="Rendre la conversation à l'assistant")
def conversation_handback(request, payload: ConversationRef):
    return _staff_action(request, payload.conversation, lambda c: services.hand_back(
        conversation=c, user=request.user, membership=request.membership))


@router.post("/conversations/close", response=ChatOut, summary="Clore la conversation")
def conversation_close(request, payload: ConversationRef):
    return _staff_action(request, payload.conversation, lambda c: services.close_conversation(
        conversation=c, user=request.user, membership=request.membership))


@router.get("/stats", summary="Mesures de l'assistant (part répondue sans personne, délais, escalades…)")
def stats(request, days: int = 30):
    require(request.membership, "assistant.edit")
    if not 1 <= days <= 366:
        raise ApiError(422, "invalid_days", "La période doit être comprise entre 1 et 366 jours.")
    return selectors.stats(company=request.company, days=days).as_dict()
