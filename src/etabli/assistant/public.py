"""What the public sees: the widget script (one <script> tag on the company's site), its stylesheet, the public
chat page, and the JSON endpoints they call.

Security choices, and why:
- no cookie, no storage in the visitor's browser: the conversation id and its secret token live in the page's
  memory only (no consent banner needed, nothing to track); the token travels in the body, never in the URL;
- the JSON endpoints are CSRF-exempt because they authenticate nothing by cookie — the token is the proof;
- CORS: the company lists the sites allowed to embed its assistant (none listed = any site); requests from
  another origin get a 403 and no Access-Control-Allow-Origin header. Requests are sent as text/plain JSON
  so a browser needs no preflight; a preflight (OPTIONS) is answered correctly all the same;
- the widget script and stylesheet carry `Cross-Origin-Resource-Policy: cross-origin` (pages using COEP can
  load them) and the right content types (the site sends `nosniff`);
- every visitor text is capped (body size and characters), rate-limited per IP and per company, and inserted in
  the page with `textContent` by the widget (never as HTML); the no-JavaScript page escapes it like any template.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from etabli.assistant import hours, ratelimit, selectors, services
from etabli.assistant.answering import HUMAN_LABEL, AssistantInputError, disclosure
from etabli.assistant.conf import limits
from etabli.assistant.models import AssistantProfile, Audience, Channel, ConversationStatus, Message, Sender
from etabli.assistant.ratelimit import RateLimited

POLL_SECONDS = 4
_STATIC_CACHE: dict[str, bytes] = {}


def _static(name: str) -> bytes:
    if name not in _STATIC_CACHE:
        _STATIC_CACHE[name] = (resources.files("etabli.assistant") / "static" / "assistant" / name).read_bytes()
    return _STATIC_CACHE[name]


def _asset(name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(_static(name), content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def widget_js(request: HttpRequest) -> HttpResponse:
    return _asset("widget.js", "text/javascript; charset=utf-8")


def widget_css(request: HttpRequest) -> HttpResponse:
    return _asset("widget.css", "text/css; charset=utf-8")


# --- JSON endpoints -------------------------------------------------------------------------------------------


def _error(status: int, code: str, message: str, origin: str | None = None, **headers) -> JsonResponse:
    response = JsonResponse({"error": {"code": code, "message": message}}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return _cors(response, origin)


def _cors(response: HttpResponse, origin: str | None) -> HttpResponse:
    if origin:
        response["Access-Control-Allow-Origin"] = origin
        response["Vary"] = "Origin"
    response["Cache-Control"] = "no-store"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def _own_origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def origin_allowed(request: HttpRequest, profile: AssistantProfile) -> bool:
    origin = request.headers.get("Origin")
    if not origin or origin == _own_origin(request):
        return True
    allowed = profile.origins
    return not allowed or origin.rstrip("/") in allowed


def public_endpoint(view):
    """Key → profile, origin check, preflight, size cap, JSON body, and French JSON errors."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request: HttpRequest, key: str) -> HttpResponse:
        origin = request.headers.get("Origin")
        profile = AssistantProfile.objects.select_related("company").filter(public_key=key, enabled=True).first()
        if profile is None:
            return _error(404, "unknown_assistant", "Cet assistant n'existe pas ou a été désactivé.", origin)
        if not origin_allowed(request, profile):
            response = JsonResponse({"error": {"code": "origin_not_allowed",
                                               "message": "Ce site n'est pas autorisé à utiliser cet assistant."}},
                                    status=403)
            response["Cache-Control"] = "no-store"
            return response
        if request.method == "OPTIONS":
            response = _cors(HttpResponse(status=204), origin)
            response["Access-Control-Allow-Methods"] = "POST, OPTIONS"
            response["Access-Control-Allow-Headers"] = "Content-Type"
            response["Access-Control-Max-Age"] = "600"
            return response
        if request.method != "POST":
            return _error(405, "method_not_allowed", "Méthode non autorisée : utilisez POST.", origin)
        if len(request.body) > limits().max_body_bytes:
            return _error(413, "too_large", "Message trop volumineux.", origin)
        try:
            body = json.loads(request.body.decode("utf-8") or "{}")
        except (UnicodeDecodeError, json.JSONDecodeError):
            return _error(400, "invalid_json", "Requête illisible (JSON attendu).", origin)
        if not isinstance(body, dict):
            return _error(400, "invalid_json", "Requête illisible (objet JSON attendu).", origin)
        visitor = ratelimit.ip_hash(ratelimit.client_ip(request))
        try:
            return _cors(view(request, profile, body, visitor), origin)
        except RateLimited as exc:
            return _error(429, "rate_limited", exc.message, origin, Retry_After=str(exc.retry_after))
        except (AssistantInputError, services.AssistantError) as exc:
            return _error(422, "invalid_message", str(exc), origin)

    return wrapper


