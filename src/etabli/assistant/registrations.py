"""How the assistant plugs into the platform: permissions and menus, review handlers, time saved, webhooks,
background job, demo data and API.

Minutes saved per action, and why:
- `assistant.customer_answer`, 3 min — guide ch. 5.1: Sophie receives 40–60 messages a day, the assistant
  answers 68 % of them and frees 12 h a week: 720 min / (50 × 7 × 0.68 ≈ 238 answers) ≈ 3 min per answer.
- `assistant.employee_answer`, 4 min — guide ch. 4.3/8.2 give no per-question figure; an employee's question
  otherwise interrupts a colleague or the manager (finding the procedure, answering): about 2 min for each of
  two people. The owner can set their own figure on the ROI page.
- `assistant.status_lookup`, 5 min — guide ch. 5.1 niveau 2 ("Demande n° → Vérification statut → Info
  précise"): by hand, finding the invoice, checking the payment and writing back takes a few minutes more than
  a plain FAQ answer.
"""

from __future__ import annotations

from etabli.assistant import constants
from etabli.core.registry import (
    EditField,
    MenuEntry,
    ModuleSpec,
    ReviewHandler,
    register_api_router,
    register_demo_loader,
    register_module,
    register_review_handler,
    register_time_saved_action,
    register_use_case,
    register_webhook_event,
)

register_module(
    ModuleSpec(
        key="assistant",
        label="Assistant clients et salariés",
        actions=("view", "edit", "approve", "admin"),
        defaults={
            "manager": ("view", "edit", "approve"),
            "accountant": ("view",),
            "employee": ("view",),
            "readonly": ("view",),
        },
        menu=(
            MenuEntry("Conversations clients", "assistant:inbox", "clients", order=10,
                      permission="assistant.approve"),
            MenuEntry("Base de connaissances", "assistant:kb", "clients", order=11, permission="assistant.edit"),
            MenuEntry("Tableau de bord de l'assistant", "assistant:dashboard", "clients", order=12,
                      permission="assistant.edit"),
            MenuEntry("Assistant interne", "assistant:internal", "administratif", order=50,
                      permission="assistant.view"),
        ),
    )
)

register_use_case(constants.USE_CASE_CUSTOMERS, "Assistant clients (site web)")
register_use_case(constants.USE_CASE_TEAM, "Assistant interne des salariés")
register_time_saved_action(constants.ACTION_CUSTOMER_ANSWER, use_case=constants.USE_CASE_CUSTOMERS,
                           label="Question d'un client répondue par l'assistant", default_minutes=3)
register_time_saved_action(constants.ACTION_STATUS_LOOKUP, use_case=constants.USE_CASE_CUSTOMERS,
                           label="Suivi de commande ou de facture donné par l'assistant", default_minutes=5)
register_time_saved_action(constants.ACTION_EMPLOYEE_ANSWER, use_case=constants.USE_CASE_TEAM,
                           label="Question d'un salarié répondue par l'assistant interne", default_minutes=4)

register_webhook_event("assistant.handover", "Une conversation de l'assistant attend une personne")


def _apply_handover(item, payload, user):
    from etabli.assistant.services import apply_handover

    return apply_handover(item, payload, user)


def _reject_handover(item, user):
    from etabli.assistant.services import reject_handover

    reject_handover(item, user)


def _apply_suggestion(item, payload, user):
    from etabli.assistant.services import apply_suggestion

    return apply_suggestion(item, payload, user)


def _reject_suggestion(item, user):
    from etabli.assistant.services import reject_suggestion

    reject_suggestion(item, user)


register_review_handler(ReviewHandler(
    kind=constants.HANDOVER_KIND,
    label="Conversation à reprendre (assistant)",
    use_case=constants.USE_CASE_CUSTOMERS,
    apply=_apply_handover,
    on_reject=_reject_handover,
    permission="assistant.approve",
    detail_template="assistant/_handover_review.html",
    auto_allowed=False,  # a hand-over is, by definition, for a person
))
register_review_handler(ReviewHandler(
    kind=constants.SUGGESTION_KIND,
    label="Nouvelle entrée de la base de connaissances",
    use_case=constants.USE_CASE_CUSTOMERS,
    apply=_apply_suggestion,
    on_reject=_reject_suggestion,
    permission="assistant.edit",
    edit_fields=(
        EditField("question", "Question"),
        EditField("answer", "Réponse de l'entreprise", "textarea"),
    ),
    auto_allowed=False,  # the answer is the company's word: always written by a person
))

from etabli.core.services.jobs import register_job_kind  # noqa: E402

# Retrieval needs scikit-learn (about 2 s to import): load it only when a job or the demo actually runs, so
# that every other command and the web server start fast.
REBUILD_JOB_KIND = "assistant.rebuild"


def _run_rebuild_job(job, progress):
    from etabli.assistant.retrieval import run_rebuild_job

    return run_rebuild_job(job, progress)


def _load_demo_assistant(**kwargs):
    from etabli.assistant.demo import load_demo_assistant

    return load_demo_assistant(**kwargs)


register_job_kind(REBUILD_JOB_KIND, _run_rebuild_job)
register_demo_loader(60, "assistant", _load_demo_assistant)


def _api():
    from etabli.assistant.api import router

    return router


register_api_router("/assistant", _api)


def _assistant_card(company):
    """Aujourd'hui: the share of customer questions answered without a person (ch. 5.1 target about 68 %)."""
    from django.urls import reverse

    from etabli.assistant.selectors import home_summary
    from etabli.common.formats import format_percent
    from etabli.core.registry import HomeCard

    data = home_summary(company=company, days=7)
    if not data.questions and not data.waiting:
        return None
    share = format_percent(data.answered_share) if data.answered_share is not None else "—"
    detail = f"{data.questions} question(s) en 7 jours ; {data.waiting} conversation(s) attendent quelqu'un"
    return HomeCard(title="Assistant clients : réponses sans humain", value=share, detail=detail,
                    link_url=reverse("assistant:inbox"), link_label="Conversations",
                    tone="warning" if data.waiting else "")


from etabli.core.registry import register_home_card  # noqa: E402

register_home_card(40, "assistant.answered", "assistant.view", _assistant_card)
