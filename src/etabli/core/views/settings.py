"""Company settings, members and roles, security (2FA policy), API tokens and webhooks, data export."""

from __future__ import annotations

from django.contrib import messages
from django.utils.translation import gettext as _
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from etabli.core.forms import CompanyForm, MemberForm, PermissionOverridesForm, TokenForm, WebhookForm
from etabli.core.models import ApiToken, Job, Membership, Role, WebhookEndpoint
from etabli.core.permissions import all_permissions
from etabli.core.registry import registry
from etabli.core.services import companies, jobs, tokens, webhooks
from etabli.core.views.base import company_view, get_scoped_or_404


@company_view("settings.view")
def company_settings(request: HttpRequest) -> HttpResponse:
    can_admin = request.membership.can("settings.admin")
    company = request.company
    if request.method == "POST":
        if not can_admin:
            messages.error(request, _("Seul le dirigeant peut modifier les réglages de l'entreprise."))
            return redirect("core:settings")
        form = CompanyForm(request.POST, request.FILES, instance=company)
        if form.is_valid():
            try:
                companies.update_company(company=company, **form.cleaned_fields())
                messages.success(request, _("Réglages enregistrés."))
                return redirect("core:settings")
            except ValidationError as exc:
                form.add_validation_error(exc)
        company.refresh_from_db()
    else:
        form = CompanyForm(instance=company)
    if not can_admin:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "core/settings/company.html", {"form": form, "can_admin": can_admin, "tab": "company"})


@company_view("settings.view")
def company_logo(request: HttpRequest) -> HttpResponse:
    if not request.company.logo:
        raise Http404("Pas de logo")
    return FileResponse(request.company.logo.open("rb"))


@company_view("members.view")
def members(request: HttpRequest) -> HttpResponse:
    can_admin = request.membership.can("members.admin")
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        if not can_admin:
            messages.error(request, _("Seul le dirigeant peut gérer les accès."))
            return redirect("core:members")
        if form.is_valid():
            try:
                membership = companies.add_member(company=request.company, **form.cleaned_data)
                _send_invitation(request, membership)
                messages.success(request, _("Accès donné à %(email)s ; une invitation lui a été envoyée.") % {"email": membership.user.email})
                return redirect("core:members")
            except companies.CompanyError as exc:
                form.add_error("email", str(exc))
    rows = Membership.objects.filter(company=request.company, is_active=True).select_related("user")
    return render(request, "core/settings/members.html",
                  {"form": form, "memberships": rows, "can_admin": can_admin, "roles": Role.choices, "tab": "members"})


def _send_invitation(request: HttpRequest, membership: Membership) -> None:
    """An invited person sets their own password through the password-reset link (never sent in clear)."""
    from etabli.core.views.auth import InvitationAwarePasswordResetForm

    form = InvitationAwarePasswordResetForm({"email": membership.user.email})
    if form.is_valid():
        form.save(
            request=request,
            use_https=request.is_secure(),
            email_template_name="registration/invitation_email.txt",
            subject_template_name="registration/invitation_subject.txt",
            extra_email_context={"company": membership.company},
        )


@company_view("members.admin", scoped_model=Membership)
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_scoped_or_404(Membership.objects.select_related("user"), request, pk)
    perm_form = PermissionOverridesForm(request.POST or None, membership=membership)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "role":
                companies.change_role(membership=membership, role=request.POST.get("role", ""))
                messages.success(request, _("Rôle modifié."))
            elif action == "remove":
                companies.remove_member(membership=membership)
                messages.success(request, _("Accès retiré à %(email)s.") % {"email": membership.user.email})
                return redirect("core:members")
            elif action == "permissions" and perm_form.is_valid():
                companies.set_permission_overrides(membership=membership, overrides=perm_form.overrides())
                messages.success(request, _("Droits enregistrés."))
            return redirect("core:member_detail", pk=membership.pk)
        except companies.CompanyError as exc:
            messages.error(request, str(exc))
    return render(request, "core/settings/member_detail.html",
                  {"membership": membership, "roles": Role.choices, "perm_form": perm_form,
                   "permissions": all_permissions(), "tab": "members"})


