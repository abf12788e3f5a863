"""Error pages in French (and JSON errors under /api/)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

MESSAGES = {
    400: ("Requête invalide", "La requête n'a pas pu être comprise. Vérifiez les informations saisies."),
    403: ("Accès refusé", "Vous n'avez pas accès à cette page."),
    404: ("Page introuvable", "Cette page n'existe pas, ou elle appartient à une autre entreprise."),
    500: ("Erreur interne", "Une erreur inattendue s'est produite. Rien n'a été enregistré à moitié ; réessayez."),
}


def _error(request: HttpRequest, status: int) -> HttpResponse:
    title, message = MESSAGES[status]
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": f"http_{status}", "message": message}}, status=status)
    return render(request, "core/error.html", {"title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400)


def permission_denied(request, exception=None):
    return _error(request, 403)


def page_not_found(request, exception=None):
    return _error(request, 404)


def server_error(request):
    return _error(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {
            "title": "Session expirée",
            "message": "Le formulaire a expiré ou n'a pas été envoyé depuis Établi. Rechargez la page et recommencez.",
        },
        status=403,
    )
