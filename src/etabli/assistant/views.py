"""Pages of the assistant for the company's people: internal assistant, team inbox and live chat, knowledge base
(with a preview of how the assistant would answer), dashboard, settings and the widget snippet."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from etabli.assistant import answering, selectors, services
from etabli.assistant.answering import AssistantInputError, compose_reply
from etabli.assistant.forms import (
    DocumentForm,
    EntryForm,
    FactsForm,
    ImportForm,
    MessageForm,
    PreviewForm,
    ProfileForm,
    SuggestionAnswerForm,
)
from etabli.assistant.knowledge import FACT_TOPICS
from etabli.assistant.models import (
    Audience,
    Channel,
    Conversation,
    ConversationStatus,
    EntryKind,
    KnowledgeDocument,
    KnowledgeEntry,
    Suggestion,
)
from etabli.assistant.retrieval import build_bundle, get_bundle, profile_for
from etabli.core.views.base import company_view, get_scoped_or_404, paginate, querystring_without_page


def _is_ajax(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch" or bool(getattr(request, "htmx", False))


def _messages_html(request, conversation: Conversation, items, *, staff: bool) -> HttpResponse:
    return render(request, "assistant/_messages.html", {"items": items, "conversation": conversation, "staff": staff})


# ============================================================================================ internal assistant


@company_view("assistant.view")
def internal(request: HttpRequest) -> HttpResponse:
    """Employees ask the company's procedures ("Comment déclarer mes frais ?")."""
    conversation = selectors.latest_internal_conversation(company=request.company, user=request.user)
    form = MessageForm()
    if request.method == "POST":
        form = MessageForm(request.POST)
        if form.is_valid():
            new_items = []
            if conversation is None:
                conversation, _token, new_items = services.start_conversation(
                    company=request.company, audience=Audience.EQUIPE, channel=Channel.INTERNAL, user=request.user)
            try:
                new_items += services.post_customer_message(conversation=conversation, text=form.cleaned_data["text"],
                                                            llm_engine=_llm(request.company))
            except AssistantInputError as exc:
                if _is_ajax(request):
                    return JsonResponse({"error": {"code": "invalid_message", "message": str(exc)}}, status=422)
                form.add_error("text", str(exc))
            else:
                if _is_ajax(request):
                    return _messages_html(request, conversation, new_items, staff=False)
                return redirect("assistant:internal")
        elif _is_ajax(request):
            return JsonResponse({"error": {"code": "invalid_message",
                                           "message": " ".join(form.errors.get("text", []))}}, status=422)
    items = list(conversation.messages.select_related("author")) if conversation else []
    return render(request, "assistant/internal.html", {
        "conversation": conversation, "items": items, "form": form,
        "disclosure": answering.disclosure(request.company, Audience.EQUIPE) if conversation is None else "",
    })


@company_view("assistant.view")
@require_POST
def internal_new(request: HttpRequest) -> HttpResponse:
    conversation = selectors.latest_internal_conversation(company=request.company, user=request.user)
    if conversation is not None:
        services.end_internal_conversation(conversation=conversation, user=request.user)
    return redirect("assistant:internal")


