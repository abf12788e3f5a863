"""Dunning (relances): which invoice needs which reminder today, in which tone, with which amounts — proposed
in the review queue ("L'IA propose, vous décidez"), sent on acceptance.

The pass, for each open customer invoice:
1. finds the next step of the company's sequence that is due (steps are taken one at a time, at least
   `MIN_DAYS_BETWEEN` days apart, never skipping to a formal notice without the reminders before it);
2. chooses the tone from the customer's history (rules.choose_tone) unless the customer's record sets one;
3. writes the message from the French template; an LLM may rephrase it when the company enabled it and one
   is configured, and its draft is used only if grounded (engine check) and if it still states the invoice
   number, the amount due and the due date (our check). The formal notice is never rephrased;
4. proposes it (`billing.reminder.<level>` review kinds). Auto-send is the core's auto-mode for that
   kind; formal notices always wait for a person.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from etabli.billing import dunning_texts
from etabli.billing.errors import BillingError
from etabli.billing.models import (
    OPEN_STATUSES,
    BillingSettings,
    Channel,
    Direction,
    DocType,
    DunningStep,
    Invoice,
    InvoiceStatus,
    LegalType,
    Partner,
    Reminder,
    ReminderStatus,
    SentKind,
    StepLevel,
    Tone,
)
from etabli.billing.rules import PaymentHistory, choose_tone, format_rate, penalty_claim
from etabli.billing.services.setup import ensure_settings
from etabli.common.formats import format_date, format_eur, format_number
from etabli.core.models import AutoRule, Company
from etabli.core.services import ailog, reviews, webhooks

logger = logging.getLogger(__name__)

MIN_DAYS_BETWEEN = 7
REVIEW_KIND = "billing.reminder.{level}"
LEVEL_ORDER = {StepLevel.COURTESY: 0, StepLevel.REMINDER: 1, StepLevel.FIRM: 2, StepLevel.FORMAL_NOTICE: 3}
TONE_LABELS = dict(Tone.choices)


def review_kind(level: str) -> str:
    return REVIEW_KIND.format(level=level)


@dataclass
class DunningEntry:
    invoice_id: int
    number: str
    customer: str
    step_id: int
    step: str
    level: str
    days_from_due: int
    tone: str
    tone_label: str
    tone_reason: str
    amount_open: Decimal
    penalties: Decimal
    indemnity: Decimal
    subject: str = ""
    outcome: str = ""  # would_propose | proposed | sent_automatically | already_proposed | error
    review_id: int | None = None
    reminder_id: int | None = None
    message: str = ""
    generated_by_ai: bool = False

    def as_json(self) -> dict:
        data = asdict(self)
        for key in ("amount_open", "penalties", "indemnity"):
            data[key] = str(data[key])
        return data


@dataclass
class DunningReport:
    as_of: dt.date
    dry_run: bool
    entries: list[DunningEntry] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "dry_run": self.dry_run,
            "count": len(self.entries),
            "reminders": [entry.as_json() for entry in self.entries],
        }


# --- Customer history -------------------------------------------------------------------------------------


def histories(company: Company, partner_ids: set[int], as_of: dt.date) -> dict[int, list[Invoice]]:
    rows = (
        Invoice.objects.for_company(company)
        .filter(direction=Direction.CUSTOMER, partner_id__in=partner_ids)
        .exclude(status=InvoiceStatus.DRAFT)
        .exclude(doc_type=DocType.CREDIT_NOTE)
        .only(
            "id",
            "partner_id",
            "issue_date",
            "due_date",
            "paid_at",
            "status",
            "total_ttc",
            "amount_paid",
            "amount_credited",
            "prepaid_amount",
            "doc_type",
        )
    )
    grouped: dict[int, list[Invoice]] = defaultdict(list)
    for invoice in rows:
        grouped[invoice.partner_id].append(invoice)
    return grouped


def payment_history(
    invoice: Invoice, partner: Partner, others: list[Invoice], as_of: dt.date
) -> PaymentHistory:
    before = [
        i
        for i in others
        if i.pk != invoice.pk and i.issue_date and invoice.issue_date and i.issue_date <= invoice.issue_date
    ]
    settled = sorted(
        (i for i in before if i.paid_at and i.paid_at <= as_of and i.status == InvoiceStatus.PAID),
        key=lambda i: i.paid_at,
        reverse=True,
    )
    outcomes = tuple(bool(i.due_date and i.paid_at > i.due_date) for i in settled)
    other_overdue = sum(
        1
        for i in others
        if i.pk != invoice.pk
        and i.status in OPEN_STATUSES
        and i.due_date
        and i.due_date < as_of
        and i.amount_open > 0
    )
    first = min((i.issue_date for i in before if i.issue_date), default=invoice.issue_date)
    since = partner.customer_since or first
    return PaymentHistory(
        invoices_before=len(before),
        recent_outcomes=outcomes,
        other_overdue=other_overdue,
        customer_age_days=(as_of - since).days if since else None,
    )


def tone_for(invoice: Invoice, partner: Partner, others: list[Invoice], as_of: dt.date) -> tuple[str, str]:
    if partner.tone != Tone.AUTO:
        return partner.tone, f"Ton choisi sur la fiche client : {TONE_LABELS[partner.tone].lower()}"
    return choose_tone(payment_history(invoice, partner, others, as_of))


# --- Which step is due ------------------------------------------------------------------------------------


def next_step(
    invoice: Invoice, steps: list[DunningStep], live: list[Reminder], as_of: dt.date
) -> DunningStep | None:
    """The step to propose today for this invoice, or None.

    Steps are taken one at a time in the sequence's order: an invoice found 40 days late with no reminder
    yet gets the first reminder, then the firmer one a week later, and only then the formal notice. A
    courtesy notice makes sense only before the due date."""
    if invoice.due_date is None:
        return None
    if any(r.status == ReminderStatus.PROPOSED for r in live):
        return None  # one pending proposal at a time
    days = (as_of - invoice.due_date).days
    sent = [r for r in live if r.status == ReminderStatus.SENT]
    done = {r.step_id for r in sent}
    last_level = max((LEVEL_ORDER[r.level] for r in sent), default=-1)
    last_sent = max((timezone.localtime(r.sent_at).date() for r in sent if r.sent_at), default=None)
    candidates = [
        step
        for step in steps
        if step.pk not in done
        and LEVEL_ORDER[step.level] >= max(last_level, 0)
        and step.offset_days <= days
        and not (step.level == StepLevel.COURTESY and (days > 0 or last_level >= 0))
    ]
    if not candidates:
        return None
    if last_level >= 1 and last_sent is not None and (as_of - last_sent).days < MIN_DAYS_BETWEEN:
        return None
    return candidates[0]


# --- Message ----------------------------------------------------------------------------------------------


def _signature(company: Company, settings: BillingSettings) -> str:
    if settings.reminder_signature.strip():
        return settings.reminder_signature.strip()
    return "\n".join(filter(None, [str(company), company.phone, company.email]))


def build_facts(
    *,
    invoice: Invoice,
    partner: Partner,
    level: str,
    settings: BillingSettings,
    company: Company,
    as_of: dt.date,
) -> tuple[dict[str, str], object]:
    professional = partner.legal_type != LegalType.PERSON
    claim = penalty_claim(
        principal=invoice.amount_open,
        due_date=invoice.due_date,
        as_of=as_of,
        annual_rate_percent=settings.penalty_rate,
        indemnity=settings.recovery_indemnity,
        professional=professional,
    )
    rate_text = format_number(settings.penalty_rate, 2).rstrip("0").rstrip(",")
    iban = settings.payment_iban or (invoice.seller or {}).get("iban", "")
    facts = {
        "greeting": "Madame, Monsieur," if professional else f"Bonjour {partner.name},",
        "customer": partner.name,
        "number": invoice.number,
        "issue_date": format_date(invoice.issue_date),
        "due_date": format_date(invoice.due_date),
        "amount_open": format_eur(invoice.amount_open),
        "total_ttc": format_eur(invoice.total_ttc),
        "days_late": str(max(0, claim.days_late)),
        "company": str(company),
        "signature": _signature(company, settings),
        "penalty_rate": f"{rate_text} %",
        "penalties": format_eur(claim.penalties),
        "indemnity": format_eur(claim.indemnity),
        "total_claimed": format_eur(claim.total),
        "payment_info": (
            f"Règlement par virement : IBAN {iban}, en indiquant la référence {invoice.number}.\n\n"
            if iban
            else ""
        ),
        "legal_reminder": (
            f" ; en cas de retard, des pénalités au taux annuel de {rate_text} % et une indemnité forfaitaire de "
            f"{format_eur(settings.recovery_indemnity)} pour frais de recouvrement sont exigibles de plein droit "
            "(art. L441-10 et D441-5 du Code de commerce)."
            if professional
            else "."
        ),
    }
    if professional:
        start = invoice.due_date + dt.timedelta(days=1)
        basis = (
            "taux contractuel"
            if settings.contractual_penalty_rate is not None
            else f"taux de refinancement de la BCE de {format_rate(settings.ecb_rate)} % majoré de "
            f"{format_rate(settings.penalty_margin_points)} points"
        )
        facts["claim_detail"] = (
            f"- principal restant dû : {format_eur(claim.principal)} ;\n"
            f"- pénalités de retard au taux de {rate_text} % l'an ({basis}, art. L441-10 du Code de commerce), "
            f"du {format_date(start)} au {format_date(as_of)}, soit {claim.days_late} jours : "
            f"{format_eur(claim.penalties)} ;\n"
            f"- indemnité forfaitaire pour frais de recouvrement (art. D441-5 du Code de commerce) : "
            f"{format_eur(claim.indemnity)}.\n"
        )
    else:
        facts["claim_detail"] = (
            f"- principal restant dû : {format_eur(claim.principal)}, majoré des intérêts au "
            "taux légal à compter de la présente mise en demeure.\n"
        )
    return facts, claim


REQUIRED_FACTS = ("number", "amount_open", "due_date")


def _llm_engine(company: Company):
    """The company's language model (core LLM service: its settings, budget, AI log), or None in template mode."""
    from etabli.core.services.llm import engine_for

    engine = engine_for(company, use_case="billing.dunning")
    return None if engine.uses_template_only else engine


