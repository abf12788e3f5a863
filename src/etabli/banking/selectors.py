"""Reads of the banking app, always scoped by company. `balances`, `forecast_history` and `latest_forecast` are
what other apps (and the benchmarks) may read; the rest feeds the module's own pages and API."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from etabli.banking.adapters import forecast_line, is_internal_transfer
from etabli.banking.models import (
    AnalysisKind,
    AnalysisRun,
    BankAccount,
    BankingSettings,
    BankLine,
    CategoryRule,
    CsvMapping,
    ImportStatus,
    LineMatch,
    LineStatus,
    StatementImport,
)
from etabli.core.models import Company

if TYPE_CHECKING:
    from etabli.engines.spending import BankLine as EngineBankLine

ZERO = Decimal("0.00")


def today() -> dt.date:
    return timezone.localdate()


# --- Accounts and balances ----------------------------------------------------------------------------------


def accounts(company: Company, *, active_only: bool = False) -> QuerySet[BankAccount]:
    qs = BankAccount.objects.for_company(company)
    return qs.filter(is_active=True) if active_only else qs


def account_for_iban(company: Company, iban: str) -> BankAccount | None:
    compact = (iban or "").replace(" ", "").upper()
    return BankAccount.objects.for_company(company).filter(iban=compact).first() if compact else None


def balance_on(account: BankAccount, day: dt.date) -> tuple[Decimal, bool]:
    """(balance at the end of `day`, whether it rests on a balance the bank or the owner gave).

    Anchored on the last known balance: the lines after the anchor are added, the lines between `day` and the
    anchor are taken off. Without an anchor, the balance is the sum of the lines (start assumed at 0 €)."""
    lines = BankLine.objects.filter(company_id=account.company_id, account=account)
    if account.balance is None or account.balance_date is None:
        total = lines.filter(date__lte=day).aggregate(total=Sum("amount"))["total"] or ZERO
        return total, False
    if day >= account.balance_date:
        moved = lines.filter(date__gt=account.balance_date, date__lte=day).aggregate(total=Sum("amount"))["total"]
        return account.balance + (moved or ZERO), True
    moved = lines.filter(date__gt=day, date__lte=account.balance_date).aggregate(total=Sum("amount"))["total"]
    return account.balance - (moved or ZERO), True


def balances(company: Company, day: dt.date | None = None) -> dict[BankAccount, Decimal]:
    day = day or today()
    return {account: balance_on(account, day)[0] for account in accounts(company, active_only=True)}


def account_summaries(company: Company) -> list[dict]:
    """Each account with today's balance, the date of its last line and its lines still to process."""
    day = today()
    stats = {
        row["account_id"]: row
        for row in BankLine.objects.for_company(company).values("account_id").annotate(
            last=Max("date"), count=Count("id"),
            todo=Count("id", filter=Q(status__in=[LineStatus.UNMATCHED, LineStatus.PROPOSED])),
        )
    }
    result = []
    for account in accounts(company):
        balance, known = balance_on(account, day)
        row = stats.get(account.pk, {})
        result.append({"account": account, "balance": balance, "balance_known": known, "last_line": row.get("last"),
                       "lines": row.get("count", 0), "todo": row.get("todo", 0)})
    return result


# --- Lines ---------------------------------------------------------------------------------------------------


def lines(company: Company, *, status: str = "", account_id: int | None = None, search: str = "",
          category: str = "") -> QuerySet[BankLine]:
    qs = BankLine.objects.for_company(company).select_related("account")
    if status == "todo":
        qs = qs.filter(status__in=[LineStatus.UNMATCHED, LineStatus.PROPOSED])
    elif status:
        qs = qs.filter(status=status)
    if account_id:
        qs = qs.filter(account_id=account_id)
    if category:
        qs = qs.filter(category=category)
    if search:
        qs = qs.filter(Q(label__icontains=search) | Q(counterparty_name__icontains=search)
                       | Q(reference__icontains=search) | Q(matched_partner_name__icontains=search)
                       | Q(matches__invoice_number__icontains=search)).distinct()
    return qs.order_by("-date", "-id")


def line_counts(company: Company) -> dict[str, int]:
    counts = dict(BankLine.objects.for_company(company).values_list("status").annotate(n=Count("id")))
    return {status: counts.get(status, 0) for status in LineStatus.values}


def matches_of(line: BankLine) -> list[LineMatch]:
    return list(LineMatch.objects.filter(company_id=line.company_id, line=line).order_by("id"))


def matched_history(company: Company, limit: int = 5000) -> list[BankLine]:
    """Lines matched to a partner (newest first): what the matching memory learns aliases from."""
    return list(BankLine.objects.for_company(company).filter(matched_partner_id__isnull=False)
                .order_by("-date", "-id")[:limit])


