"""Deterministic synthetic French SMEs with a known future, for tests and the cash-forecast back-test.

Why synthetic: a back-test needs, at each past date, what the owner knew then (open invoices, the late-
payment estimate of each customer) and what really happened next (the balance). Real data rarely keeps
both. Each company is a small simulation: customers with payment terms and their own lateness, suppliers
paid at due date, salaries on the last business day, URSSAF, VAT, corporate tax, rent, loan, energy
(seasonal, sometimes drifting), subscriptions, card expenses, bank fees — all on the French bank
calendar — with five profiles:

- steady:   many small invoices, card receipts every day, little seasonality;
- seasonal: activity peaking in one season (±50 %);
- growing:  +35 % a year, hiring as it grows;
- lumpy:    a few big contracts invoiced in milestones (30/40/30 %);
- tight:    thin margin, low cash, summer trough, 13th month and taxes in December.

The same `seed` always gives the same company.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

import numpy as np

from etabli.common.money import round_cents
from etabli.engines.forecast.types import FlowKind, ScheduledFlow
from etabli.engines.spending.calendar import BankCalendar, add_months, month_end
from etabli.engines.spending.types import BankLine


class Profile(StrEnum):
    STEADY = "steady"
    SEASONAL = "seasonal"
    GROWING = "growing"
    LUMPY = "lumpy"
    TIGHT = "tight"


@dataclass(frozen=True, slots=True)
class SyntheticInvoice:
    reference: str
    direction: str  # "customer" or "supplier"
    counterparty: str
    amount: Decimal  # positive, VAT included
    issue_date: dt.date
    due_date: dt.date
    paid_date: dt.date | None
    account: str


@dataclass
class SyntheticCompany:
    """A generated company: its bank lines, its invoices and the truth about their payment dates."""

    name: str
    profile: Profile
    seed: int
    start: dt.date
    end: dt.date
    accounts: tuple[str, ...]
    opening_balances: dict[str, Decimal]
    lines: tuple[BankLine, ...]
    invoices: tuple[SyntheticInvoice, ...]
    _dates: list[dt.date] = field(default_factory=list, repr=False)
    _cumulative: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._dates = [line.date for line in self.lines]
        n = (self.end - self.start).days + 1
        for account in self.accounts:
            daily = np.zeros(n, dtype=np.int64)
            for line in self.lines:
                if line.account == account:
                    daily[(line.date - self.start).days] += int(line.amount * 100)
            self._cumulative[account] = np.cumsum(daily)

    def lines_until(self, as_of: dt.date) -> list[BankLine]:
        """Bank lines up to and including `as_of` (what a statement import would have given then)."""
        return list(self.lines[: bisect.bisect_right(self._dates, as_of)])

    def balances_at(self, as_of: dt.date) -> dict[str, Decimal]:
        """End-of-day balance of each account."""
        index = (as_of - self.start).days
        if index < 0:
            return dict(self.opening_balances)
        index = min(index, (self.end - self.start).days)
        return {
            account: self.opening_balances[account] + Decimal(int(self._cumulative[account][index])) / 100
            for account in self.accounts
        }

    def balance_at(self, as_of: dt.date) -> Decimal:
        return sum(self.balances_at(as_of).values(), Decimal(0))

    def open_flows_at(self, as_of: dt.date) -> list[ScheduledFlow]:
        """Open invoices at `as_of`, as the billing app would hand them to the forecast.

        Customer invoices carry the estimate of a simple late-payment model fitted only on what was known
        at `as_of`: the customer's last 12 delays (everybody's while it has fewer than 4), plus the
        company's recent bad debts, conditioned on the invoice
        not being paid yet; its 10th/50th/90th percentiles give the optimistic/realistic/pessimistic dates.
        Supplier invoices are planned at their due date.
        """
        # only invoices due long enough ago that (nearly) all of them are paid: recent ones would keep just
        # the early payers (right-censoring) and make every estimate too optimistic
        settled = as_of - dt.timedelta(days=120)
        paid_before = [inv for inv in self.invoices if inv.direction == "customer" and inv.due_date <= settled
                       and inv.paid_date is not None and inv.paid_date <= as_of]
        global_delays = [(inv.paid_date - inv.due_date).days for inv in paid_before[-200:]]  # type: ignore[operator]
        old = [inv for inv in self.invoices if inv.direction == "customer"
               and inv.issue_date <= as_of - dt.timedelta(days=180)]
        bad_debt_rate = sum(1 for inv in old if inv.paid_date is None or inv.paid_date > as_of) / max(len(old), 1)
        by_customer: dict[str, list[int]] = {}
        for inv in paid_before:
            by_customer.setdefault(inv.counterparty, []).append((inv.paid_date - inv.due_date).days)  # type: ignore
        flows = []
        for inv in self.invoices:
            if inv.issue_date > as_of or (inv.paid_date is not None and inv.paid_date <= as_of):
                continue
            if inv.direction == "supplier":
                flows.append(ScheduledFlow(
                    date=max(inv.due_date, as_of + dt.timedelta(days=1)), amount=-inv.amount,
                    label=f"Facture {inv.reference}", counterparty=inv.counterparty,
                    kind=FlowKind.SUPPLIER_INVOICE, reference=inv.reference, account=inv.account,
                    issue_date=inv.issue_date,
                ))
                continue
            own = by_customer.get(inv.counterparty, [])[-12:]
            samples = own if len(own) >= 4 else own * 3 + global_delays[-60:]
            elapsed = (as_of - inv.due_date).days
            remaining = np.array([s for s in samples if s > elapsed], dtype=float)
            if len(remaining) < 5 and elapsed > 90:
                # long overdue and later than any past payment: doubtful, a small chance of being paid soon
                flows.append(ScheduledFlow(
                    date=as_of + dt.timedelta(days=1), amount=inv.amount, label=f"Facture {inv.reference}",
                    counterparty=inv.counterparty, kind=FlowKind.CUSTOMER_INVOICE, reference=inv.reference,
                    account=inv.account, delay_distribution=((29, 0.03), (89, 0.03)), issue_date=inv.issue_date,
                ))
                continue
            if len(remaining) < 5:
                dates = [as_of + dt.timedelta(days=d) for d in (7, 21, 90)]
            else:
                # a share `bad_debt_rate` is never paid: the quantiles of the paid part are stretched
                paid_share = 1 - bad_debt_rate
                levels = [min(q / paid_share, 1.0) if q < paid_share else None for q in (0.1, 0.5, 0.9)]
                smoothed = _smoothed(remaining)
                dates = [
                    as_of + dt.timedelta(days=365) if level is None else max(
                        inv.due_date + dt.timedelta(days=int(round(np.quantile(smoothed, level)))),
                        as_of + dt.timedelta(days=1))
                    for level in levels
                ]
            flows.append(ScheduledFlow(
                date=dates[1], amount=inv.amount, label=f"Facture {inv.reference}", counterparty=inv.counterparty,
                kind=FlowKind.CUSTOMER_INVOICE, reference=inv.reference, account=inv.account,
                optimistic_date=dates[0], pessimistic_date=dates[2], issue_date=inv.issue_date,
            ))
        return flows


def _smoothed(samples: np.ndarray) -> np.ndarray:
    """Kernel-smoothed sample (Silverman bandwidth, at least 3 days): a dozen past delays give too short
    tails if their raw 10th/90th percentiles are used."""
    spread = min(float(np.std(samples)), float(np.subtract(*np.percentile(samples, [75, 25]))) / 1.34)
    bandwidth = max(3.0, 0.9 * spread * len(samples) ** -0.2)
    offsets = np.array([-1.64, -1.04, -0.52, 0.0, 0.52, 1.04, 1.64]) * bandwidth
    return (samples[:, None] + offsets[None, :]).ravel()


# ------------------------------------------------------------------------------------------- generation

_FIRST_NAMES = ("Jean", "Marie", "Pierre", "Sophie", "Luc", "Camille", "Nicolas", "Julie", "Thomas", "Claire",
                "Antoine", "Emma", "Hugo", "Léa", "Paul", "Chloé", "Louis", "Manon", "Nathan", "Inès", "Karim",
                "Sarah", "Yanis", "Lucie", "Mehdi", "Anaïs")
_LAST_NAMES = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
               "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
               "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez")
_CUSTOMER_KINDS = ("SARL", "SAS", "Mairie de", "SCI", "Boulangerie", "Garage", "Cabinet", "Hôtel", "Restaurant",
                   "Clinique", "Transports", "Agence")
_SUPPLIERS = ("Point P", "Leroy Merlin Pro", "Würth France", "Rexel", "Cedeo", "Bigmat", "Gedimat", "Descours et Cabaud", "Brico Dépôt Pro", "Lapeyre Pro", "Sonepar", "Foussier", "Prolians", "Tout Faire Matériaux")
_CARD_SHOPS = ("TOTAL ACCESS", "ESSO EXPRESS", "LEROY MERLIN", "CASTORAMA", "RESTAURANT LE RELAIS", "AMAZON EU",
               "CARREFOUR", "SNCF", "LA POSTE", "BRICO DEPOT", "BUREAU VALLEE", "PEAGE APRR")
_MONTH_LABELS = ("JANVIER", "FEVRIER", "MARS", "AVRIL", "MAI", "JUIN", "JUILLET", "AOUT", "SEPTEMBRE", "OCTOBRE",
                 "NOVEMBRE", "DECEMBRE")


@dataclass
class _Params:
    revenue: float
    season_amplitude: float
    season_peak: int  # month 1..12
    growth: float
    customers: int
    invoices_per_month: float
    amount_sigma: float
    payroll_share: float
    purchase_share: float
    cash_share: float  # card receipts share of revenue
    opening_months: float
    thirteenth_month: bool
    energy_drift: float
    lumpy: bool
    two_accounts: bool
    salary_last_business_day: bool
    dividends: bool = True


def _params(profile: Profile, rng: np.random.Generator, two_accounts: bool | None) -> _Params:
    u = rng.uniform
    common = {
        "payroll_share": u(0.30, 0.34), "purchase_share": u(0.33, 0.37), "cash_share": 0.0,
        "opening_months": u(0.8, 1.5), "thirteenth_month": bool(rng.random() < 0.3),
        "energy_drift": float(rng.choice([0.0, 0.0, 0.45])), "lumpy": False,
        "two_accounts": bool(rng.random() < 0.25) if two_accounts is None else two_accounts,
        "salary_last_business_day": bool(rng.random() < 0.7), "season_peak": int(rng.integers(1, 13)),
        "growth": u(-0.02, 0.06), "amount_sigma": u(0.5, 0.7),
    }
    if profile is Profile.STEADY:
        return _Params(revenue=u(40e3, 90e3), season_amplitude=u(0.0, 0.1), customers=40, invoices_per_month=25,
                       **{**common, "cash_share": u(0.15, 0.3), "amount_sigma": u(0.4, 0.55)})
    if profile is Profile.SEASONAL:
        return _Params(revenue=u(50e3, 120e3), season_amplitude=u(0.4, 0.6), customers=30, invoices_per_month=18,
                       **common)
    if profile is Profile.GROWING:
        return _Params(revenue=u(30e3, 60e3), season_amplitude=u(0.05, 0.2), customers=25, invoices_per_month=12,
                       **{**common, "growth": u(0.3, 0.4)})
    if profile is Profile.LUMPY:
        return _Params(revenue=u(80e3, 200e3), season_amplitude=u(0.0, 0.2), customers=8, invoices_per_month=0.8,
                       **{**common, "lumpy": True, "opening_months": u(1.0, 2.0)})
    return _Params(revenue=u(40e3, 80e3), season_amplitude=u(0.25, 0.35), customers=25, invoices_per_month=15,
                   **{**common, "season_peak": 2, "payroll_share": u(0.345, 0.355), "purchase_share": u(0.385, 0.395),
                      "opening_months": u(0.2, 0.35), "thirteenth_month": True, "dividends": False})


class _Builder:
    """Accumulates bank lines and invoices while the company's years are simulated."""

    def __init__(self, calendar: BankCalendar, start: dt.date, end: dt.date) -> None:
        self.calendar = calendar
        self.start = start
        self.end = end
        self.lines: list[BankLine] = []
        self.invoices: list[SyntheticInvoice] = []

    def line(self, day: dt.date, amount: float, label: str, counterparty: str = "", account: str = "principal",
             document_date: dt.date | None = None, roll: bool = True) -> None:
        day = self.calendar.roll_forward(day) if roll else day
        if not self.start <= day <= self.end or abs(amount) < 0.01:
            return
        self.lines.append(BankLine(day, round_cents(Decimal(f"{amount:.2f}")), label, counterparty, "", account,
                                   document_date))


