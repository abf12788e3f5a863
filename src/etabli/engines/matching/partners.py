"""Who paid? Fuzzy recognition of customer and supplier names in bank labels (rapidfuzz).

Why word by word rather than one fuzzy ratio of the whole name against the whole label: a label holds
the name among other words (« VIR SEPA RECU /DE DUPONT CONSTR FA-2026-0042 »), often truncated
(« CONSTR »), abbreviated or with a typo (« DUPOMT »). Each word of the partner's name is compared with
each word of the label (rapidfuzz ``cdist``, in C), a label word that is the beginning of a name word
counts as an abbreviation, and the name's words are weighted by how rare they are among all partners:
« MARTIN » in a directory with three Martins says less than « TILLEULS ». The score is the weighted share
of the name found in the label, 0–100.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np
from rapidfuzz import fuzz, process

from etabli.engines.matching.model import OpenItem
from etabli.engines.matching.text import NOISE_TOKENS, clean_name, is_number_like, name_tokens, tokens

#: Word similarity below this is treated as no match (one typo in a 5-letter word is 80).
MIN_WORD_SIMILARITY = 80
#: A label word that starts a name word (« CONSTR » for « CONSTRUCTION ») scores this.
ABBREVIATION_SIMILARITY = 90
MIN_ABBREVIATION = 4
#: A word of 5+ letters that only one partner has, found (almost) exactly in the label, is worth this
#: score even when the rest of the name is missing (« M ANDRE » for « Laurent André »): enough to look
#: at that partner's invoices, never enough on its own for an auto-match.
DISTINCTIVE_WORD_SCORE = 82.0
DISTINCTIVE_WORD_SIMILARITY = 90


def partner_key(item: OpenItem) -> str:
    """The identity of an item's partner: its id when the app gives one, else its cleaned name."""
    if item.partner_id is not None and str(item.partner_id) != "":
        return str(item.partner_id)
    return clean_name(item.partner_name)


@dataclass
class Partner:
    key: str
    name: str
    kind: str
    words: tuple[str, ...]
    ibans: set[str] = field(default_factory=set)


def name_strength(score: float) -> float:
    """Map a 0–100 name score to evidence 0–1: 72 and below is noise, 95 and above is certain."""
    points = ((72.0, 0.0), (80.0, 0.45), (85.0, 0.65), (90.0, 0.82), (95.0, 1.0))
    if score <= points[0][0]:
        return 0.0
    for (x0, y0), (x1, y1) in pairwise(points):
        if score <= x1:
            return y0 + (y1 - y0) * (score - x0) / (x1 - x0)
    return 1.0


class PartnerDirectory:
    """The partners of the open items, indexed for fast name scoring of many bank lines."""

    def __init__(self, items: Iterable[OpenItem]) -> None:
        self.partners: dict[str, Partner] = {}
        for item in items:
            key = partner_key(item)
            partner = self.partners.get(key)
            if partner is None:
                partner = Partner(
                    key=key, name=item.partner_name, kind=item.kind, words=name_tokens(item.partner_name)
                )
                self.partners[key] = partner
            if item.partner_iban:
                partner.ibans.add(item.partner_iban.replace(" ", "").upper())
        self.keys = list(self.partners)
        self.iban_to_keys: dict[str, set[str]] = defaultdict(set)
        for key, partner in self.partners.items():
            for iban in partner.ibans:
                self.iban_to_keys[iban].add(key)
        self._build_vocabulary()

    def _build_vocabulary(self) -> None:
        frequency: Counter[str] = Counter()
        for partner in self.partners.values():
            frequency.update(set(partner.words))
        self.vocabulary = sorted(frequency)
        position = {word: index for index, word in enumerate(self.vocabulary)}
        self.weights = np.zeros((len(self.keys), len(self.vocabulary)), dtype=np.float64)
        count = max(1, len(self.keys))
        for row, key in enumerate(self.keys):
            for word in set(self.partners[key].words):
                rarity = math.log(1.0 + count / frequency[word])
                self.weights[row, position[word]] = rarity * min(1.0, len(word) / 5.0)
        self.totals = self.weights.sum(axis=1)
        self.totals[self.totals == 0] = 1.0
        unique = np.array([frequency[word] == 1 and len(word) >= 5 for word in self.vocabulary], dtype=bool)
        self.unique_membership = ((self.weights > 0) & unique[None, :]).astype(np.float64)
        self.prefixes: dict[str, list[int]] = defaultdict(list)
        for index, word in enumerate(self.vocabulary):
            for length in range(MIN_ABBREVIATION, len(word)):
                self.prefixes[word[:length]].append(index)
        self.clean_names = [" ".join(self.partners[key].words) for key in self.keys]

    def scores(self, text: str, counterparty_name: str = "") -> dict[str, float]:
        """Name score 0–100 of every partner that scores above zero for this label."""
        if not self.keys or not self.vocabulary:
            return {}
        words = _line_words(text)
        result: dict[str, float] = {}
        if words:
            best = self._best_word_similarity(words)
            values = (self.weights @ best) / self.totals
            distinctive = self.unique_membership @ (best >= DISTINCTIVE_WORD_SIMILARITY).astype(np.float64)
            values = np.where(distinctive > 0, np.maximum(values, DISTINCTIVE_WORD_SCORE), values)
            for row in np.nonzero(values > 0)[0]:
                result[self.keys[row]] = float(values[row])
        if counterparty_name:
            cleaned = clean_name(counterparty_name)
            if cleaned:
                direct = process.cdist([cleaned], self.clean_names, scorer=fuzz.token_sort_ratio, workers=1)[
                    0
                ]
                for row in np.nonzero(direct >= MIN_WORD_SIMILARITY)[0]:
                    key = self.keys[row]
                    result[key] = max(result.get(key, 0.0), float(direct[row]))
        return result

    def _best_word_similarity(self, words: Sequence[str]) -> np.ndarray:
        matrix = process.cdist(list(words), self.vocabulary, scorer=fuzz.ratio, dtype=np.uint8, workers=1)
        best = matrix.max(axis=0).astype(np.float64)
        for word in words:
            for index in self.prefixes.get(word, ()):
                best[index] = max(best[index], ABBREVIATION_SIMILARITY)
        best[best < MIN_WORD_SIMILARITY] = 0.0
        return best


def _line_words(text: str) -> list[str]:
    seen: list[str] = []
    for word in tokens(text):
        if len(word) >= 2 and word not in NOISE_TOKENS and not is_number_like(word) and word not in seen:
            seen.append(word)
    return seen
