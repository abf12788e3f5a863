"""Plain inputs and outputs of the reconciliation engine.

Why plain dataclasses: the banking app adapts its rows (invoices read through the billing app's selectors,
bank lines from the statements engine) to these, and stores the results as review items; the engine never
sees a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from etabli.engines.statements.model import StatementLine

ItemKind = Literal["customer", "supplier"]
Decision = Literal["auto", "suggestion", "category", "unmatched"]
CandidateKind = Literal["single", "group", "partial"]


class MatchingError(ValueError):
    """Inputs the matching engine cannot work with (French message)."""


@dataclass(frozen=True)
class OpenItem:
    """An open customer or supplier invoice (or credit note).

    ``amount_open`` is signed from the bank's point of view: what the bank line should show when it is
    paid. A customer invoice is positive (money in), a supplier invoice negative (money out), a customer
    credit note negative. It is the amount still due (after earlier partial payments).
    """

    id: str | int
    kind: ItemKind
    number: str
    partner_name: str
    amount_open: Decimal
    due_date: date | None = None
    issue_date: date | None = None
    partner_iban: str = ""
    references: tuple[str, ...] = ()
    #: Groups the invoices of one partner; defaults to the normalised partner name.
    partner_id: str | int | None = None


@dataclass(frozen=True)
class Allocation:
    """How much of a line settles one item, and what stays open on it afterwards."""

    item_id: str | int
    number: str
    amount: Decimal
    remaining: Decimal


@dataclass(frozen=True)
class Candidate:
    """One way to explain a bank line: one or several items, with a confidence 0–1 and French reasons."""

    kind: CandidateKind
    allocations: tuple[Allocation, ...]
    confidence: float
    reasons: tuple[str, ...]
    partner_key: str
    partner_name: str
    #: line amount − total open of the items (e.g. −12,50 when a customer's bank kept 12,50 € of fees).
    difference: Decimal
    #: PCG account for a difference booked as bank fees (« 627 »), else None.
    writeoff_account: str | None = None
    #: Names of the evidence behind the confidence: amount_exact, amount_fee, amount_partial, reference,
    #: name, alias, iban, date, group, before_issue (for the app's filters and statistics).
    signals: tuple[str, ...] = ()

    @property
    def item_ids(self) -> tuple[str | int, ...]:
        return tuple(allocation.item_id for allocation in self.allocations)


@dataclass(frozen=True)
class CategoryPrediction:
    """A category for a line that is not an invoice payment, with its PCG account and why."""

    code: str
    label: str
    pcg_account: str
    confidence: float
    source: Literal["règle", "règle apprise", "règle par défaut", "modèle"]
    reason: str


@dataclass
class LineResult:
    """What the engine proposes for one bank line."""

    index: int
    line: StatementLine
    decision: Decision
    candidates: list[Candidate]
    explanation: str
    category: CategoryPrediction | None = None
    minutes_saved: float = 0.0

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


@dataclass(frozen=True)
class PastMatch:
    """A bank line the owner (or auto-mode) matched to a partner: what :class:`MatchMemory` learns from."""

    label: str
    partner: str | int
    counterparty_name: str = ""
    counterparty_iban: str = ""


@dataclass(frozen=True)
class TimeSavings:
    """Minutes of manual work each outcome saves (defaults from a bookkeeper's estimate; configurable).

    Matching a line by hand means searching the invoice, checking the amount and lettering it.
    """

    auto_match: float = 3.0
    per_extra_invoice: float = 1.0
    suggestion: float = 1.5
    category: float = 1.0

    def for_result(self, decision: Decision, candidate: Candidate | None) -> float:
        """Minutes saved by an outcome; a suggestion saves time only once the owner accepts it."""
        extra = max(0, len(candidate.allocations) - 1) if candidate else 0
        if decision == "auto":
            return self.auto_match + self.per_extra_invoice * extra
        if decision == "suggestion":
            return self.suggestion + self.per_extra_invoice * extra
        if decision == "category":
            return self.category
        return 0.0


@dataclass(frozen=True)
class MatchingConfig:
    """Tunable thresholds. Defaults were set on synthetic statements (benchmarks/reconciliation.py)."""

    #: Auto-match only at or above this confidence …
    auto_threshold: float = 0.90
    #: … and only when the second candidate is at least this far behind (unambiguous).
    auto_margin: float = 0.25
    #: The owner's switch: without it everything goes to the review queue.
    auto_enabled: bool = True
    #: Below this, a candidate is not worth showing.
    suggestion_threshold: float = 0.20
    #: Bank fees deducted from a payment: up to max(fee_absolute, fee_rate × amount).
    fee_absolute: Decimal = Decimal("30.00")
    fee_rate: Decimal = Decimal("0.03")
    #: Subset-sum: at most this many open items of one partner are combined (exact search, 2^(n/2)).
    max_group_items: int = 22
    #: Subset-sum: at most this many invoices in one grouped payment.
    max_group_size: int = 8
    #: Candidates kept per line.
    max_candidates: int = 5
    #: Partner evidence (0–1) needed to look at a partner's invoices beyond the exact amount.
    partner_threshold: float = 0.35
    savings: TimeSavings = field(default_factory=TimeSavings)