def generate_company(
    profile: Profile | str,
    *,
    seed: int = 0,
    start: dt.date = dt.date(2021, 1, 1),
    years: int = 4,
    two_accounts: bool | None = None,
) -> SyntheticCompany:
    """A synthetic company of `profile` over `years` years from `start`; same seed, same company."""
    profile = Profile(profile)
    rng = np.random.default_rng([seed, list(Profile).index(profile)])
    params = _params(profile, rng, two_accounts)
    calendar = BankCalendar()
    end = add_months(start, 12 * years) - dt.timedelta(days=1)
    builder = _Builder(calendar, start, end)
    accounts = ("principal", "secondaire") if params.two_accounts else ("principal",)
    customers = _customers(rng, params)
    months = [add_months(start.replace(day=1), k) for k in range(12 * years + 1)]
    # invoicing starts 6 months before the first bank line, so the history opens with receivables and payables
    trade_months = [add_months(start.replace(day=1), k) for k in range(-6, 12 * years + 1)]
    revenue = {m: _monthly_revenue(params, start, m) for m in trade_months}
    invoiced = _customer_invoices(builder, rng, params, customers, trade_months, revenue, accounts)
    purchases = _supplier_invoices(builder, rng, params, trade_months, invoiced)
    payroll = _payroll(builder, rng, params, start, months)
    _charges(builder, rng, params, months, invoiced, payroll, purchases)
    _card_and_cash(builder, rng, params, start, end, revenue)
    if params.two_accounts:
        _sweeps(builder, months)
    opening = {account: Decimal(0) for account in accounts}
    opening["principal"] = round_cents(Decimal(f"{params.revenue * params.opening_months:.2f}"))
    if params.dividends:
        _dividends(builder, params, float(opening["principal"]), start, years)
    lines = tuple(sorted(builder.lines, key=lambda line: (line.date, line.account, line.amount, line.label)))
    if params.two_accounts:
        opening["secondaire"] = round_cents(Decimal(f"{params.revenue * 0.1:.2f}"))
    name = f"{profile.value.capitalize()} {rng.choice(_LAST_NAMES)} {seed}"
    return SyntheticCompany(name=name, profile=profile, seed=seed, start=start, end=end, accounts=accounts,
                            opening_balances=opening, lines=lines,
                            invoices=tuple(sorted(builder.invoices, key=lambda inv: inv.issue_date)))


