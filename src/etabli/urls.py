"""Root URLs: the core UI, each business app's UI (registered below as they land), and the API."""

from django.apps import apps
from django.urls import include, path

from etabli.api import mount_routers

#: URL prefix of each business app (French, as users see them).
APP_PREFIXES = {
    "billing": "facturation/",
    "documents": "documents/",
    "banking": "banque/",
    "assistant": "assistant/",
    "writing": "redaction/",
}

urlpatterns = [
    path("api/v1/", mount_routers().urls),
    *[path(prefix, include(f"etabli.{app}.urls")) for app, prefix in APP_PREFIXES.items()
      if apps.is_installed(f"etabli.{app}")],
    path("", include("etabli.core.urls")),
]

handler400 = "etabli.core.views.errors.bad_request"
handler403 = "etabli.core.views.errors.permission_denied"
handler404 = "etabli.core.views.errors.page_not_found"
handler500 = "etabli.core.views.errors.server_error"
