"""The audit log: one entry per write, with who did it, through which channel, and before/after values."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import uuid
from typing import Any

from django.db import models

from etabli.core.context import audit_is_suspended, current_actor
from etabli.core.models import AuditAction, AuditEntry, Company

#: Field names whose value never goes into the log.
REDACTED_FIELDS = {"password", "token_hash", "secret", "key", "otp_secret", "api_key"}
REDACTED = "•••"


def json_value(value: Any) -> Any:
    """Make a model field value JSON-able for the before/after record."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict | list):
        return value
    if hasattr(value, "name"):  # FieldFile
        return value.name or ""
    return str(value)


def snapshot(instance: models.Model) -> dict[str, Any]:
    """Field values of a row (foreign keys by id), secrets redacted."""
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        name = field.attname
        value = getattr(instance, name)
        if field.name in REDACTED_FIELDS:
            # A short fingerprint tells "changed" from "unchanged" without keeping anything usable.
            values[field.name] = REDACTED + hashlib.sha256(str(value).encode()).hexdigest()[:8]
        else:
            values[field.name] = json_value(value)
    return values


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, list[Any]]:
    before = before or {}
    after = after or {}
    keys = sorted(set(before) | set(after))
    changes = {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}
    for key in REDACTED_FIELDS & set(changes):
        changes[key] = [REDACTED if before.get(key) else None, f"{REDACTED} (modifié)" if after.get(key) else None]
    return changes


def company_of(instance: models.Model) -> Company | None:
    if isinstance(instance, Company):
        return instance
    company_id = getattr(instance, "company_id", None)
    return Company(pk=company_id) if company_id else None


def record(
    *,
    action: str,
    company: Company | None = None,
    model: str = "",
    object_id: Any = "",
    object_repr: str = "",
    changes: dict | None = None,
    force: bool = False,
) -> AuditEntry | None:
    """Write one audit entry attributed to the current actor (see etabli.core.context)."""
    if audit_is_suspended() and not force:
        return None
    actor = current_actor()
    return AuditEntry.objects.create(
        company_id=company.pk if company else None,
        actor_id=actor.user_id,
        actor_label=actor.label[:200],
        channel=actor.channel,
        action=action,
        model=model,
        object_id=str(object_id or ""),
        object_repr=(object_repr or "")[:255],
        changes=changes or {},
        ip_address=actor.ip_address,
    )


def record_write(instance: models.Model, action: str, before: dict | None, after: dict | None) -> None:
    changes = diff(before, after)
    if action == AuditAction.UPDATE and not changes:
        return
    record(
        action=action,
        company=company_of(instance),
        model=instance._meta.label,
        object_id=instance.pk,
        object_repr=str(instance),
        changes=changes,
    )
