"""Bank reconciliation: for each statement line, ranked candidate invoices, a decision, and a category.

How a statement is processed:

1. Evidence that does not change while matching is gathered once per line: invoice numbers found in the
   label (:mod:`references`), partner names recognised (:mod:`partners`), aliases and IBANs learned from
   past matches (:class:`MatchMemory`), IBANs of the partners.
2. Candidates are generated from that evidence and the amounts still open: invoices whose number is in
   the label, invoices of exactly the amount (any partner), invoices within the fee tolerance, every open
   invoice of a recognised partner (partial payments), and combinations of a recognised partner's invoices
   that add up to the amount (:func:`subset_sums`, exact and bounded).
3. Each candidate gets a confidence and French reasons (:mod:`scoring`).
4. Decision: auto-match only above the threshold AND with the second candidate far behind; else a
   suggestion for the review queue; lines without a credible invoice get a category (:mod:`categorize`).

Lines are decided most-confident first, and an auto-match consumes the amounts it settles, so a second
partial payment of an invoice is then compared with what remains due, and an invoice already matched is
not offered again.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from etabli.common.formats import format_percent
from etabli.common.money import ZERO, round_cents
from etabli.engines.matching.categorize import Categorizer
from etabli.engines.matching.memory import MatchMemory, PartnerHint
from etabli.engines.matching.model import (
    Allocation,
    Candidate,
    CategoryPrediction,
    LineResult,
    MatchingConfig,
    MatchingError,
    OpenItem,
)
from etabli.engines.matching.partners import PartnerDirectory, name_strength, partner_key
from etabli.engines.matching.references import ReferenceHit, ReferenceIndex
from etabli.engines.matching.scoring import Evidence, ScoringWeights, date_text, score
from etabli.engines.matching.subset import subset_sums
from etabli.engines.matching.text import clean_name, normalise
from etabli.engines.statements.model import StatementLine

ItemId = str | int
#: Adds the candidate made of these items (with the number of subset-sum solutions, for groups).
_Add = Callable[..., None]
_FAR_FUTURE = date(9999, 12, 31)
#: Shares of an invoice usually paid as a deposit or an instalment.
_USUAL_SHARES = (10, 20, 25, 30, 100 / 3, 40, 50, 60, 200 / 3, 70, 75, 80, 90)
#: Words by which a payer announces a partial payment.
_PARTIAL_WORDS = ("ACOMPTE", "ACPTE", "ARRHES", "AVANCE", "SOLDE", "PARTIEL", "ECHELONNEMENT", "VERSEMENT")


def _cents(value: Decimal) -> int:
    """Amount in cents; amounts inside the engine are already rounded to the cent."""
    return int(value.scaleb(2))


@dataclass
class _PartnerEvidence:
    name_score: float = 0.0
    name_strength: float = 0.0
    hint: PartnerHint | None = None
    iban_match: bool = False

    @property
    def strength(self) -> float:
        return max(
            self.name_strength, self.hint.strength if self.hint else 0.0, 1.0 if self.iban_match else 0.0
        )


@dataclass
class _LineContext:
    index: int
    line: StatementLine
    sign: int
    paid: Decimal
    partners: dict[str, _PartnerEvidence] = field(default_factory=dict)
    references: dict[ItemId, ReferenceHit] = field(default_factory=dict)
    partial_word: str = ""
    #: Partners whose invoices were all looked at (set while generating candidates).
    searched: set[str] = field(default_factory=set)
    #: Window of amounts due (cents) looked at for this line: exact to fee tolerance.
    window: tuple[int, int] = (0, 0)


class _Book:
    """Open items with the amounts still due, and the indexes candidates are drawn from."""

    def __init__(self, items: Sequence[OpenItem]) -> None:
        self.items: dict[ItemId, OpenItem] = {}
        for item in items:
            if item.id in self.items:
                raise MatchingError(f"La pièce « {item.id} » figure deux fois dans les pièces ouvertes.")
            if item.kind not in ("customer", "supplier"):
                raise MatchingError(
                    f"Pièce « {item.number} » : type « {item.kind} » inconnu (client ou fournisseur)."
                )
            self.items[item.id] = item
        self.remaining: dict[ItemId, Decimal] = {item.id: round_cents(item.amount_open) for item in items}
        self.partner_of: dict[ItemId, str] = {item.id: partner_key(item) for item in items}
        self.by_partner: dict[str, list[ItemId]] = defaultdict(list)
        for item in sorted(items, key=lambda i: (i.due_date or i.issue_date or _FAR_FUTURE, str(i.number))):
            self.by_partner[self.partner_of[item.id]].append(item.id)
        self.exact: dict[int, set[ItemId]] = defaultdict(set)
        #: (|amount due| in cents, str(id), id), sorted, per direction: for fee-window queries.
        self.sorted_due: dict[int, list[tuple[int, str, ItemId]]] = {1: [], -1: []}
        for item_id, amount in self.remaining.items():
            self._index(item_id, amount)
        for entries in self.sorted_due.values():
            entries.sort()
        self.references = ReferenceIndex(items)
        self.directory = PartnerDirectory(items)
        self.version = 0
        #: item id -> version at which its amount due last changed.
        self.changed: dict[ItemId, int] = {}

    def _index(self, item_id: ItemId, amount: Decimal, *, keep_sorted: bool = False) -> None:
        if amount == ZERO:
            return
        cents = _cents(amount)
        self.exact[cents].add(item_id)
        entry = (abs(cents), str(item_id), item_id)
        entries = self.sorted_due[1 if cents > 0 else -1]
        if keep_sorted:
            bisect.insort(entries, entry)
        else:
            entries.append(entry)

    def _unindex(self, item_id: ItemId, amount: Decimal) -> None:
        if amount == ZERO:
            return
        cents = _cents(amount)
        self.exact[cents].discard(item_id)
        entries = self.sorted_due[1 if cents > 0 else -1]
        position = bisect.bisect_left(entries, (abs(cents), str(item_id)))
        if position < len(entries) and entries[position][2] == item_id:
            del entries[position]

    def is_open(self, item_id: ItemId) -> bool:
        return self.remaining.get(item_id, ZERO) != ZERO

    def settle(self, allocation: Allocation) -> None:
        self._unindex(allocation.item_id, self.remaining[allocation.item_id])
        self.remaining[allocation.item_id] = allocation.remaining
        self._index(allocation.item_id, allocation.remaining, keep_sorted=True)
        self.version += 1
        self.changed[allocation.item_id] = self.version

    def in_window(self, sign: int, low: int, high: int) -> list[ItemId]:
        """Open items of direction ``sign`` whose absolute amount due (cents) lies in [low, high]."""
        entries = self.sorted_due[sign]
        start = bisect.bisect_left(entries, (low,))
        stop = bisect.bisect_right(entries, (high, "\U0010ffff"))
        return [entry[2] for entry in entries[start:stop]]


class Reconciler:
    """Reconciles statement lines with open invoices.

    ``memory`` (aliases and IBANs learned from past matches) and ``categorizer`` (categories of lines that
    are not invoice payments) are optional; without them the engine works on names, numbers, amounts and
    dates alone, and lines without a match get the default French category rules.
    """

    def __init__(
        self,
        config: MatchingConfig | None = None,
        *,
        memory: MatchMemory | None = None,
        categorizer: Categorizer | None = None,
        weights: ScoringWeights | None = None,
    ) -> None:
        self.config = config or MatchingConfig()
        self.memory = memory
        self.categorizer = categorizer if categorizer is not None else Categorizer()
        self.weights = weights or ScoringWeights()

    # ------------------------------------------------------------------------------------------ public

    def reconcile(self, lines: Sequence[StatementLine], items: Sequence[OpenItem]) -> list[LineResult]:
        """One :class:`LineResult` per line, in the order of ``lines``."""
        book = _Book(items)
        contexts = [self._context(index, line, book) for index, line in enumerate(lines)]
        first_pass = {ctx.index: self._candidates(ctx, book) for ctx in contexts}
        order = sorted(
            contexts,
            key=lambda ctx: (
                -(first_pass[ctx.index][0].confidence if first_pass[ctx.index] else 0.0),
                ctx.index,
            ),
        )
        results: dict[int, LineResult] = {}
        for ctx in order:
            candidates = first_pass[ctx.index]
            if self._affected(ctx, candidates, book):
                candidates = self._candidates(ctx, book)
            result = self._decide(ctx, candidates)
            if result.decision == "auto" and result.best is not None:
                for allocation in result.best.allocations:
                    book.settle(allocation)
            results[ctx.index] = result
        self._categorise(results)
        return [results[index] for index in range(len(lines))]

    @staticmethod
    def _affected(ctx: _LineContext, candidates: list[Candidate], book: _Book) -> bool:
        """Whether auto-matches decided since the first pass change what this line can match."""
        if not book.changed:
            return False
        offered = {item_id for candidate in candidates for item_id in candidate.item_ids}
        low, high = ctx.window
        for item_id in book.changed:
            if item_id in offered or item_id in ctx.references or book.partner_of[item_id] in ctx.searched:
                return True
            due = _cents(book.remaining[item_id]) * ctx.sign
            if low <= due <= high:
                return True
        return False

    def candidates_for(self, line: StatementLine, items: Sequence[OpenItem]) -> list[Candidate]:
        """Ranked candidates of a single line (no decision, nothing consumed)."""
        book = _Book(items)
        return self._candidates(self._context(0, line, book), book)

    # ---------------------------------------------------------------------------------------- evidence

    def _context(self, index: int, line: StatementLine, book: _Book) -> _LineContext:
        amount = round_cents(line.amount)
        ctx = _LineContext(index=index, line=line, sign=1 if amount > 0 else -1, paid=abs(amount))
        if amount == ZERO:
            return ctx
        text = line.full_text
        directory = book.directory
        for key, value in directory.scores(text, line.counterparty_name).items():
            strength = name_strength(value)
            if strength > 0:
                ctx.partners[key] = _PartnerEvidence(name_score=value, name_strength=strength)
        iban = line.counterparty_iban.replace(" ", "").upper()
        for key in directory.iban_to_keys.get(iban, ()) if iban else ():
            ctx.partners.setdefault(key, _PartnerEvidence()).iban_match = True
        if self.memory is not None:
            for hint in self.memory.hints(text, line.counterparty_name, iban):
                key = self._directory_key(str(hint.partner), directory)
                if key is None:
                    continue
                evidence = ctx.partners.setdefault(key, _PartnerEvidence())
                if evidence.hint is None or hint.strength > evidence.hint.strength:
                    evidence.hint = hint
        ctx.references = book.references.search(text, line.label)
        words = set(normalise(text).split())
        ctx.partial_word = next((word for word in _PARTIAL_WORDS if word in words), "")
        return ctx

    @staticmethod
    def _directory_key(partner: str, directory: PartnerDirectory) -> str | None:
        if partner in directory.partners:
            return partner
        cleaned = clean_name(partner)
        return cleaned if cleaned in directory.partners else None

    # -------------------------------------------------------------------------------------- candidates

    def _tolerance(self, total: Decimal) -> Decimal:
        return max(self.config.fee_absolute, round_cents(self.config.fee_rate * total))

    def _candidates(self, ctx: _LineContext, book: _Book) -> list[Candidate]:
        if ctx.paid == ZERO:
            return []
        pool: dict[frozenset[ItemId], Candidate] = {}

        def add(ids: Sequence[ItemId], solutions: int | None = None) -> None:
            key = frozenset(ids)
            if key in pool and solutions is None:
                return
            candidate = self._candidate(ctx, book, list(ids), solutions)
            if candidate is not None and (key not in pool or candidate.confidence > pool[key].confidence):
                pool[key] = candidate

        self._from_references(ctx, book, add)
        signed_cents = _cents(ctx.paid) * ctx.sign
        for item_id in sorted(book.exact.get(signed_cents, ()), key=str)[:10]:
            add([item_id])
        paid_cents = _cents(ctx.paid)
        high = max(
            paid_cents + _cents(self.config.fee_absolute),
            int(paid_cents / (1 - float(self.config.fee_rate))) + 1,
        )
        ctx.window = (paid_cents, high)
        for item_id in book.in_window(ctx.sign, paid_cents + 1, high)[:5]:
            add([item_id])
        strong = sorted(
            (
                key
                for key, evidence in ctx.partners.items()
                if evidence.strength >= self.config.partner_threshold
            ),
            key=lambda key: -ctx.partners[key].strength,
        )[:3]
        for item_id in ctx.references:  # an invoice number also says who paid
            key = book.partner_of[item_id]
            if book.is_open(item_id) and key not in strong:
                strong.append(key)
        ctx.searched = set(strong)
        for key in strong:
            self._from_partner(ctx, book, key, add)
        ranked = sorted(pool.values(), key=lambda c: (-c.confidence, self._age(c, book)))
        kept = [c for c in ranked if c.confidence >= self.config.suggestion_threshold]
        return kept[: self.config.max_candidates]

    @staticmethod
    def _age(candidate: Candidate, book: _Book) -> tuple[date, str]:
        first = book.items[candidate.allocations[0].item_id]
        return (first.due_date or first.issue_date or _FAR_FUTURE, str(first.number))

    def _from_references(self, ctx: _LineContext, book: _Book, add: _Add) -> None:
        hits = [item_id for item_id in ctx.references if book.is_open(item_id)]
        by_partner: dict[str, list[ItemId]] = defaultdict(list)
        for item_id in hits:
            if book.remaining[item_id] * ctx.sign > 0:
                add([item_id])
            by_partner[book.partner_of[item_id]].append(item_id)
        for ids in by_partner.values():
            if len(ids) >= 2:
                add(ids)

    def _from_partner(self, ctx: _LineContext, book: _Book, key: str, add: _Add) -> None:
        open_ids = [item_id for item_id in book.by_partner.get(key, ()) if book.is_open(item_id)]
        for item_id in open_ids:
            if book.remaining[item_id] * ctx.sign > 0:
                add([item_id])
        if len(open_ids) < 2:
            return
        ids = open_ids[: self.config.max_group_items]
        amounts = [_cents(book.remaining[item_id]) * ctx.sign for item_id in ids]
        paid = _cents(ctx.paid)
        result = subset_sums(
            amounts, paid, paid, target=paid, min_size=1, max_size=self.config.max_group_size
        )
        if result.count == 0:
            high = paid + _cents(self._tolerance(ctx.paid))
            result = subset_sums(
                amounts, paid, high, target=paid, min_size=1, max_size=self.config.max_group_size
            )
        for solution in result.solutions:
            if len(solution.indices) >= 2:
                add([ids[i] for i in solution.indices], solutions=result.count)

    def _candidate(
        self, ctx: _LineContext, book: _Book, ids: list[ItemId], solutions: int | None
    ) -> Candidate | None:
        partners = {book.partner_of[item_id] for item_id in ids}
        if len(partners) != 1:
            return None
        key = partners.pop()
        items = [book.items[item_id] for item_id in ids]
        due = [book.remaining[item_id] for item_id in ids]
        total = sum(due, ZERO) * ctx.sign
        if total <= ZERO:
            return None
        gap = total - ctx.paid
        single = len(ids) == 1
        hits = [ctx.references.get(item_id) for item_id in ids]
        evidence_partner = ctx.partners.get(key, _PartnerEvidence())
        if gap == ZERO:
            kind = "exact"
        elif ZERO < gap <= self._tolerance(total):
            kind = "fee"
        elif gap > ZERO and single and (hits[0] is not None or evidence_partner.strength >= 0.6):
            kind = "partial"
        elif gap < ZERO and single and hits[0] is not None:
            kind = "over"
        else:
            return None
        line_amount = round_cents(ctx.line.amount)
        if kind == "partial":
            allocations = (Allocation(ids[0], items[0].number, line_amount, due[0] - line_amount),)
        else:
            allocations = tuple(
                Allocation(item_id, item.number, amount, ZERO)
                for item_id, item, amount in zip(ids, items, due, strict=True)
            )
        evidence = Evidence(
            amount_kind=kind,
            paid=ctx.paid,
            total_open=total,
            remaining=(due[0] * ctx.sign - ctx.paid) if kind == "partial" else ZERO,
            numbers=tuple(item.number for item in items),
            partner_name=items[0].partner_name,
            partner_kind=items[0].kind,
            references=hits,
            name_score=evidence_partner.name_score,
            name_strength=evidence_partner.name_strength,
            hint=evidence_partner.hint,
            iban_match=evidence_partner.iban_match,
            group_solutions=solutions if not single else None,
            cited_elsewhere=tuple(
                hit.shown
                for item_id, hit in ctx.references.items()
                if item_id not in ids and hit.kind != "truncated" and book.is_open(item_id)
            ),
        )
        if kind == "partial":
            evidence.usual_share = _usual_share(ctx.paid, total)
            evidence.partial_word = ctx.partial_word
        self._date_evidence(ctx.line.date, items, evidence)
        confidence, reasons, signals = score(evidence, self.weights)
        return Candidate(
            kind="partial" if kind == "partial" else ("group" if not single else "single"),
            allocations=allocations,
            confidence=confidence,
            reasons=reasons,
            signals=signals,
            partner_key=key,
            partner_name=items[0].partner_name,
            difference=line_amount - sum(due, ZERO) if kind != "partial" else ZERO,
            writeoff_account="627" if kind == "fee" else None,
        )

    @staticmethod
    def _date_evidence(day: date, items: list[OpenItem], evidence: Evidence) -> None:
        for item in items:
            if item.issue_date and (day - item.issue_date).days < -3:
                evidence.before_issue = True
                evidence.issue_date_text = date_text(item.issue_date)
                return
        reference_day = items[0].due_date or items[0].issue_date
        if len(items) == 1 and reference_day is not None:
            evidence.days_from_due = (day - reference_day).days

    # ---------------------------------------------------------------------------------------- decision

    def _decide(self, ctx: _LineContext, candidates: list[Candidate]) -> LineResult:
        config = self.config
        best = candidates[0] if candidates else None
        second = candidates[1] if len(candidates) > 1 else None
        if best is None:
            return LineResult(ctx.index, ctx.line, "unmatched", [], "Aucune facture ouverte ne correspond.")
        threshold = format_percent(config.auto_threshold)
        shown = format_percent(best.confidence)
        if best.confidence < config.auto_threshold:
            explanation = f"À valider : confiance {shown}, sous le seuil de {threshold}."
        elif second is not None and best.confidence - second.confidence < config.auto_margin:
            explanation = f"À valider : deux propositions trop proches ({shown} et {format_percent(second.confidence)})."
        elif not config.auto_enabled:
            explanation = f"À valider : confiance {shown}, le rapprochement automatique est désactivé."
        else:
            after = f", proposition suivante à {format_percent(second.confidence)}" if second else ""
            return LineResult(
                ctx.index,
                ctx.line,
                "auto",
                candidates,
                f"Rapprochement automatique : confiance {shown} (seuil {threshold}){after}.",
                minutes_saved=config.savings.for_result("auto", best),
            )
        return LineResult(
            ctx.index,
            ctx.line,
            "suggestion",
            candidates,
            explanation,
            minutes_saved=config.savings.for_result("suggestion", best),
        )

    def _categorise(self, results: dict[int, LineResult]) -> None:
        """Categories for lines not auto-matched; a line with only weak, anonymous candidates becomes one."""
        pending = [
            result for result in results.values() if result.decision != "auto" and result.line.amount != 0
        ]
        if not pending:
            return
        predictions = self.categorizer.predict([result.line for result in pending])
        for result, prediction in zip(pending, predictions, strict=True):
            result.category = prediction
            if prediction is None:
                if result.decision == "unmatched":
                    result.explanation = "Aucune facture ni catégorie reconnue : à traiter à la main."
                continue
            best = result.best
            anonymous = best is None or not (set(best.signals) & {"reference", "name", "alias", "iban"})
            if best is None or (anonymous and prediction.confidence >= 0.75):
                result.decision = "category"
                result.explanation = _category_explanation(prediction, best)
                result.minutes_saved = self.config.savings.for_result("category", None)


def _usual_share(paid: Decimal, total: Decimal) -> int | None:
    """30 when ``paid`` is 30 % of ``total`` (to half a percent), for the usual deposit shares."""
    share = float(paid / total) * 100
    return next((round(usual) for usual in _USUAL_SHARES if abs(share - usual) <= 0.5), None)


def _category_explanation(prediction: CategoryPrediction, best: Candidate | None) -> str:
    text = f"Catégorie proposée : {prediction.label} ({prediction.pcg_account}) — {prediction.reason}."
    if best is None:
        return "Aucune facture ne correspond. " + text
    return (
        f"{text} Une facture du même montant existe ({', '.join(a.number for a in best.allocations)}), mais rien "
        "d'autre ne la relie à cette ligne."
    )
