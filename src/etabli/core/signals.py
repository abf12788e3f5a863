"""Audit every write made through the ORM on Établi's own models, and every login.

Bulk writes (queryset.update, bulk_create) bypass signals; services that use them call
etabli.core.services.audit.record themselves.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from etabli.core.context import audit_is_suspended
from etabli.core.models import AuditAction, AuditEntry
from etabli.core.services import audit

#: Models that are logs themselves or change many times a second: auditing them would only add noise.
NOT_AUDITED = {
    "core.AuditEntry",
    "core.AIDecision",
    "core.TimeSaved",
    "core.Job",
    "core.WebhookDelivery",
    "core.LLMUsage",
    "assistant.Message",  # chat messages: the conversation itself is the record
}


def is_audited(sender) -> bool:
    meta = sender._meta
    app_name = getattr(meta.app_config, "name", "")  # None for historical models inside migrations
    return app_name.startswith("etabli.") and meta.label not in NOT_AUDITED and not meta.proxy


@receiver(pre_save, dispatch_uid="etabli_audit_pre_save")
def remember_previous_state(sender, instance, raw=False, **kwargs):
    if raw or audit_is_suspended() or not is_audited(sender) or instance.pk is None:
        return
    previous = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = audit.snapshot(previous) if previous is not None else None


@receiver(post_save, dispatch_uid="etabli_audit_post_save")
def audit_save(sender, instance, created, raw=False, **kwargs):
    if raw or audit_is_suspended() or not is_audited(sender):
        return
    before = None if created else getattr(instance, "_audit_before", None)
    action = AuditAction.CREATE if created or before is None else AuditAction.UPDATE
    audit.record_write(instance, action, before, audit.snapshot(instance))


@receiver(post_delete, dispatch_uid="etabli_audit_post_delete")
def audit_delete(sender, instance, **kwargs):
    if audit_is_suspended() or not is_audited(sender):
        return
    audit.record_write(instance, AuditAction.DELETE, audit.snapshot(instance), None)


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


@receiver(user_logged_in, dispatch_uid="etabli_audit_login")
def audit_login(sender, request, user, **kwargs):
    AuditEntry.objects.create(
        actor=user, actor_label=user.email, channel="web", action=AuditAction.LOGIN,
        model="core.User", object_id=str(user.pk), object_repr=user.email, ip_address=_ip(request),
    )


@receiver(user_logged_out, dispatch_uid="etabli_audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        AuditEntry.objects.create(
            actor=user, actor_label=user.email, channel="web", action=AuditAction.LOGOUT,
            model="core.User", object_id=str(user.pk), object_repr=user.email, ip_address=_ip(request),
        )


@receiver(user_login_failed, dispatch_uid="etabli_audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or credentials.get("email") or "")[:200]
    AuditEntry.objects.create(
        actor_label=username, channel="web", action=AuditAction.LOGIN_FAILED,
        model="core.User", object_repr=username, ip_address=_ip(request),
    )