def message_json(message: Message) -> dict:
    """What the visitor's page receives for a message: text (inserted as text), who said it, sources."""
    author = ""
    if message.sender == Sender.HUMAN and message.author_id:
        author = message.author.first_name or "Équipe"
    return {
        "id": message.pk,
        "sender": message.sender,
        "author": author,
        "label": message.label or (HUMAN_LABEL if message.sender == Sender.ASSISTANT else ""),
        "text": message.text,
        "route": message.route,
        "choices": list(message.choices or []),
        "sources": [
            {"title": source.get("title", ""), "links": source.get("links", [])} for source in (message.sources or [])
        ],
        "can_rate": message.sender == Sender.ASSISTANT and message.route in ("answered", "answered_offer_human"),
        "feedback": message.feedback,
        "created_at": message.created_at.isoformat(),
    }


def _after(body: dict) -> int:
    """The last message id the visitor's page has seen (0 when absent or unreadable)."""
    try:
        return max(0, int(body.get("after") or 0))
    except (TypeError, ValueError):
        return 0


def _since(conversation, body: dict, created: list[Message]) -> list[Message]:
    """What a send returns: every message after the page's last seen id, not only the ones just created.

    Why: a person of the team may post (take-over notice, reply) while the visitor's message is in flight; if the
    page only received its own new message, its cursor would jump past the team's one and never fetch it."""
    if "after" not in body:
        return created
    return selectors.messages_after(conversation=conversation, after_id=_after(body))


def _state(conversation) -> dict:
    return {"status": conversation.status, "status_label": conversation.get_status_display(),
            "waiting_for_person": conversation.status in (ConversationStatus.WAITING, ConversationStatus.HUMAN)}


def _conversation(profile, body: dict):
    conversation = selectors.conversation_for_visitor(profile=profile, public_id=str(body.get("conversation", "")),
                                                      token=str(body.get("token", "")))
    if conversation is None:
        raise AssistantInputError("Conversation introuvable : rechargez la page pour en ouvrir une nouvelle.")
    return conversation


@public_endpoint
def api_start(request: HttpRequest, profile: AssistantProfile, body: dict, visitor: str) -> HttpResponse:
    ratelimit.check_conversation(visitor=visitor)
    channel = Channel.PAGE if body.get("channel") == "page" else Channel.WIDGET
    conversation, token, messages = services.start_conversation(
        company=profile.company, audience=Audience.CLIENTS, channel=channel,
        origin=request.headers.get("Origin", "")[:200], visitor=visitor,
    )
    local = timezone.localtime()
    return JsonResponse({
        "conversation": str(conversation.public_id), "token": token, "company": str(profile.company),
        "title": profile.display_name or f"Assistant de {profile.company}",
        "disclosure": disclosure(profile.company, Audience.CLIENTS),
        "team_present": hours.is_open(profile.opening_hours, local),
        "max_chars": limits().max_chars, "poll_seconds": POLL_SECONDS,
        "messages": [message_json(m) for m in messages], **_state(conversation),
    }, status=201)


