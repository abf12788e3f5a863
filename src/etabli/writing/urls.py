from django.urls import path

from etabli.writing import views

app_name = "writing"

urlpatterns = [
    path("", views.home, name="home"),
    path("publications/", views.posts, name="posts"),
    path("produits/", views.products, name="products"),
    path("produits/exemple.csv", views.sample_csv, name="sample_csv"),
    path("courriel/", views.email, name="email"),
    path("annonce/", views.job_ad, name="job_ad"),
    path("blog/", views.blog, name="blog"),
    path("profil/", views.profile, name="profile"),
    path("demandes/<int:pk>/", views.batch_detail, name="batch"),
    path("demandes/<int:pk>/progression/", views.batch_progress, name="batch_progress"),
    path("demandes/<int:pk>/csv/", views.batch_csv, name="batch_csv"),
    path("demandes/<int:pk>/texte/", views.batch_text, name="batch_text"),
    path("demandes/<int:pk>/valider/", views.batch_approve, name="batch_approve"),
    path("demandes/<int:pk>/classement/", views.batch_triage, name="batch_triage"),
    path("brouillons/", views.draft_list, name="drafts"),
    path("brouillons/<int:pk>/", views.draft_detail, name="draft"),
    path("brouillons/<int:pk>/texte/", views.draft_text, name="draft_text"),
]
