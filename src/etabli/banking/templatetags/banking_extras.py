"""Filters for the banking pages: dates and amounts that arrive as ISO strings from the stored analyses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import template

from etabli.common.formats import format_date

register = template.Library()


@register.filter
def isodate(value) -> str:
    """« 2026-12-29 » → « 29/12/2026 » (already-dates pass through)."""
    if value in (None, ""):
        return "—"
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return format_date(value)


@register.filter
def signclass(value) -> str:
    """CSS class of an amount: money out is shown in red."""
    try:
        return "amount-out" if Decimal(str(value)) < 0 else "amount-in"
    except (InvalidOperation, ValueError):
        return ""


@register.filter
def absval(value):
    try:
        return abs(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return value


@register.filter
def scenario_label(value: str) -> str:
    return {"pessimistic": "pessimiste", "realistic": "réaliste", "optimistic": "optimiste"}.get(value, value)