def compose_message(
    *,
    level: str,
    tone: str,
    facts: dict[str, str],
    settings: BillingSettings,
    company: Company,
    allow_llm: bool = True,
) -> dict:
    """Subject and body from the template; rephrased by the LLM only when allowed and grounded."""
    from etabli.engines.llm import TEMPLATE_LABEL

    subject, body = dunning_texts.render(level, tone, facts)
    result = {
        "subject": subject,
        "body": body,
        "generated_by_ai": False,
        "label": TEMPLATE_LABEL,
        "fallback_reason": "",
    }
    if level == StepLevel.FORMAL_NOTICE:
        result["fallback_reason"] = "Mise en demeure : texte juridique du modèle, jamais reformulé."
        return result
    if not (allow_llm and settings.llm_rephrase):
        result["fallback_reason"] = "Reformulation par l'IA désactivée : message issu du modèle de texte."
        return result
    engine = _llm_engine(company)
    if engine is None:
        from etabli.engines.llm import NO_MODEL_REASON

        result["fallback_reason"] = NO_MODEL_REASON
        return result
    tone_words = {
        "courteous": "courtois et chaleureux",
        "informative": "informatif et pédagogique",
        "firm": "ferme et factuel, sans agressivité",
    }[tone]
    prompt = (
        "Reformule ce message de relance de facture en français, sur un ton "
        f"{tone_words}. Garde exactement le numéro de facture, les montants, les dates et l'IBAN ; n'ajoute "
        "aucun chiffre, aucune date, aucune promesse. Réponds par le seul texte du message.\n\n" + body
    )
    from etabli.core.services.llm import voice_for

    composition = engine.compose(
        "relance", prompt=prompt, template=lambda: body, facts=facts, max_tokens=500, voice=voice_for(company)
    )
    text = composition.text
    missing = [
        key for key in REQUIRED_FACTS if facts[key].replace("\u202f", " ") not in text.replace("\u202f", " ")
    ]
    if composition.generated_by_ai and missing:
        result["fallback_reason"] = (
            "Le brouillon de l'IA omet des éléments essentiels ("
            + ", ".join(
                {"number": "n° de facture", "amount_open": "montant dû", "due_date": "échéance"}[k]
                for k in missing
            )
            + ") : message issu du modèle de texte."
        )
        return result
    result.update(
        body=text if text.endswith("\n") else text + "\n",
        generated_by_ai=composition.generated_by_ai,
        label=composition.label,
        fallback_reason=composition.fallback_reason or "",
    )
    return result