def _monthly_revenue(params: _Params, start: dt.date, month: dt.date) -> float:
    years = (month - start).days / 365.25
    season = 1 + params.season_amplitude * np.cos(2 * np.pi * (month.month - params.season_peak) / 12)
    return params.revenue * season * (1 + params.growth) ** years


@dataclass
class _Customer:
    name: str
    terms: str  # "30", "45fdm", "60"
    lateness_mean: float
    lateness_sd: float
    default_probability: float
    account: str
    cheque: bool
    weight: float
    runs: dict[tuple[int, int], float] = field(default_factory=dict)


def _customers(rng: np.random.Generator, params: _Params) -> list[_Customer]:
    result = []
    for number in range(params.customers):
        kind = _CUSTOMER_KINDS[int(rng.integers(len(_CUSTOMER_KINDS)))]
        name = f"{kind} {_LAST_NAMES[int(rng.integers(len(_LAST_NAMES)))]}"
        if any(c.name == name for c in result):
            name = f"{name} {number}"
        behaviour = rng.random()
        mean, sd = (0, 3) if behaviour < 0.5 else (10, 7) if behaviour < 0.8 else (30, 12) if behaviour < 0.95 else (
            60, 20)
        result.append(_Customer(
            name=name, terms=str(rng.choice(["30", "30", "45fdm", "60"])), lateness_mean=mean, lateness_sd=sd,
            default_probability=0.01, account="secondaire" if params.two_accounts and rng.random() < 0.25 else "principal",
            cheque=bool(rng.random() < 0.25), weight=float(rng.pareto(1.5) + 0.2),
        ))
    return result


