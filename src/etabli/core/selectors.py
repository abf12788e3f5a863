"""Reads of the core, always scoped by company."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from etabli.core.models import (
    AIDecision,
    Alert,
    AuditEntry,
    Company,
    Membership,
    ReviewItem,
    ReviewStatus,
    TimeSaved,
    UseCaseCost,
    User,
)
from etabli.core.models.alerts import SEVERITY_RANK
from etabli.core.registry import use_case_label


def memberships_for(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, is_active=True).select_related("company").order_by(
        "company__legal_name"
    )


def membership(user: User, company_id: int) -> Membership | None:
    return memberships_for(user).filter(company_id=company_id).first()


def pending_reviews(*, company: Company) -> QuerySet[ReviewItem]:
    return ReviewItem.objects.filter(company=company, status=ReviewStatus.PENDING).order_by(
        "due_at", "-created_at"
    )


def reviews(*, company: Company, status: str | None = None, kind: str | None = None) -> QuerySet[ReviewItem]:
    qs = ReviewItem.objects.filter(company=company)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at")


def review_kinds(*, company: Company) -> list[str]:
    return list(ReviewItem.objects.filter(company=company).order_by("kind").values_list("kind", flat=True).distinct())


def active_alerts(*, company: Company, now: dt.datetime | None = None) -> QuerySet[Alert]:
    """Open alerts not snoozed, the most severe and the soonest due first.

    Ordered by the database so that a page (or the home page's ten) reads only the rows it shows: a busy
    company keeps hundreds of open alerts.
    """
    now = now or timezone.now()
    rank = Case(*(When(severity=severity, then=Value(order)) for severity, order in SEVERITY_RANK.items()),
                default=Value(9), output_field=IntegerField())
    return (
        Alert.objects.filter(company=company, dismissed_at__isnull=True, resolved_at__isnull=True)
        .filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=now))
        .order_by(rank, F("due_date").asc(nulls_last=True), "-created_at", "-id")
    )


def alerts(*, company: Company, include_closed: bool = False) -> QuerySet[Alert]:
    qs = Alert.objects.filter(company=company)
    if not include_closed:
        qs = qs.filter(dismissed_at__isnull=True, resolved_at__isnull=True)
    return qs.order_by("-created_at")


def ai_decisions(*, company: Company, use_case: str = "", override: str | None = None) -> QuerySet[AIDecision]:
    qs = AIDecision.objects.filter(company=company)
    if use_case:
        qs = qs.filter(use_case=use_case)
    if override is not None:
        qs = qs.filter(override=override)
    return qs.order_by("-created_at")


def audit_entries(
    *,
    company: Company,
    actor_id: int | None = None,
    action: str = "",
    model: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    query: str = "",
) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.filter(company=company).select_related("actor")
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if action:
        qs = qs.filter(action=action)
    if model:
        qs = qs.filter(model=model)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    if query:
        qs = qs.filter(Q(object_repr__icontains=query) | Q(actor_label__icontains=query))
    return qs.order_by("-created_at", "-id")


def minutes_saved_on(*, company: Company, day: dt.date) -> Decimal:
    total = TimeSaved.objects.filter(company=company, occurred_at__date=day).aggregate(m=Sum("minutes"))["m"]
    return total or Decimal("0")


@dataclass
class RoiRow:
    use_case: str
    label: str
    hours: Decimal
    value: Decimal
    monthly_cost: Decimal
    cost: Decimal
    occurrences: int
    automated_share: float
    roi: Decimal | None  # (gains − costs) / costs; None when nothing costs
    verdict: str

    @property
    def roi_percent(self) -> Decimal | None:
        return None if self.roi is None else (self.roi * 100).quantize(Decimal("1"))


@dataclass
class RoiSummary:
    months: list[dt.date]
    rows: list[RoiRow]
    by_month: dict[dt.date, dict[str, Decimal]] = field(default_factory=dict)
    total_hours: Decimal = Decimal("0")
    total_value: Decimal = Decimal("0")
    total_cost: Decimal = Decimal("0")


def roi_verdict(roi: Decimal | None) -> str:
    """The guide's decision rule (annexe 3): > 100 % extend, 50–100 % optimise, < 50 % reconsider."""
    if roi is None:
        return "Coût non renseigné"
    if roi > 1:
        return "À étendre"
    if roi >= Decimal("0.5"):
        return "À optimiser"
    return "À reconsidérer"


def roi_summary(*, company: Company, months: int = 12, today: dt.date | None = None) -> RoiSummary:
    """Hours saved × company hourly cost, per use case and per month, against what each use case costs."""
    today = today or timezone.localdate()
    first_month = (today.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    month_list: list[dt.date] = []
    cursor = first_month
    while cursor <= today:
        month_list.append(cursor)
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    start = timezone.make_aware(dt.datetime.combine(first_month, dt.time.min))
    entries = TimeSaved.objects.filter(company=company, occurred_at__gte=start)
    monthly = (
        entries.annotate(month=TruncMonth("occurred_at"))
        .values("month", "use_case")
        .annotate(minutes=Sum("minutes"))
    )
    by_month: dict[dt.date, dict[str, Decimal]] = defaultdict(dict)
    for row in monthly:
        month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        by_month[month][row["use_case"]] = row["minutes"] / 60
    totals = entries.values("use_case").annotate(
        minutes=Sum("minutes"), n=Count("id"), auto=Count("id", filter=Q(automated=True))
    )
    costs = {c.use_case: c.monthly_cost for c in UseCaseCost.objects.filter(company=company)}
    rate = company.hourly_cost
    rows: list[RoiRow] = []
    for row in totals:
        hours = (row["minutes"] / 60).quantize(Decimal("0.01"))
        value = (hours * rate).quantize(Decimal("0.01"))
        monthly_cost = costs.get(row["use_case"], Decimal("0"))
        cost = monthly_cost * len(month_list)
        roi = ((value - cost) / cost) if cost > 0 else None
        rows.append(
            RoiRow(
                use_case=row["use_case"], label=use_case_label(row["use_case"]), hours=hours, value=value,
                monthly_cost=monthly_cost, cost=cost, occurrences=row["n"],
                automated_share=row["auto"] / row["n"] if row["n"] else 0.0, roi=roi, verdict=roi_verdict(roi),
            )
        )
    rows.sort(key=lambda r: r.value, reverse=True)
    return RoiSummary(
        months=month_list,
        rows=rows,
        by_month=dict(by_month),
        total_hours=sum((r.hours for r in rows), Decimal("0")),
        total_value=sum((r.value for r in rows), Decimal("0")),
        total_cost=sum((r.cost for r in rows), Decimal("0")),
    )