# --- The pass ---------------------------------------------------------------------------------------------


def _live_reminders(company: Company, invoice_ids: list[int]) -> dict[int, list[Reminder]]:
    grouped: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in Reminder.objects.for_company(company).filter(
        invoice_id__in=invoice_ids, status__in=[ReminderStatus.PROPOSED, ReminderStatus.SENT]
    ):
        grouped[reminder.invoice_id].append(reminder)
    return grouped


def _confidence(invoice: Invoice, as_of: dt.date, generated_by_ai: bool) -> float:
    """How sure we are that the reminder is right to send: lower when a payment just came in (another may be
    in transit) or when the text was rephrased by a model."""
    confidence = 0.95
    if invoice.last_payment_date and (as_of - invoice.last_payment_date).days <= 5:
        confidence -= 0.25
    if generated_by_ai:
        confidence -= 0.1
    return round(confidence, 2)


def run_dunning(
    *,
    company: Company,
    as_of: dt.date | None = None,
    dry_run: bool = False,
    invoice_ids: list[int] | None = None,
) -> DunningReport:
    """One dunning pass: what is due today (dry run), or proposed/sent through the review queue."""
    as_of = as_of or timezone.localdate()
    settings = ensure_settings(company)
    report = DunningReport(as_of=as_of, dry_run=dry_run)
    steps = [
        s
        for s in DunningStep.objects.for_company(company)
        .filter(is_active=True)
        .order_by("offset_days", "position")
    ]
    if not steps:
        return report
    horizon = as_of - dt.timedelta(days=min(s.offset_days for s in steps))
    qs = (
        Invoice.objects.for_company(company)
        .filter(
            direction=Direction.CUSTOMER,
            status__in=OPEN_STATUSES,
            due_date__lte=horizon,
            dunning_paused=False,
        )
        .exclude(doc_type=DocType.CREDIT_NOTE)
        .select_related("partner")
        .order_by("due_date", "id")
    )
    if invoice_ids is not None:
        qs = qs.filter(pk__in=invoice_ids)
    invoices = [i for i in qs if i.amount_open >= settings.min_reminder_amount]
    live = _live_reminders(company, [i.pk for i in invoices])
    history = histories(company, {i.partner_id for i in invoices}, as_of)
    for invoice in invoices:
        step = next_step(invoice, steps, live.get(invoice.pk, []), as_of)
        if step is None:
            continue
        partner = invoice.partner
        tone, tone_reason = tone_for(invoice, partner, history.get(partner.pk, []), as_of)
        facts, claim = build_facts(
            invoice=invoice,
            partner=partner,
            level=step.level,
            settings=settings,
            company=company,
            as_of=as_of,
        )
        entry = DunningEntry(
            invoice_id=invoice.pk,
            number=invoice.number,
            customer=partner.name,
            step_id=step.pk,
            step=step.label,
            level=step.level,
            days_from_due=(as_of - invoice.due_date).days,
            tone=tone,
            tone_label=TONE_LABELS[tone],
            tone_reason=tone_reason,
            amount_open=invoice.amount_open,
            penalties=claim.penalties if step.level == StepLevel.FORMAL_NOTICE else Decimal("0.00"),
            indemnity=claim.indemnity if step.level == StepLevel.FORMAL_NOTICE else Decimal("0.00"),
        )
        if dry_run:
            subject, _ = dunning_texts.render(step.level, tone, facts)
            entry.subject, entry.outcome = subject, "would_propose"
        else:
            try:
                _propose(
                    entry,
                    invoice=invoice,
                    partner=partner,
                    step=step,
                    facts=facts,
                    claim=claim,
                    settings=settings,
                    company=company,
                    as_of=as_of,
                )
            except BillingError as exc:
                entry.outcome, entry.message = "error", exc.message
            except Exception as exc:  # one invoice's problem must not stop the pass
                logger.exception("Dunning failed for invoice %s", invoice.pk)
                entry.outcome, entry.message = "error", f"Erreur inattendue : {exc.__class__.__name__}"
        report.entries.append(entry)
    return report


