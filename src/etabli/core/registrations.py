"""The core's own modules, use cases and webhook events (apps register theirs the same way)."""

from __future__ import annotations

from etabli.core.registry import (
    MenuEntry,
    ModuleSpec,
    register_module,
    register_use_case,
    register_webhook_event,
)

ALL_ROLES_VIEW = {role: ("view",) for role in ("manager", "accountant", "employee", "readonly")}

register_module(
    ModuleSpec(
        key="home",
        label="Aujourd'hui",
        defaults=ALL_ROLES_VIEW,
        menu=(MenuEntry("Aujourd'hui", "core:home", "", order=0),),
    )
)
register_module(
    ModuleSpec(
        key="reviews",
        label="Propositions à valider",
        actions=("view", "approve", "admin"),
        defaults={
            "manager": ("view", "approve"),
            "accountant": ("view", "approve"),
            "employee": ("view",),
            "readonly": ("view",),
        },
        menu=(MenuEntry("À valider", "core:reviews", "", order=1),),
    )
)
register_module(
    ModuleSpec(
        key="alerts",
        label="Alertes",
        actions=("view", "edit"),
        defaults={
            "manager": ("view", "edit"),
            "accountant": ("view", "edit"),
            "employee": ("view", "edit"),
            "readonly": ("view",),
        },
        menu=(MenuEntry("Alertes", "core:alerts", "pilotage", order=10),),
    )
)
register_module(
    ModuleSpec(
        key="roi",
        label="Retour sur investissement",
        actions=("view", "edit"),
        defaults={"manager": ("view",), "accountant": ("view",)},
        menu=(MenuEntry("Retour sur investissement", "core:roi", "pilotage", order=20),),
    )
)
register_module(
    ModuleSpec(
        key="ailog",
        label="Journal des décisions IA",
        actions=("view",),
        defaults={"manager": ("view",), "accountant": ("view",)},
        menu=(MenuEntry("Journal des décisions IA", "core:ailog", "conformite", order=10),),
    )
)
register_module(
    ModuleSpec(
        key="audit",
        label="Journal d'audit",
        actions=("view",),
        defaults={},
        menu=(MenuEntry("Journal d'audit", "core:audit", "conformite", order=20),),
    )
)
register_module(
    ModuleSpec(
        key="data",
        label="Export des données",
        actions=("export",),
        defaults={"accountant": ("export",)},
        menu=(MenuEntry("Export des données", "core:export", "conformite", order=30, permission="data.export"),),
    )
)
register_module(
    ModuleSpec(
        key="settings",
        label="Réglages de l'entreprise",
        actions=("view", "admin"),
        defaults={"manager": ("view",), "accountant": ("view",)},
    )
)
register_module(ModuleSpec(key="members", label="Utilisateurs et rôles", actions=("view", "admin"),
                           defaults={"manager": ("view",)}))
register_module(
    ModuleSpec(
        key="api",
        label="API et webhooks",
        actions=("edit", "admin"),
        defaults={"manager": ("edit",), "accountant": ("edit",)},
    )
)

register_use_case("core.review", "File de validation")
register_use_case("core.digest", "Résumé quotidien")

register_webhook_event("review.created", "Une proposition attend une validation")
register_webhook_event("review.decided", "Une proposition a été acceptée ou refusée")
register_webhook_event("alert.raised", "Une alerte a été levée")
register_webhook_event("job.finished", "Une tâche de fond est terminée")

from etabli.core.services.export import run_export_job  # noqa: E402
from etabli.core.services.jobs import register_job_kind  # noqa: E402

register_job_kind("core.export", run_export_job)
