"""Pages of the documents app: list and search, drop zone, document, one-click validation, settings.

Views hold no business logic: they parse the request, call a service or selector, render.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from etabli.core.models import ReviewStatus
from etabli.core.services import reviews
from etabli.core.views.base import company_view, get_scoped_or_404, paginate, querystring_without_page
from etabli.documents import render as previews
from etabli.documents import selectors, storage
from etabli.documents.fields import AMOUNT_FIELDS, DATE_FIELDS, FIELD_LABELS, SOURCE_LABELS, display
from etabli.documents.forms import (
    CorrectionForm,
    DocumentSettingsForm,
    FolderForm,
    MailAccountForm,
    SearchForm,
    UploadForm,
)
from etabli.documents.models import (
    DOC_TYPE_CHOICES,
    Document,
    DocumentStatus,
    MailAccount,
    Source,
    WatchedFolder,
)
from etabli.documents.nlsearch import interpret
from etabli.documents.reviewspec import FILING_FIELDS
from etabli.documents.services import config as config_service
from etabli.documents.services import folders, learning, mailbox, validation
from etabli.documents.services.intake import ingest_upload
from etabli.documents.services.processing import reprocess

# --- List and search -----------------------------------------------------------------------------------


def _filters_from(form: SearchForm, company) -> tuple[selectors.DocumentFilters, dict | None]:
    data = form.cleaned_data
    filters = selectors.DocumentFilters(
        doc_types=[data["type"]] if data.get("type") else [], status=data.get("statut") or "",
        correspondent=data.get("correspondant") or "", date_from=data.get("du"), date_to=data.get("au"),
        amount_min=data.get("montant_min"), amount_max=data.get("montant_max"),
        tags=[t.strip() for t in (data.get("etiquette") or "").split(",") if t.strip()], sort=data.get("tri") or "",
    )
    interpreted = None
    if (data.get("q") or "").strip():
        result = interpret(company=company, text=data["q"], base=filters)
        filters, interpreted = result.filters, result.as_dict()
    return filters, interpreted


@company_view("documents.view")
def document_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    interpreted = None
    if form.is_bound and form.is_valid():
        filters, interpreted = _filters_from(form, request.company)
    else:
        filters = selectors.DocumentFilters()
    qs = selectors.filter_documents(request.company, filters).prefetch_related("document_tags__tag")
    page = paginate(request, qs, 30)
    counts = selectors.status_counts(request.company)
    return render(request, "documents/list.html", {
        "form": form, "page": page, "counts": counts, "interpreted": interpreted,
        "searching": not filters.is_empty(), "qs": querystring_without_page(request),
        "statuses": DocumentStatus.choices, "current_status": request.GET.get("statut", ""),
        "can_edit": request.membership.can("documents.edit"),
        "can_admin": request.membership.can("documents.admin"),
    })


# --- Intake ---------------------------------------------------------------------------------------------


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@company_view("documents.edit")
def upload(request: HttpRequest) -> HttpResponse:
    """The drop zone. JavaScript sends one request per file (progress bar each); without it, one form."""
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            if _wants_json(request):
                return JsonResponse({"error": {"code": "no_file", "message": "Aucun fichier reçu."}}, status=400)
            return render(request, "documents/upload.html", {"form": form, "recent": _recent(request)}, status=400)
        results = [ingest_upload(company=request.company, upload=f, source=Source.UPLOAD, user=request.user)
                   for f in form.cleaned_data["files"]]
        if _wants_json(request):
            return JsonResponse({"documents": [_status_payload(r.document, r.created, r.message) for r in results]},
                                status=201)
        for result in results:
            (messages.success if result.created else messages.info)(
                request, f"{result.document.original_filename} : {result.message}")
        return redirect("documents:upload")
    return render(request, "documents/upload.html", {"form": UploadForm(), "recent": _recent(request),
                                                     "max_request_bytes": settings.ETABLI_MAX_REQUEST_BYTES})


def _recent(request: HttpRequest):
    return (selectors.documents(request.company).filter(received_by=request.user).order_by("-created_at")[:15])


def _status_payload(document: Document, created: bool | None = None, message: str = "") -> dict:
    document.refresh_from_db()
    payload = {
        "id": document.pk, "title": document.title, "filename": document.original_filename,
        "status": document.status, "status_label": document.get_status_display(), "progress": document.progress,
        "progress_message": document.progress_message, "reason": document.status_reason,
        "doc_type": document.doc_type_label if document.doc_type else "",
        "detail_url": reverse("documents:detail", args=[document.pk]),
        "validate_url": reverse("documents:validate", args=[document.pk])
        if document.status == DocumentStatus.TO_VALIDATE else "",
        "status_url": reverse("documents:status", args=[document.pk]),
        "finished": not document.is_pending,
    }
    if created is not None:
        payload.update({"created": created, "message": message})
    return payload


@company_view("documents.view", scoped_model=Document)
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled while a document is read: JSON for the drop zone, an HTML fragment for HTMX."""
    document = get_scoped_or_404(Document, request, pk)
    if _wants_json(request):
        return JsonResponse(_status_payload(document))
    return render(request, "documents/_status.html", {"document": document})