def _propose(
    entry: DunningEntry,
    *,
    invoice: Invoice,
    partner: Partner,
    step: DunningStep,
    facts: dict,
    claim,
    settings: BillingSettings,
    company: Company,
    as_of: dt.date,
) -> None:
    message = compose_message(
        level=step.level, tone=entry.tone, facts=facts, settings=settings, company=company
    )
    entry.subject, entry.generated_by_ai = message["subject"], message["generated_by_ai"]
    confidence = _confidence(invoice, as_of, message["generated_by_ai"])
    days = entry.days_from_due
    timing = (
        f"Échéance le {facts['due_date']} (dans {-days} jour{'s' if -days > 1 else ''})"
        if days < 0
        else "Échéance aujourd'hui"
        if days == 0
        else f"Échéance du {facts['due_date']} dépassée de {days} jour{'s' if days > 1 else ''}"
    )
    reasons = [timing, f"Reste dû : {facts['amount_open']} sur {facts['total_ttc']}", entry.tone_reason]
    if step.level == StepLevel.FORMAL_NOTICE and claim.penalties:
        reasons.append(
            f"Pénalités {facts['penalties']} + indemnité {facts['indemnity']} (calculées au centime)"
        )
    if invoice.late_probability is not None and step.level == StepLevel.COURTESY:
        reasons.append(f"Risque de retard estimé : {round(invoice.late_probability * 100)} %")
    reasons.append(
        message["label"] + (f" — {message['fallback_reason']}" if message["fallback_reason"] else "")
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    company=company,
                    invoice=invoice,
                    step=step,
                    level=step.level,
                    tone=entry.tone,
                    tone_reason=entry.tone_reason[:300],
                    channel=step.channel,
                    recipient=partner.email,
                    subject=message["subject"][:255],
                    body=message["body"],
                    principal=claim.principal,
                    penalties=entry.penalties,
                    indemnity=entry.indemnity,
                    days_late=max(0, days),
                    penalty_rate=settings.penalty_rate
                    if step.level == StepLevel.FORMAL_NOTICE
                    else Decimal("0"),
                    generated_by_ai=message["generated_by_ai"],
                    generation_label=message["label"][:200],
                    fallback_reason=message["fallback_reason"],
                    scheduled_for=as_of,
                )
        except IntegrityError:
            entry.outcome = "already_proposed"
            return
        decision = ailog.log_decision(
            company=company,
            use_case="billing.dunning",
            engine="billing.dunning",
            engine_version="1",
            input_data={
                "invoice": invoice.pk,
                "step": step.pk,
                "amount_open": str(invoice.amount_open),
                "as_of": as_of.isoformat(),
            },
            input_summary=f"Relance {step.label} — facture {invoice.number}",
            output={
                "tone": entry.tone,
                "level": step.level,
                "subject": message["subject"],
                "penalties": str(entry.penalties),
                "indemnity": str(entry.indemnity),
            },
            confidence=confidence,
            explanation=reasons,
            generated_text=True,
        )
        item = reviews.propose(
            company=company,
            kind=review_kind(step.level),
            title=f"{step.label} — {invoice.number} ({partner.name}, {facts['amount_open']})",
            payload={
                "reminder_id": reminder.pk,
                "invoice_id": invoice.pk,
                "subject": reminder.subject,
                "body": reminder.body,
                "recipient": reminder.recipient,
            },
            confidence=confidence,
            reasons=reasons,
            summary=reminder.body[:1500],
            link_url=reverse("billing:invoice_detail", args=[invoice.pk]),
            dedupe_key=f"billing:reminder:{invoice.pk}:{step.pk}",
            ai_decision=decision,
        )
        Reminder.objects.filter(pk=reminder.pk).update(review_item=item)
        reminder.refresh_from_db()
    entry.review_id, entry.reminder_id = item.pk, reminder.pk
    entry.outcome = "sent_automatically" if reminder.status == ReminderStatus.SENT else "proposed"
    if item.last_error:
        entry.message = item.last_error


