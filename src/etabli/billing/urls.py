"""Billing pages under /facturation/ (French paths, as users see them)."""

from django.urls import path

from etabli.billing import views

app_name = "billing"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("recalculer/", views.recompute, name="recompute"),
    path("tiers/", views.partners, name="partners"),
    path("tiers/nouveau/", views.partner_create, name="partner_create"),
    path("tiers/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("tiers/<int:pk>/credit/", views.partner_credit, name="partner_credit"),
    path("catalogue/", views.products, name="products"),
    path("catalogue/<int:pk>/", views.product_edit, name="product_edit"),
    path("devis/", views.quotes, name="quotes"),
    path("devis/nouveau/", views.quote_create, name="quote_create"),
    path("devis/<int:pk>/", views.quote_detail, name="quote_detail"),
    path("devis/<int:pk>/modifier/", views.quote_edit, name="quote_edit"),
    path("devis/<int:pk>/statut/", views.quote_status, name="quote_status"),
    path("devis/<int:pk>/facturer/", views.quote_invoice, name="quote_invoice"),
    path("devis/<int:pk>/acompte/", views.quote_deposit, name="quote_deposit"),
    path("devis/<int:pk>/pdf/", views.quote_pdf, name="quote_pdf"),
    path("devis/<int:pk>/envoyer/", views.quote_send, name="quote_send"),
    path("factures/", views.invoices, name="invoices"),
    path("factures/nouvelle/", views.invoice_create, name="invoice_create"),
    path("factures/import/", views.einvoice_import, name="import"),
    path("factures/<int:pk>/", views.invoice_detail, name="invoice_detail"),
    path("factures/<int:pk>/modifier/", views.invoice_edit, name="invoice_edit"),
    path("factures/<int:pk>/emettre/", views.invoice_issue, name="invoice_issue"),
    path("factures/<int:pk>/supprimer/", views.invoice_delete, name="invoice_delete"),
    path("factures/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("factures/<int:pk>/envoyer/", views.invoice_send, name="invoice_send"),
    path("factures/<int:pk>/reglement/", views.invoice_payment, name="invoice_payment"),
    path("factures/<int:pk>/avoir/", views.invoice_credit_note, name="invoice_credit_note"),
    path("factures/<int:pk>/relancer/", views.invoice_remind, name="invoice_remind"),
    path("reglements/", views.payments, name="payments"),
    path("relances/", views.dunning, name="dunning"),
    path("relances/passe/", views.dunning_run, name="dunning_run"),
    path("relances/etapes/<int:pk>/", views.dunning_step, name="dunning_step"),
]
