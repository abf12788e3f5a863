"""Names shared by the writing app's models, services, views, API and CLI.

Why one module: the use cases (ROI and AI decision log), the time-saved actions and the limits on inputs
must be the same whichever door (page, API, command line) a request comes through.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchFeature(models.TextChoices):
    """What a person asked for: one request gives one or several drafts."""

    POSTS = "posts", _("Publications de la semaine")
    PRODUCTS = "products", _("Descriptions produits")
    EMAIL = "email", _("Courriel : tri, réponses, synthèse")
    JOB_AD = "job_ad", _("Annonce d'emploi")
    BLOG_OUTLINE = "blog_outline", _("Plan d'article de blog")


class DraftFeature(models.TextChoices):
    POST = "post", _("Publication")
    PRODUCT = "product", _("Description produit")
    EMAIL_REPLY = "email_reply", _("Réponse à un courriel")
    THREAD_SUMMARY = "thread_summary", _("Synthèse d'un fil de courriels")
    JOB_AD = "job_ad", _("Annonce d'emploi")
    BLOG_OUTLINE = "blog_outline", _("Plan d'article de blog")


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échec")


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    EDITED = "edited", _("Modifié, à valider")
    APPROVED = "approved", _("Validé")
    REJECTED = "rejected", _("Rejeté")


#: Use case of each request (AI decision log and ROI page group by it).
USE_CASES: dict[str, str] = {
    BatchFeature.POSTS: "writing.posts",
    BatchFeature.PRODUCTS: "writing.products",
    BatchFeature.EMAIL: "writing.email",
    BatchFeature.JOB_AD: "writing.job_ad",
    BatchFeature.BLOG_OUTLINE: "writing.blog",
}
USE_CASE_LABELS: dict[str, str] = {
    "writing.posts": "Publications réseaux sociaux (ch. 6.1)",
    "writing.products": "Descriptions produits en lot (ch. 6.1)",
    "writing.email": "Courriels : tri, réponses et synthèses (ch. 4.3)",
    "writing.job_ad": "Annonces d'emploi (ch. 8.1)",
    "writing.blog": "Plans d'articles de blog (ch. 6.1)",
}

#: Time-saved action recorded when a person approves a draft of each kind.
TIME_SAVED_ACTIONS: dict[str, str] = {
    DraftFeature.POST: "writing.post_approved",
    DraftFeature.PRODUCT: "writing.product_approved",
    DraftFeature.EMAIL_REPLY: "writing.reply_approved",
    DraftFeature.THREAD_SUMMARY: "writing.summary_approved",
    DraftFeature.JOB_AD: "writing.job_ad_approved",
    DraftFeature.BLOG_OUTLINE: "writing.blog_outline_approved",
}

#: Features whose drafts belong to a request of this kind.
DRAFT_USE_CASE: dict[str, str] = {
    DraftFeature.POST: "writing.posts",
    DraftFeature.PRODUCT: "writing.products",
    DraftFeature.EMAIL_REPLY: "writing.email",
    DraftFeature.THREAD_SUMMARY: "writing.email",
    DraftFeature.JOB_AD: "writing.job_ad",
    DraftFeature.BLOG_OUTLINE: "writing.blog",
}

# --- Limits on inputs: refused at once with a French message, before anything is stored -----------------
#: Largest product CSV accepted (a 5 000-line catalogue with long attributes stays far below).
MAX_CSV_BYTES = 5 * 1024 * 1024
#: Most products described in one request (the guide's shop has 200; a job of 5 000 stays a few minutes
#: with the templates and is the sensible batch size with a model).
MAX_PRODUCTS = 5000
#: Largest .eml file or pasted e-mail read (the engine refuses more than 1 million characters of text).
MAX_EMAIL_BYTES = 2 * 1024 * 1024
#: Most posts in one week (the engine's own bound).
MAX_POSTS = 14

#: Message shown when a draft can no longer be changed.
FINAL_STATUSES = (DraftStatus.APPROVED, DraftStatus.REJECTED)
