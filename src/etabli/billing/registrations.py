"""Billing's hooks into the core: module, menus and role defaults, use cases and time saved, review
handlers for reminders, webhook events, demo loader, API router and background jobs."""

from __future__ import annotations

from etabli.billing.models import StepLevel
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
        key="billing",
        label="Facturation et relances",
        actions=("view", "edit", "approve", "export", "admin"),
        defaults={
            "manager": ("view", "edit", "approve", "export"),
            "accountant": ("view", "edit", "approve", "export"),
            "readonly": ("view",),
        },
        menu=(
            MenuEntry("Encours et risques", "billing:dashboard", "finances", order=5),
            MenuEntry("Devis", "billing:quotes", "administratif", order=20),
            MenuEntry("Factures", "billing:invoices", "administratif", order=21),
            MenuEntry("Règlements", "billing:payments", "administratif", order=22),
            MenuEntry("Relances", "billing:dunning", "administratif", order=23),
            MenuEntry("Clients et fournisseurs", "billing:partners", "administratif", order=24),
            MenuEntry("Catalogue", "billing:products", "administratif", order=25),
        ),
    )
)

register_use_case("billing.invoicing", "Facturation (devis, factures, Factur-X)")
register_use_case("billing.dunning", "Relances clients personnalisées")
register_use_case("billing.risk", "Prédiction des retards de paiement")

# Minutes saved per occurrence, from the guide's figures. Ch. 1.4 (Menuiserie Martin): invoicing and chasing
# go from 3h30 to 45 min a week for 25–30 invoices, i.e. 165 min saved a week; ch. 4.2 (Bois & Design):
# creating an invoice 2 min → 30 s, chasing 4 h → 45 min a week. With about 10 customer invoices, 15
# supplier invoices and 8 reminders a week: 10 × (1.5 + 2) + 15 × 4 + 8 × 8 ≈ 160 min, close to the 165.
register_time_saved_action(
    "billing.invoice_from_quote",
    use_case="billing.invoicing",
    default_minutes=1.5,
    label="Facture créée depuis un devis en un clic (2 min → 30 s, guide ch. 4.2)",
)
register_time_saved_action(
    "billing.invoice_sent",
    use_case="billing.invoicing",
    default_minutes=2,
    label="Facture envoyée par e-mail avec son PDF et archivée (impression, envoi, classement évités)",
)
register_time_saved_action(
    "billing.einvoice_imported",
    use_case="billing.invoicing",
    default_minutes=4,
    label="Facture électronique reçue importée sans saisie (montants, TVA, échéance lus dans le XML)",
)
register_time_saved_action(
    "billing.reminder_sent",
    use_case="billing.dunning",
    default_minutes=8,
    label="Relance rédigée au bon ton, vérifiée et envoyée (4 h → 45 min par semaine, guide ch. 4.2)",
)


def _handler(level: str, label: str) -> ReviewHandler:
    from etabli.billing.services.dunning import apply_reminder, reject_reminder, review_kind

    return ReviewHandler(
        kind=review_kind(level),
        label=label,
        use_case="billing.dunning",
        apply=apply_reminder,
        permission="billing.approve",
        time_saved_action="billing.reminder_sent",
        edit_fields=(
            EditField("recipient", "Destinataire (e-mail)"),
            EditField("subject", "Objet"),
            EditField("body", "Message", "textarea"),
        ),
        on_reject=reject_reminder,
        detail_template="billing/review_reminder.html",
        auto_allowed=level != StepLevel.FORMAL_NOTICE,
    )


for _level, _label in (
    (StepLevel.COURTESY, "Relance : rappel de courtoisie avant échéance"),
    (StepLevel.REMINDER, "Relance : première relance"),
    (StepLevel.FIRM, "Relance : relance ferme"),
    (StepLevel.FORMAL_NOTICE, "Relance : mise en demeure"),
):
    register_review_handler(_handler(_level, _label))

register_webhook_event("invoice.issued", "Une facture ou un avoir a été émis")
register_webhook_event("invoice.overdue", "Une facture client est passée en retard")
register_webhook_event("invoice.paid", "Une facture est entièrement réglée")
register_webhook_event("reminder.sent", "Une relance a été envoyée à un client")


def _demo_loader(company, dataset, stdout=None):
    from etabli.billing.services.demo import load

    load(company, dataset, stdout=stdout)


register_demo_loader(10, "facturation", _demo_loader)

from etabli.billing.api import router

register_api_router("/billing", router)

from etabli.billing.services.jobs import daily_pass_job
from etabli.core.services.jobs import register_job_kind

register_job_kind("billing.daily_pass", daily_pass_job)


def _receivables_card(company):
    """Aujourd'hui: what customers owe, and how much of it is late."""
    from django.urls import reverse

    from etabli.billing.selectors import receivables_summary
    from etabli.common.formats import format_eur
    from etabli.core.registry import HomeCard

    data = receivables_summary(company)
    if not data.open_count:
        return None
    detail = f"dont {format_eur(data.overdue)} en retard ({data.overdue_count} facture(s))" if data.overdue_count else \
        "aucune facture en retard"
    return HomeCard(title="Encours clients", value=format_eur(data.outstanding, 0), detail=detail,
                    link_url=reverse("billing:dashboard"), link_label="Voir les encours et les risques",
                    tone="warning" if data.overdue_count else "")


from etabli.core.registry import register_home_card  # noqa: E402

register_home_card(20, "billing.receivables", "billing.view", _receivables_card)
