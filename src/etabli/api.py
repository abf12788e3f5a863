"""The REST API: django-ninja under /api/v1, OpenAPI at /api/v1/openapi.json.

Authentication is a per-user bearer token scoped to one company (created in Réglages → API). Errors always
have the shape {"error": {"code": "...", "message": "<French>", "details": ...}}.
"""

from __future__ import annotations

from csp.decorators import csp_exempt
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from etabli import __version__
from etabli.core.context import _actor, actor_for_user
from etabli.core.permissions import PermissionDenied
from etabli.core.registry import registry
from etabli.core.services import tokens

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details=None):
        self.status, self.code, self.message, self.details = status, code, message, details
        super().__init__(message)


class TokenAuth(HttpBearer):
    """Bearer token → request.company, request.membership, request.api_token (and the audit actor)."""

    def authenticate(self, request, token: str):
        try:
            api_token, membership = tokens.authenticate(token)
        except tokens.TokenError as exc:
            raise ApiError(401, exc.code, exc.message) from exc
        if api_token.read_only and request.method in WRITE_METHODS:
            raise ApiError(403, "read_only_token", "Ce jeton est en lecture seule.")
        request.user = api_token.user
        request.company = api_token.company
        request.membership = membership
        request.api_token = api_token
        _actor.set(actor_for_user(api_token.user, "api", request.META.get("REMOTE_ADDR"),
                                  label=f"{api_token.user.email} (jeton {api_token.name})"))
        return api_token


api = NinjaAPI(
    title="Établi API",
    version="1",
    description=(
        "API d'Établi. Authentification : en-tête `Authorization: Bearer <jeton>` (jeton créé dans "
        "Réglages → API, limité à une entreprise). Erreurs : `{\"error\": {\"code\", \"message\"}}`."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_decorator=csp_exempt(),
)
api.info_version = __version__


def error_response(request, status: int, code: str, message: str, details=None):
    body = {"error": {"code": code, "message": message}}
    if details is not None:
        body["error"]["details"] = details
    return api.create_response(request, body, status=status)


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return error_response(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return error_response(request, 401, "unauthenticated",
                          "Authentification requise : en-tête « Authorization: Bearer <jeton> ».")


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    return error_response(request, 422, "validation_error", "Données invalides.", exc.errors)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc: PermissionDenied):
    return error_response(request, 403, "forbidden", str(exc))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(request, 404, "not_found", "Objet introuvable dans cette entreprise.")


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return error_response(request, exc.status_code, f"http_{exc.status_code}", str(exc))


@api.exception_handler(Exception)
def _unexpected(request, exc: Exception):
    import logging

    logging.getLogger("etabli.api").exception("Unexpected API error")
    return error_response(request, 500, "internal_error", "Erreur interne : rien n'a été enregistré à moitié.")


_mounted: set[str] = set()


def mount_routers() -> NinjaAPI:
    """Mount the core's router and every app's (idempotent). Called by urls.py, once every app's ready() has
    registered its router — mounting at import time would miss the apps registered after the first import."""
    from etabli.core.api import router as core_router

    if "/" not in _mounted:
        api.add_router("/", core_router)
        _mounted.add("/")
    for prefix, router in registry.api_routers:
        if prefix not in _mounted:
            api.add_router(prefix, router() if callable(router) and not hasattr(router, "add_api_operation") else router)
            _mounted.add(prefix)
    return api
