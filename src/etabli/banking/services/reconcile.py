"""Reconciliation: bank lines ↔ open customer and supplier invoices (read through billing's selectors), through
the matching engine and the review queue; categories for the lines that are not invoice payments.

"L'IA propose, vous décidez": every match becomes a review item with its confidence and French reasons. It is
applied at once only when the owner turned on auto-mode for « Rapprochement bancaire » (core AutoRule) and the
engine found one clear winner above the owner's threshold; when two candidates are close the proposal is of the
kind « plusieurs factures possibles », which auto-mode never applies. Accepting a proposal records the payment
through billing's `record_payment` (idempotent per bank line and invoice), links the line, and records the
minutes saved; refusing it remembers that this line is not that invoice.

What the engine learns from the company: aliases and IBANs from past matches (`MatchMemory`), and categories
from the owner's rules, the lines a person or a rule categorised, and a classifier trained on them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.apps import apps
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from etabli.banking import selectors
from etabli.banking.adapters import open_item, past_match, statement_line
from etabli.banking.constants import (
    ACTION_LINE_CATEGORISED,
    ACTION_MATCH_AUTO,
    ACTION_MATCH_EXTRA_INVOICE,
    ACTION_MATCH_VALIDATED,
    CATEGORY_ENGINE,
    CUSTOMER_ACCOUNT,
    ENGINE_VERSION,
    MATCHING_ENGINE,
    REVIEW_MATCH,
    REVIEW_MATCH_CHOICE,
    SUPPLIER_ACCOUNT,
    USE_CASE_RECONCILIATION,
    category_label,
)
from etabli.banking.errors import BankingError
from etabli.banking.models import BankLine, CategoryRule, Direction, LineMatch, LineStatus, MatchSource
from etabli.common.formats import format_date, format_eur
from etabli.common.money import ZERO
from etabli.core.models import AutoRule, Company, ReviewItem, ReviewStatus
from etabli.core.services import ailog, ledger, reviews
from etabli.engines.matching import (
    CATEGORIES,
    Categorizer,
    LineResult,
    MatchingConfig,
    MatchMemory,
    Reconciler,
)
from etabli.engines.matching import CategoryRule as EngineRule

#: Lines older than this are not looked at again by the daily or manual pass (imports reconcile their lines).
RECONCILE_WINDOW_DAYS = 180
#: A category the engine is at least this sure of is applied to the line (shown as proposed by the AI).
CATEGORY_APPLY_CONFIDENCE = 0.6
DEFAULT_AUTO_THRESHOLD = 0.90


@dataclass
class ReconcileOutcome:
    lines: int = 0
    auto_matched: int = 0
    proposed: int = 0
    categorised: int = 0
    unmatched: int = 0
    minutes_saved: Decimal = ZERO
    note: str = ""

    def as_dict(self) -> dict:
        data = asdict(self)
        data["minutes_saved"] = str(self.minutes_saved)
        return data

    def summary(self) -> str:
        text = (f"{self.lines} opération(s) examinée(s) : {self.auto_matched} rapprochée(s) automatiquement, "
                f"{self.proposed} proposition(s) à valider, {self.categorised} catégorisée(s), "
                f"{self.unmatched} à traiter à la main.")
        return f"{text} {self.note}".strip()


def billing_available() -> bool:
    return apps.is_installed("etabli.billing")


def _open_invoices(company: Company) -> list:
    if not billing_available():
        return []
    from etabli.billing.selectors import open_invoices

    return open_invoices(company=company)


def auto_threshold(company: Company) -> tuple[bool, float]:
    """(auto-mode on?, confidence threshold) from the owner's rule for « Rapprochement bancaire »."""
    rule = AutoRule.objects.filter(company=company, kind=REVIEW_MATCH).first()
    if rule is None or not rule.enabled:
        return False, DEFAULT_AUTO_THRESHOLD
    return True, float(rule.min_confidence)


def categorizer_for(company: Company) -> Categorizer:
    owner_rules = [EngineRule(rule.pattern, rule.category, rule.direction) for rule in selectors.category_rules(company)
                   if rule.category in CATEGORIES]
    history = [(text, amount, category) for text, amount, category in selectors.categorised_history(company)
               if category in CATEGORIES]
    return Categorizer.fit(history, owner_rules=owner_rules)


