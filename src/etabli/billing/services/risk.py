"""Late-payment risk of open customer invoices, through the `etabli.engines.scoring` engine.

This module only adapts rows: invoices → `InvoiceRecord`s (amount net of credit notes, paid date = the
day the invoice was settled, sector and "client depuis" of the customer), then writes back probability,
score 0–100, French reasons, status and the expected payment date range on each open invoice.

Fitting learns from every outcome known today; the fitted scorer is kept in memory per company and
reused while no new outcome appears (issuing an invoice adds an open invoice, not an outcome), so the
score at issue time costs a prediction, not a training. The daily task refits.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from etabli.billing.errors import BillingError
from etabli.billing.models import (
    OPEN_STATUSES,
    Direction,
    DocType,
    Invoice,
    InvoiceStatus,
    LegalType,
    Partner,
    PartnerKind,
)
from etabli.common.gc import cyclic_gc_paused
from etabli.core.models import Company
from etabli.core.services import ailog

logger = logging.getLogger(__name__)

ENGINE = "etabli.engines.scoring.InvoiceRiskScorer"
ENGINE_VERSION = "1"
_CACHE: dict[int, tuple[tuple, object]] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class ScoredInvoice:
    id: int
    number: str
    customer: str
    amount_open: Decimal
    due_date: dt.date | None
    probability: float
    score: int
    status: str
    status_label: str
    reasons: tuple[str, ...]
    expected_payment_date: dt.date
    expected_payment_date_optimistic: dt.date
    expected_payment_date_pessimistic: dt.date

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "number": self.number,
            "customer": self.customer,
            "amount_open": str(self.amount_open),
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "probability": round(self.probability, 4),
            "score": self.score,
            "status": self.status,
            "status_label": self.status_label,
            "reasons": list(self.reasons),
            "expected_payment_date": self.expected_payment_date.isoformat(),
            "expected_payment_date_optimistic": self.expected_payment_date_optimistic.isoformat(),
            "expected_payment_date_pessimistic": self.expected_payment_date_pessimistic.isoformat(),
        }


ROW_FIELDS = (
    "id",
    "number",
    "issue_date",
    "due_date",
    "paid_at",
    "status",
    "total_ttc",
    "amount_credited",
    "amount_paid",
    "prepaid_amount",
    "partner_id",
    "partner__name",
    "partner__sector",
    "partner__customer_since",
    "partner__legal_type",
)


@dataclass(frozen=True)
class _Row:
    """One customer invoice as read for scoring (plain values: 10 000 rows must be read in well under 1 s)."""

    id: int
    number: str
    issue_date: dt.date
    due_date: dt.date
    paid_at: dt.date | None
    status: str
    total_ttc: Decimal
    amount_credited: Decimal
    amount_paid: Decimal
    prepaid_amount: Decimal
    partner_id: int
    partner_name: str
    sector: str
    customer_since: dt.date | None
    legal_type: str

    @property
    def amount_open(self) -> Decimal:
        value = self.total_ttc - self.prepaid_amount - self.amount_paid - self.amount_credited
        return value if value > 0 else Decimal("0.00")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES and self.amount_open > 0


def _rows(company: Company, as_of: dt.date) -> list[_Row]:
    values = (
        Invoice.objects.for_company(company)
        .filter(
            direction=Direction.CUSTOMER,
            issue_date__isnull=False,
            issue_date__lte=as_of,
            due_date__isnull=False,
        )
        .exclude(status__in=[InvoiceStatus.DRAFT, InvoiceStatus.CANCELLED])
        .exclude(doc_type=DocType.CREDIT_NOTE)
        .values_list(*ROW_FIELDS)
    )
    return [_Row(*row) for row in values]


def records_for(rows: list[_Row], as_of: dt.date):
    """InvoiceRecords of the company's customer invoices known on `as_of` (paid date hidden if later)."""
    from etabli.engines.scoring import InvoiceRecord

    records = []
    for row in rows:
        amount = row.total_ttc - row.amount_credited
        if amount <= 0:
            continue
        paid = row.paid_at if row.status == InvoiceStatus.PAID and row.paid_at else None
        if paid is not None and paid > as_of:
            paid = None
        sector = row.sector or ("particulier" if row.legal_type == LegalType.PERSON else None)
        records.append(
            InvoiceRecord(
                invoice_id=str(row.id),
                customer_id=str(row.partner_id),
                issue_date=row.issue_date,
                due_date=max(row.due_date, row.issue_date),
                amount=amount,
                paid_date=paid,
                sector=sector,
                customer_since=row.customer_since,
                payment_terms_days=min(max((row.due_date - row.issue_date).days, 0), 365),
            )
        )
    return records


