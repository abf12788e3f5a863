"""Per-company billing settings and the default dunning sequence, created on first use."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction

from etabli.billing.errors import BillingError
from etabli.billing.models import BillingSettings, Channel, DunningStep, StepLevel
from etabli.core.models import Company

#: The guide's sequence (ch. 4.2 + C. com. L441-10): a courtesy notice 5 days before the due date, a
#: reminder the day after, a firmer one at +15 days, a formal notice ("mise en demeure") at +30 days.
DEFAULT_STEPS: tuple[tuple[int, str, str], ...] = (
    (-5, StepLevel.COURTESY, "Rappel de courtoisie avant échéance"),
    (1, StepLevel.REMINDER, "Première relance"),
    (15, StepLevel.FIRM, "Relance ferme"),
    (30, StepLevel.FORMAL_NOTICE, "Mise en demeure"),
)


def ensure_settings(company: Company) -> BillingSettings:
    existing = BillingSettings.objects.filter(company=company).first()
    if existing is not None:
        return existing
    iban = str((company.settings or {}).get("bank_iban", ""))[:34]
    bic = str((company.settings or {}).get("bank_bic", ""))[:11]
    try:
        with transaction.atomic():
            row = BillingSettings.objects.create(company=company, payment_iban=iban, payment_bic=bic)
            for position, (offset, level, label) in enumerate(DEFAULT_STEPS):
                DunningStep.objects.create(
                    company=company,
                    position=position,
                    offset_days=offset,
                    level=level,
                    label=label,
                    channel=Channel.EMAIL,
                )
            return row
    except IntegrityError:  # created by a concurrent request a moment ago
        return BillingSettings.objects.get(company=company)


SETTING_FIELDS = (
    "invoice_prefix",
    "credit_note_prefix",
    "quote_prefix",
    "default_payment_terms_days",
    "quote_validity_days",
    "default_deposit_percent",
    "ecb_rate",
    "penalty_margin_points",
    "contractual_penalty_rate",
    "recovery_indemnity",
    "early_payment_discount_text",
    "payment_iban",
    "payment_bic",
    "extra_mentions",
    "due_soon_days",
    "llm_rephrase",
    "reminder_signature",
    "min_reminder_amount",
)


@transaction.atomic
def update_settings(*, company: Company, **values) -> BillingSettings:
    row = ensure_settings(company)
    unknown = set(values) - set(SETTING_FIELDS)
    if unknown:
        raise BillingError(f"Réglages inconnus : {', '.join(sorted(unknown))}.")
    for name, value in values.items():
        setattr(row, name, value)
    errors = {}
    for prefix_field in ("invoice_prefix", "credit_note_prefix", "quote_prefix"):
        value = getattr(row, prefix_field) or ""
        if not value.isalnum():
            errors[prefix_field] = "Le préfixe ne doit contenir que des lettres et des chiffres."
    if len({row.invoice_prefix, row.credit_note_prefix, row.quote_prefix}) < 3:
        errors["credit_note_prefix"] = "Factures, avoirs et devis doivent avoir des préfixes différents."
    if row.ecb_rate < 0 or row.ecb_rate > 25:
        errors["ecb_rate"] = "Le taux de la BCE doit être compris entre 0 et 25 %."
    if row.recovery_indemnity < Decimal("40"):
        errors["recovery_indemnity"] = "L'indemnité forfaitaire ne peut pas être inférieure à 40 € (D441-5)."
    if row.contractual_penalty_rate is not None and row.contractual_penalty_rate <= 0:
        errors["contractual_penalty_rate"] = "Le taux contractuel doit être positif."
    if errors:
        raise BillingError("Certains réglages ne sont pas valides.", field_errors=errors)
    row.save()
    return row


@transaction.atomic
def save_step(
    *,
    company: Company,
    step: DunningStep | None,
    offset_days: int,
    level: str,
    label: str,
    channel: str = Channel.EMAIL,
    is_active: bool = True,
) -> DunningStep:
    if level not in StepLevel.values:
        raise BillingError("Nature d'étape inconnue.")
    if not -60 <= int(offset_days) <= 365:
        raise BillingError("Le décalage doit être compris entre −60 et +365 jours.")
    if level == StepLevel.COURTESY and offset_days > 0:
        raise BillingError("Un rappel de courtoisie se place avant l'échéance (décalage négatif ou nul).")
    if level != StepLevel.COURTESY and offset_days <= 0:
        raise BillingError("Une relance se place après l'échéance (décalage positif).")
    if step is None:
        step = DunningStep(company=company, position=DunningStep.objects.filter(company=company).count())
    elif step.company_id != company.pk:
        raise BillingError("Étape introuvable.", code="not_found", status=404)
    step.offset_days, step.level, step.label = int(offset_days), level, (label or "").strip()[:120] or level
    step.channel, step.is_active = channel, is_active
    step.save()
    return step
