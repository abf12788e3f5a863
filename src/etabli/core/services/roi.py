"""The owner's ROI parameters: monthly cost per use case and own estimate of minutes saved per action."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction

from etabli.core.models import Company, UseCaseCost
from etabli.core.registry import registry
from etabli.core.services import ledger

MINUTES_FIELD_PREFIX = "minutes__"


@transaction.atomic
def set_use_case_cost(*, company: Company, use_case: str, monthly_cost: Decimal) -> UseCaseCost:
    if use_case not in registry.use_cases:
        raise ValueError(f"Cas d'usage inconnu : {use_case}")
    if monthly_cost < 0:
        raise ValueError("Le coût mensuel ne peut pas être négatif.")
    cost, _ = UseCaseCost.objects.update_or_create(
        company=company, use_case=use_case, defaults={"monthly_cost": monthly_cost}
    )
    return cost


@transaction.atomic
def set_costs_and_minutes(*, company: Company, data: dict, raw) -> None:
    """From the ROI page's form: one use-case cost, and any number of `minutes__<action>` fields."""
    if data.get("use_case") and data.get("monthly_cost") is not None:
        set_use_case_cost(company=company, use_case=data["use_case"], monthly_cost=data["monthly_cost"])
    for key, value in raw.items():
        if not key.startswith(MINUTES_FIELD_PREFIX):
            continue
        action_key = key[len(MINUTES_FIELD_PREFIX):]
        if action_key not in registry.time_saved_actions:
            raise ValueError(f"Action inconnue : {action_key}")
        text = str(value).strip().replace(",", ".")
        if not text:
            ledger.set_minutes_override(company=company, action_key=action_key, minutes=None)
            continue
        try:
            minutes = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(f"Minutes invalides pour « {registry.time_saved_actions[action_key].label} ».") from exc
        ledger.set_minutes_override(company=company, action_key=action_key, minutes=minutes)