def _due(issue: dt.date, terms: str) -> dt.date:
    if terms == "45fdm":
        later = issue + dt.timedelta(days=45)
        return month_end(later.year, later.month)
    return issue + dt.timedelta(days=int(terms))


def _issue_day(rng: np.random.Generator, calendar: BankCalendar, month: dt.date) -> dt.date:
    last = month_end(month.year, month.month)
    if rng.random() < 0.35:
        day = last - dt.timedelta(days=int(rng.integers(0, 4)))
    else:
        day = month.replace(day=int(rng.integers(1, last.day + 1)))
    return calendar.roll_backward(day) if calendar.roll_backward(day).month == month.month else calendar.roll_forward(day)


def _customer_invoices(builder: _Builder, rng: np.random.Generator, params: _Params, customers: list[_Customer],
                       months: list[dt.date], revenue: dict[dt.date, float], accounts: tuple[str, ...]
                       ) -> dict[dt.date, float]:
    """Customer invoices and their payments; returns the activity (invoiced + card sales) of each month."""
    weights = np.array([c.weight for c in customers])
    weights /= weights.sum()
    counter = 0
    activity: dict[dt.date, float] = {}
    invoiced_share = 1 - params.cash_share
    for month in months:
        season = revenue[month] / params.revenue
        expected = params.invoices_per_month * max(season, 0.05)
        count = int(rng.poisson(expected))
        for _ in range(count):
            customer = customers[int(rng.choice(len(customers), p=weights))]
            mean_amount = revenue[month] * invoiced_share / expected
            total = mean_amount * rng.lognormal(-params.amount_sigma**2 / 2, params.amount_sigma)
            parts = [(0, 0.3), (int(rng.integers(1, 3)), 0.4), (int(rng.integers(2, 5)), 0.3)] if params.lumpy else [(0, 1.0)]
            for delay_months, share in parts:
                issue = _issue_day(rng, builder.calendar, add_months(month, delay_months))
                counter += 1
                _invoice(builder, rng, customer, issue, total * share, f"F{issue.year}-{counter:05d}")
                key = issue.replace(day=1)
                activity[key] = activity.get(key, 0.0) + total * share
    for month in months:
        activity[month] = activity.get(month, 0.0) + revenue[month] * params.cash_share
    return activity