def categorised_history(company: Company, limit: int = 5000) -> list[tuple[str, Decimal, str]]:
    """(text, amount, category) of lines whose category a person or a rule decided (never the model's own
    guesses, which would teach the classifier its own mistakes)."""
    rows = (BankLine.objects.for_company(company).exclude(category="")
            .filter(Q(category_confirmed=True) | Q(category_source__in=("règle", "règle par défaut")))
            .order_by("-date", "-id")[:limit])
    return [(row.text, row.amount, row.category) for row in rows]


def payment_delays(company: Company) -> dict[int | None, list[int]]:
    """Days between due date and payment of customer invoices settled through the bank, per partner (key None:
    every partner): the fallback for expected payment dates when billing has not scored an invoice yet."""
    delays: dict[int | None, list[int]] = defaultdict(list)
    rows = (LineMatch.objects.for_company(company).filter(invoice_kind="customer", due_date__isnull=False)
            .values_list("partner_id", "due_date", "line__date"))
    for partner_id, due, paid in rows:
        delay = (paid - due).days
        delays[partner_id].append(delay)
        delays[None].append(delay)
    return delays


def proposed_allocations(company: Company) -> dict[int, Decimal]:
    """Invoice id → amount already allocated by pending match proposals (money already on the bank)."""
    from etabli.banking.constants import REVIEW_MATCH, REVIEW_MATCH_CHOICE
    from etabli.core.models import ReviewItem, ReviewStatus

    allocated: dict[int, Decimal] = defaultdict(lambda: ZERO)
    items = ReviewItem.objects.filter(company=company, status=ReviewStatus.PENDING,
                                      kind__in=(REVIEW_MATCH, REVIEW_MATCH_CHOICE))
    for item in items:
        for allocation in (item.payload or {}).get("allocations", []):
            allocated[int(allocation["invoice_id"])] += abs(Decimal(str(allocation["amount"])))
    return dict(allocated)


def forecast_history(company: Company, until: dt.date | None = None) -> list[EngineBankLine]:
    """Every line up to `until` as the forecast and spending engines read it, internal transfers left out."""
    until = until or today()
    names = {account.pk: account.name for account in accounts(company)}
    rows = (BankLine.objects.for_company(company).filter(date__lte=until, account_id__in=names)
            .order_by("date", "id"))
    return [forecast_line(row, names[row.account_id]) for row in rows.iterator(chunk_size=2000)
            if not is_internal_transfer(row)]


def data_fingerprint(company: Company) -> str:
    """Changes whenever lines, matches or categories change: tells a stored forecast is stale."""
    lines_stats = BankLine.objects.for_company(company).aggregate(
        n=Count("id"), last=Max("id"), matched=Count("id", filter=Q(status=LineStatus.MATCHED)),
        categorised=Count("id", filter=Q(status=LineStatus.CATEGORISED)))
    accounts_stats = BankAccount.objects.for_company(company).aggregate(n=Count("id"), total=Sum("balance"),
                                                                         last=Max("balance_date"))
    return "|".join(str(v) for v in (*lines_stats.values(), *accounts_stats.values()))


# --- Imports, rules, mappings, settings, analyses -------------------------------------------------------------


def imports(company: Company) -> QuerySet[StatementImport]:
    return StatementImport.objects.for_company(company).select_related("account", "created_by")


def pending_mappings(company: Company) -> QuerySet[StatementImport]:
    return imports(company).filter(status=ImportStatus.AWAITING_MAPPING)


def category_rules(company: Company) -> QuerySet[CategoryRule]:
    return CategoryRule.objects.for_company(company).order_by("pattern")


def csv_mapping_for(company: Company, bank_code: str) -> CsvMapping | None:
    return CsvMapping.objects.for_company(company).filter(bank_code=bank_code).first() if bank_code else None


def settings_of(company: Company) -> BankingSettings:
    """The company's settings, or unsaved defaults (reading never writes)."""
    return BankingSettings.objects.for_company(company).first() or BankingSettings(company=company)


def latest_run(company: Company, kind: str) -> AnalysisRun | None:
    return AnalysisRun.objects.for_company(company).filter(kind=kind).order_by("-created_at", "-id").first()


def latest_forecast(company: Company) -> AnalysisRun | None:
    return latest_run(company, AnalysisKind.FORECAST)


def latest_spending(company: Company) -> AnalysisRun | None:
    return latest_run(company, AnalysisKind.SPENDING)


def monthly_categories(company: Company, months: int = 12) -> list[dict]:
    """Spending per category and month over the last `months` months (debits only), for the spending page."""
    start = (today().replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    rows = (BankLine.objects.for_company(company).filter(date__gte=start, amount__lt=0).exclude(category="")
            .values_list("category", "date", "amount"))
    table: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for category, day, amount in rows:
        table[category][f"{day:%Y-%m}"] += -amount
    return [{"category": category, "months": dict(values), "total": sum(values.values(), ZERO)}
            for category, values in sorted(table.items(), key=lambda kv: -sum(kv[1].values(), ZERO))]
