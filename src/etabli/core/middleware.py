"""Request middleware: size limit, acting user for the audit log, active company, two-factor enforcement."""

from __future__ import annotations

import contextvars

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from etabli.core import selectors
from etabli.core.context import acting_as, actor_for_user

SESSION_COMPANY_KEY = "etabli_company_id"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class RequestSizeLimitMiddleware:
    """Refuse oversized requests before anything reads them, with a French message (JSON for the API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.ETABLI_MAX_REQUEST_BYTES
        if length > limit:
            message = f"La requête est trop volumineuse ({length // (1024 * 1024)} Mo ; maximum {limit // (1024 * 1024)} Mo)."
            if is_api(request):
                return JsonResponse({"error": {"code": "request_too_large", "message": message}}, status=413)
            return render(request, "core/error.html", {"title": "Fichier trop volumineux", "message": message}, status=413)
        return self.get_response(request)


class ActorMiddleware:
    """Attribute every write made during a web request to the logged-in person (audit log)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api(request):
            # The API sets its own actor once the token is checked, in a copied context so it cannot leak.
            return contextvars.copy_context().run(self.get_response, request)
        with acting_as(actor_for_user(getattr(request, "user", None), "web", request.META.get("REMOTE_ADDR"))):
            return self.get_response(request)


class ActiveCompanyMiddleware:
    """Carry the active company on every request: `request.company` and `request.membership`.

    The company is chosen in the UI (stored in the session) among the user's memberships; a company the user
    does not belong to can never become active.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.company = None
        request.membership = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not is_api(request):
            memberships = list(selectors.memberships_for(user))
            request.memberships = memberships
            wanted = request.session.get(SESSION_COMPANY_KEY)
            chosen = next((m for m in memberships if m.company_id == wanted), None) or (
                memberships[0] if memberships else None
            )
            if chosen is not None:
                request.company = chosen.company
                request.membership = chosen
                if wanted != chosen.company_id:
                    request.session[SESSION_COMPANY_KEY] = chosen.company_id
        return self.get_response(request)


TWO_FACTOR_EXEMPT_PREFIXES = ("/connexion/", "/deconnexion/", "/static/", "/api/", "/mot-de-passe/", "/securite/2fa/")


class TwoFactorMiddleware:
    """A user with a TOTP device must enter a code after the password; a company may make 2FA mandatory."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(TWO_FACTOR_EXEMPT_PREFIXES):
            return self.get_response(request)
        from django_otp import user_has_device

        if user_has_device(user):
            if not user.is_verified():
                return redirect(f"{reverse('core:otp_verify')}?next={request.get_full_path()}")
        elif request.company is not None and request.company.require_2fa:
            return redirect(reverse("core:otp_setup"))
        return self.get_response(request)
