"""Audit log of every write: who, when, what, before/after. Read-only for everyone, filterable by the owner."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("Création")
    UPDATE = "update", _("Modification")
    DELETE = "delete", _("Suppression")
    LOGIN = "login", _("Connexion")
    LOGIN_FAILED = "login_failed", _("Échec de connexion")
    LOGOUT = "logout", _("Déconnexion")
    EXPORT = "export", _("Export")
    DECISION = "decision", _("Décision")
    OTHER = "other", _("Autre")


class AuditEntry(models.Model):
    # Nullable: some events (a failed login) belong to no company. Company deletion keeps no orphan rows.
    company = models.ForeignKey("core.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("auteur"), max_length=200, blank=True)
    channel = models.CharField(_("canal"), max_length=20, blank=True)  # web, api, cli, job, system
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    model = models.CharField(_("objet"), max_length=80, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("libellé"), max_length=255, blank=True)
    changes = models.JSONField(_("changements"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("entrée du journal d'audit")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["company", "-created_at"])]
