"""AI decision log (AI Act: traceability and human oversight).

Each decision an engine makes for a company (a score, a classification, a match, a generated draft) is one
row: which engine and version, a digest of the input (not the input itself: personal data stays where it
is), the output, the confidence, the explanation in French, and what a person later did with it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from etabli.core.models.tenancy import CompanyScopedModel


class Override(models.TextChoices):
    NONE = "", _("Aucune")
    ACCEPTED = "accepted", _("Acceptée")
    EDITED = "edited", _("Modifiée")
    REJECTED = "rejected", _("Refusée")
    AUTO = "auto", _("Appliquée automatiquement")


class AIDecision(CompanyScopedModel):
    use_case = models.CharField(_("cas d'usage"), max_length=80, db_index=True)
    engine = models.CharField(_("moteur"), max_length=80)
    engine_version = models.CharField(_("version"), max_length=40, blank=True)
    input_digest = models.CharField(_("empreinte de l'entrée"), max_length=64)
    input_summary = models.CharField(_("entrée (résumé)"), max_length=500, blank=True)
    output = models.JSONField(_("sortie"), default=dict)
    confidence = models.FloatField(_("confiance"), null=True, blank=True)
    explanation = models.JSONField(_("explication"), default=list, blank=True)
    generated_text = models.BooleanField(_("texte généré"), default=False)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    override = models.CharField(_("décision humaine"), max_length=20, choices=Override.choices, blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    override_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("décision IA")
        verbose_name_plural = _("journal des décisions IA")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["company", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.use_case} ({self.engine})"
