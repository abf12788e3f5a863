"""API tokens and outgoing webhooks, so n8n/Zapier-style tools can read data and react to events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from etabli.core.models.tenancy import CompanyScopedModel


class ApiToken(CompanyScopedModel):
    """A per-user token scoped to one company. Only a SHA-256 of the secret is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nom"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    read_only = models.BooleanField(_("lecture seule"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class WebhookEndpoint(CompanyScopedModel):
    url = models.URLField(_("adresse de réception"), max_length=500)
    secret = models.CharField(_("secret de signature"), max_length=80)
    events = models.JSONField(_("événements"), default=list, help_text=_("Liste vide = tous les événements."))
    is_active = models.BooleanField(_("actif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.url

    def wants(self, event: str) -> bool:
        return self.is_active and (not self.events or event in self.events)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    SUCCEEDED = "succeeded", _("Livré")
    FAILED = "failed", _("Échec")


class WebhookDelivery(CompanyScopedModel):
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("événement"), max_length=80)
    event_id = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("envoi de webhook")
        verbose_name_plural = _("envois de webhook")
        ordering = ["-created_at"]
