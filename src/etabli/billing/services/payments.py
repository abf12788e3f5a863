"""Payments, full or partial, typed by hand or matched from a bank line by the banking app.

`record_payment` is idempotent per `external_ref` (a bank line id, say): calling it twice records one
payment. It refuses to pay more than what is due beyond a few cents, updates the status, closes the
invoice's alerts and pending reminders, and emits `invoice.paid` when the invoice is settled.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from etabli.billing.dto import PaymentView
from etabli.billing.errors import BillingError
from etabli.billing.models import (
    DocType,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    PaymentSource,
    Reminder,
    ReminderStatus,
)
from etabli.billing.rules import OVERPAYMENT_TOLERANCE
from etabli.billing.selectors import payment_view
from etabli.billing.status import compute_status
from etabli.common.formats import format_eur
from etabli.common.money import round_cents, to_decimal
from etabli.core.models import Company, ReviewItem
from etabli.core.services import alerts, audit, reviews, webhooks

METHOD_ALIASES = {
    "transfer": PaymentMethod.TRANSFER,
    "virement": PaymentMethod.TRANSFER,
    "sepa": PaymentMethod.TRANSFER,
    "cheque": PaymentMethod.CHEQUE,
    "chèque": PaymentMethod.CHEQUE,
    "check": PaymentMethod.CHEQUE,
    "card": PaymentMethod.CARD,
    "carte": PaymentMethod.CARD,
    "cb": PaymentMethod.CARD,
    "cash": PaymentMethod.CASH,
    "especes": PaymentMethod.CASH,
    "espèces": PaymentMethod.CASH,
    "direct_debit": PaymentMethod.DIRECT_DEBIT,
    "prelevement": PaymentMethod.DIRECT_DEBIT,
    "prélèvement": PaymentMethod.DIRECT_DEBIT,
    "compensation": PaymentMethod.OFFSET,
    "autre": PaymentMethod.OTHER,
    "other": PaymentMethod.OTHER,
}


def alert_codes(invoice: Invoice) -> tuple[str, str]:
    return f"billing:due-soon:{invoice.pk}", f"billing:overdue:{invoice.pk}"


def on_settled(invoice: Invoice) -> None:
    """Nothing more is expected on this invoice: close its alerts and its pending reminders."""
    for code in alert_codes(invoice):
        alerts.resolve(company=invoice.company, code=code)
    pending = Reminder.objects.filter(invoice=invoice, status=ReminderStatus.PROPOSED)
    review_ids = [r.review_item_id for r in pending if r.review_item_id]
    cancelled = pending.update(status=ReminderStatus.CANCELLED, error="Facture réglée avant l'envoi.")
    if cancelled:
        audit.record(
            action="update",
            company=invoice.company,
            model="billing.Reminder",
            object_repr=f"{cancelled} relance(s) annulée(s) : facture {invoice.number} réglée",
            changes={"invoice": invoice.pk, "reviews_expired": review_ids},
        )
    for item in ReviewItem.objects.filter(pk__in=review_ids, company_id=invoice.company_id):
        reviews.expire(item=item, reason="Facture réglée entre-temps : relance sans objet.")


def _method(value: str) -> str:
    key = (value or "").strip().lower()
    if key in PaymentMethod.values:
        return key
    if key in METHOD_ALIASES:
        return METHOD_ALIASES[key]
    raise BillingError(
        f"Moyen de paiement inconnu : « {value} » (virement, chèque, carte, espèces, prélèvement…).",
        field_errors={"method": "Inconnu."},
    )


def record_payment(
    *,
    company: Company,
    invoice_id: int,
    amount: Decimal,
    date: dt.date,
    method: str,
    reference: str = "",
    source: str = "manual",
    external_ref: str = "",
    user=None,
) -> PaymentView:
    if source not in PaymentSource.values:
        raise BillingError(f"Origine de paiement inconnue : « {source} ».")
    try:
        amount = round_cents(to_decimal(amount))
    except (ValueError, TypeError, InvalidOperation) as exc:
        raise BillingError(f"Montant invalide : « {amount} ».", field_errors={"amount": "Invalide."}) from exc
    if amount <= 0:
        raise BillingError(
            "Le montant d'un règlement doit être positif.", field_errors={"amount": "Doit être > 0."}
        )
    if not isinstance(date, dt.date):
        raise BillingError("La date du règlement est invalide.", field_errors={"date": "Invalide."})
    if date > timezone.localdate() + dt.timedelta(days=1):
        raise BillingError(
            "La date du règlement ne peut pas être dans le futur.", field_errors={"date": "Future."}
        )
    method = _method(method)
    external_ref = (external_ref or "").strip()[:120]
    try:
        with transaction.atomic():
            if external_ref:
                existing = (
                    Payment.objects.filter(company=company, external_ref=external_ref)
                    .select_related("invoice", "invoice__partner")
                    .first()
                )
                if existing is not None:
                    if existing.invoice_id != invoice_id:
                        raise BillingError(
                            f"La référence « {external_ref} » a déjà servi pour un règlement de la facture "
                            f"{existing.invoice.number}.",
                            code="duplicate_external_ref",
                            status=409,
                        )
                    return payment_view(existing, created=False)
            invoice = Invoice.objects.select_for_update().filter(pk=invoice_id, company=company).first()
            if invoice is None:
                raise BillingError("Facture introuvable dans cette entreprise.", code="not_found", status=404)
            if invoice.status == InvoiceStatus.DRAFT:
                raise BillingError(
                    "On n'encaisse pas un brouillon : émettez d'abord la facture.", code="draft"
                )
            if invoice.status == InvoiceStatus.CANCELLED:
                raise BillingError(
                    f"La facture {invoice.number} est annulée par avoir : rien n'est dû.",
                    code="cancelled",
                    status=409,
                )
            due = invoice.total_ttc - invoice.prepaid_amount - invoice.amount_paid - invoice.amount_credited
            if amount > due + OVERPAYMENT_TOLERANCE:
                what = "reste à rembourser" if invoice.doc_type == DocType.CREDIT_NOTE else "reste dû"
                raise BillingError(
                    f"Ce règlement de {format_eur(amount)} dépasse le {what} de {format_eur(max(due, 0))} "
                    f"sur la facture {invoice.number} : vérifiez le montant ou l'imputation.",
                    field_errors={"amount": "Supérieur au reste dû."},
                    code="overpayment",
                    status=409,
                )
            payment = Payment.objects.create(
                company=company,
                invoice=invoice,
                amount=amount,
                date=date,
                method=method,
                reference=(reference or "")[:200],
                source=source,
                external_ref=external_ref,
                created_by=user if getattr(user, "is_authenticated", False) else None,
            )
            invoice.amount_paid += amount
            invoice.last_payment_date = max(filter(None, [invoice.last_payment_date, date]))
            invoice.status = compute_status(invoice, timezone.localdate())
            if invoice.status == InvoiceStatus.PAID:
                invoice.paid_at = invoice.last_payment_date
            invoice.save()
            if invoice.status == InvoiceStatus.PAID:
                on_settled(invoice)
                webhooks.emit(
                    company=company,
                    event="invoice.paid",
                    data={
                        "id": invoice.pk,
                        "number": invoice.number,
                        "direction": invoice.direction,
                        "partner_id": invoice.partner_id,
                        "total_ttc": str(invoice.total_ttc),
                        "paid_at": invoice.paid_at.isoformat(),
                        "payment_id": payment.pk,
                    },
                )
            return payment_view(payment, created=True)
    except IntegrityError as exc:  # two bank passes recording the same external_ref at the same time
        existing = (
            Payment.objects.filter(company=company, external_ref=external_ref)
            .select_related("invoice")
            .first()
        )
        if external_ref and existing is not None:
            return payment_view(existing, created=False)
        raise BillingError(
            "Le règlement n'a pas pu être enregistré (conflit). Réessayez.", code="conflict", status=409
        ) from exc