def _invoice(builder: _Builder, rng: np.random.Generator, customer: _Customer, issue: dt.date, amount: float,
             reference: str) -> None:
    due = _due(issue, customer.terms)
    paid: dt.date | None = None
    if rng.random() >= customer.default_probability:
        # customers pay in monthly runs: invoices due the same month share part of their delay
        run = (due.year, due.month)
        if run not in customer.runs:
            customer.runs[run] = float(rng.normal(0.0, 0.7 * customer.lateness_sd))
        lateness = customer.lateness_mean + customer.runs[run] + rng.normal(0.0, 0.7 * customer.lateness_sd)
        if customer.lateness_mean == 0:
            lateness = min(lateness, 2.0) if rng.random() < 0.8 else lateness
        paid = builder.calendar.roll_forward(max(due + dt.timedelta(days=int(round(lateness))),
                                                 issue + dt.timedelta(days=3)))
    value = round_cents(Decimal(f"{amount:.2f}"))
    builder.invoices.append(SyntheticInvoice(reference, "customer", customer.name, value, issue, due, paid,
                                             customer.account))
    if paid is not None:
        if customer.cheque:
            label = f"REMISE CHEQUE N {rng.integers(1000000, 9999999)}"
            counterparty = ""
        else:
            label = f"VIR SEPA RECU /DE {customer.name.upper()} /MOTIF {reference}"
            counterparty = customer.name
        builder.line(paid, float(value), label, counterparty, customer.account, document_date=issue, roll=False)


