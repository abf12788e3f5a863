"""Banking's hooks into the core: module, menus and role defaults, use cases and minutes saved, the review
handlers of bank matches, webhook events, the demo loader and the API router."""

from __future__ import annotations

from etabli.banking.constants import (
    ACTION_LINE_CATEGORISED,
    ACTION_MATCH_AUTO,
    ACTION_MATCH_EXTRA_INVOICE,
    ACTION_MATCH_VALIDATED,
    EVENT_CASH_ALERT,
    EVENT_STATEMENT_IMPORTED,
    MODULE,
    REVIEW_MATCH,
    REVIEW_MATCH_CHOICE,
    USE_CASE_FORECAST,
    USE_CASE_RECONCILIATION,
    USE_CASE_SPENDING,
)
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
        key=MODULE,
        label="Banque et trésorerie",
        actions=("view", "edit", "approve", "export", "admin"),
        defaults={
            "manager": ("view", "edit", "approve", "export"),
            "accountant": ("view", "edit", "approve", "export"),
            "readonly": ("view",),
        },
        menu=(
            MenuEntry("Trésorerie prévue", "banking:forecast", "finances", order=1),
            MenuEntry("Banque et rapprochement", "banking:overview", "finances", order=2),
            MenuEntry("Dépenses et charges", "banking:spending", "finances", order=3),
        ),
    )
)

register_use_case(USE_CASE_RECONCILIATION, "Rapprochement bancaire et catégorisation")
register_use_case(USE_CASE_FORECAST, "Prévision de trésorerie à 90 jours")
register_use_case(USE_CASE_SPENDING, "Surveillance des dépenses")

# Minutes saved, from the guide and a bookkeeper's count. Ch. 10.5: keying an entry by hand takes 5 min against
# 30 s automated, and an accountant's keying time falls by 80 %. Matching a bank line by hand means finding the
# invoice, checking the amount and lettering it: about 3 minutes, all saved when auto-mode applies the match;
# a proposal validated in one click still saves the search (1.5 min); each extra invoice of a grouped payment
# is one more search (1 min); a line categorised to its PCG account saves the coding (1 min). The matching
# engine uses the same figures (`TimeSavings`) and the owner can set his own on the ROI page.
register_time_saved_action(ACTION_MATCH_AUTO, use_case=USE_CASE_RECONCILIATION, default_minutes=3,
                           label="Ligne bancaire rapprochée automatiquement de sa facture (recherche et lettrage évités)")
register_time_saved_action(ACTION_MATCH_VALIDATED, use_case=USE_CASE_RECONCILIATION, default_minutes=1.5,
                           label="Rapprochement bancaire proposé puis validé en un clic")
register_time_saved_action(ACTION_MATCH_EXTRA_INVOICE, use_case=USE_CASE_RECONCILIATION, default_minutes=1,
                           label="Facture supplémentaire d'un règlement groupé retrouvée par l'IA")
register_time_saved_action(ACTION_LINE_CATEGORISED, use_case=USE_CASE_RECONCILIATION, default_minutes=1,
                           label="Ligne bancaire catégorisée vers son compte PCG (saisie évitée)")

_EDIT_FIELDS = (EditField("invoices", "Factures réglées par cette opération (numéros séparés par des virgules)"),)


def _apply(item, payload, user):
    from etabli.banking.services.reconcile import apply_match

    return apply_match(item, payload, user)


def _reject(item, user):
    from etabli.banking.services.reconcile import reject_match

    reject_match(item, user)


register_review_handler(ReviewHandler(
    kind=REVIEW_MATCH, label="Rapprochement bancaire", use_case=USE_CASE_RECONCILIATION, apply=_apply,
    permission="banking.approve", edit_fields=_EDIT_FIELDS, on_reject=_reject,
    detail_template="banking/review_match.html", auto_allowed=True,
))
register_review_handler(ReviewHandler(
    kind=REVIEW_MATCH_CHOICE, label="Rapprochement bancaire — plusieurs factures possibles",
    use_case=USE_CASE_RECONCILIATION, apply=_apply, permission="banking.approve", edit_fields=_EDIT_FIELDS,
    on_reject=_reject, detail_template="banking/review_match.html", auto_allowed=False,
))

register_webhook_event(EVENT_STATEMENT_IMPORTED, "Un relevé bancaire a été importé (lignes ajoutées, contrôle des soldes)")
register_webhook_event(EVENT_CASH_ALERT, "La trésorerie prévue passe sous le seuil d'alerte (causes et actions)")


def _demo_loader(company, dataset, stdout=None):
    from etabli.banking.services.demo import load

    load(company, dataset, stdout=stdout)


register_demo_loader(20, "banque", _demo_loader)

from etabli.banking.api import router

register_api_router("/banking", router)