RISK_FIELDS = (
    "late_probability",
    "risk_score",
    "risk_status",
    "risk_reasons",
    "expected_payment_date",
    "expected_payment_date_optimistic",
    "expected_payment_date_pessimistic",
    "risk_computed_at",
)


def _prepared_once(field, connection) -> Callable[[object], object]:
    """`field.get_db_prep_value` remembering its answers for this pass. Why: the conversion is the same
    for equal values, and most rows share their dates and timestamp. Lists (the JSON reasons) are looked
    up by their items, as a tuple."""
    cache: dict[object, object] = {}

    def prepare(value: object) -> object:
        key = (list, tuple(value)) if isinstance(value, list) else (type(value), value)
        try:
            return cache[key]
        except KeyError:
            cache[key] = prepared = field.get_db_prep_value(value, connection)
            return prepared

    return prepare


def store_scores(company: Company, values: list[tuple]) -> None:
    """Write the scores with one prepared UPDATE run many times. Django's bulk_update builds a CASE per field
    and row, which takes tens of seconds for 10 000 invoices; these are derived figures (recomputed daily),
    so one audit entry sums the pass up."""
    from django.db import DEFAULT_DB_ALIAS, connections

    from etabli.core.services import audit

    connection = connections[DEFAULT_DB_ALIAS]
    fields = [Invoice._meta.get_field(name) for name in RISK_FIELDS]
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(Invoice._meta.db_table)} SET "
        + ", ".join(f"{quote(field.column)} = %s" for field in fields)
        + f" WHERE {quote('id')} = %s AND {quote('company_id')} = %s"
    )
    # Numbers and text go as they are; dates, the timestamp and the JSON reasons through their field,
    # each distinct value once (a few dozen payment dates, one timestamp for 10 000 rows).
    adapt = [
        None
        if name in ("late_probability", "risk_score", "risk_status")
        else _prepared_once(field, connection)
        for name, field in zip(RISK_FIELDS, fields, strict=True)
    ]
    params = [
        [value if prepare is None else prepare(value) for prepare, value in zip(adapt, row[1:], strict=True)]
        + [row[0], company.pk]
        for row in values
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, params)
    audit.record(
        action="update",
        company=company,
        model="billing.Invoice",
        object_repr=f"Scores de risque de retard recalculés ({len(values)} factures)",
        changes={"fields": list(RISK_FIELDS), "count": len(values)},
    )


def _fingerprint(company: Company, as_of: dt.date) -> tuple:
    """Changes when a new outcome is known (a payment settles an invoice), not when an invoice is issued."""
    paid = Invoice.objects.for_company(company).filter(
        direction=Direction.CUSTOMER, status=InvoiceStatus.PAID
    )
    return (as_of, paid.count(), paid.aggregate(last=Max("updated_at"))["last"])


def fitted_scorer(company: Company, records, as_of: dt.date, *, refit: bool = False):
    from etabli.engines.scoring import InvoiceRiskScorer

    key = _fingerprint(company, as_of)
    with _LOCK:
        cached = _CACHE.get(company.pk)
    if cached is not None and cached[0] == key and not refit:
        return cached[1]
    scorer = InvoiceRiskScorer(random_state=0).fit(records, as_of=as_of)
    with _LOCK:
        _CACHE[company.pk] = (key, scorer)
    return scorer


def has_fitted(company: Company, as_of: dt.date) -> bool:
    with _LOCK:
        cached = _CACHE.get(company.pk)
    return cached is not None and cached[0] == _fingerprint(company, as_of)


def score_at_issue(*, company: Company, invoice_id: int) -> None:
    """Score a just-issued invoice: at once when today's model is in memory (a prediction), else in the
    background (a fit takes seconds on a few thousand invoices; issuing must stay instant)."""
    from django.conf import settings as django_settings

    if has_fitted(company, timezone.localdate()) or django_settings.HUEY.get("immediate"):
        score_company(company=company, invoice_ids=[invoice_id], log=True)
        return

    def enqueue() -> None:
        from etabli.billing.tasks import score_invoices_task

        score_invoices_task(company.pk, [invoice_id])

    transaction.on_commit(enqueue)


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()


