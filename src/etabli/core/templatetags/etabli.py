"""Template filters for French formats and permissions (loaded everywhere as a builtin)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from etabli.common.formats import format_date, format_eur, format_number, format_percent

register = template.Library()


@register.filter
def eur(value, decimals: int = 2) -> str:
    """{{ amount|eur }} → 1 234,56 €"""
    if value in (None, ""):
        return "—"
    return format_eur(value, int(decimals))


@register.filter
def frnum(value, decimals: int = 0) -> str:
    if value in (None, ""):
        return "—"
    return format_number(value, int(decimals))


@register.filter
def frdate(value) -> str:
    """{{ day|frdate }} → 26/11/2026 (datetimes shown in the local time zone)."""
    if value in (None, ""):
        return "—"
    if hasattr(value, "tzinfo") and hasattr(value, "hour") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return format_date(value)


@register.filter
def frdatetime(value) -> str:
    if value in (None, ""):
        return "—"
    value = timezone.localtime(value) if getattr(value, "tzinfo", None) else value
    return value.strftime("%d/%m/%Y à %H:%M")


@register.filter
def percent(value, decimals: int = 0) -> str:
    """A ratio 0–1 → "82 %"."""
    if value in (None, ""):
        return "—"
    return format_percent(value, int(decimals))


@register.filter
def can(membership, permission: str) -> bool:
    """{% if active_membership|can:"billing.approve" %}"""
    return bool(membership) and membership.can(permission)


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)