@company_view("assistant.view", scoped_model=Conversation)
def internal_messages(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_scoped_or_404(
        Conversation.objects.filter(user=request.user, channel=Channel.INTERNAL), request, pk)
    items = selectors.messages_after(conversation=conversation, after_id=_int(request.GET.get("after")))
    if not items:
        return HttpResponse(status=204)
    return _messages_html(request, conversation, items, staff=False)


@company_view("assistant.view", scoped_model=Conversation)
@require_POST
def internal_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_scoped_or_404(
        Conversation.objects.filter(user=request.user, channel=Channel.INTERNAL), request, pk)
    try:
        services.record_feedback(conversation=conversation, message_id=_int(request.POST.get("message")),
                                 value=_int(request.POST.get("value")))
    except services.AssistantError as exc:
        flash.error(request, str(exc))
    if _is_ajax(request):
        return HttpResponse(status=204)
    return redirect("assistant:internal")


@company_view("assistant.view")
@require_POST
def internal_human(request: HttpRequest) -> HttpResponse:
    """« Parler à un humain » is always there, even before the first question."""
    conversation = selectors.latest_internal_conversation(company=request.company, user=request.user)
    new_items = []
    if conversation is None:
        conversation, _token, new_items = services.start_conversation(
            company=request.company, audience=Audience.EQUIPE, channel=Channel.INTERNAL, user=request.user)
    new_items += services.request_human(conversation=conversation)
    if _is_ajax(request):
        return _messages_html(request, conversation, new_items, staff=False)
    return redirect("assistant:internal")


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _llm(company):
    from etabli.assistant.llm import engine_for

    return engine_for(company)


# ======================================================================================================= inbox


@company_view("assistant.approve")
def inbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("statut", "attente")
    audience = request.GET.get("public", "")
    if audience not in Audience.values:
        audience = ""
    conversations = selectors.inbox(company=request.company, status=status, audience=audience)
    page = paginate(request, conversations, 30)
    return render(request, "assistant/inbox.html", {
        "page": page, "status": status, "audience": audience, "statuses": ConversationStatus.choices,
        "audiences": Audience.choices, "qs": querystring_without_page(request),
        "waiting": selectors.waiting_count(company=request.company),
    })


@company_view("assistant.approve", scoped_model=Conversation)
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    conv = get_scoped_or_404(Conversation.objects.select_related("taken_over_by", "user", "review_item"), request, pk)
    return render(request, "assistant/conversation.html", {
        "conversation": conv, "items": list(conv.messages.select_related("author")),
        "form": MessageForm(max_chars=4000),
        "reasons": [answering.category_label(c) for c in conv.escalation_reasons],
    })


@company_view("assistant.approve", scoped_model=Conversation)
def conversation_messages(request: HttpRequest, pk: int) -> HttpResponse:
    conv = get_scoped_or_404(Conversation, request, pk)
    items = selectors.messages_after(conversation=conv, after_id=_int(request.GET.get("after")))
    if not items:
        return HttpResponse(status=204)
    return _messages_html(request, conv, items, staff=True)


def _staff_action(request: HttpRequest, pk: int, action, success: str) -> HttpResponse:
    conv = get_scoped_or_404(Conversation, request, pk)
    try:
        action(conv)
        if success:
            flash.success(request, success)
    except services.AssistantError as exc:
        flash.error(request, str(exc))
    return redirect("assistant:conversation", pk=conv.pk)


@company_view("assistant.approve", scoped_model=Conversation)
@require_POST
def conversation_take(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_action(request, pk, lambda c: services.take_over(
        conversation=c, user=request.user, membership=request.membership),
        _("Vous avez la main : le visiteur voit que vous avez rejoint la conversation."))


@company_view("assistant.approve", scoped_model=Conversation)
@require_POST
def conversation_reply(request: HttpRequest, pk: int) -> HttpResponse:
    conv = get_scoped_or_404(Conversation, request, pk)
    form = MessageForm(request.POST, max_chars=4000)
    if not form.is_valid():
        if _is_ajax(request):
            return JsonResponse({"error": {"code": "invalid_message",
                                           "message": " ".join(form.errors.get("text", []))}}, status=422)
        flash.error(request, _("Le message est vide ou trop long."))
        return redirect("assistant:conversation", pk=conv.pk)
    try:
        message = services.staff_reply(conversation=conv, user=request.user, membership=request.membership,
                                       text=form.cleaned_data["text"])
    except services.AssistantError as exc:
        if _is_ajax(request):
            return JsonResponse({"error": {"code": "refused", "message": str(exc)}}, status=409)
        flash.error(request, str(exc))
        return redirect("assistant:conversation", pk=conv.pk)
    if _is_ajax(request):
        return _messages_html(request, conv, selectors.messages_after(conversation=conv,
                                                                       after_id=_int(request.POST.get("after"))
                                                                       or message.pk - 1), staff=True)
    return redirect("assistant:conversation", pk=conv.pk)


@company_view("assistant.approve", scoped_model=Conversation)
@require_POST
def conversation_handback(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_action(request, pk, lambda c: services.hand_back(
        conversation=c, user=request.user, membership=request.membership), _("L'assistant reprend la conversation."))


@company_view("assistant.approve", scoped_model=Conversation)
@require_POST
def conversation_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_action(request, pk, lambda c: services.close_conversation(
        conversation=c, user=request.user, membership=request.membership), _("Conversation close."))


# ================================================================================================ knowledge base


@company_view("assistant.edit")
def kb(request: HttpRequest) -> HttpResponse:
    audience = request.GET.get("public", "")
    kind = request.GET.get("type", "")
    query = request.GET.get("q", "").strip()[:100]
    entries = selectors.entries(company=request.company, audience=audience if audience in Audience.values else "",
                                kind=kind if kind in EntryKind.values else "", query=query)
    preview = None
    preview_form = PreviewForm(request.POST or None) if request.method == "POST" else PreviewForm()
    if request.method == "POST" and preview_form.is_valid():
        preview = _preview(request, preview_form.cleaned_data["question"], preview_form.cleaned_data["audience"])
    return render(request, "assistant/kb.html", {
        "page": paginate(request, entries, 50), "documents": selectors.documents(company=request.company),
        "audience": audience, "kind": kind, "query": query, "qs": querystring_without_page(request),
        "audiences": Audience.choices, "kinds": EntryKind.choices, "preview_form": preview_form, "preview": preview,
        "suggestions": selectors.open_suggestions(company=request.company).count(),
        "profile": profile_for(request.company),
    })


def _preview(request, question: str, audience: str, *, bundle=None) -> dict:
    """How the assistant would answer now (nothing is stored, nothing is sent)."""
    profile = profile_for(request.company)
    try:
        reply = compose_reply(company=request.company, profile=profile, audience=audience, question=question,
                              sync=bundle is None, bundle=bundle)
    except AssistantInputError as exc:
        return {"error": str(exc)}
    return {"question": question, "reply": reply, "audience": audience}


@company_view("assistant.edit")
def entry_create(request: HttpRequest) -> HttpResponse:
    initial = {"audience": request.GET.get("public") or Audience.CLIENTS, "kind": EntryKind.FAQ, "is_active": True}
    if request.GET.get("question"):
        initial["questions"] = request.GET["question"][:300]
        initial["title"] = request.GET["question"][:160]
    return _entry_form(request, None, initial)


@company_view("assistant.edit", scoped_model=KnowledgeEntry)
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_scoped_or_404(KnowledgeEntry, request, pk)
    return _entry_form(request, entry, EntryForm.initial_for(entry))


def _entry_form(request: HttpRequest, entry: KnowledgeEntry | None, initial: dict) -> HttpResponse:
    form = EntryForm(request.POST or None, initial=initial)
    preview = None
    variants = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "apercu" in request.POST:
            draft = KnowledgeEntry(pk=entry.pk if entry else None, company=request.company, audience=data["audience"],
                                   kind=data["kind"], title=data["title"] or data["questions"][0][:160],
                                   questions=data["questions"], answer=data["answer"], links=data["links"])
            bundle = build_bundle(request.company, data["audience"], extra_entries=[draft] if data["is_active"] else [],
                                  exclude_entry_ids={entry.pk} if entry else None)
            question = request.POST.get("test_question", "").strip() or data["questions"][0]
            preview = _preview(request, question, data["audience"], bundle=bundle)
            draft_id = f"e{entry.pk}" if entry else "e-apercu"
            for variant in data["questions"]:
                routed = bundle.router.route(variant)
                variants.append({"text": variant, "route": routed.route, "mine": routed.entry_id == draft_id,
                                 "confidence": routed.confidence,
                                 "other": routed.candidates[0].title if routed.candidates else ""})
        else:
            try:
                saved = services.save_entry(
                    company=request.company, user=request.user, entry=entry, audience=data["audience"],
                    kind=data["kind"], title=data["title"], questions=data["questions"], answer=data["answer"],
                    links=data["links"], is_active=data["is_active"], topic=entry.topic if entry else "")
            except services.AssistantError as exc:
                form.add_error(None, str(exc))
            else:
                if saved.quarantine_reason:
                    flash.warning(request, _("Entrée enregistrée mais mise à l'écart : %(reason)s Relisez-la puis "
                                             "confirmez-la si elle est légitime.") % {"reason": saved.quarantine_reason})
                else:
                    flash.success(request, _("Entrée enregistrée : l'assistant l'utilisera dans quelques secondes."))
                return redirect("assistant:entry_edit", pk=saved.pk)
    return render(request, "assistant/entry_form.html", {
        "form": form, "entry": entry, "preview": preview, "variants": variants,
        "test_question": request.POST.get("test_question", ""),
    })


@company_view("assistant.edit", scoped_model=KnowledgeEntry)
@require_POST
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_scoped_or_404(KnowledgeEntry, request, pk)
    services.delete_entry(entry=entry)
    flash.success(request, _("Entrée supprimée : %(title)s") % {"title": entry.title})
    return redirect("assistant:kb")


@company_view("assistant.edit", scoped_model=KnowledgeEntry)
@require_POST
def entry_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_scoped_or_404(KnowledgeEntry, request, pk)
    services.confirm_entry(entry=entry, user=request.user)
    flash.success(request, _("Entrée confirmée : l'assistant peut l'utiliser."))
    return redirect("assistant:entry_edit", pk=entry.pk)


@company_view("assistant.edit")
def facts(request: HttpRequest) -> HttpResponse:
    profile = profile_for(request.company)
    answers = {e.topic: e.answer for e in KnowledgeEntry.objects.for_company(request.company).filter(
        kind=EntryKind.FACT, audience=Audience.CLIENTS)}
    form = FactsForm(request.POST or None, profile=profile, answers=answers)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_facts(company=request.company, user=request.user,
                                opening_hours=form.cleaned_data["opening_hours"],
                                hours_note=form.cleaned_data["hours_note"], answers=form.cleaned_data["answers"])
        except services.AssistantError as exc:
            form.add_error(None, str(exc))
        else:
            flash.success(request, _("Informations pratiques enregistrées."))
            return redirect("assistant:facts")
    return render(request, "assistant/facts.html", {"form": form, "hours_answer": answers.get("horaires", ""),
                                                    "topics": FACT_TOPICS})


@company_view("assistant.edit")
def kb_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    document_form = DocumentForm(prefix="doc")
    if request.method == "POST" and form.is_valid():
        answers = form.cleaned_data.get("answers")
        try:
            result = services.import_faq(
                company=request.company, user=request.user, audience=form.cleaned_data["audience"],
                data=form.cleaned_data["file"].read(), answers=answers.read() if answers else None,
                replace=form.cleaned_data["replace"])
        except services.AssistantError as exc:
            form.add_error(None, str(exc))
        else:
            flash.success(request, _("%(rows)s lignes lues : %(created)s entrée(s) créée(s), %(updated)s mise(s) à "
                                     "jour.") % {"rows": result.rows, "created": result.created, "updated": result.updated})
            if result.quarantined:
                flash.warning(request, _("Mises à l'écart (consigne suspecte) : %(titles)s") % {"titles": ", ".join(result.quarantined)})
            return redirect("assistant:kb")
    return render(request, "assistant/import.html", {"form": form, "document_form": document_form})


@company_view("assistant.edit")
@require_POST
def document_upload(request: HttpRequest) -> HttpResponse:
    form = DocumentForm(request.POST, request.FILES, prefix="doc")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            document = services.import_document(
                company=request.company, user=request.user, audience=form.cleaned_data["audience"],
                title=form.cleaned_data["title"], filename=upload.name, data=upload.read())
        except services.AssistantError as exc:
            form.add_error("file", str(exc))
        else:
            if document.quarantine_reason:
                flash.warning(request, _("Document importé mais mis à l'écart : %(reason)s") % {"reason": document.quarantine_reason})
            else:
                flash.success(request, _("Document importé : %(n)s passages.") % {"n": document.chunks.count()})
            return redirect("assistant:document_detail", pk=document.pk)
    return render(request, "assistant/import.html", {"form": ImportForm(), "document_form": form}, status=400)


@company_view("assistant.edit", scoped_model=KnowledgeDocument)
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_scoped_or_404(KnowledgeDocument, request, pk)
    return render(request, "assistant/document_detail.html", {"document": document,
                                                              "chunks": document.chunks.all()})


@company_view("assistant.edit", scoped_model=KnowledgeDocument)
@require_POST
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_scoped_or_404(KnowledgeDocument, request, pk)
    services.delete_document(document=document)
    flash.success(request, _("Document supprimé : %(title)s") % {"title": document.title})
    return redirect("assistant:kb")


@company_view("assistant.edit", scoped_model=KnowledgeDocument)
@require_POST
def document_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_scoped_or_404(KnowledgeDocument, request, pk)
    services.confirm_document(document=document)
    flash.success(request, _("Document confirmé : l'assistant peut le citer."))
    return redirect("assistant:document_detail", pk=document.pk)


@company_view("assistant.edit")
def suggestions(request: HttpRequest) -> HttpResponse:
    return render(request, "assistant/suggestions.html", {
        "suggestions": selectors.open_suggestions(company=request.company),
    })


@company_view("assistant.edit", scoped_model=Suggestion)
def suggestion_answer(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_scoped_or_404(Suggestion, request, pk)
    form = SuggestionAnswerForm(request.POST or None, initial={"title": suggestion.question[:160]})
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.answer_suggestion(suggestion=suggestion, user=request.user, membership=request.membership,
                                               answer=form.cleaned_data["answer"], title=form.cleaned_data["title"])
        except services.AssistantError as exc:
            form.add_error(None, str(exc))
        else:
            flash.success(request, _("Entrée ajoutée à la base de connaissances."))
            return redirect("assistant:entry_edit", pk=entry.pk)
    return render(request, "assistant/suggestion_answer.html", {"suggestion": suggestion, "form": form})


@company_view("assistant.edit", scoped_model=Suggestion)
@require_POST
def suggestion_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_scoped_or_404(Suggestion, request, pk)
    services.dismiss_suggestion(suggestion=suggestion, user=request.user, membership=request.membership)
    flash.success(request, _("Question écartée."))
    return redirect("assistant:suggestions")


# ================================================================================================== dashboard


@company_view("assistant.edit")
def dashboard(request: HttpRequest) -> HttpResponse:
    days = _int(request.GET.get("jours")) or 30
    days = days if days in (7, 30, 90, 365) else 30
    result = selectors.stats(company=request.company, days=days)
    return render(request, "assistant/dashboard.html", {
        "stats": result, "days": days, "chart": selectors.chart_data(result),
        "suggestions": selectors.open_suggestions(company=request.company)[:5],
    })


# =================================================================================================== settings


@company_view("assistant.admin")
def settings_view(request: HttpRequest) -> HttpResponse:
    profile = profile_for(request.company)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.update_profile(company=request.company, **fields)
        except services.AssistantError as exc:
            form.add_error(None, str(exc))
        else:
            flash.success(request, _("Réglages de l'assistant enregistrés."))
            return redirect("assistant:settings")
    base = django_settings.SITE_URL
    from etabli.assistant.llm import llm_status

    return render(request, "assistant/settings.html", {
        "form": form, "profile": profile,
        "snippet": f'<script src="{base}{reverse("assistant:widget_js")}" data-assistant="{profile.public_key}" async></script>',
        "page_url": f"{base}{reverse('assistant:chat_page', args=[profile.public_key])}",
        "llm": llm_status(request.company),
        "bundle": _bundle_info(request.company, profile),
    })


def _bundle_info(company, profile) -> dict:
    try:
        bundle = get_bundle(company, Audience.CLIENTS, profile)
    except Exception:  # noqa: BLE001 - shown as "not built" rather than breaking the settings page
        return {}
    return {"version": bundle.version, "current": profile.kb_version, "entries": bundle.n_entries,
            "passages": bundle.n_passages, "seconds": bundle.build_seconds}


@company_view("assistant.admin")
@require_POST
def regenerate_key(request: HttpRequest) -> HttpResponse:
    services.regenerate_key(company=request.company)
    flash.warning(request, _("Nouvelle clé : remplacez le code du widget sur votre site, l'ancien ne fonctionne plus."))
    return redirect("assistant:settings")


def home(request: HttpRequest) -> HttpResponse:
    return redirect("assistant:internal")

