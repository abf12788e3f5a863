"""Pages of the writing assistant (Rédaction): requests, their drafts, the human decision on each draft.

Thin: forms are validated here, everything else is a service (writes) or a selector (reads). Every page
works without JavaScript; HTMX swaps a draft's card in place and polls a request's progress bar.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from etabli.core.services import llm
from etabli.core.views.base import (
    company_view,
    forbidden,
    get_scoped_or_404,
    paginate,
    querystring_without_page,
)
from etabli.engines.writing import WritingError
from etabli.engines.writing.posts import NETWORKS
from etabli.writing import selectors, services
from etabli.writing.constants import BatchFeature, DraftFeature, DraftStatus
from etabli.writing.forms import (
    BriefForm,
    DraftForm,
    EmailForm,
    EventFormSet,
    PostsForm,
    ProductsForm,
    ProfileForm,
    TestimonialFormSet,
    TriageForm,
    default_week_start,
    kept_rows,
)
from etabli.writing.models import Batch, Draft

SAMPLE_CSV = Path(__file__).parent / "data" / "exemple-produits.csv"


def _model_status(company) -> dict:
    """What the pages say about the model: which one writes, where data goes, the month's budget."""
    status = llm.status(company)
    return {"status": status, "uses_model": services.uses_model(company)}


# --- home and forms -----------------------------------------------------------------------------------------
@company_view("writing.view")
def home(request: HttpRequest) -> HttpResponse:
    company = request.company
    return render(request, "writing/home.html", {
        "overview": selectors.overview(company=company),
        "batches": selectors.batches(company=company)[:15],
        "profile": selectors.profile_for(company=company),
        **_model_status(company),
    })


def _fail_form(form, exc: WritingError) -> None:
    form.add_error(None, str(exc))


@company_view("writing.edit")
def posts(request: HttpRequest) -> HttpResponse:
    company = request.company
    profile = selectors.profile_for(company=company)
    if request.method == "POST":
        form = PostsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                batch = services.request_posts(company=company, themes=data["themes"], networks=data["networks"],
                                               count=data["count"], week_start=data["week_start"], user=request.user)
            except WritingError as exc:
                _fail_form(form, exc)
            else:
                return _after_request(request, batch)
    else:
        networks = list(profile.network_list) if profile else ["facebook"]
        form = PostsForm(initial={"week_start": default_week_start(timezone.localdate()),
                                  "networks": [n for n in networks if n in NETWORKS] or ["facebook"]})
    return render(request, "writing/posts_form.html", {"form": form, "profile": profile,
                                                       "networks": NETWORKS, **_model_status(company)},
                  status=400 if form.errors else 200)


@company_view("writing.edit")
def products(request: HttpRequest) -> HttpResponse:
    company = request.company
    if request.method == "POST":
        form = ProductsForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = services.request_products(company=company, data=upload.read(), filename=upload.name,
                                                  style=form.cleaned_data["style"],
                                                  include_price=form.cleaned_data["include_price"], user=request.user)
            except WritingError as exc:
                _fail_form(form, exc)
            else:
                return _after_request(request, batch)
    else:
        form = ProductsForm()
    return render(request, "writing/products_form.html", {"form": form, **_model_status(company)},
                  status=400 if form.errors else 200)


@company_view("writing.view")
def sample_csv(request: HttpRequest) -> HttpResponse:
    return FileResponse(SAMPLE_CSV.open("rb"), as_attachment=True, filename="exemple-produits.csv",
                        content_type="text/csv; charset=utf-8")


@company_view("writing.edit")
def email(request: HttpRequest) -> HttpResponse:
    company = request.company
    if request.method == "POST":
        form = EmailForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data.get("file")
            raw = upload.read() if upload else form.cleaned_data["raw"]
            try:
                batch = services.request_email(company=company, raw=raw, filename=upload.name if upload else "",
                                               user=request.user)
            except WritingError as exc:
                _fail_form(form, exc)
                if len(request.POST.get("raw", "")) > 200_000:
                    # Do not send megabytes back into the page: the person still has their original.
                    form.data = form.data.copy()
                    form.data["raw"] = ""
            else:
                return _after_request(request, batch)
    else:
        form = EmailForm()
    return render(request, "writing/email_form.html", {"form": form, **_model_status(company)},
                  status=400 if form.errors else 200)


BRIEF_PAGES = {
    BatchFeature.JOB_AD: {
        "title": "Annonce d'emploi", "service": "request_job_ad",
        "help": "En une phrase : intitulé, contrat, lieu, expérience, salaire, début. Par exemple : « Menuisier "
                "poseur, CDI, Nantes, 3 ans d'expérience, permis B, 2 300 € brut par mois, début janvier ».",
    },
    BatchFeature.BLOG_OUTLINE: {
        "title": "Plan d'article de blog", "service": "request_blog_outline",
        "help": "Le sujet, puis si vous voulez la longueur, le public et les mots-clés. Par exemple : « Comment choisir "
                "ses fenêtres en bois, 800 mots, public : particuliers, mots-clés : fenêtre bois, double vitrage ».",
    },
}


