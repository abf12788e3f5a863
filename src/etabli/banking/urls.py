"""Banking pages under /banque/ (French paths, as users see them)."""

from django.urls import path

from etabli.banking import views

app_name = "banking"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("import/", views.statement_upload, name="upload"),
    path("releves/", views.import_list, name="imports"),
    path("releves/<int:pk>/", views.import_detail, name="import_detail"),
    path("releves/<int:pk>/colonnes/", views.import_mapping, name="import_mapping"),
    path("operations/", views.line_list, name="lines"),
    path("operations/confirmer/", views.lines_confirm, name="lines_confirm"),
    path("operations/<int:pk>/", views.line_detail, name="line_detail"),
    path("operations/<int:pk>/categorie/", views.line_category, name="line_category"),
    path("operations/<int:pk>/rapprocher/", views.line_match, name="line_match"),
    path("rapprocher/", views.reconcile_now, name="reconcile"),
    path("comptes/", views.account_list, name="accounts"),
    path("comptes/<int:pk>/", views.account_detail, name="account_detail"),
    path("comptes/<int:pk>/export/", views.account_export, name="account_export"),
    path("regles/", views.rule_list, name="rules"),
    path("regles/<int:pk>/supprimer/", views.rule_delete, name="rule_delete"),
    path("tresorerie/", views.forecast, name="forecast"),
    path("tresorerie/recalculer/", views.forecast_refresh, name="forecast_refresh"),
    path("tresorerie/simulation/", views.forecast_what_if, name="forecast_what_if"),
    path("tresorerie/reglages/", views.forecast_settings, name="forecast_settings"),
    path("depenses/", views.spending, name="spending"),
]