# --- One document ---------------------------------------------------------------------------------------


def _field_rows(document: Document) -> list[dict]:
    fields = document.fields or {}
    failed = {name for check in document.failed_checks for name in check.get("fields", [])}
    rows = []
    for name in FILING_FIELDS:
        entry = fields.get(name) or {}
        value = entry.get("value") or ""
        confidence = float(entry.get("confidence") or 0.0)
        rows.append({
            "name": name, "label": FIELD_LABELS[name], "value": value, "display": display(name, value),
            "confidence": confidence, "source": SOURCE_LABELS.get(entry.get("source", ""), ""),
            "location": entry.get("location"), "failed": name in failed, "edited": entry.get("edited", False),
            "unsure": bool(value) and validation.key_confidence(document, name) < validation.FIELD_CONFIDENCE_FLOOR,
            "input_type": "date" if name in DATE_FIELDS else "text",
            "input_value": value if name not in AMOUNT_FIELDS else value.replace(".", ","),
            "inputmode": "decimal" if name in AMOUNT_FIELDS else "",
        })
    return rows


def _page_data(document: Document) -> list[dict]:
    return [{"number": p.number, "width": p.width, "height": p.height, "words": p.words}
            for p in selectors.pages(document)]


@company_view("documents.view", scoped_model=Document)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_scoped_or_404(Document.objects.select_related("duplicate_of", "filing_review", "entry_review"),
                                 request, pk)
    tags = selectors.document_tags(document)
    form = CorrectionForm(initial={"doc_type": document.doc_type, "title": document.title,
                                   "correspondent_name": document.correspondent_name,
                                   "tags": ", ".join(t.tag.name for t in tags)})
    return render(request, "documents/detail.html", {
        "document": document, "fields": _field_rows(document), "tags": tags, "form": form,
        "pages": range(1, (document.page_count or 0) + 1), "can_edit": request.membership.can("documents.edit"),
        "can_approve": request.membership.can("documents.approve"),
        "entry_lines": (document.accounting_entry or {}).get("lines", []),
    })


@company_view("documents.approve", scoped_model=Document)
def validate(request: HttpRequest, pk: int) -> HttpResponse:
    """The split screen: the document (highlights) on one side, the fields on the other; Entrée valide."""
    document = get_scoped_or_404(Document.objects.select_related("filing_review", "duplicate_of"), request, pk)
    if request.method == "POST":
        return _validate_post(request, document)
    return _render_validate(request, document)


def _render_validate(request, document: Document, errors: dict | None = None, values: dict | None = None,
                     status: int = 200) -> HttpResponse:
    rows = _field_rows(document)
    if values:
        for row in rows:
            if row["name"] in values:
                row["input_value"] = values[row["name"]]
    pending = document.filing_review is not None and document.filing_review.status == ReviewStatus.PENDING
    remaining = (selectors.documents(request.company).filter(status=DocumentStatus.TO_VALIDATE)
                 .exclude(pk=document.pk).count())
    doc_type = (values or {}).get("doc_type", "" if document.doc_type_uncertain else document.doc_type)
    focus_field = next((row["name"] for row in rows if row["name"] in (errors or {})), None)
    if focus_field is None and document.human_required_reasons:
        focus_field = next((row["name"] for row in rows if row["failed"] or row["unsure"]), None)
        if focus_field is None and document.is_invoice_like:
            focus_field = next((row["name"] for row in rows
                                if row["name"] in validation.KEY_INVOICE_FIELDS and not row["value"]), None)
    return render(request, "documents/validate.html", {
        "document": document, "fields": rows, "errors": errors or {}, "pending": pending,
        "doc_types": DOC_TYPE_CHOICES, "selected_type": doc_type,
        "correspondent": (values or {}).get("correspondent_name", document.correspondent_name),
        "tags_text": (values or {}).get("tags", validation.tags_text(document)),
        "pages": range(1, (document.page_count or 0) + 1) if previews.source_name(document) else range(0),
        "page_data": _page_data(document), "remaining": remaining, "focus_field": focus_field,
        "alternatives": [(code, dict(DOC_TYPE_CHOICES).get(code, code), conf)
                         for code, conf in (document.doc_type_alternatives or [])],
    }, status=status)