def memory_for(company: Company) -> MatchMemory:
    return MatchMemory().fit(example for example in map(past_match, selectors.matched_history(company)) if example)


def _candidate_lines(company: Company, line_ids: list[int] | None, since: dt.date | None):
    qs = BankLine.objects.for_company(company).filter(
        status__in=(LineStatus.UNMATCHED, LineStatus.CATEGORISED), category_confirmed=False)
    if line_ids is not None:
        qs = qs.filter(pk__in=line_ids)
    else:
        qs = qs.filter(date__gte=since or timezone.localdate() - dt.timedelta(days=RECONCILE_WINDOW_DAYS))
    return list(qs.select_related("account").order_by("date", "id"))


def reconcile_lines(*, company: Company, line_ids: list[int] | None = None, since: dt.date | None = None
                    ) -> ReconcileOutcome:
    """Match or categorise the company's lines still to process (the given ones, or the recent ones)."""
    rows = _candidate_lines(company, line_ids, since)
    outcome = ReconcileOutcome(lines=len(rows))
    if not rows:
        return outcome
    views = _open_invoices(company)
    if not billing_available():
        outcome.note = "Module de facturation absent : catégorisation seulement."
    pending = selectors.proposed_allocations(company)
    items = [item for item in (open_item(view, already_proposed=pending.get(view.id, ZERO)) for view in views) if item]
    by_id = {view.id: view for view in views}
    _enabled, threshold = auto_threshold(company)
    engine = Reconciler(MatchingConfig(auto_threshold=threshold), memory=memory_for(company),
                        categorizer=categorizer_for(company))
    results = engine.reconcile([statement_line(row) for row in rows], items)
    newly_categorised: list[dict] = []
    for row, result in zip(rows, results, strict=True):
        candidates = [c for c in result.candidates if sorted(map(int, c.item_ids)) not in (row.rejected or [])]
        if result.decision in ("auto", "suggestion") and candidates:
            item = _propose(company, row, result, candidates, by_id, threshold, auto_decision=(
                result.decision == "auto" and candidates[0] is result.candidates[0]))
            if item.status == ReviewStatus.AUTO_ACCEPTED:
                outcome.auto_matched += 1
                outcome.minutes_saved += Decimal(str(item.result.get("minutes", 0))) if item.result else ZERO
            else:
                outcome.proposed += 1
            continue
        prediction = result.category
        if prediction is not None and prediction.confidence >= CATEGORY_APPLY_CONFIDENCE:
            was_new = row.status != LineStatus.CATEGORISED
            outcome.categorised += 1
            if (row.category, row.category_source) == (prediction.code, prediction.source) and not was_new:
                continue  # the daily pass found the same category again: nothing to write
            _set_category(row, prediction.code, source=prediction.source, confidence=prediction.confidence,
                          reason=prediction.reason)
            if was_new:
                newly_categorised.append({"line_id": row.pk, "category": prediction.code,
                                          "confidence": prediction.confidence, "source": prediction.source,
                                          "reason": prediction.reason})
        else:
            outcome.unmatched += 1
    if newly_categorised:
        _log_categories(company, rows, newly_categorised)
        minutes = ledger.minutes_for(company, ACTION_LINE_CATEGORISED) * len(newly_categorised)
        ledger.record_time_saved(company=company, action_key=ACTION_LINE_CATEGORISED, minutes=minutes, automated=True,
                                 object_ref=f"banque:categories:{len(newly_categorised)}")
        outcome.minutes_saved += minutes
    return outcome


def _set_category(row: BankLine, code: str, *, source: str, confidence: float | None, reason: str,
                  confirmed: bool = False) -> None:
    row.category = code
    row.pcg_account = CATEGORIES[code].pcg_account
    row.category_source = source
    row.category_confidence = confidence
    row.category_reason = reason[:300]
    row.category_confirmed = confirmed
    row.status = LineStatus.CATEGORISED
    row.save(update_fields=["category", "pcg_account", "category_source", "category_confidence", "category_reason",
                            "category_confirmed", "status"])


def _log_categories(company: Company, rows: list[BankLine], decisions: list[dict]) -> None:
    ailog.log_decision(
        company=company, use_case=USE_CASE_RECONCILIATION, engine=CATEGORY_ENGINE, engine_version=ENGINE_VERSION,
        input_data=[row.fingerprint for row in rows],
        input_summary=f"{len(decisions)} opération(s) bancaire(s) sans facture à catégoriser",
        output=decisions,
        explanation=[f"Ligne {d['line_id']} : {category_label(d['category'])} — {d['reason']}" for d in decisions[:20]],
    )


