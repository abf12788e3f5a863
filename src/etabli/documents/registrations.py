"""The documents app's hooks into the core: module and role defaults, menus, use case and time saved,
review handlers (filing, purchase entry), webhook events, demo loader, API router and job kind."""

from __future__ import annotations

from etabli.core.registry import (
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
        key="documents",
        label="Documents (GED)",
        actions=("view", "edit", "approve", "export", "admin"),
        defaults={
            "manager": ("view", "edit", "approve", "export"),
            "accountant": ("view", "edit", "approve", "export"),
            "employee": ("view", "edit"),
            "readonly": ("view",),
        },
        menu=(
            MenuEntry("Documents", "documents:list", "administratif", order=10),
            MenuEntry("Déposer des documents", "documents:upload", "administratif", order=11,
                      permission="documents.edit"),
        ),
    )
)

register_use_case("documents.intake", "Gestion documentaire (GED IA) : lecture, classement, saisie")

# Guide ch. 4.1 (Mathieu, climatisation): 40–50 documents a day take 1h30 of filing, searching and typing,
# i.e. about 2 minutes each; with the GED IA the owner checks the extracted fields in one click, 10 to 30
# seconds a document (« Temps total : 10-30 secondes par document »). Saved: 2 min − ~20 s ≈ 1.5 min.
register_time_saved_action(
    "documents.filed", use_case="documents.intake", default_minutes=1.5,
    label="Document lu, classé et ses champs vérifiés en un clic (≈ 2 min → 20 s, guide ch. 4.1)",
)
# Guide ch. 10.5: « Scan/photo facture → Données extraites → Écriture générée — Temps : 30 sec vs 5 min
# manuellement », i.e. 4.5 minutes saved per purchase entry.
register_time_saved_action(
    "documents.entry_booked", use_case="documents.intake", default_minutes=4.5,
    label="Écriture d'achat générée depuis la facture lue (5 min → 30 s, guide ch. 10.5)",
)


def _apply_filing(item, payload, user):
    from etabli.documents.services.validation import apply_filing

    return apply_filing(item, payload, user)


def _reject_filing(item, user):
    from etabli.documents.services.validation import reject_filing

    reject_filing(item, user)


def _apply_entry(item, payload, user):
    from etabli.documents.services.validation import apply_entry

    return apply_entry(item, payload, user)


def _reject_entry(item, user):
    from etabli.documents.services.validation import reject_entry

    reject_entry(item, user)


def _edit_fields(kind: str):
    from etabli.documents import reviewspec

    return reviewspec.FILING_EDIT_FIELDS if kind == "file" else reviewspec.ENTRY_EDIT_FIELDS


for _kind, _label, _auto in (
    ("documents.file", "Classer un document lu par l'IA", True),
    ("documents.file_checked", "Classer un document (validation humaine obligatoire)", False),
):
    register_review_handler(ReviewHandler(
        kind=_kind, label=_label, use_case="documents.intake", apply=_apply_filing, permission="documents.approve",
        time_saved_action="documents.filed", edit_fields=_edit_fields("file"), on_reject=_reject_filing,
        detail_template="documents/_review_document.html", auto_allowed=_auto,
    ))
for _kind, _label, _auto in (
    ("documents.entry", "Comptabiliser une facture fournisseur", True),
    ("documents.entry_checked", "Comptabiliser une facture fournisseur (validation humaine obligatoire)", False),
):
    register_review_handler(ReviewHandler(
        kind=_kind, label=_label, use_case="documents.intake", apply=_apply_entry, permission="documents.approve",
        time_saved_action="documents.entry_booked", edit_fields=_edit_fields("entry"), on_reject=_reject_entry,
        detail_template="documents/_review_entry.html", auto_allowed=_auto,
    ))

register_webhook_event("document.received", "Un document a été reçu (dépôt, dossier, e-mail, API)")
register_webhook_event("document.filed", "Un document a été validé et classé")


def _demo_loader(company, dataset, stdout=None):
    from etabli.documents.demo import load

    load(company, dataset, stdout=stdout)


register_demo_loader(40, "documents", _demo_loader)

from etabli.documents.api import router

register_api_router("/documents", router)

from etabli.core.services.jobs import register_job_kind
from etabli.documents.services.batch import run_ingest_job

register_job_kind("documents.ingest", run_ingest_job)