def _validate_post(request, document: Document) -> HttpResponse:
    if document.filing_review is None or document.filing_review.status != ReviewStatus.PENDING:
        messages.error(request, "Ce document n'a pas de proposition de classement en attente.")
        return redirect("documents:detail", pk=document.pk)
    names = ("doc_type", "correspondent_name", "tags", *FILING_FIELDS)
    values = {name: request.POST.get(name, "") for name in names if name in request.POST}
    edits = {name: value for name, value in values.items()}
    try:
        reviews.accept(item=document.filing_review, user=request.user, membership=request.membership, edits=edits)
    except reviews.ReviewError as exc:
        messages.error(request, exc.message)
        document.refresh_from_db()
        return _render_validate(request, document, errors=exc.field_errors, values=values, status=400)
    document.refresh_from_db()
    messages.success(request, f"Document classé : {document.title}.")
    return _next_or_list(request, document)


def _next_or_list(request, document: Document) -> HttpResponse:
    following = (selectors.documents(request.company).filter(status=DocumentStatus.TO_VALIDATE)
                 .exclude(pk=document.pk).order_by("created_at", "id").first())
    if following is not None and request.POST.get("next", "suivant") == "suivant":
        return redirect("documents:validate", pk=following.pk)
    return redirect(f"{reverse('documents:list')}?statut=filed")


@company_view("documents.approve", scoped_model=Document)
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_scoped_or_404(Document.objects.select_related("filing_review"), request, pk)
    if document.filing_review is None or document.filing_review.status != ReviewStatus.PENDING:
        messages.error(request, "Ce document n'a pas de proposition de classement en attente.")
        return redirect("documents:detail", pk=document.pk)
    try:
        reviews.reject(item=document.filing_review, user=request.user, membership=request.membership,
                       reason=request.POST.get("reason", "")[:2000])
        messages.info(request, "Proposition refusée : le document est « à vérifier ».")
    except reviews.ReviewError as exc:
        messages.error(request, exc.message)
    return redirect("documents:detail", pk=document.pk)


@company_view("documents.approve", scoped_model=Document)
@require_POST
def mark_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_scoped_or_404(Document.objects.select_related("filing_review"), request, pk)
    if document.status != DocumentStatus.TO_VALIDATE or not document.duplicate_of_id:
        messages.error(request, "Seul un doublon probable en attente de validation peut être écarté.")
        return redirect("documents:detail", pk=document.pk)
    validation.mark_duplicate(document=document, user=request.user, membership=request.membership)
    messages.success(request, "Doublon écarté : rien n'a été enregistré en facturation.")
    return _next_or_list(request, document)


@company_view("documents.edit", scoped_model=Document)
@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_scoped_or_404(Document, request, pk)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Correction invalide : " + "; ".join(
            f"{form.fields[f].label} : {' '.join(e)}" for f, e in form.errors.items() if f in form.fields))
        return redirect("documents:detail", pk=document.pk)
    data = form.cleaned_data
    try:
        validation.correct_document(document=document, user=request.user, doc_type=data["doc_type"],
                                    title=data["title"], correspondent_name=data["correspondent_name"],
                                    tags=[t for t in data["tags"].split(",")])
        messages.success(request, "Document corrigé. L'IA apprendra de cette correction.")
    except validation.CorrectionError as exc:
        messages.error(request, exc.message)
    return redirect("documents:detail", pk=document.pk)