# --- Proposals ---------------------------------------------------------------------------------------------


def _allocation_payload(allocation, view) -> dict:
    return {
        "invoice_id": int(allocation.item_id), "number": allocation.number, "kind": view.kind if view else "",
        "partner_id": view.partner_id if view else None, "partner_name": view.partner_name if view else "",
        "amount": str(allocation.amount), "remaining": str(allocation.remaining),
        "due_date": view.due_date.isoformat() if view and view.due_date else None,
        "issue_date": view.issue_date.isoformat() if view and view.issue_date else None,
    }


def _propose(company: Company, row: BankLine, result: LineResult, candidates: list, by_id: dict, threshold: float,
             *, auto_decision: bool) -> ReviewItem:
    best = candidates[0]
    confident_but_close = not auto_decision and best.confidence >= threshold
    kind = REVIEW_MATCH_CHOICE if confident_but_close else REVIEW_MATCH
    allocations = [_allocation_payload(a, by_id.get(int(a.item_id))) for a in best.allocations]
    numbers = ", ".join(a["number"] for a in allocations)
    alternatives = [{"invoice_ids": [int(i) for i in c.item_ids], "numbers": [a.number for a in c.allocations],
                     "partner_name": c.partner_name, "confidence": c.confidence, "reasons": list(c.reasons)}
                    for c in candidates[1:4]]
    payload = {
        "line_id": row.pk, "account": row.account.name, "date": row.date.isoformat(), "amount": str(row.amount),
        "label": row.label, "candidate_kind": best.kind, "confidence": best.confidence,
        "allocations": allocations, "invoices": numbers, "difference": str(best.difference),
        "writeoff_account": best.writeoff_account or "", "alternatives": alternatives,
        "explanation": result.explanation,
    }
    decision = ailog.log_decision(
        company=company, use_case=USE_CASE_RECONCILIATION, engine=MATCHING_ENGINE, engine_version=ENGINE_VERSION,
        input_data={"line": row.fingerprint, "amount": str(row.amount), "label": row.text,
                    "candidates": [[str(i) for i in c.item_ids] for c in candidates]},
        input_summary=f"{format_eur(row.amount)} le {format_date(row.date)} — {row.label}"[:500],
        output={"decision": result.decision, "kind": kind, "invoices": [a["number"] for a in allocations],
                "alternatives": [a["numbers"] for a in alternatives]},
        confidence=best.confidence, explanation=list(best.reasons) + [result.explanation],
    )
    direction = "Encaissement" if row.amount > 0 else "Paiement"
    title = (f"{direction} de {format_eur(abs(row.amount))} du {format_date(row.date)} ↔ "
             f"{'facture' if len(allocations) == 1 else 'factures'} {numbers} ({best.partner_name})")
    summary = f"{row.label}\n{result.explanation}"
    if confident_but_close:
        summary += "\nPlusieurs factures conviennent presque aussi bien : choisissez la bonne (jamais appliqué automatiquement)."
    with transaction.atomic():
        row.status = LineStatus.PROPOSED
        row.save(update_fields=["status"])
        item = reviews.propose(
            company=company, kind=kind, title=title, payload=payload, confidence=best.confidence,
            reasons=list(best.reasons), summary=summary, link_url=reverse("banking:line_detail", args=[row.pk]),
            dedupe_key=f"banking:line:{row.pk}", ai_decision=decision,
        )
        if item.status == ReviewStatus.PENDING:
            BankLine.objects.filter(pk=row.pk).update(review_item_id=item.pk)
    return item


# --- Applying and refusing (review handler) -------------------------------------------------------------------


