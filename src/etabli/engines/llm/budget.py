"""Monthly AI budget per company: a hard cap and a warning at 80 % (ch. 13.2).

Why: "pas de limite de consommation des API" is one of the guide's listed failures — a loop or a bulk
job can burn a month of API credit in an hour. The engine asks the budget before each call and refuses
(the feature then falls back to its template) when the call could cross the cap.

The app implements ``Budget`` with persistence (per company, per month); ``InMemoryBudget`` serves tests
and the command line. Costs are kept at the micro-euro: a single call often costs a fraction of a cent,
and rounding each call to the cent would make a month of small calls cost nothing. Display goes through
``round_cents``.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol, runtime_checkable

from etabli.common.money import round_cents, to_decimal
from etabli.engines.llm.errors import LLMError

MICRO = Decimal("0.000001")
DEFAULT_WARN_RATIO = 0.8


def _micro(value: object) -> Decimal:
    return to_decimal(value).quantize(MICRO, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Spend:
    """Tokens and money (euros) consumed, or to be consumed by a call."""

    tokens: int = 0
    cost: Decimal = Decimal(0)

    def __add__(self, other: Spend) -> Spend:
        return Spend(self.tokens + other.tokens, self.cost + other.cost)


@dataclass(frozen=True)
class BudgetLimit:
    """Hard caps per month; ``None`` means "no cap" on that axis."""

    tokens: int | None = None
    cost: Decimal | None = None

    def __post_init__(self) -> None:
        if self.tokens is not None and (isinstance(self.tokens, bool) or self.tokens < 0):
            raise LLMError(f"Plafond de jetons invalide : {self.tokens!r}.")
        if self.cost is not None:
            cost = to_decimal(self.cost)
            if cost < 0:
                raise LLMError(f"Plafond de coût invalide : {self.cost!r}.")
            object.__setattr__(self, "cost", cost)


@dataclass(frozen=True)
class Pricing:
    """Price of a provider in euros per million tokens (0 for a local model)."""

    input_per_million: Decimal = Decimal(0)
    output_per_million: Decimal = Decimal(0)

    def cost(self, prompt_tokens: int, completion_tokens: int) -> Decimal:
        million = Decimal(1_000_000)
        total = (
            Decimal(prompt_tokens) * to_decimal(self.input_per_million)
            + Decimal(completion_tokens) * to_decimal(self.output_per_million)
        ) / million
        return _micro(total)


@runtime_checkable
class Budget(Protocol):
    """What the engine needs from the app's budget store (one per company)."""

    limit: BudgetLimit
    warn_ratio: float

    def spent_this_month(self) -> Spend: ...

    def record(self, tokens: int, cost: Decimal) -> None: ...


@dataclass(frozen=True)
class BudgetStatus:
    """Where the month stands; ``message_fr`` is ready for a banner."""

    spent: Spend
    limit: BudgetLimit
    ratio: float
    warning: bool
    exceeded: bool

    @property
    def message_fr(self) -> str:
        parts = []
        if self.limit.tokens is not None:
            parts.append(f"{self.spent.tokens:,} / {self.limit.tokens:,} jetons".replace(",", "\u202f"))
        if self.limit.cost is not None:
            parts.append(
                f"{round_cents(self.spent.cost)} € / {round_cents(self.limit.cost)} €".replace(".", ",")
            )
        used = " ; ".join(parts) or "aucun plafond"
        percent = round(self.ratio * 100)
        if self.exceeded:
            return f"Budget IA mensuel atteint ({used}) : l'IA est suspendue jusqu'au mois prochain."
        if self.warning:
            return f"Attention : {percent} % du budget IA mensuel consommé ({used})."
        return f"Budget IA mensuel : {percent} % consommé ({used})."


def as_spend(value: Any) -> Spend:
    """Accept what an app's ``spent_this_month`` may naturally return: Spend, int tokens or (tokens, cost)."""
    if isinstance(value, Spend):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Spend(tokens=value)
    if isinstance(value, tuple) and len(value) == 2:
        return Spend(tokens=int(value[0]), cost=to_decimal(value[1]))
    raise LLMError("Le budget doit renvoyer la consommation du mois sous forme de Spend(jetons, coût).")


def as_limit(value: Any) -> BudgetLimit:
    if isinstance(value, BudgetLimit):
        return value
    if value is None:
        return BudgetLimit()
    if isinstance(value, int) and not isinstance(value, bool):
        return BudgetLimit(tokens=value)
    raise LLMError("Le plafond du budget doit être un BudgetLimit (jetons et/ou coût).")


def _ratio(spent: Spend, limit: BudgetLimit) -> float:
    ratios = [0.0]
    if limit.tokens is not None:
        ratios.append(float("inf") if limit.tokens == 0 else spent.tokens / limit.tokens)
    if limit.cost is not None:
        ratios.append(float("inf") if limit.cost == 0 else float(spent.cost / limit.cost))
    return max(ratios)


def budget_status(budget: Budget, projected: Spend | None = None) -> BudgetStatus:
    """Status of ``budget``, optionally as if ``projected`` were already spent."""
    spent = as_spend(budget.spent_this_month()) + (projected or Spend())
    limit = as_limit(budget.limit)
    ratio = _ratio(spent, limit)
    warn_ratio = float(getattr(budget, "warn_ratio", DEFAULT_WARN_RATIO))
    return BudgetStatus(
        spent=spent, limit=limit, ratio=ratio, warning=ratio >= warn_ratio, exceeded=ratio >= 1.0
    )


def would_exceed(budget: Budget, projected: Spend) -> bool:
    """True when spending ``projected`` on top of this month's use would cross a hard cap."""
    spent = as_spend(budget.spent_this_month()) + projected
    limit = as_limit(budget.limit)
    return (limit.tokens is not None and spent.tokens > limit.tokens) or (
        limit.cost is not None and spent.cost > limit.cost
    )


class InMemoryBudget:
    """A budget kept in memory (tests, command line); resets when the month changes."""

    def __init__(
        self,
        limit_tokens: int | None = None,
        limit_cost: Decimal | str | None = None,
        *,
        warn_ratio: float = DEFAULT_WARN_RATIO,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        if not 0 < warn_ratio <= 1:
            raise LLMError(f"Seuil d'alerte invalide : {warn_ratio!r} (entre 0 et 1).")
        self.limit = BudgetLimit(
            tokens=limit_tokens, cost=None if limit_cost is None else to_decimal(limit_cost)
        )
        self.warn_ratio = warn_ratio
        self._today = today
        self._lock = threading.Lock()
        self._month: tuple[int, int] | None = None
        self._spent = Spend()

    def _current(self) -> Spend:
        today = self._today()
        month = (today.year, today.month)
        if month != self._month:
            self._month, self._spent = month, Spend()
        return self._spent

    def spent_this_month(self) -> Spend:
        with self._lock:
            return self._current()

    def record(self, tokens: int, cost: Decimal) -> None:
        if tokens < 0 or to_decimal(cost) < 0:
            raise LLMError("Une consommation ne peut pas être négative.")
        with self._lock:
            self._spent = self._current() + Spend(int(tokens), _micro(cost))
