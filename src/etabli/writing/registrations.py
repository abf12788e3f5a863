"""The writing assistant's hooks into the core: module, menus and role defaults, use cases, time saved per
approved draft, the generation job, the demo loader ("redaction") and the API router."""

from __future__ import annotations

from etabli.core.registry import (
    MenuEntry,
    ModuleSpec,
    register_api_router,
    register_demo_loader,
    register_module,
    register_time_saved_action,
    register_use_case,
)
from etabli.writing.constants import DRAFT_USE_CASE, TIME_SAVED_ACTIONS, USE_CASE_LABELS, DraftFeature

register_module(
    ModuleSpec(
        key="writing",
        label="Assistant de rédaction",
        actions=("view", "edit", "approve", "export"),
        defaults={
            # Employees write and edit drafts; a manager (or the owner) approves what goes out.
            "manager": ("view", "edit", "approve", "export"),
            "employee": ("view", "edit"),
            "accountant": ("view",),
            "readonly": ("view",),
        },
        menu=(
            MenuEntry("Assistant de rédaction", "writing:home", "marketing", order=10),
            MenuEntry("Publications de la semaine", "writing:posts", "marketing", order=11, permission="writing.edit"),
            MenuEntry("Descriptions produits", "writing:products", "marketing", order=12, permission="writing.edit"),
            MenuEntry("Courriels : tri et réponses", "writing:email", "administratif", order=40,
                      permission="writing.edit"),
            MenuEntry("Annonce d'emploi", "writing:job_ad", "rh", order=10, permission="writing.edit"),
        ),
    )
)

for key, label in USE_CASE_LABELS.items():
    register_use_case(key, label)

# Minutes saved when a person approves a draft, from the guide's figures (the owner can replace them on the
# ROI page):
# - post: ch. 6.1 A, three weekly posts took 3 h and take 10 min with the assistant: (180 − 10) / 3 ≈ 56 min;
# - product description: ch. 6.1 C, 200 descriptions in 2 h instead of 40 h: (2 400 − 120) / 200 = 11,4 min;
# - e-mail reply: ch. 4.3, 40–60 % of the writing time saved; a considered reply takes about 6 min by hand,
#   so half of it, 3 min;
# - thread summary: ch. 4.3, a long thread read and summarised in 3–5 points: about 5 min of re-reading saved;
# - job ad: ch. 8.1 ("aide à la rédaction d'annonces"), a structured ad written from scratch takes about 45 min
#   and a review of the draft 15 min: 30 min;
# - blog outline: ch. 6.1 B, a structured article in 3 min then 15 min of personalisation; a plan with SEO
#   title, sections, word budgets and FAQ by hand takes about 20 min more than reviewing one.
_MINUTES = {
    DraftFeature.POST: (56, "Publication validée (3 publications : 3 h → 10 min, guide ch. 6.1)"),
    DraftFeature.PRODUCT: ("11.4", "Description produit validée (200 fiches : 40 h → 2 h, guide ch. 6.1)"),
    DraftFeature.EMAIL_REPLY: (3, "Réponse à un courriel validée (40–60 % du temps de rédaction, guide ch. 4.3)"),
    DraftFeature.THREAD_SUMMARY: (5, "Synthèse d'un fil de courriels validée (guide ch. 4.3)"),
    DraftFeature.JOB_AD: (30, "Annonce d'emploi validée (guide ch. 8.1)"),
    DraftFeature.BLOG_OUTLINE: (20, "Plan d'article de blog validé (guide ch. 6.1)"),
}
for feature, action in TIME_SAVED_ACTIONS.items():
    minutes, label = _MINUTES[feature]
    register_time_saved_action(action, use_case=DRAFT_USE_CASE[feature], label=label, default_minutes=minutes)

from etabli.core.services.jobs import register_job_kind
from etabli.writing.api import router
from etabli.writing.demo import load_demo
from etabli.writing.services import JOB_KIND, run_generation_job

register_job_kind(JOB_KIND, run_generation_job)
register_demo_loader(70, "redaction", load_demo)
register_api_router("/writing", router)
