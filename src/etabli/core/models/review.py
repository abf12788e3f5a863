"""Review queue: "L'IA propose, vous décidez".

Any proposal with money, people or customers at stake (send a reminder, book an entry, match a bank line,
file a document, hand a chat to a human) becomes a ReviewItem with its payload, confidence and reasons in
French. A handler registered by the owning app applies it on acceptance. Auto-mode (AutoRule) accepts above a
confidence threshold, per rule, and is logged the same way.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from etabli.core.models.tenancy import CompanyScopedModel


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("À valider")
    ACCEPTED = "accepted", _("Acceptée")
    EDITED = "edited", _("Acceptée après modification")
    AUTO_ACCEPTED = "auto_accepted", _("Acceptée automatiquement")
    REJECTED = "rejected", _("Refusée")
    EXPIRED = "expired", _("Expirée")


DECIDED_STATUSES = (ReviewStatus.ACCEPTED, ReviewStatus.EDITED, ReviewStatus.AUTO_ACCEPTED)


class ReviewItem(CompanyScopedModel):
    kind = models.CharField(_("type"), max_length=80, db_index=True)
    title = models.CharField(_("titre"), max_length=255)
    summary = models.TextField(_("résumé"), blank=True)
    payload = models.JSONField(_("proposition"), default=dict)
    edited_payload = models.JSONField(_("proposition modifiée"), null=True, blank=True)
    confidence = models.FloatField(_("confiance"), null=True, blank=True)
    reasons = models.JSONField(_("raisons"), default=list, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING, db_index=True
    )
    link_url = models.CharField(_("lien"), max_length=500, blank=True)
    # Idempotence: a module proposing the same thing twice (daily pass) finds the pending item instead.
    dedupe_key = models.CharField(max_length=200, blank=True)
    ai_decision = models.ForeignKey(
        "core.AIDecision", null=True, blank=True, on_delete=models.SET_NULL, related_name="review_items"
    )
    result = models.JSONField(_("résultat"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    reject_reason = models.TextField(_("motif du refus"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("à traiter avant"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("proposition à valider")
        verbose_name_plural = _("propositions à valider")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["company", "status", "-created_at"]),
            models.Index(fields=["company", "-created_at"]),  # the "all statuses" list, newest first
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "dedupe_key"],
                condition=models.Q(status="pending") & ~models.Q(dedupe_key=""),
                name="unique_pending_review_dedupe_key",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_pending(self) -> bool:
        return self.status == ReviewStatus.PENDING

    @property
    def effective_payload(self) -> dict:
        return self.edited_payload if self.edited_payload is not None else self.payload


class AutoRule(CompanyScopedModel):
    """Per-company, per-kind auto-mode: accept proposals at or above `min_confidence` without a click."""

    kind = models.CharField(_("type de proposition"), max_length=80)
    enabled = models.BooleanField(_("mode automatique"), default=False)
    min_confidence = models.FloatField(_("confiance minimale"), default=0.95)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("règle de validation automatique")
        verbose_name_plural = _("règles de validation automatique")
        constraints = [models.UniqueConstraint(fields=["company", "kind"], name="unique_autorule_kind")]