def _supplier_invoices(builder: _Builder, rng: np.random.Generator, params: _Params, months: list[dt.date],
                       activity: dict[dt.date, float]) -> dict[dt.date, float]:
    """Purchases follow the real activity (materials bought for the jobs invoiced), smoothed over 2 months."""
    suppliers = list(rng.choice(_SUPPLIERS, size=min(10, len(_SUPPLIERS)), replace=False))
    terms = {name: str(rng.choice(["30", "45fdm", "60"])) for name in suppliers}
    weights = rng.pareto(1.2, len(suppliers)) + 0.3
    weights /= weights.sum()
    purchases: dict[dt.date, float] = {}
    counter = 0
    for index, month in enumerate(months):
        level = 0.5 * (activity.get(month, 0.0) + activity.get(months[max(index - 1, 0)], 0.0))
        season = level / params.revenue
        expected = 10 * max(season, 0.1)
        count = max(1, int(rng.poisson(expected)))
        total_month = 0.0
        for _ in range(count):
            supplier = suppliers[int(rng.choice(len(suppliers), p=weights))]
            amount = level * params.purchase_share / expected * rng.lognormal(-0.18, 0.6)
            issue = _issue_day(rng, builder.calendar, month)
            due = _due(issue, terms[supplier])
            late = int(rng.integers(1, 6)) if rng.random() < 0.1 else 0
            paid = builder.calendar.roll_forward(due + dt.timedelta(days=late))
            counter += 1
            reference = f"FA{counter:06d}"
            value = round_cents(Decimal(f"{amount:.2f}"))
            builder.invoices.append(SyntheticInvoice(reference, "supplier", supplier, value, issue, due, paid,
                                                     "principal"))
            builder.line(paid, -float(value), f"VIR SEPA EMIS {supplier.upper()} FACT {reference}", supplier,
                         document_date=issue, roll=False)
            total_month += float(value)
        purchases[month] = total_month
    return purchases


def _payroll(builder: _Builder, rng: np.random.Generator, params: _Params, start: dt.date,
             months: list[dt.date]) -> dict[dt.date, float]:
    # payroll_share is the employer's total cost: net salaries + contributions paid to URSSAF (0.78 × net)
    base_count = max(2, int(round(params.revenue * params.payroll_share / 1.78 / 2500)))
    employees = [(f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}", float(rng.uniform(1750, 3300)))
                 for _ in range(base_count * 3)]
    totals: dict[dt.date, float] = {}
    for month in months:
        years = (month - start).days / 365.25
        count = min(len(employees), max(2, int(round(base_count * (1 + params.growth) ** (0.8 * years)))))
        raise_factor = 1.02 ** (month.year - start.year)
        if params.salary_last_business_day:
            pay_day = builder.calendar.last_business_day_of_month(month.year, month.month)
        else:
            pay_day = builder.calendar.roll_backward(month.replace(day=28))
        total = 0.0
        for name, salary in employees[:count]:
            amount = salary * raise_factor * (2 if params.thirteenth_month and month.month == 12 else 1)
            builder.line(pay_day, -amount, f"VIR SEPA SALAIRE {_MONTH_LABELS[month.month - 1]} {name.upper()}", name,
                         roll=False)
            total += amount
        totals[month] = total
    return totals


