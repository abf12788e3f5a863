"""Reads of the writing assistant (always for one company), and the exports built from them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from etabli.core.models import Company
from etabli.core.services import ledger
from etabli.engines.writing import Draft as EngineDraft
from etabli.engines.writing import ProductDescription, read_products_csv, write_products_csv
from etabli.writing.constants import TIME_SAVED_ACTIONS, BatchFeature, DraftStatus
from etabli.writing.models import Batch, Draft, Event, Testimonial, WritingProfile


def profile_for(*, company: Company) -> WritingProfile | None:
    return WritingProfile.objects.for_company(company).first()


def testimonials(*, company: Company) -> QuerySet[Testimonial]:
    return Testimonial.objects.for_company(company).order_by("created_at", "pk")


def events(*, company: Company) -> QuerySet[Event]:
    return Event.objects.for_company(company).order_by("date", "pk")


def batches(*, company: Company, feature: str = "") -> QuerySet[Batch]:
    qs = Batch.objects.for_company(company).select_related("created_by", "job")
    if feature:
        qs = qs.filter(feature=feature)
    return qs.annotate(
        draft_count=Count("drafts"),
        pending_count=Count("drafts", filter=Q(drafts__status__in=(DraftStatus.DRAFT, DraftStatus.EDITED))),
    ).order_by("-created_at", "-pk")


def batch(*, company: Company, batch_id: int) -> Batch:
    """Raises ``Batch.DoesNotExist`` for another company's request (same answer as a missing one)."""
    return Batch.objects.for_company(company).select_related("job", "created_by").get(pk=batch_id)


def batch_drafts(*, batch: Batch) -> QuerySet[Draft]:
    return (Draft.objects.for_company(batch.company_id).filter(batch=batch)
            .select_related("approved_by", "edited_by", "rejected_by").order_by("position", "pk"))


def drafts(*, company: Company, feature: str = "", status: str = "") -> QuerySet[Draft]:
    qs = Draft.objects.for_company(company).select_related("batch", "approved_by", "edited_by", "rejected_by")
    if feature:
        qs = qs.filter(feature=feature)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "position", "pk")


def draft(*, company: Company, draft_id: int) -> Draft:
    """Raises ``Draft.DoesNotExist`` for another company's draft."""
    return (Draft.objects.for_company(company).select_related("batch", "approved_by", "edited_by", "rejected_by")
            .get(pk=draft_id))


def overview(*, company: Company, today: dt.date | None = None) -> dict:
    """Counts for the home page: drafts waiting for a person, approved this month, time saved."""
    today = today or timezone.localdate()
    month_start = today.replace(day=1)
    qs = Draft.objects.for_company(company)
    approved = (qs.filter(status=DraftStatus.APPROVED, approved_at__date__gte=month_start)
                .values("feature").annotate(n=Count("pk")))
    minutes = Decimal(0)
    approved_count = 0
    for row in approved:
        approved_count += row["n"]
        minutes += ledger.minutes_for(company, TIME_SAVED_ACTIONS[row["feature"]]) * row["n"]
    return {
        "pending": qs.filter(status__in=(DraftStatus.DRAFT, DraftStatus.EDITED)).count(),
        "flagged": qs.filter(status=DraftStatus.DRAFT, flagged=True).count(),
        "approved_month": approved_count,
        "hours_saved_month": (minutes / 60).quantize(Decimal("0.1")),
    }


# --- exports -----------------------------------------------------------------------------------------------
def export_products_csv(*, batch: Batch) -> str:
    """The uploaded file with its columns kept and the descriptions added: the person's version of each text
    when there is one, and the status column stating who approved it or that it is a generated draft."""
    if batch.feature != BatchFeature.PRODUCTS:
        raise ValueError("Only product requests export to CSV")
    table = read_products_csv(batch.source_text)
    by_index = {d.metadata.get("index"): d for d in batch_drafts(batch=batch)}
    errors = {e["index"]: e["message"] for e in (batch.result or {}).get("row_errors", [])}
    results = []
    for index, row in enumerate(table.rows):
        item = by_index.get(index)
        if item is None:
            message = errors.get(index) or "Pas de description (rédaction interrompue)."
            results.append(ProductDescription(index, "", "", "", "", EngineDraft("", False, ""), row, error=message))
            continue
        label = item.display_label if item.status != DraftStatus.REJECTED else f"Rejeté : {item.rejection_reason}"
        warnings = tuple(item.warnings) + tuple(item.grounding_warnings if item.flagged else ())
        results.append(ProductDescription(
            index=index, name=item.title, title_seo=item.metadata.get("title_seo", ""),
            meta_description=item.metadata.get("meta_description", "") if not item.is_edited else
            _meta(item.current_text), description=item.current_text,
            draft=EngineDraft(item.current_text, item.generated_by_ai, label, warnings), row=row,
        ))
    return write_products_csv(None, table, results)


def _meta(text: str) -> str:
    from etabli.engines.writing.products import meta_description

    return meta_description(text)


def export_batch_text(*, batch: Batch) -> str:
    """Every draft of a request as plain text, each with its mention (for copying into another tool)."""
    lines = [batch.title, "=" * len(batch.title), ""]
    for item in batch_drafts(batch=batch):
        if item.status == DraftStatus.REJECTED:
            continue
        lines += [f"## {item.title}", f"[{item.display_label}]"]
        if item.metadata.get("suggested_slot"):
            lines.append(f"Publication conseillée : {item.metadata['suggested_slot']}")
        lines += ["", item.current_text, ""]
    return "\n".join(lines).rstrip() + "\n"