def _split_numbers(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", (text or "").strip()) if part]


def _payment_method(line: BankLine) -> str:
    text = line.label.upper()
    if "CHEQUE" in text or "CHQ" in text:
        return "cheque"
    if text.startswith(("PRLV", "PRELEVEMENT")):
        return "prelevement"
    if text.startswith(("CB ", "CARTE", "PAIEMENT CB")):
        return "carte"
    return "virement"


def _resolve_allocations(company: Company, line: BankLine, payload: dict) -> list[dict]:
    """The payload's allocations, or — when a person typed other invoice numbers — new ones, the line's amount
    spread over those invoices oldest due date first."""
    original = [a["number"] for a in payload.get("allocations", [])]
    wanted = _split_numbers(payload.get("invoices", ""))
    if not wanted:
        raise reviews.ReviewApplyError("Indiquez au moins un numéro de facture.")
    if [n.upper() for n in wanted] == [n.upper() for n in original]:
        return payload["allocations"]
    kind = "customer" if line.amount > 0 else "supplier"
    views = {view.number.upper(): view for view in _open_invoices(company) if view.kind == kind}
    chosen = []
    for number in wanted:
        view = views.get(number.upper())
        if view is None:
            what = "clients (encaissement)" if kind == "customer" else "fournisseurs (paiement)"
            raise reviews.ReviewApplyError(f"Facture « {number} » introuvable parmi les factures {what} ouvertes.")
        chosen.append(view)
    chosen.sort(key=lambda v: (v.due_date or dt.date.max, v.number))
    left = abs(line.amount)
    allocations = []
    for view in chosen:
        if left <= 0:
            raise reviews.ReviewApplyError(f"Le montant de l'opération est épuisé avant la facture {view.number}.")
        part = min(left, view.amount_open)
        left -= part
        sign = Decimal(1) if kind == "customer" else Decimal(-1)
        allocations.append({"invoice_id": view.id, "number": view.number, "kind": kind, "partner_id": view.partner_id,
                            "partner_name": view.partner_name, "amount": str(part * sign),
                            "remaining": str((view.amount_open - part) * sign),
                            "due_date": view.due_date.isoformat() if view.due_date else None,
                            "issue_date": view.issue_date.isoformat() if view.issue_date else None})
    if left > Decimal("0.05"):
        total = sum((v.amount_open for v in chosen), ZERO)
        raise reviews.ReviewApplyError(
            f"L'opération de {format_eur(abs(line.amount))} dépasse de {format_eur(left)} le reste dû des factures "
            f"choisies ({format_eur(total)}) : ajoutez la facture manquante.")
    payload["difference"] = "0"
    payload["writeoff_account"] = ""
    return allocations


def minutes_for_match(company: Company, *, automated: bool, invoices: int) -> tuple[Decimal, Decimal]:
    """(minutes of the match itself, minutes for the extra invoices of a grouped payment)."""
    base = ledger.minutes_for(company, ACTION_MATCH_AUTO if automated else ACTION_MATCH_VALIDATED)
    extra = ledger.minutes_for(company, ACTION_MATCH_EXTRA_INVOICE) * max(0, invoices - 1)
    return base, extra


def apply_match(item: ReviewItem, payload: dict, user) -> dict:
    """Review handler: record the payment(s) in billing, link the line, count the time saved."""
    from etabli.billing.errors import BillingError
    from etabli.billing.services import record_payment

    company = item.company
    line = BankLine.objects.select_for_update().filter(company=company, pk=payload.get("line_id")).first()
    if line is None:
        raise reviews.ReviewApplyError("Opération bancaire introuvable dans cette entreprise.")
    if line.status == LineStatus.MATCHED:
        raise reviews.ReviewApplyError("Cette opération bancaire est déjà rapprochée.")
    allocations = _resolve_allocations(company, line, payload)
    automated = not getattr(user, "is_authenticated", False)
    difference = Decimal(str(payload.get("difference") or "0"))
    writeoff = payload.get("writeoff_account") or ""
    matches, payments = [], []
    for allocation in allocations:
        amount = abs(Decimal(str(allocation["amount"])))
        note = (f" — dont {format_eur(abs(difference))} de frais bancaires déduits (compte {writeoff})"
                if writeoff and difference and len(matches) == 0 else "")
        try:
            payment = record_payment(
                company=company, invoice_id=int(allocation["invoice_id"]), amount=amount, date=line.date,
                method=_payment_method(line), reference=(line.label + note)[:200], source="bank",
                external_ref=f"banque:{line.pk}:{allocation['invoice_id']}", user=user if not automated else None,
            )
        except BillingError as exc:
            raise reviews.ReviewApplyError(f"Facture {allocation['number']} : {exc.message}") from exc
        payments.append(payment.id)
        matches.append(LineMatch(
            company=company, line=line, invoice_id=int(allocation["invoice_id"]), invoice_number=allocation["number"],
            invoice_kind=allocation.get("kind") or ("customer" if line.amount > 0 else "supplier"),
            partner_id=allocation.get("partner_id"), partner_name=allocation.get("partner_name", "")[:200],
            amount=Decimal(str(allocation["amount"])),
            issue_date=dt.date.fromisoformat(allocation["issue_date"]) if allocation.get("issue_date") else None,
            due_date=dt.date.fromisoformat(allocation["due_date"]) if allocation.get("due_date") else None,
            payment_id=payment.id, external_ref=f"banque:{line.pk}:{allocation['invoice_id']}",
            writeoff_amount=abs(difference) if writeoff and len(matches) == 0 else ZERO,
            writeoff_account=writeoff if len(matches) == 0 else "",
            source=MatchSource.AUTO if automated else MatchSource.VALIDATED, confidence=item.confidence,
        ))
    for match in matches:  # one by one: each link goes to the audit log
        match.save()
    first = allocations[0]
    issue_dates = [m.issue_date for m in matches if m.issue_date]
    line.status = LineStatus.MATCHED
    line.matched_kind = first.get("kind") or ("customer" if line.amount > 0 else "supplier")
    line.matched_partner_id = first.get("partner_id")
    line.matched_partner_name = (first.get("partner_name") or "")[:200]
    line.document_date = min(issue_dates) if issue_dates else None
    line.matched_at = timezone.now()
    line.review_item_id = item.pk
    line.pcg_account = CUSTOMER_ACCOUNT if line.matched_kind == "customer" else SUPPLIER_ACCOUNT
    line.category, line.category_source, line.category_confidence, line.category_reason = "", "", None, ""
    line.category_confirmed = False
    base, extra = minutes_for_match(company, automated=automated, invoices=len(matches))
    line.minutes_saved = base + extra
    line.save()
    ledger.record_time_saved(company=company, action_key=ACTION_MATCH_AUTO if automated else ACTION_MATCH_VALIDATED,
                             minutes=base, automated=automated, object_ref=f"banque:ligne:{line.pk}", review_item=item)
    if extra:
        ledger.record_time_saved(company=company, action_key=ACTION_MATCH_EXTRA_INVOICE, minutes=extra,
                                 automated=automated, object_ref=f"banque:ligne:{line.pk}", review_item=item)
    return {"line_id": line.pk, "payments": payments, "invoices": [m.invoice_number for m in matches],
            "minutes": str(base + extra)}


def reject_match(item: ReviewItem, user) -> None:
    """Review handler: the line is not these invoices — remember it and give the line back."""
    line = BankLine.objects.select_for_update().filter(company=item.company, pk=item.payload.get("line_id")).first()
    if line is None or line.status != LineStatus.PROPOSED:
        return
    ids = sorted(int(a["invoice_id"]) for a in item.payload.get("allocations", []))
    rejected = list(line.rejected or [])
    if ids and ids not in rejected:
        rejected.append(ids)
    line.rejected = rejected
    line.status = LineStatus.CATEGORISED if line.category else LineStatus.UNMATCHED
    line.review_item_id = None
    line.save(update_fields=["rejected", "status", "review_item_id"])


def pending_item(line: BankLine) -> ReviewItem | None:
    return ReviewItem.objects.filter(company_id=line.company_id, status=ReviewStatus.PENDING,
                                     dedupe_key=f"banking:line:{line.pk}").first()


def choose_match(*, company: Company, line: BankLine, numbers: list[str], user, membership) -> ReviewItem:
    """A person picks the invoice(s) of a line (another candidate, or numbers typed by hand): the pending
    proposal is accepted with these invoices, or a new one is created and accepted — always through the queue."""
    if line.company_id != company.pk:
        raise BankingError("Opération introuvable.", code="not_found", status=404)
    if line.status == LineStatus.MATCHED:
        raise BankingError("Cette opération est déjà rapprochée.", code="already_matched", status=409)
    text = ", ".join(n.strip() for n in numbers if n.strip())
    if not text:
        raise BankingError("Indiquez au moins un numéro de facture.", field_errors={"invoices": "Obligatoire."})
    item = pending_item(line)
    try:
        if item is None:
            item = reviews.propose(
                company=company, kind=REVIEW_MATCH_CHOICE,
                title=f"Rapprochement choisi à la main : {format_eur(line.amount)} du {format_date(line.date)} ↔ {text}",
                payload={"line_id": line.pk, "account": line.account.name, "date": line.date.isoformat(),
                         "amount": str(line.amount), "label": line.label, "allocations": [], "invoices": text,
                         "difference": "0", "writeoff_account": "", "alternatives": [], "candidate_kind": "manual"},
                reasons=["choix d'une personne"], link_url=reverse("banking:line_detail", args=[line.pk]),
                dedupe_key=f"banking:line:{line.pk}",
            )
            BankLine.objects.filter(pk=line.pk).update(status=LineStatus.PROPOSED, review_item_id=item.pk)
        return reviews.accept(item=item, user=user, membership=membership, edits={"invoices": text})
    except reviews.ReviewError as exc:
        raise BankingError(exc.message, code="refused", status=409) from exc


# --- Categories ------------------------------------------------------------------------------------------------


def set_category(*, company: Company, line: BankLine, category: str, user=None, membership=None,
                 create_rule: bool = False, pattern: str = "") -> BankLine:
    """A person sets the category of a line (it then teaches the classifier). A pending match proposal for the
    line is refused, since the person says it is not an invoice payment."""
    if line.company_id != company.pk:
        raise BankingError("Opération introuvable.", code="not_found", status=404)
    if category not in CATEGORIES:
        raise BankingError(f"Catégorie inconnue : « {category} ».", field_errors={"category": "Inconnue."})
    if line.status == LineStatus.MATCHED:
        raise BankingError("Cette opération est rapprochée d'une facture : elle n'a pas de catégorie de charge.",
                           code="already_matched", status=409)
    with transaction.atomic():
        item = pending_item(line)
        if item is not None:
            reviews.reject(item=item, user=user, membership=membership,
                           reason=f"Pas un règlement de facture : catégorie « {category_label(category)} » choisie.")
            line.refresh_from_db()
        _set_category(line, category, source="manuel", confidence=1.0, reason="choisie par une personne",
                      confirmed=True)
        if create_rule:
            add_rule(company=company, pattern=pattern or suggested_pattern(line), category=category,
                     direction=Direction.CREDIT if line.amount > 0 else Direction.DEBIT, user=user)
    return line


def suggested_pattern(line: BankLine) -> str:
    """Words of the label worth a rule (no banking noise, no numbers): « URSSAF PAYS LOIRE »."""
    from etabli.engines.matching.text import distinctive_tokens

    words = distinctive_tokens(line.label)
    return " ".join(words[:2]) if words else line.label[:30].upper()


def add_rule(*, company: Company, pattern: str, category: str, direction: str = Direction.ANY, user=None) -> CategoryRule:
    from etabli.engines.matching.text import normalise

    text = normalise(pattern)
    if len(text) < 3:
        raise BankingError("Le motif doit compter au moins 3 caractères.", field_errors={"pattern": "Trop court."})
    if category not in CATEGORIES:
        raise BankingError(f"Catégorie inconnue : « {category} ».", field_errors={"category": "Inconnue."})
    if direction not in Direction.values:
        raise BankingError("Sens inconnu (débit, crédit ou les deux).", field_errors={"direction": "Inconnu."})
    rule, _ = CategoryRule.objects.update_or_create(
        company=company, pattern=text[:80], direction=direction,
        defaults={"category": category, "created_by": user if getattr(user, "is_authenticated", False) else None},
    )
    return rule


def delete_rule(*, rule: CategoryRule) -> None:
    rule.delete()


def recategorise(*, company: Company) -> int:
    """Apply the current rules and classifier again to the lines no person categorised (after a rule change)."""
    rows = list(BankLine.objects.for_company(company).filter(
        status__in=(LineStatus.UNMATCHED, LineStatus.CATEGORISED), category_confirmed=False).order_by("date", "id"))
    if not rows:
        return 0
    predictions = categorizer_for(company).predict([statement_line(row) for row in rows])
    changed = 0
    with transaction.atomic():
        for row, prediction in zip(rows, predictions, strict=True):
            if (prediction is not None and prediction.confidence >= CATEGORY_APPLY_CONFIDENCE
                    and (row.category, row.category_source) != (prediction.code, prediction.source)):
                _set_category(row, prediction.code, source=prediction.source, confidence=prediction.confidence,
                              reason=prediction.reason)
                changed += 1
    return changed

