"""Totals (HT, TVA, TTC) and the VAT breakdown per rate, chosen so that they add up.

Why a small solver: an invoice prints many amounts (lines, subtotals, payments, balances) and several
"totals". Labels give each amount a likelihood of being the HT, TVA or TTC total; the arithmetic
HT + TVA = TTC then settles between them — the combination that adds up to the cent wins over a
better-labelled one that does not. Column headers ("Montant HT | TVA | TTC") and rows of three amounts
that add up are read as well, since many invoices put the totals in a table.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

from etabli.common.money import round_cents
from etabli.engines.extract.candidates import Candidate
from etabli.engines.extract.models import VatRateLine
from etabli.engines.extract.parsing import AmountMatch, find_amounts, find_percentages, fold
from etabli.engines.extract.textindex import TextIndex, TextLine
from etabli.engines.extract.vocabulary import (
    COLUMN_HT,
    COLUMN_TTC,
    COLUMN_TVA,
    HT_LABELS,
    NO_VAT,
    TTC_LABELS,
    TVA_LABELS,
    labels,
)

CENT = Decimal("0.01")
_CATEGORIES = ("ht", "tva", "ttc")
_LABELS = {"ht": HT_LABELS, "tva": TVA_LABELS, "ttc": TTC_LABELS}
_TOTAL_WORD = labels("total", "totaal", "totaux", "sous-? ?total", "subtotal", "somme", "montant", "net")
_VAT_CONTEXT = labels(r"t\.?v\.?a\.?", "vat", "tax", "taxe", "taxes", "btw", "mwst", "gst", "iva")
_RATE_HEADER = labels("taux", "rate", "base", "tarief", "satz", "code")


@dataclass(frozen=True)
class Totals:
    ht: Candidate | None
    tva: Candidate | None
    ttc: Candidate | None
    consistent: bool
    derived: tuple[str, ...]
    breakdown: tuple[VatRateLine, ...]


@dataclass(frozen=True)
class _LabelHit:
    category: str
    weight: float
    start: int
    end: int
    text: str


def _label_hits(folded: str) -> list[_LabelHit]:
    """Amount labels of a line; where labels overlap, the longest (most specific) is kept."""
    hits: list[_LabelHit] = []
    for category in _CATEGORIES:
        for pattern, weight in _LABELS[category]:
            for match in pattern.finditer(folded):
                hits.append(_LabelHit(category, weight, match.start(), match.end(), match.group()))
    hits.sort(key=lambda h: (h.start, -(h.end - h.start), -h.weight))
    kept: list[_LabelHit] = []
    for hit in hits:
        if kept and hit.start < kept[-1].end:
            previous = kept[-1]
            if (hit.end - hit.start, hit.weight) > (previous.end - previous.start, previous.weight):
                kept[-1] = hit
            continue
        kept.append(hit)
    return kept


def total_candidates(index: TextIndex) -> dict[str, list[Candidate]]:
    found: dict[str, list[Candidate]] = {category: [] for category in _CATEGORIES}
    for line in index.lines:
        folded = fold(line.text)
        amounts = [a for a in find_amounts(line.text) if a.plausible_total]
        if not amounts:
            continue
        hits = _label_hits(folded)
        for position, hit in enumerate(hits):
            limit = hits[position + 1].start if position + 1 < len(hits) else len(line.text)
            owned = [a for a in amounts if hit.end <= a.start < limit]
            if owned:
                _add_owned(found, line, hit, owned)
        _add_from_columns(found, index, line, amounts, bool(_TOTAL_WORD.search(folded)))
    return found


def _add_owned(
    found: dict[str, list[Candidate]], line: TextLine, hit: _LabelHit, owned: list[AmountMatch]
) -> None:
    evidence = f"libellé « {line.text[hit.start : hit.end].strip()} »"
    if len(owned) >= 3:
        for a, b, c in itertools.combinations(owned, 3):
            if a.value + b.value == c.value and c.value != 0:
                score = 0.9 if hit.weight >= 0.55 else 0.7
                found["ht"].append(
                    Candidate(a.value, score, line, a.start, a.end, evidence + " (ligne HT/TVA/TTC)")
                )
                found["tva"].append(
                    Candidate(b.value, score, line, b.start, b.end, evidence + " (ligne HT/TVA/TTC)")
                )
                found["ttc"].append(
                    Candidate(c.value, score, line, c.start, c.end, evidence + " (ligne HT/TVA/TTC)")
                )
                return
    # A VAT row ends with the VAT amount ("TVA 20 % sur 100,00 : 20,00"); totals come first.
    chosen = owned[-1] if hit.category == "tva" or len(owned) > 2 else owned[0]
    weight = hit.weight if len(owned) <= 2 else hit.weight * 0.8
    found[hit.category].append(Candidate(chosen.value, weight, line, chosen.start, chosen.end, evidence))


def _add_from_columns(
    found: dict[str, list[Candidate]],
    index: TextIndex,
    line: TextLine,
    amounts: list[AmountMatch],
    total_row: bool,
) -> None:
    """Amounts under a column header naming a total.

    Two cases: the header cell sits right above the value ("TOTAL TTC" over "104,90"), or the value is
    on a *total row* of a table whose column is named ("Total facture" row, "Montant TTC" column). An
    invoice line under a "Montant HT" column is neither and is ignored.
    """
    for amount in amounts:
        x_range = line.x_range(amount.start, amount.end)
        if x_range is None:
            continue
        header = _column_header(index, line, x_range)
        if header is None:
            continue
        category, weight, adjacent, text = header
        if adjacent and weight >= 0.65 and not _column_continues(index, line, x_range):
            score = 0.85 * weight
        elif total_row:
            score = 0.8
        else:
            continue
        found[category].append(
            Candidate(amount.value, score, line, amount.start, amount.end, f"colonne « {text} »")
        )


def _column_continues(index: TextIndex, line: TextLine, x_range: tuple[float, float]) -> bool:
    """True when the next line has an amount in the same column: the value is a table row, not a total."""
    for below in index.lines_below(line, max_lines=1):
        span = below.span_overlapping(*x_range, slack=2.0)
        if span and any(a.plausible_total for a in find_amounts(below.text[span[0] : span[1]])):
            return True
    return False


_INCLUDING_TAX = labels(r"incl\.?", "inclus", "incluse", "ttc", r"toutes taxes", "brutto", "gross")
_EXCLUDING_TAX = labels(r"excl\.?", "hors", "ht", "netto", "net")


def _classify_header(folded: str) -> tuple[str, float] | None:
    """Which total a column header names: strong labels first, then "incl./excl." qualifiers (so that
    "Prijs incl. BTW" is a TTC column, not a VAT one), then the weaker labels and column words."""
    strong = [
        (category, weight)
        for category in _CATEGORIES
        for pattern, weight in _LABELS[category]
        if weight >= 1.0 and pattern.search(folded)
    ]
    if strong:
        return strong[0]
    if _INCLUDING_TAX.search(folded):
        return "ttc", 0.5
    if _EXCLUDING_TAX.search(folded):
        return "ht", 0.5
    weak = [
        (category, weight)
        for category in _CATEGORIES
        for pattern, weight in _LABELS[category]
        if pattern.search(folded)
    ]
    if weak:
        return max(weak, key=lambda item: item[1])
    for category, pattern in (("ttc", COLUMN_TTC), ("tva", COLUMN_TVA), ("ht", COLUMN_HT)):
        if pattern.search(folded):
            return category, 0.5
    return None


def _column_header(
    index: TextIndex, line: TextLine, x_range: tuple[float, float]
) -> tuple[str, float, bool, str] | None:
    """(category, label weight, directly above?, header text) of the column an amount sits in."""
    adjacent = True
    for above in index.lines_above(line, max_lines=10):
        span = above.span_overlapping(*x_range, slack=2.0)
        if span is None:
            continue
        text = above.text[span[0] : span[1]]
        folded = fold(text)
        if not re.search(r"[a-z]{2}", folded):
            adjacent = False  # amounts of the rows above: keep climbing to the header
            continue
        best = _classify_header(folded)
        return None if best is None else (best[0], best[1], adjacent, text.strip())
    return None


def solve_totals(index: TextIndex, candidates: dict[str, list[Candidate]]) -> Totals:
    """The most likely (HT, TVA, TTC) — each may be missing — rewarding combinations that add up."""
    pools = {category: _top(candidates[category]) for category in _CATEGORIES}
    best_key: tuple[float, int] | None = None
    best_combo: tuple[Candidate | None, Candidate | None, Candidate | None] = (None, None, None)
    for ht, tva, ttc in itertools.product(pools["ht"] + [None], pools["tva"] + [None], pools["ttc"] + [None]):
        if _same_candidate(ht, tva, ttc):
            continue
        score = sum(c.score for c in (ht, tva, ttc) if c is not None)
        score += 0.05 * ttc.score if ttc else 0.0  # the amount to pay matters most: keep it on a tie
        if ht and tva and ttc:
            if abs(ht.value + tva.value - ttc.value) <= CENT:
                score += 1.5
            else:
                score -= 0.6
        elif ht and ttc and ht.value > ttc.value > 0 or tva and ttc and tva.value > ttc.value > 0:
            score -= 0.8
        key = (round(score, 6), -sum(1 for c in (ht, tva, ttc) if c is None))
        if best_key is None or key > best_key:
            best_key, best_combo = key, (ht, tva, ttc)
    ht, tva, ttc = best_combo
    consistent = bool(ht and tva and ttc and abs(ht.value + tva.value - ttc.value) <= CENT)
    ht, tva, ttc, derived = _derive_missing(index, ht, tva, ttc)
    breakdown = vat_breakdown(index, ht.value if ht else None, tva.value if tva else None)
    return Totals(ht=ht, tva=tva, ttc=ttc, consistent=consistent, derived=derived, breakdown=breakdown)


def _top(candidates: list[Candidate], size: int = 8) -> list[Candidate]:
    """Best candidates, one per value (the best-scored occurrence), strongest first."""
    by_value: dict[Decimal, Candidate] = {}
    counts: dict[Decimal, int] = {}
    for candidate in candidates:
        counts[candidate.value] = counts.get(candidate.value, 0) + 1
        kept = by_value.get(candidate.value)
        if kept is None or candidate.score > kept.score:
            by_value[candidate.value] = candidate
    pooled = [c.rescored(min(0.98, c.score + min(0.06, 0.03 * (counts[v] - 1)))) for v, c in by_value.items()]
    return sorted(pooled, key=lambda c: -c.score)[:size]


def _same_candidate(*items: Candidate | None) -> bool:
    spots = [(c.line.index, c.start) for c in items if c is not None and c.line is not None]
    return len(spots) != len(set(spots))


def _derive_missing(
    index: TextIndex, ht: Candidate | None, tva: Candidate | None, ttc: Candidate | None
) -> tuple[Candidate | None, Candidate | None, Candidate | None, tuple[str, ...]]:
    """Fill one missing total from the two others, or HT = TTC when the invoice states no VAT applies."""
    derived: list[str] = []
    if ttc and tva and not ht:
        ht = Candidate(ttc.value - tva.value, min(ttc.score, tva.score) * 0.8, None, 0, 0, "TTC − TVA")
        derived.append("total_ht")
    elif ht and tva and not ttc:
        ttc = Candidate(ht.value + tva.value, min(ht.score, tva.score) * 0.8, None, 0, 0, "HT + TVA")
        derived.append("total_ttc")
    elif ht and ttc and not tva and ttc.value >= ht.value:
        tva = Candidate(ttc.value - ht.value, min(ht.score, ttc.score) * 0.8, None, 0, 0, "TTC − HT")
        derived.append("total_tva")
    elif (
        (ttc or ht)
        and not (ttc and ht)
        and not tva
        and any(NO_VAT.search(fold(line.text)) for line in index.lines)
    ):
        known = ttc or ht
        assert known is not None
        mention = "mention d'exonération de TVA : HT = TTC"
        if ttc is None:
            ttc = Candidate(known.value, known.score * 0.75, None, 0, 0, mention)
            derived.append("total_ttc")
        else:
            ht = Candidate(known.value, known.score * 0.75, None, 0, 0, mention)
            derived.append("total_ht")
        tva = Candidate(Decimal("0.00"), known.score * 0.75, None, 0, 0, "mention d'exonération de TVA")
        derived.append("total_tva")
    return ht, tva, ttc, tuple(derived)


def vat_breakdown(
    index: TextIndex, total_ht: Decimal | None, total_tva: Decimal | None
) -> tuple[VatRateLine, ...]:
    """Rows "rate, base, VAT" read from lines that name VAT and print a rate followed by amounts."""
    rows: dict[tuple[Decimal, Decimal | None, Decimal | None], VatRateLine] = {}
    for line in index.lines:
        folded = fold(line.text)
        percentages = [(rate, s, e) for rate, s, e in find_percentages(line.text) if rate <= 30]
        if not percentages:
            continue
        labelled = bool(_VAT_CONTEXT.search(folded))
        if not labelled and not _under_vat_header(index, line):
            continue
        rate, _, rate_end = percentages[0]
        after = [a for a in find_amounts(line.text[rate_end:]) if a.plausible_total]
        row = _row_from_amounts(rate, after, labelled)
        if row is None:
            continue
        base, vat = row
        # Several rows may share a rate (exempt and intra-EU 0 %); a repeated identical row is one row.
        rows.setdefault(
            (rate, base, vat),
            VatRateLine(rate=rate, base=base, vat=vat, location=line.location(0, len(line.text))),
        )
    result = sorted(rows.values(), key=lambda r: r.rate, reverse=True)
    if len(result) == 1 and result[0].base is None and total_ht is not None:
        only = result[0]
        if total_tva is None or only.vat == total_tva:
            result = [VatRateLine(only.rate, total_ht, only.vat, only.location)]
    return tuple(result)


def _row_from_amounts(
    rate: Decimal, amounts: list[AmountMatch], labelled: bool
) -> tuple[Decimal | None, Decimal | None] | None:
    for base, vat in itertools.combinations(amounts, 2):
        if abs(round_cents(base.value * rate / 100) - vat.value) <= CENT and base.value != 0:
            return base.value, vat.value
    if labelled and len(amounts) == 1:
        return None, amounts[0].value
    return None


def _under_vat_header(index: TextIndex, line: TextLine) -> bool:
    """A line in a VAT table ("Code | Taux | Base | Montant TVA") without the word TVA itself."""
    for above in index.lines_above(line, max_lines=4):
        folded = fold(above.text)
        if _VAT_CONTEXT.search(folded) and _RATE_HEADER.search(folded):
            return True
    return False
