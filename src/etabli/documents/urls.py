from django.urls import path

from etabli.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("deposer/", views.upload, name="upload"),
    path("reglages/", views.settings_page, name="settings"),
    path("reglages/reentrainer/", views.retrain, name="retrain"),
    path("reglages/boites/<int:pk>/", views.mailbox_edit, name="mailbox"),
    path("reglages/boites/<int:pk>/relever/", views.mailbox_fetch, name="mailbox_fetch"),
    path("reglages/dossiers/<int:pk>/", views.folder_action, name="folder"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/etat/", views.status, name="status"),
    path("<int:pk>/valider/", views.validate, name="validate"),
    path("<int:pk>/refuser/", views.reject, name="reject"),
    path("<int:pk>/doublon/", views.mark_duplicate, name="duplicate"),
    path("<int:pk>/corriger/", views.correct, name="correct"),
    path("<int:pk>/relire/", views.reread, name="reread"),
    path("<int:pk>/apercu/", views.preview, name="preview"),
    path("<int:pk>/fichier/", views.download, name="download"),
]