def propose_now(*, company: Company, invoice_id: int, as_of: dt.date | None = None) -> DunningEntry:
    """The "Relancer" button of an invoice page: run the pass for this invoice only."""
    report = run_dunning(company=company, as_of=as_of, invoice_ids=[invoice_id])
    if not report.entries:
        raise BillingError(
            "Aucune relance n'est due aujourd'hui pour cette facture (pas encore à l'étape suivante, "
            "relance déjà proposée, ou facture réglée).",
            code="nothing_due",
            status=409,
        )
    entry = report.entries[0]
    if entry.outcome == "error":
        raise BillingError(entry.message)
    return entry


# --- Review handler -----------------------------------------------------------------------------------------


def apply_reminder(item, payload: dict, user) -> dict:
    """Send the accepted (possibly edited) reminder by e-mail with the invoice attached."""
    from etabli.billing.services.output import pdf_bytes, pdf_filename, send_email
    from etabli.core.services.reviews import ReviewApplyError

    reminder = (
        Reminder.objects.select_for_update()
        .select_related("invoice", "invoice__partner")
        .filter(pk=payload.get("reminder_id"), company_id=item.company_id)
        .first()
    )
    if reminder is None:
        raise ReviewApplyError("Relance introuvable.")
    if reminder.status != ReminderStatus.PROPOSED:
        raise ReviewApplyError(f"Cette relance est déjà {reminder.get_status_display().lower()}.")
    invoice = reminder.invoice
    invoice.refresh_from_db()
    if invoice.amount_open <= 0:
        raise ReviewApplyError(f"La facture {invoice.number} est réglée : relance sans objet.")
    subject = str(payload.get("subject") or reminder.subject).strip()[:255]
    body = str(payload.get("body") or reminder.body)
    recipient = str(payload.get("recipient") or invoice.partner.email).strip()
    if reminder.channel == Channel.EMAIL or recipient:
        try:
            send_email(
                company=item.company,
                kind=SentKind.REMINDER,
                to=recipient,
                subject=subject,
                body=body,
                attachments=[(pdf_filename(invoice), pdf_bytes(invoice), "application/pdf")],
                invoice=invoice,
                reminder=reminder,
                user=user,
            )
        except BillingError as exc:
            raise ReviewApplyError(exc.message) from exc
    reminder.status, reminder.sent_at = ReminderStatus.SENT, timezone.now()
    reminder.subject, reminder.body, reminder.recipient = subject, body, recipient
    reminder.save()
    webhooks.emit(
        company=item.company,
        event="reminder.sent",
        data={
            "id": reminder.pk,
            "invoice_id": invoice.pk,
            "number": invoice.number,
            "level": reminder.level,
            "tone": reminder.tone,
            "recipient": recipient,
            "amount_open": str(invoice.amount_open),
            "penalties": str(reminder.penalties),
            "indemnity": str(reminder.indemnity),
        },
    )
    return {"reminder_id": reminder.pk, "sent_to": recipient}


def reject_reminder(item, user) -> None:
    Reminder.objects.filter(
        pk=(item.payload or {}).get("reminder_id"), company_id=item.company_id, status=ReminderStatus.PROPOSED
    ).update(status=ReminderStatus.REJECTED)


def auto_send_enabled(company: Company) -> dict[str, bool]:
    rules = {
        r.kind: r.enabled
        for r in AutoRule.objects.filter(company=company, kind__startswith="billing.reminder.")
    }
    return {level: rules.get(review_kind(level), False) for level in StepLevel.values}


def set_auto_send(*, company: Company, level: str, enabled: bool, user=None) -> None:
    """Auto-send for a dunning level = the core's auto-mode for its review kind (logged the same way).
    Formal notices always need a person."""
    if level == StepLevel.FORMAL_NOTICE and enabled:
        raise BillingError("Une mise en demeure est toujours validée par une personne.")
    try:
        reviews.set_auto_rule(
            company=company, kind=review_kind(level), enabled=enabled, min_confidence=0.9, user=user
        )
    except reviews.ReviewError as exc:
        raise BillingError(exc.message) from exc