def score_company(
    *,
    company: Company,
    as_of: dt.date | None = None,
    invoice_ids: list[int] | None = None,
    log: bool = True,
    refit: bool = False,
    timings: dict | None = None,
) -> list[ScoredInvoice]:
    """Score the open customer invoices (all, or those given) and store the results on them.

    `timings`, when given, receives the seconds spent per phase (the benchmark reads it). The cyclic garbage
    collector is paused for the pass: tens of thousands of rows, records and results, none in a cycle."""
    with cyclic_gc_paused():
        return _score_company(
            company=company, as_of=as_of, invoice_ids=invoice_ids, log=log, refit=refit, timings=timings
        )


def _score_company(
    *,
    company: Company,
    as_of: dt.date | None,
    invoice_ids: list[int] | None,
    log: bool,
    refit: bool,
    timings: dict | None,
) -> list[ScoredInvoice]:
    as_of = as_of or timezone.localdate()
    started = time.perf_counter()
    rows = _rows(company, as_of)
    by_id = {row.id: row for row in rows}
    records = records_for(rows, as_of)
    if not records:
        return []
    read_done = time.perf_counter()
    scorer = fitted_scorer(company, records, as_of, refit=refit)
    fit_done = time.perf_counter()
    open_ids = {row.id for row in rows if row.is_open}
    known = {r.invoice_id for r in records}
    wanted = [
        str(pk)
        for pk in sorted(open_ids if invoice_ids is None else open_ids & set(invoice_ids))
        if str(pk) in known
    ]
    risks = scorer.score(records, as_of=as_of, invoice_ids=wanted) if wanted else []
    scored_done = time.perf_counter()
    now = timezone.now()
    results: list[ScoredInvoice] = []
    values: list[tuple] = []
    for risk in risks:
        row = by_id[int(risk.invoice_id)]
        reasons = tuple(risk.reason_texts)
        if risk.status == "insufficient_history":
            reasons = reasons + (
                "pas assez d'historique : estimation à partir du secteur, du montant et du délai",
            )
        payment = risk.payment
        values.append(
            (
                row.id,
                float(risk.probability),
                int(risk.score),
                risk.status,
                list(reasons),
                payment.expected,
                payment.optimistic,
                payment.pessimistic,
                now,
            )
        )
        results.append(
            ScoredInvoice(
                id=row.id,
                number=row.number,
                customer=row.partner_name,
                amount_open=row.amount_open,
                due_date=row.due_date,
                probability=float(risk.probability),
                score=int(risk.score),
                status=risk.status,
                status_label=risk.status_label,
                reasons=reasons,
                expected_payment_date=payment.expected,
                expected_payment_date_optimistic=payment.optimistic,
                expected_payment_date_pessimistic=payment.pessimistic,
            )
        )
    if values:
        store_scores(company, values)
    if timings is not None:
        timings.update(
            read=read_done - started,
            fit=fit_done - read_done,
            score=scored_done - fit_done,
            store=time.perf_counter() - scored_done,
            total=time.perf_counter() - started,
        )
    if log and results:
        latency = int((time.perf_counter() - started) * 1000)
        if len(results) == 1:
            only = results[0]
            ailog.log_decision(
                company=company,
                use_case="billing.risk",
                engine=ENGINE,
                engine_version=ENGINE_VERSION,
                input_data=[r.__dict__ for r in records if r.invoice_id == str(only.id)],
                input_summary=f"Risque de retard — facture {only.number}",
                output=only.as_json(),
                confidence=max(only.probability, 1 - only.probability),
                explanation=list(only.reasons) or [only.status_label],
                latency_ms=latency,
            )
        else:
            mean = sum(r.probability for r in results) / len(results)
            ailog.log_decision(
                company=company,
                use_case="billing.risk",
                engine=ENGINE,
                engine_version=ENGINE_VERSION,
                input_data={"as_of": as_of.isoformat(), "records": len(records), "scored": len(results)},
                input_summary=f"Risque de retard de {len(results)} factures ouvertes au {as_of:%d/%m/%Y}",
                output={
                    "scored": len(results),
                    "status": scorer.status_,
                    "mean_probability": round(mean, 4),
                    "high_risk": sum(1 for r in results if r.probability >= 0.5),
                },
                explanation=[scorer.status_label_],
                latency_ms=latency,
            )
    return results