@company_view("settings.view")
def security(request: HttpRequest) -> HttpResponse:
    can_admin = request.membership.can("settings.admin")
    if request.method == "POST":
        if not can_admin:
            messages.error(request, _("Seul le dirigeant peut changer la politique de sécurité."))
        else:
            companies.update_company(company=request.company, require_2fa=request.POST.get("require_2fa") == "on")
            messages.success(request, _("Politique de sécurité enregistrée."))
        return redirect("core:security")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    has_2fa = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    without_2fa = [
        m.user for m in Membership.objects.filter(company=request.company, is_active=True).select_related("user")
        if not TOTPDevice.objects.filter(user=m.user, confirmed=True).exists()
    ]
    return render(request, "core/settings/security.html",
                  {"can_admin": can_admin, "has_2fa": has_2fa, "without_2fa": without_2fa, "tab": "security"})


@company_view("api.edit")
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = tokens.issue_token(user=request.user, company=request.company, **form.cleaned_data)
            messages.success(request, _("Jeton créé : copiez-le maintenant, il ne sera plus affiché."))
            form = TokenForm()
        except tokens.TokenError as exc:
            form.add_error(None, exc.message)
    user_tokens = ApiToken.objects.filter(company=request.company, user=request.user)
    return render(request, "core/settings/api.html",
                  {"form": form, "tokens": user_tokens, "issued": issued, "tab": "api"})


@company_view("api.edit", scoped_model=ApiToken)
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_scoped_or_404(ApiToken.objects.filter(user=request.user), request, pk)
    tokens.revoke(token=token)
    messages.success(request, _("Jeton « %(name)s » révoqué.") % {"name": token.name})
    return redirect("core:api_tokens")


@company_view("api.admin")
def webhook_list(request: HttpRequest) -> HttpResponse:
    form = WebhookForm(request.POST or None, events=registry.webhook_events)
    if request.method == "POST" and form.is_valid():
        try:
            webhooks.create_endpoint(company=request.company, url=form.cleaned_data["url"],
                                     events=form.cleaned_data["events"])
            messages.success(request, _("Webhook ajouté."))
            return redirect("core:webhooks")
        except webhooks.WebhookError as exc:
            form.add_error("url", str(exc))
    endpoints = WebhookEndpoint.objects.filter(company=request.company).prefetch_related("deliveries")
    return render(request, "core/settings/webhooks.html",
                  {"form": form, "endpoints": endpoints, "events": registry.webhook_events.values(), "tab": "webhooks"})


@company_view("api.admin", scoped_model=WebhookEndpoint)
@require_POST
def webhook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_scoped_or_404(WebhookEndpoint, request, pk)
    endpoint.delete()
    messages.success(request, _("Webhook supprimé."))
    return redirect("core:webhooks")


@company_view("data.export")
def export_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        job = jobs.start_job(company=request.company, kind="core.export", label="Export complet des données",
                             user=request.user)
        return redirect("core:job", pk=job.pk)
    recent = Job.objects.filter(company=request.company, kind="core.export").order_by("-created_at")[:10]
    return render(request, "core/export.html", {"jobs": recent})


@company_view("data.export", scoped_model=Job)
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    from etabli.core.services.export import export_path_for_job

    job = get_scoped_or_404(Job.objects.filter(kind="core.export"), request, pk)
    path = export_path_for_job(job)
    if path is None or not path.exists():
        raise Http404("Export indisponible")
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)



@company_view("settings.view")
def llm_settings(request: HttpRequest) -> HttpResponse:
    """Réglages → IA: which model, where the data goes, the company's voice, the monthly budget."""
    from etabli.core.forms import LLMSettingsForm
    from etabli.core.services import llm

    can_admin = request.membership.can("settings.admin")
    settings = llm.settings_for(request.company)
    health = None
    if request.method == "POST":
        if not can_admin:
            messages.error(request, _("Seul le dirigeant peut modifier les réglages de l'IA."))
            return redirect("core:llm_settings")
        if request.POST.get("action") == "test":
            health = llm.health(request.company)
            form = LLMSettingsForm(instance=settings)
        else:
            form = LLMSettingsForm(request.POST, instance=settings)
            if form.is_valid():
                form.save()
                messages.success(request, _("Réglages de l'IA enregistrés."))
                return redirect("core:llm_settings")
    else:
        form = LLMSettingsForm(instance=settings)
    if not can_admin:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "core/settings/llm.html", {"form": form, "status": llm.status(request.company),
                                                      "health": health, "can_admin": can_admin, "tab": "llm"})