@public_endpoint
def api_send(request: HttpRequest, profile: AssistantProfile, body: dict, visitor: str) -> HttpResponse:
    conversation = _conversation(profile, body)
    ratelimit.check_message(company=profile.company, visitor=visitor)
    from etabli.assistant.llm import engine_for

    created = services.post_customer_message(conversation=conversation, text=body.get("text", ""), visitor=visitor,
                                             llm_engine=engine_for(profile.company))
    return JsonResponse({"messages": [message_json(m) for m in _since(conversation, body, created)],
                         **_state(conversation)})


@public_endpoint
def api_poll(request: HttpRequest, profile: AssistantProfile, body: dict, visitor: str) -> HttpResponse:
    conversation = _conversation(profile, body)
    items = selectors.messages_after(conversation=conversation, after_id=_after(body))
    return JsonResponse({"messages": [message_json(m) for m in items], **_state(conversation)})


@public_endpoint
def api_human(request: HttpRequest, profile: AssistantProfile, body: dict, visitor: str) -> HttpResponse:
    conversation = _conversation(profile, body)
    created = services.request_human(conversation=conversation)
    conversation.refresh_from_db()
    return JsonResponse({"messages": [message_json(m) for m in _since(conversation, body, created)],
                         **_state(conversation)})


@public_endpoint
def api_feedback(request: HttpRequest, profile: AssistantProfile, body: dict, visitor: str) -> HttpResponse:
    conversation = _conversation(profile, body)
    try:
        message_id, value = int(body.get("message")), int(body.get("value"))
    except (TypeError, ValueError) as exc:
        raise AssistantInputError("Avis invalide.") from exc
    services.record_feedback(conversation=conversation, message_id=message_id, value=value)
    return JsonResponse({"ok": True})


# --- The public chat page (works with and without JavaScript) ------------------------------------------------


@csrf_exempt
def chat_page(request: HttpRequest, key: str) -> HttpResponse:
    """A page of its own (link it from an e-mail signature or a QR code). Without JavaScript, the form posts
    here and the transcript is rendered by the server; the conversation's token rides in a hidden field."""
    profile = AssistantProfile.objects.select_related("company").filter(public_key=key, enabled=True).first()
    if profile is None:
        return render(request, "assistant/public_unavailable.html", status=404)
    context = {"profile": profile, "company": profile.company, "items": [], "error": "", "conversation": None,
               "token": "", "disclosure": disclosure(profile.company, Audience.CLIENTS),
               "max_chars": limits().max_chars}
    if request.method == "POST":
        if len(request.body) > limits().max_body_bytes:
            context["error"] = "Message trop volumineux."
            return render(request, "assistant/public_chat.html", context, status=413)
        visitor = ratelimit.ip_hash(ratelimit.client_ip(request))
        token = request.POST.get("token", "")
        conversation = selectors.conversation_for_visitor(profile=profile, public_id=request.POST.get("conversation", ""),
                                                          token=token) if token else None
        status = 200
        try:
            if conversation is None:
                ratelimit.check_conversation(visitor=visitor)
                conversation, token, _ = services.start_conversation(company=profile.company, channel=Channel.PAGE,
                                                                     visitor=visitor)
            if request.POST.get("humain"):
                services.request_human(conversation=conversation)
            elif request.POST.get("text", "").strip():
                ratelimit.check_message(company=profile.company, visitor=visitor)
                services.post_customer_message(conversation=conversation, text=request.POST["text"], visitor=visitor)
        except RateLimited as exc:
            context["error"], status = exc.message, 429
        except (AssistantInputError, services.AssistantError) as exc:
            context["error"], status = str(exc), 422
        if conversation is None:
            return render(request, "assistant/public_chat.html", context, status=status)
        conversation.refresh_from_db()
        context.update(conversation=conversation, token=token,
                       items=list(conversation.messages.select_related("author")))
        return render(request, "assistant/public_chat.html", context, status=status)
    return render(request, "assistant/public_chat.html", context)
