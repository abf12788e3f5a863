"""What past matches teach: label aliases and IBANs of partners.

Why: « DPT CONSTR » on the bank label is « Dupont Construction SARL » on the invoices; no fuzzy
comparison finds that, but once the owner has matched it twice the engine should. The memory counts, for
every distinctive word and pair of consecutive words of past labels (and for counterparty names and
IBANs), which partner they went to. A word that always went to the same partner becomes an alias whose
strength grows with the number of times it was seen; a word shared by several partners (« CHANTIER »)
teaches nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from etabli.engines.matching.model import PastMatch
from etabli.engines.matching.text import clean_name, distinctive_tokens


@dataclass(frozen=True)
class PartnerHint:
    """Evidence from memory that a line belongs to ``partner``."""

    partner: str | int
    strength: float
    kind: Literal["alias", "iban"]
    alias: str
    support: int


def _features(label: str, counterparty_name: str = "") -> set[str]:
    words = distinctive_tokens(label)
    features = set(words)
    features.update(f"{first} {second}" for first, second in pairwise(words))
    name = clean_name(counterparty_name) if counterparty_name else ""
    if name:
        features.add(name)
    return features


class MatchMemory:
    """Learns aliases and IBANs from past (label, partner) pairs; scikit-learn style ``fit``.

    ``min_purity``: share of a word's past occurrences that must have gone to one partner for it to count
    as that partner's alias.
    """

    def __init__(self, min_purity: float = 0.9) -> None:
        self.min_purity = min_purity
        self._features: dict[str, Counter[str | int]] = defaultdict(Counter)
        self._ibans: dict[str, Counter[str | int]] = defaultdict(Counter)
        self.n_examples = 0

    def fit(self, history: Iterable[PastMatch | tuple[str, str | int]]) -> MatchMemory:
        """Learn from scratch from past matches (``PastMatch`` or plain ``(label, partner)`` pairs)."""
        self._features.clear()
        self._ibans.clear()
        self.n_examples = 0
        for example in history:
            self.add(example)
        return self

    def add(self, example: PastMatch | tuple[str, str | int]) -> None:
        """Learn one more match (the app calls it when the owner validates a match)."""
        match = example if isinstance(example, PastMatch) else PastMatch(label=example[0], partner=example[1])
        for feature in _features(match.label, match.counterparty_name):
            self._features[feature][match.partner] += 1
        iban = match.counterparty_iban.replace(" ", "").upper()
        if iban:
            self._ibans[iban][match.partner] += 1
        self.n_examples += 1

    def known_iban(self, iban: str) -> PartnerHint | None:
        counts = self._ibans.get(iban.replace(" ", "").upper()) if iban else None
        if not counts:
            return None
        partner, support = counts.most_common(1)[0]
        if support / sum(counts.values()) < self.min_purity:
            return None
        return PartnerHint(partner=partner, strength=1.0, kind="iban", alias=iban, support=support)

    def hints(
        self, label: str, counterparty_name: str = "", counterparty_iban: str = ""
    ) -> list[PartnerHint]:
        """Partners suggested by memory for a line, strongest first (one hint per partner)."""
        best: dict[str | int, PartnerHint] = {}
        iban_hint = self.known_iban(counterparty_iban)
        if iban_hint:
            best[iban_hint.partner] = iban_hint
        for feature in _features(label, counterparty_name):
            counts = self._features.get(feature)
            if not counts:
                continue
            partner, support = counts.most_common(1)[0]
            purity = support / sum(counts.values())
            if purity < self.min_purity:
                continue
            # One sighting is a hint, several make it an alias; pairs of words are more specific.
            strength = purity * (1 - 0.5 ** (support + (1 if " " in feature else 0)))
            current = best.get(partner)
            if current is None or strength > current.strength:
                best[partner] = PartnerHint(
                    partner=partner, strength=strength, kind="alias", alias=feature, support=support
                )
        return sorted(best.values(), key=lambda hint: -hint.strength)