def _brief_page(request: HttpRequest, feature: str) -> HttpResponse:
    page = BRIEF_PAGES[feature]
    if request.method == "POST":
        form = BriefForm(request.POST)
        if form.is_valid():
            try:
                batch = getattr(services, page["service"])(company=request.company, brief=form.cleaned_data["brief"],
                                                           user=request.user)
            except WritingError as exc:
                _fail_form(form, exc)
            else:
                return _after_request(request, batch)
    else:
        form = BriefForm()
    return render(request, "writing/brief_form.html", {"form": form, "page": page, "feature": feature,
                                                       **_model_status(request.company)},
                  status=400 if form.errors else 200)


@company_view("writing.edit")
def job_ad(request: HttpRequest) -> HttpResponse:
    return _brief_page(request, BatchFeature.JOB_AD)


@company_view("writing.edit")
def blog(request: HttpRequest) -> HttpResponse:
    return _brief_page(request, BatchFeature.BLOG_OUTLINE)


def _after_request(request: HttpRequest, batch: Batch) -> HttpResponse:
    if batch.status == "failed":
        messages.error(request, batch.error)
    elif batch.is_finished:
        messages.success(request, f"{batch.title} : {batch.drafts.count()} brouillon(s) à relire.")
    return redirect("writing:batch", pk=batch.pk)


@company_view("writing.edit")
def profile(request: HttpRequest) -> HttpResponse:
    company = request.company
    instance = selectors.profile_for(company=company)
    testimonial_initial = [{"author": t.author, "city": t.city, "text": t.text, "consent": t.consent}
                           for t in selectors.testimonials(company=company)]
    event_initial = [{"title": e.title, "date": e.date, "time": e.time, "place": e.place, "description": e.description}
                     for e in selectors.events(company=company)]
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=instance)
        testimonials = TestimonialFormSet(request.POST, prefix="temoignages")
        events = EventFormSet(request.POST, prefix="evenements")
        if form.is_valid() and testimonials.is_valid() and events.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                services.save_profile(company=company, fields=fields, testimonials=kept_rows(testimonials),
                                      events=kept_rows(events))
            except WritingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Profil de rédaction enregistré.")
                return redirect("writing:profile")
    else:
        initial = {} if instance else {"city": company.city, "website": company.website, "phone": company.phone}
        form = ProfileForm(instance=instance, initial=initial)
        testimonials = TestimonialFormSet(initial=testimonial_initial, prefix="temoignages")
        events = EventFormSet(initial=event_initial, prefix="evenements")
    has_errors = bool(form.errors) or any(f.errors for f in testimonials.forms) or any(f.errors for f in events.forms)
    return render(request, "writing/profile.html", {"form": form, "testimonials": testimonials, "events": events},
                  status=400 if request.method == "POST" and has_errors else 200)


# --- requests ------------------------------------------------------------------------------------------------
@company_view("writing.view", scoped_model=Batch)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_scoped_or_404(Batch.objects.select_related("job", "created_by"), request, pk)
    drafts = list(selectors.batch_drafts(batch=batch))
    context = {
        "batch": batch, "drafts": drafts, "networks": NETWORKS,
        "summary": next((d for d in drafts if d.feature == DraftFeature.THREAD_SUMMARY), None),
        "replies": [d for d in drafts if d.feature == DraftFeature.EMAIL_REPLY],
        "triage_form": TriageForm(initial={"label": (batch.result.get("triage") or {}).get("corrected_label")
                                                    or (batch.result.get("triage") or {}).get("label")}),
        "pending": [d for d in drafts if d.status in (DraftStatus.DRAFT, DraftStatus.EDITED)],
        "next": request.get_full_path(),
        "batch_reasons": (batch.result or {}).get("fallback_reasons", []),  # said once at the top of the page
    }
    return render(request, "writing/batch.html", context)


