"""Monthly budget: status, 80 % warning, hard cap, month rollover."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from etabli.engines.llm import Budget, BudgetLimit, InMemoryBudget, LLMError, Pricing, Spend, budget_status
from etabli.engines.llm.budget import would_exceed


def test_status_ratio_warning_and_exceeded() -> None:
    budget = InMemoryBudget(limit_tokens=1000)
    assert isinstance(budget, Budget)
    budget.record(799, Decimal(0))
    status = budget_status(budget)
    assert (status.warning, status.exceeded) == (False, False)
    budget.record(1, Decimal(0))
    status = budget_status(budget)
    assert (status.warning, status.exceeded, status.ratio) == (True, False, 0.8)
    assert status.message_fr.startswith("Attention : 80 % du budget IA mensuel")
    budget.record(200, Decimal(0))
    status = budget_status(budget)
    assert status.exceeded and "suspendue" in status.message_fr


def test_hard_cap_counts_the_projected_call() -> None:
    budget = InMemoryBudget(limit_tokens=1000)
    budget.record(900, Decimal(0))
    assert not would_exceed(budget, Spend(100))
    assert would_exceed(budget, Spend(101))


def test_cost_cap_and_the_higher_ratio_wins() -> None:
    budget = InMemoryBudget(limit_tokens=1_000_000, limit_cost="10")
    budget.record(1000, Decimal("9.5"))
    status = budget_status(budget)
    assert status.ratio == pytest.approx(0.95) and status.warning
    assert "9,50 € / 10,00 €" in status.message_fr
    assert would_exceed(budget, Spend(0, Decimal("0.51")))


def test_month_rollover_resets_the_spend() -> None:
    today = [dt.date(2026, 11, 30)]
    budget = InMemoryBudget(limit_tokens=100, today=lambda: today[0])
    budget.record(100, Decimal(0))
    assert budget_status(budget).exceeded
    today[0] = dt.date(2026, 12, 1)
    assert budget.spent_this_month() == Spend()
    assert not budget_status(budget).exceeded


def test_app_budgets_may_return_plain_numbers() -> None:
    class AppBudget:
        limit = 500
        warn_ratio = 0.5

        def spent_this_month(self) -> tuple[int, str]:
            return (300, "0.00")

        def record(self, tokens: int, cost: Decimal) -> None:
            raise AssertionError("not called here")

    status = budget_status(AppBudget())  # type: ignore[arg-type]
    assert status.limit == BudgetLimit(tokens=500)
    assert status.spent.tokens == 300 and status.warning


def test_pricing_keeps_sub_cent_costs() -> None:
    pricing = Pricing(input_per_million=Decimal("0.25"), output_per_million=Decimal("0.75"))
    assert pricing.cost(1000, 1000) == Decimal("0.001000")
    assert Pricing().cost(10**6, 10**6) == 0


def test_bad_budget_values_raise_french_errors() -> None:
    with pytest.raises(LLMError, match="négative"):
        InMemoryBudget(limit_tokens=10).record(-1, Decimal(0))
    with pytest.raises(LLMError, match="Plafond"):
        BudgetLimit(tokens=-5)
    with pytest.raises(LLMError, match="Seuil"):
        InMemoryBudget(warn_ratio=1.5)