def _charges(builder: _Builder, rng: np.random.Generator, params: _Params, months: list[dt.date],
             revenue: dict[dt.date, float], payroll: dict[dt.date, float], purchases: dict[dt.date, float]) -> None:
    rent = params.revenue * 0.04
    loan = params.revenue * 0.02
    loan_end = add_months(months[0], int(rng.integers(24, 60)))
    energy = params.revenue * 0.012
    landlord = f"SCI {rng.choice(_LAST_NAMES)}"
    yearly_tax = max(0.0, params.revenue * 12 * 0.02)
    for index, month in enumerate(months):
        previous = months[index - 1] if index else month
        year_index = month.year - months[0].year
        builder.line(month.replace(day=5), -rent * 1.025 ** year_index, f"PRLV SEPA {landlord.upper()} LOYER", landlord)
        if month < loan_end:
            builder.line(month.replace(day=10), -loan, "ECHEANCE PRET N 0012345 CAPITAL ET INTERETS", "Crédit Agricole")
        winter = 1 + 0.35 * np.cos(2 * np.pi * (month.month - 1) / 12)
        drift = 1 + params.energy_drift * float(np.clip((index - 18) / 6, 0, 1))
        builder.line(month.replace(day=12), -energy * winter * drift * rng.uniform(0.95, 1.05),
                     f"PRLV SEPA EDF ENTREPRISES {rng.integers(100000, 999999)}", "EDF")
        builder.line(month.replace(day=8), -89.90, "PRLV SEPA ORANGE BUSINESS", "Orange")
        builder.line(month.replace(day=1), -59.00, "PRLV SEPA LOGICIEL GESTION ABONNEMENT", "Sage")
        builder.line(month.replace(day=15), -0.78 * payroll.get(previous, 0.0), "PRLV SEPA URSSAF COTISATIONS",
                     "URSSAF")
        vat = 0.2 / 1.2 * (revenue.get(previous, 0.0) - purchases.get(previous, 0.0))
        if vat > 0:
            builder.line(month.replace(day=20), -vat * rng.uniform(0.9, 1.1), "PRLV SEPA DGFIP TVA", "DGFIP")
        if month.month in (3, 6, 9, 12):
            builder.line(month.replace(day=15), -yearly_tax / 4, "PRLV SEPA DGFIP IMPOT SOCIETES ACOMPTE", "DGFIP")
        if month.month in (1, 4, 7, 10):
            builder.line(month.replace(day=3), -rent * 0.15, "PRLV SEPA AXA ASSURANCE MULTIRISQUE", "AXA")
        if month.month == 12:
            builder.line(month.replace(day=15), -rent * 0.8, "PRLV SEPA DGFIP CFE", "DGFIP")
        builder.line(builder.calendar.last_business_day_of_month(month.year, month.month), -(30 + rng.uniform(0, 25)),
                     "FRAIS TENUE DE COMPTE ET COMMISSIONS", "", roll=False)


def _card_and_cash(builder: _Builder, rng: np.random.Generator, params: _Params, start: dt.date, end: dt.date,
                   revenue: dict[dt.date, float]) -> None:
    day = start
    while day <= end:
        if builder.calendar.is_business_day(day):
            month_revenue = revenue.get(day.replace(day=1), params.revenue)
            for _ in range(int(rng.poisson(1.2 * month_revenue / params.revenue))):
                shop = _CARD_SHOPS[int(rng.integers(len(_CARD_SHOPS)))]
                builder.line(day, -float(rng.lognormal(3.8, 0.8)), f"CB {shop} {day:%d/%m}", roll=False)
            if params.cash_share > 0:
                amount = month_revenue * params.cash_share / 21 * rng.lognormal(-0.08, 0.4)
                builder.line(day, amount, f"REMISE CARTE BANCAIRE {day:%d%m%y}", roll=False)
        day += dt.timedelta(days=1)


def _dividends(builder: _Builder, params: _Params, opening: float, start: dt.date, years: int) -> None:
    """Each June the owners take a third of last year's cash increase, within two months of revenue."""
    previous = opening
    for year in range(start.year + 1, start.year + years + 1):
        cutoff = dt.date(year - 1, 12, 31)
        balance = opening + sum(float(line.amount) for line in builder.lines
                                if line.date <= cutoff and line.account == "principal")
        amount = min(max(0.0, (balance - previous) / 3), 2 * params.revenue)
        previous = balance - amount
        if amount > 1000:
            builder.line(dt.date(year, 6, 15), -round(amount, -2), "VIR SEPA DISTRIBUTION DIVIDENDES", "Associés")


def _sweeps(builder: _Builder, months: list[dt.date]) -> None:
    """Monthly transfer of what came into the second account, on the 25th."""
    received: dict[dt.date, float] = {}
    for line in builder.lines:
        if line.account == "secondaire":
            key = line.date.replace(day=1)
            received[key] = received.get(key, 0.0) + float(line.amount)
    for month in months:
        amount = round(0.8 * received.get(month, 0.0), -2)
        if amount > 0:
            day = builder.calendar.roll_forward(month.replace(day=25))
            builder.line(day, -amount, "VIR INTERNE VERS COMPTE PRINCIPAL", "Compte principal", "secondaire",
                         roll=False)
            builder.line(day, amount, "VIR INTERNE DU COMPTE SECONDAIRE", "Compte secondaire", "principal", roll=False)