@company_view("writing.view", scoped_model=Batch)
def batch_progress(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_scoped_or_404(Batch.objects.select_related("job"), request, pk)
    if batch.is_finished and request.htmx:
        return HttpResponseClientRefresh()
    return render(request, "writing/_progress.html", {"batch": batch})


@company_view("writing.export", scoped_model=Batch)
def batch_csv(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_scoped_or_404(Batch, request, pk)
    if batch.feature != BatchFeature.PRODUCTS or batch.status != "done":
        messages.error(request, "Seule une rédaction de descriptions produits terminée s'exporte en CSV.")
        return redirect("writing:batch", pk=batch.pk)
    response = HttpResponse(("\ufeff" + selectors.export_products_csv(batch=batch)).encode("utf-8"),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="descriptions-{batch.pk}.csv"'
    return response


@company_view("writing.view", scoped_model=Batch)
def batch_text(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_scoped_or_404(Batch, request, pk)
    response = HttpResponse(selectors.export_batch_text(batch=batch), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="redaction-{batch.pk}.txt"'
    return response


@company_view("writing.approve", scoped_model=Batch)
@require_POST
def batch_approve(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_scoped_or_404(Batch, request, pk)
    ids = [int(i) for i in request.POST.getlist("drafts") if i.isdigit()]
    ids = list(selectors.batch_drafts(batch=batch).filter(pk__in=ids).values_list("pk", flat=True))
    if not ids:
        messages.error(request, "Cochez au moins un brouillon à valider.")
    for outcome in services.approve_drafts(company=request.company, draft_ids=ids, user=request.user):
        (messages.success if outcome.ok else messages.error)(request, outcome.message)
    return redirect("writing:batch", pk=batch.pk)


@company_view("writing.edit", scoped_model=Batch)
@require_POST
def batch_triage(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_scoped_or_404(Batch, request, pk)
    form = TriageForm(request.POST)
    if form.is_valid():
        try:
            services.correct_triage(company=request.company, batch_id=batch.pk, label=form.cleaned_data["label"],
                                    user=request.user)
            messages.success(request, "Classement corrigé : merci, la correction est tracée.")
        except (WritingError, Batch.DoesNotExist) as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, "Catégorie inconnue.")
    return redirect("writing:batch", pk=batch.pk)


# --- drafts --------------------------------------------------------------------------------------------------
@company_view("writing.view")
def draft_list(request: HttpRequest) -> HttpResponse:
    feature = request.GET.get("type", "")
    status = request.GET.get("statut", "")
    feature = feature if feature in DraftFeature.values else ""
    status = status if status in DraftStatus.values else ""
    page = paginate(request, selectors.drafts(company=request.company, feature=feature, status=status))
    return render(request, "writing/drafts.html", {
        "page": page, "feature": feature, "status": status, "features": DraftFeature.choices,
        "statuses": DraftStatus.choices, "qs": querystring_without_page(request),
    })


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def _batch_reasons(draft: Draft) -> list[str]:
    """Fallback reasons the request's page already states once at its top (not repeated on each card)."""
    return (draft.batch.result or {}).get("fallback_reasons", [])


ACTIONS = {"save": "writing.edit", "approve": "writing.approve", "reject": "writing.approve"}


@company_view("writing.view", scoped_model=Draft)
def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the draft and its editor. POST action=save|approve|reject: the person's decision."""
    draft = get_scoped_or_404(Draft.objects.select_related("batch", "approved_by", "edited_by", "rejected_by"),
                              request, pk)
    form = DraftForm(initial={"text": draft.current_text})
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action not in ACTIONS:
            return HttpResponse("Action inconnue.", status=400)
        if not request.membership.can(ACTIONS[action]):
            return forbidden(request, "Votre rôle ne permet pas cette action sur les brouillons.")
        form = DraftForm(request.POST) if action != "reject" else DraftForm(initial={"text": draft.current_text})
        try:
            if action == "reject":
                services.reject_draft(company=request.company, draft_id=draft.pk, user=request.user,
                                      reason=request.POST.get("reason", ""))
                message = f"Brouillon rejeté : {draft.title}"
            elif not form.is_valid():
                raise WritingError(form.errors["text"][0])
            elif action == "approve":
                services.approve_draft(company=request.company, draft_id=draft.pk, user=request.user,
                                       text=form.cleaned_data["text"])
                message = f"Texte validé : {draft.title}"
            else:
                services.edit_draft(company=request.company, draft_id=draft.pk, text=form.cleaned_data["text"],
                                    user=request.user)
                message = f"Modification enregistrée : {draft.title}"
        except WritingError as exc:
            error = str(exc)
        else:
            draft = selectors.draft(company=request.company, draft_id=draft.pk)
            if request.htmx:
                return render(request, "writing/_draft.html", {"draft": draft, "notice": message, "networks": NETWORKS,
                                                               "next": _safe_next(request, ""),
                                                               "batch_reasons": _batch_reasons(draft)})
            messages.success(request, message)
            return redirect(_safe_next(request, reverse("writing:draft", args=[draft.pk])))
        if request.htmx:
            return render(request, "writing/_draft.html", {"draft": draft, "error": error, "networks": NETWORKS,
                                                           "typed": request.POST.get("text"), "batch_reasons": _batch_reasons(draft),
                                                           "next": _safe_next(request, "")})
    return render(request, "writing/draft.html", {"draft": draft, "form": form, "error": error, "networks": NETWORKS,
                                                  "typed": request.POST.get("text") if error else None,
                                                  "batch_reasons": []},
                  status=400 if error else 200)


@company_view("writing.view", scoped_model=Draft)
def draft_text(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_scoped_or_404(Draft.objects.select_related("approved_by", "edited_by"), request, pk)
    body = f"{draft.current_text}\n\n[{draft.display_label}]\n"
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="brouillon-{draft.pk}.txt"'
    return response
