from django.urls import path, re_path

from etabli.assistant import public, views

app_name = "assistant"

KEY = r"(?P<key>[A-Za-z0-9_-]{6,40})"

urlpatterns = [
    path("", views.home, name="home"),
    # Employees' internal assistant
    path("interne/", views.internal, name="internal"),
    path("interne/nouvelle/", views.internal_new, name="internal_new"),
    path("interne/<int:pk>/messages/", views.internal_messages, name="internal_messages"),
    path("interne/<int:pk>/avis/", views.internal_feedback, name="internal_feedback"),
    path("interne/humain/", views.internal_human, name="internal_human"),
    # Team inbox and live chat
    path("conversations/", views.inbox, name="inbox"),
    path("conversations/<int:pk>/", views.conversation, name="conversation"),
    path("conversations/<int:pk>/messages/", views.conversation_messages, name="conversation_messages"),
    path("conversations/<int:pk>/prendre/", views.conversation_take, name="conversation_take"),
    path("conversations/<int:pk>/repondre/", views.conversation_reply, name="conversation_reply"),
    path("conversations/<int:pk>/rendre/", views.conversation_handback, name="conversation_handback"),
    path("conversations/<int:pk>/clore/", views.conversation_close, name="conversation_close"),
    # Knowledge base
    path("base/", views.kb, name="kb"),
    path("base/nouvelle/", views.entry_create, name="entry_create"),
    path("base/<int:pk>/", views.entry_edit, name="entry_edit"),
    path("base/<int:pk>/supprimer/", views.entry_delete, name="entry_delete"),
    path("base/<int:pk>/confirmer/", views.entry_confirm, name="entry_confirm"),
    path("base/informations/", views.facts, name="facts"),
    path("base/import/", views.kb_import, name="kb_import"),
    path("base/documents/", views.document_upload, name="document_upload"),
    path("base/documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("base/documents/<int:pk>/supprimer/", views.document_delete, name="document_delete"),
    path("base/documents/<int:pk>/confirmer/", views.document_confirm, name="document_confirm"),
    path("base/suggestions/", views.suggestions, name="suggestions"),
    path("base/suggestions/<int:pk>/", views.suggestion_answer, name="suggestion_answer"),
    path("base/suggestions/<int:pk>/ecarter/", views.suggestion_dismiss, name="suggestion_dismiss"),
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("reglages/", views.settings_view, name="settings"),
    path("reglages/cle/", views.regenerate_key, name="regenerate_key"),
    # Public: widget, chat page, and the JSON endpoints they call (no cookie, CORS per company)
    path("widget.js", public.widget_js, name="widget_js"),
    path("widget.css", public.widget_css, name="widget_css"),
    re_path(rf"^c/{KEY}/$", public.chat_page, name="chat_page"),
    re_path(rf"^public/{KEY}/conversations/$", public.api_start, name="public_start"),
    re_path(rf"^public/{KEY}/messages/$", public.api_send, name="public_send"),
    re_path(rf"^public/{KEY}/nouveaux/$", public.api_poll, name="public_poll"),
    re_path(rf"^public/{KEY}/humain/$", public.api_human, name="public_human"),
    re_path(rf"^public/{KEY}/avis/$", public.api_feedback, name="public_feedback"),
]
