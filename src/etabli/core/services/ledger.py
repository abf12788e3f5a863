"""Time-saved ledger: each automation records the minutes it saved (defaults per action, company overrides)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from etabli.core.models import Company, TimeSaved
from etabli.core.registry import registry

SETTINGS_KEY = "time_saved_minutes"


def minutes_for(company: Company, action_key: str) -> Decimal:
    """The minutes one occurrence of an action saves for this company (its own figure, else the default)."""
    override = (company.settings or {}).get(SETTINGS_KEY, {}).get(action_key)
    if override is not None:
        return Decimal(str(override))
    action = registry.time_saved_actions.get(action_key)
    if action is None:
        raise KeyError(f"Unknown time-saved action {action_key!r}: register it with register_time_saved_action")
    return action.default_minutes


def record_time_saved(
    *,
    company: Company,
    action_key: str,
    minutes: Decimal | float | None = None,
    automated: bool = False,
    object_ref: str = "",
    review_item=None,
    occurred_at: dt.datetime | None = None,
    count: int = 1,
) -> TimeSaved:
    action = registry.time_saved_actions.get(action_key)
    if action is None:
        raise KeyError(f"Unknown time-saved action {action_key!r}")
    value = Decimal(str(minutes)) if minutes is not None else minutes_for(company, action_key) * count
    if value < 0:
        raise ValueError("Le temps gagné ne peut pas être négatif.")
    return TimeSaved.objects.create(
        company=company,
        use_case=action.use_case,
        action=action_key,
        minutes=value,
        automated=automated,
        object_ref=object_ref[:120],
        review_item=review_item,
        occurred_at=occurred_at or timezone.now(),
    )


def set_minutes_override(*, company: Company, action_key: str, minutes: Decimal | None) -> None:
    """The owner's own estimate for an action (None restores the default)."""
    if action_key not in registry.time_saved_actions:
        raise KeyError(action_key)
    settings = dict(company.settings or {})
    overrides = dict(settings.get(SETTINGS_KEY, {}))
    if minutes is None:
        overrides.pop(action_key, None)
    else:
        if Decimal(str(minutes)) < 0:
            raise ValueError("Le temps gagné ne peut pas être négatif.")
        overrides[action_key] = str(minutes)
    settings[SETTINGS_KEY] = overrides
    company.settings = settings
    company.save(update_fields=["settings"])
