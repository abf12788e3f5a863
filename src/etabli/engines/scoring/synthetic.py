"""Synthetic invoice histories for tests and benchmarks (deterministic for a given seed).

Why synthetic: a TPE's real history is private and small; tests need a history whose mechanisms are
known (who is a late payer, which sector pays slowly) to check that the engine finds them. The world
simulated here is an assumption, stated once:
- customer profiles: loyal (rarely late, small delays), average, late payer (often late, long delays),
  and new customers who appear during the period with a profile drawn from the same mix;
- sectors shift the late odds: public bodies and construction pay later, services earlier;
- an invoice far above the customer's usual amount, longer terms, and invoices issued in July/August or
  December are more often late;
- a customer who has an unpaid overdue invoice tends to be late again (contagion);
- delays of late invoices follow a gamma law whose scale depends on the profile; on-time invoices are
  paid on or up to 10 days before the due date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from etabli.common.money import round_cents
from etabli.engines.scoring.errors import ScoringError
from etabli.engines.scoring.invoices import InvoiceRecord

PROFILES: dict[str, tuple[float, float]] = {
    # profile: (base log-odds of being late, delay scale in days when late)
    "loyal": (-2.2, 6.0),
    "average": (-0.7, 12.0),
    "late_payer": (0.9, 24.0),
}
SECTOR_EFFECTS: dict[str, float] = {
    "BTP": 0.45,
    "Collectivité": 0.6,
    "Commerce": 0.0,
    "Industrie": -0.1,
    "Restauration": 0.3,
    "Services": -0.3,
}
_PROFILE_MIX = {"loyal": 0.5, "average": 0.32, "late_payer": 0.18}
_TERMS = (30, 45, 60, 15)
_TERMS_WEIGHTS = (0.6, 0.2, 0.15, 0.05)


@dataclass(frozen=True)
class SyntheticCustomer:
    customer_id: str
    profile: str
    sector: str
    is_new: bool
    since: dt.date


@dataclass(frozen=True)
class SyntheticHistory:
    records: list[InvoiceRecord]
    customers: dict[str, SyntheticCustomer]
    start: dt.date
    end: dt.date


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    return dt.date(day.year + month_index // 12, month_index % 12 + 1, 1)


def generate_invoice_history(
    *,
    seed: int = 0,
    n_customers: int = 40,
    months: int = 24,
    start: dt.date = dt.date(2024, 1, 1),
    new_customer_share: float = 0.2,
    invoices_per_customer_month: float = 0.7,
) -> SyntheticHistory:
    """A company's invoice history over `months` months; invoices unpaid at the end stay open.

    With the defaults: about 40 customers and 600–700 invoices over two years, a TPE's order of size.
    """
    if n_customers < 1 or months < 1:
        raise ScoringError("Il faut au moins un client et un mois d'historique.")
    if not 0 <= new_customer_share < 1 or invoices_per_customer_month <= 0:
        raise ScoringError("Paramètres du générateur invalides.")
    rng = np.random.default_rng(seed)
    start = dt.date(start.year, start.month, 1)
    end = _add_months(start, months) - dt.timedelta(days=1)
    n_days = (end - start).days + 1
    sectors = list(SECTOR_EFFECTS)
    profiles = list(_PROFILE_MIX)
    profile_p = np.array(list(_PROFILE_MIX.values()))

    customers: dict[str, SyntheticCustomer] = {}
    records: list[InvoiceRecord] = []
    pending: list[tuple[int, str, int, int, float, int]] = []  # (issue, customer, due, terms, amount, idx)
    plans: list[dict[str, object]] = []
    for c in range(n_customers):
        customer_id = f"C{c + 1:04d}"
        is_new = bool(rng.random() < new_customer_share)
        profile = str(rng.choice(profiles, p=profile_p))
        sector = str(rng.choice(sectors))
        arrival = int(rng.integers(n_days // 3, n_days - 30)) if is_new else 0
        since = (
            start + dt.timedelta(days=arrival)
            if is_new
            else start - dt.timedelta(days=int(rng.integers(60, 3000)))
        )
        customers[customer_id] = SyntheticCustomer(customer_id, profile, sector, is_new, since)
        plans.append(
            {
                "id": customer_id,
                "arrival": arrival,
                "rate": float(rng.gamma(2.0, invoices_per_customer_month / 2.0)),
                "usual": float(np.exp(rng.normal(np.log(1500), 0.9))),
                "terms": int(rng.choice(_TERMS, p=_TERMS_WEIGHTS)),
                "effect": float(rng.normal(0, 0.4)),
            }
        )

    for plan in plans:
        day = int(plan["arrival"])  # type: ignore[arg-type]
        rate_per_day = float(plan["rate"]) / 30.4  # type: ignore[arg-type]
        while True:
            day += int(np.ceil(rng.exponential(1 / rate_per_day)))
            if day >= n_days:
                break
            big = rng.random() < 0.06
            amount = float(plan["usual"]) * float(np.exp(rng.normal(0, 0.35)))  # type: ignore[arg-type]
            if big:
                amount *= float(rng.uniform(3, 6))
            terms = int(plan["terms"]) if rng.random() > 0.15 else int(rng.choice(_TERMS))  # type: ignore[call-overload]
            pending.append((day, str(plan["id"]), day + terms, terms, max(amount, 20.0), len(pending)))

    pending.sort()
    # Simulate in issue order so that contagion sees the customer's overdue invoices at issue time.
    paid_day: dict[int, float] = {}
    by_customer: dict[str, list[tuple[int, int]]] = {}
    for issue, customer_id, due, terms, amount, index in pending:
        customer = customers[customer_id]
        plan = plans[int(customer_id[1:]) - 1]
        base, scale = PROFILES[customer.profile]
        overdue_now = sum(
            1
            for other_due, other in by_customer.get(customer_id, [])
            if other_due < issue and paid_day[other] > issue
        )
        month = (start + dt.timedelta(days=issue)).month
        log_odds = (
            base
            + SECTOR_EFFECTS[customer.sector]
            + float(plan["effect"])  # type: ignore[arg-type]
            + 0.6 * float(np.log(amount / float(plan["usual"])))  # type: ignore[arg-type]
            + 0.5 * (terms - 30) / 30
            + (0.35 if month in (7, 8, 12) else 0.0)
            + 0.6 * min(overdue_now, 2)
        )
        is_late = rng.random() < 1 / (1 + np.exp(-log_odds))
        if is_late:
            delay = 1 + float(rng.gamma(1.5, scale / 1.5))
        else:
            delay = -float(rng.integers(0, 11)) if rng.random() < 0.6 else 0.0
        paid = max(issue, due + round(delay))
        if rng.random() < 0.01:
            paid = 10**9  # never paid
        paid_day[index] = paid
        by_customer.setdefault(customer_id, []).append((due, index))
        records.append(
            InvoiceRecord(
                invoice_id=f"F{index + 1:05d}",
                customer_id=customer_id,
                issue_date=start + dt.timedelta(days=issue),
                due_date=start + dt.timedelta(days=due),
                amount=round_cents(Decimal(str(round(amount, 2)))),
                paid_date=None if paid >= n_days else start + dt.timedelta(days=int(paid)),
                sector=customer.sector,
                customer_since=customer.since,
                payment_terms_days=terms,
            )
        )
    records.sort(key=lambda r: (r.issue_date, r.invoice_id))
    return SyntheticHistory(records=records, customers=customers, start=start, end=end)


__all__ = ["PROFILES", "SECTOR_EFFECTS", "SyntheticCustomer", "SyntheticHistory", "generate_invoice_history"]
