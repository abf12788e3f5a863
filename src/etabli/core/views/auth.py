"""Login, logout, two-factor (TOTP) set-up and verification, password reset, brute-force lockout page."""

from __future__ import annotations

import base64

import segno
from django import forms
from django.contrib import messages
from django.utils.translation import gettext as _
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from etabli.core.models import User


class LoginForm(AuthenticationForm):
    username = forms.EmailField(label="Adresse e-mail", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}))
    password = forms.CharField(label="Mot de passe", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def lockout_response(request: HttpRequest, credentials: dict | None = None, *args, **kwargs) -> HttpResponse:
    """django-axes calls this after too many failures: say so in French, and for how long."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "core/error.html",
        {
            "title": "Trop de tentatives",
            "message": (
                f"Trop de tentatives de connexion infructueuses. Par sécurité, ce compte est bloqué pendant "
                f"{minutes} minutes. Vous pouvez aussi réinitialiser votre mot de passe."
            ),
        },
        status=429,
    )


class OtpForm(forms.Form):
    token = forms.CharField(
        label="Code à 6 chiffres (ou code de secours)",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    if not user_has_device(request.user):
        return redirect("core:home")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = _throttled(request.user)
        device = match_token(request.user, form.cleaned_data["token"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", THROTTLED if throttled else "Code incorrect ou expiré.")
    return render(request, "registration/otp_verify.html", {"form": form, "next": _safe_next(request)})


THROTTLED = "Trop d'essais : patientez quelques secondes avant de réessayer."


def _throttled(user) -> bool:
    """django-otp doubles the waiting time after each wrong code; tell people instead of a bare refusal."""
    from django_otp import devices_for_user

    devices = list(devices_for_user(user, confirmed=True))
    return bool(devices) and all(not d.verify_is_allowed()[0] for d in devices)


def _qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=4)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP app (Google Authenticator, FreeOTP, Aegis…): scan, type a code, get backup codes."""
    user: User = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if confirmed is not None and request.method == "GET":
        return render(request, "registration/otp_setup.html", {"enabled": True})
    device, _created = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": "Application"})
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if device.verify_token(form.cleaned_data["token"].replace(" ", "")):
            device.confirmed = True
            device.save()
            static, _created = StaticDevice.objects.get_or_create(user=user, name="Codes de secours")
            static.token_set.all().delete()
            codes = [StaticToken.random_token() for _ in range(8)]
            for code in codes:
                static.token_set.create(token=code)
            otp_login(request, device)
            messages.success(request, _("Double authentification activée."))
            return render(request, "registration/otp_setup.html", {"enabled": True, "backup_codes": codes})
        form.add_error("token", THROTTLED if not allowed else
                       "Code incorrect : vérifiez l'heure de votre téléphone et réessayez.")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "registration/otp_setup.html",
        {"form": form, "qr": _qr_data_uri(device.config_url), "secret": secret, "enabled": False},
    )


@login_required
@require_http_methods(["POST"])
def otp_disable(request: HttpRequest) -> HttpResponse:
    company = getattr(request, "company", None)
    if company is not None and company.require_2fa:
        messages.error(request, _("La double authentification est obligatoire dans cette entreprise."))
        return redirect("core:otp_setup")
    TOTPDevice.objects.filter(user=request.user).delete()
    StaticDevice.objects.filter(user=request.user).delete()
    messages.success(request, _("Double authentification désactivée."))
    return redirect("core:otp_setup")


class InvitationAwarePasswordResetForm(PasswordResetForm):
    """Also lets invited people (account without a password yet) choose their first password."""

    email = forms.EmailField(label="Adresse e-mail", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def get_users(self, email: str):
        return User.objects.filter(email__iexact=email.strip(), is_active=True)


class FrenchSetPasswordForm(SetPasswordForm):
    pass


password_reset = auth_views.PasswordResetView.as_view(
    form_class=InvitationAwarePasswordResetForm,
    template_name="registration/password_reset_form.html",
    email_template_name="registration/password_reset_email.txt",
    subject_template_name="registration/password_reset_subject.txt",
    success_url="/mot-de-passe/envoye/",
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    form_class=FrenchSetPasswordForm,
    template_name="registration/password_reset_confirm.html",
    success_url="/mot-de-passe/termine/",
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="registration/password_reset_complete.html"
)
logout = auth_views.LogoutView.as_view()
