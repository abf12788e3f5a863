"""Helpers every view uses: login + active company + permission, company-scoped object fetching."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from etabli.core.permissions import PermissionDenied


def company_view(permission: str, scoped_model: type[Model] | None = None) -> Callable:
    """Require a logged-in member of the active company holding `permission`.

    `scoped_model` declares which company-scoped model a `pk` URL argument refers to; the isolation test
    uses it to prove that no view serves another company's rows.
    """

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.membership is None:
                return render(request, "core/no_company.html", status=403)
            if not request.membership.can(permission):
                return forbidden(request)
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied as exc:
                return forbidden(request, str(exc))

        wrapper.required_permission = permission  # type: ignore[attr-defined]
        wrapper.scoped_model = scoped_model  # type: ignore[attr-defined]
        return wrapper

    return decorator


def forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"title": "Accès refusé", "message": message or "Votre rôle ne donne pas accès à cette page."},
        status=403,
    )


def get_scoped_or_404(queryset_or_model, request: HttpRequest, pk) -> Model:
    """Fetch a row of the active company, or 404 — the same answer whether it exists elsewhere or not."""
    qs: QuerySet = (
        queryset_or_model if isinstance(queryset_or_model, QuerySet) else queryset_or_model._default_manager.all()
    )
    try:
        return qs.get(pk=int(pk), company_id=request.company.pk)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Introuvable") from exc


def paginate(request: HttpRequest, queryset, per_page: int = 50):
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
