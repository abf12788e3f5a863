"""Alerts feed: dated, explained warnings from any module, with a link to act; one feed, one daily digest."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from etabli.core.models.tenancy import CompanyScopedModel


class Severity(models.TextChoices):
    INFO = "info", _("Information")
    WARNING = "warning", _("Attention")
    CRITICAL = "critical", _("Urgent")


SEVERITY_RANK = {Severity.CRITICAL: 0, Severity.WARNING: 1, Severity.INFO: 2}


class Alert(CompanyScopedModel):
    source = models.CharField(_("module"), max_length=40)
    code = models.CharField(_("code"), max_length=200, help_text=_("Une alerte active par code et entreprise."))
    severity = models.CharField(_("gravité"), max_length=10, choices=Severity.choices, default=Severity.INFO)
    message = models.CharField(_("message"), max_length=500)
    detail = models.TextField(_("détail"), blank=True)
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    link_url = models.CharField(_("lien"), max_length=500, blank=True)
    link_label = models.CharField(_("libellé du lien"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    snoozed_until = models.DateTimeField(_("reportée jusqu'au"), null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("alerte")
        verbose_name_plural = _("alertes")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code"],
                condition=models.Q(dismissed_at__isnull=True, resolved_at__isnull=True),
                name="unique_open_alert_code",
            )
        ]

    def __str__(self) -> str:
        return self.message