def set_supplier_expectations(company: Company) -> int:
    """Supplier invoices: we plan to pay on the due date (the cash forecast reads these dates)."""
    rows = list(
        Invoice.objects.for_company(company).filter(
            direction=Direction.SUPPLIER, status__in=OPEN_STATUSES, expected_payment_date__isnull=True
        )
    )
    for invoice in rows:
        invoice.expected_payment_date = invoice.due_date
        invoice.expected_payment_date_optimistic = invoice.due_date
        invoice.expected_payment_date_pessimistic = invoice.due_date
    Invoice.objects.bulk_update(
        rows,
        ["expected_payment_date", "expected_payment_date_optimistic", "expected_payment_date_pessimistic"],
        batch_size=500,
    )
    return len(rows)


@dataclass(frozen=True)
class TermsAdvice:
    deposit_percent: int
    deposit_amount: Decimal
    term_days: int
    risk_level: str
    score: int
    explanation: str
    history_status: str


def suggest_terms(
    *,
    company: Company,
    amount,
    requested_term_days: int = 60,
    partner_id: int | None = None,
    sector: str = "",
    customer_since: dt.date | None = None,
    as_of: dt.date | None = None,
) -> TermsAdvice:
    """Guide ch. 10.3: a (new) customer asks for a large credit → deposit % and a shorter term, from the risk."""
    from etabli.common.money import to_decimal
    from etabli.engines.scoring import ScoringError

    as_of = as_of or timezone.localdate()
    try:
        amount = to_decimal(amount)
    except (ValueError, TypeError) as exc:
        raise BillingError("Montant invalide.", field_errors={"amount": "Invalide."}) from exc
    if amount <= 0:
        raise BillingError("Le montant demandé doit être positif.", field_errors={"amount": "Doit être > 0."})
    if not 0 <= int(requested_term_days) <= 365:
        raise BillingError(
            "Délai demandé invalide.", field_errors={"requested_term_days": "Entre 0 et 365 jours."}
        )
    partner = None
    if partner_id is not None:
        partner = (
            Partner.objects.for_company(company).filter(pk=partner_id, kind=PartnerKind.CUSTOMER).first()
        )
        if partner is None:
            raise BillingError("Client introuvable.", code="not_found", status=404)
    invoices = _rows(company, as_of)
    records = records_for(invoices, as_of)
    if not records:
        raise BillingError(
            "Aucune facture émise : il faut un historique (même court) pour estimer un risque."
        )
    scorer = fitted_scorer(company, records, as_of)
    customer_id = str(partner.pk) if partner else f"nouveau-{sector or 'client'}"
    try:
        suggestion = scorer.suggest_terms(
            records,
            customer_id=customer_id,
            amount=amount,
            as_of=as_of,
            requested_term_days=int(requested_term_days),
            sector=(partner.sector if partner and partner.sector else sector) or None,
            customer_since=(partner.customer_since if partner else None) or customer_since or as_of,
        )
    except ScoringError as exc:
        raise BillingError(str(exc)) from exc
    ailog.log_decision(
        company=company,
        use_case="billing.risk",
        engine=ENGINE,
        engine_version=ENGINE_VERSION,
        input_data={"customer": customer_id, "amount": str(amount), "term": requested_term_days},
        input_summary=f"Demande de crédit de {amount} € ({partner.name if partner else 'nouveau client'})",
        output={
            "deposit_percent": suggestion.deposit_percent,
            "term_days": suggestion.term_days,
            "score": suggestion.score,
        },
        confidence=None,
        explanation=[suggestion.explanation],
    )
    return TermsAdvice(
        deposit_percent=suggestion.deposit_percent,
        deposit_amount=suggestion.deposit_amount,
        term_days=suggestion.term_days,
        risk_level=suggestion.risk_level,
        score=suggestion.score,
        explanation=suggestion.explanation,
        history_status=scorer.status_label_,
    )