@company_view("documents.edit", scoped_model=Document)
@require_POST
def reread(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_scoped_or_404(Document, request, pk)
    try:
        reprocess(document=document, user=request.user)
        messages.success(request, "Nouvelle lecture lancée.")
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect("documents:detail", pk=document.pk)


@company_view("documents.view", scoped_model=Document)
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_scoped_or_404(Document, request, pk)
    try:
        page = int(request.GET.get("page", "1"))
        width = int(request.GET.get("largeur", str(previews.DEFAULT_WIDTH)))
        png = previews.page_png(document, page, width)
    except (ValueError, previews.PreviewUnavailable) as exc:
        raise Http404("Aperçu indisponible") from exc
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@company_view("documents.view", scoped_model=Document)
def download(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_scoped_or_404(Document, request, pk)
    copy = request.GET.get("copie") == "pdfa"
    name = document.archive_file.name if copy and document.archive_file else document.file.name
    if not name or not storage.exists(name):
        raise Http404("Fichier introuvable")
    filename = document.original_filename if not copy else f"{document.title or 'document'}-consultable.pdf"
    response = FileResponse(storage.default_storage.open(name, "rb"), as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Settings -------------------------------------------------------------------------------------------


@company_view("documents.admin")
def settings_page(request: HttpRequest) -> HttpResponse:
    current = config_service.get_settings(request.company)
    settings_form = DocumentSettingsForm(instance=current)
    if request.method == "POST" and request.POST.get("section") == "reglages":
        settings_form = DocumentSettingsForm(request.POST, instance=config_service.get_settings(request.company))
        if settings_form.is_valid():
            try:
                config_service.update_settings(company=request.company, **{
                    name: settings_form.cleaned_data[name] for name in config_service.EDITABLE})
                messages.success(request, "Réglages enregistrés.")
                return redirect("documents:settings")
            except config_service.SettingsError as exc:
                for field, error in exc.field_errors.items():
                    settings_form.add_error(field if field in settings_form.fields else None, error)
    mail_form = MailAccountForm(prefix="boite")
    folder_form = FolderForm(prefix="dossier")
    if request.method == "POST" and request.POST.get("section") == "boite":
        mail_form = MailAccountForm(request.POST, prefix="boite")
        if mail_form.is_valid():
            try:
                data = dict(mail_form.cleaned_data)
                mailbox.save_account(company=request.company, password=data.pop("password", "") or "", **data)
                messages.success(request, "Boîte aux lettres ajoutée : ses pièces jointes seront relevées toutes les "
                                          "5 minutes.")
                return redirect("documents:settings")
            except mailbox.MailboxError as exc:
                mail_form.add_error(None, exc.message)
    if request.method == "POST" and request.POST.get("section") == "dossier":
        folder_form = FolderForm(request.POST, prefix="dossier")
        if folder_form.is_valid():
            try:
                folders.add_folder(company=request.company, **folder_form.cleaned_data)
                messages.success(request, "Dossier surveillé ajouté.")
                return redirect("documents:settings")
            except folders.FolderError as exc:
                folder_form.add_error("path", exc.message)
    state = learning.ClassifierState.objects.filter(company=request.company).first()
    return render(request, "documents/settings.html", {
        "settings_form": settings_form, "mail_form": mail_form, "folder_form": folder_form,
        "accounts": MailAccount.objects.for_company(request.company),
        "folders": WatchedFolder.objects.for_company(request.company), "classifier": state,
        "corrections": len(learning.training_corrections(request.company)),
    }, status=400 if request.method == "POST" else 200)


@company_view("documents.admin", scoped_model=MailAccount)
def mailbox_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_scoped_or_404(MailAccount, request, pk)
    form = MailAccountForm(request.POST or None, instance=account)
    if request.method == "POST":
        if request.POST.get("action") == "supprimer":
            account.delete()
            messages.success(request, "Boîte aux lettres retirée (les documents reçus restent).")
            return redirect("documents:settings")
        if form.is_valid():
            try:
                data = dict(form.cleaned_data)
                mailbox.save_account(company=request.company, account=MailAccount.objects.get(pk=account.pk),
                                     password=data.pop("password", "") or "", **data)
                messages.success(request, "Boîte aux lettres enregistrée.")
                return redirect("documents:settings")
            except mailbox.MailboxError as exc:
                form.add_error(None, exc.message)
    return render(request, "documents/mailbox.html", {"form": form, "account": account},
                  status=400 if request.method == "POST" else 200)


@company_view("documents.admin", scoped_model=MailAccount)
@require_POST
def mailbox_fetch(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_scoped_or_404(MailAccount.objects.select_related("company"), request, pk)
    try:
        report = mailbox.fetch_account(account=account)
        messages.success(request, f"Relève terminée : {report.messages} message(s), {report.new_documents} nouveau(x) "
                                  f"document(s), {report.already_known} déjà reçu(s).")
    except mailbox.MailboxError as exc:
        messages.error(request, exc.message)
    return redirect("documents:settings")


@company_view("documents.admin", scoped_model=WatchedFolder)
@require_POST
def folder_action(request: HttpRequest, pk: int) -> HttpResponse:
    folder = get_scoped_or_404(WatchedFolder.objects.select_related("company"), request, pk)
    if request.POST.get("action") == "supprimer":
        folder.delete()
        messages.success(request, "Dossier retiré de la surveillance (les fichiers ne sont pas touchés).")
        return redirect("documents:settings")
    try:
        report = folders.scan_folder(folder=folder)
        messages.success(request, f"Dossier parcouru : {report.new_documents} nouveau(x) document(s), "
                                  f"{report.already_known} déjà reçu(s), {report.waiting} en cours d'écriture.")
        for error in report.errors:
            messages.warning(request, error)
    except folders.FolderError as exc:
        messages.error(request, exc.message)
    return redirect("documents:settings")


@company_view("documents.admin")
@require_POST
def retrain(request: HttpRequest) -> HttpResponse:
    result = learning.retrain(request.company)
    if result["retrained"]:
        messages.success(request, f"Modèle réentraîné sur {result['samples']} document(s) classé(s).")
    else:
        messages.info(request, result["reason"])
    return redirect("documents:settings")


def page_data_json(document: Document) -> str:
    return json.dumps(_page_data(document))
